using System.Diagnostics;
using System.Text.Json.Nodes;
using Dashboard.Core.Tasks;

namespace Dashboard.Bench;

/// <summary>
/// Crash campaign: on ONE data folder, each run starts the server, submits a native ingestion, an SQL INSERT, a
/// REPLACE ... OVERWRITE ALL and some noops, stops the server at a seeded random moment (SIGKILL, or SIGTERM in a few
/// runs), restarts it and checks what <see cref="CrashChecks"/> says must hold. Exits 1 on any mismatch.
/// </summary>
public static class CrashCampaign
{
    public static async Task<int> RunAsync(string[] args)
    {
        var kills = BenchArgs.Int(args, "--runs", 20);
        var terms = BenchArgs.Int(args, "--sigterm", 3);
        var seed = BenchArgs.Int(args, "--seed", 1);
        var noops = BenchArgs.Int(args, "--noops", 5);
        var maxStopMs = BenchArgs.Int(args, "--max-stop-ms", 3000);
        var minutes = BenchArgs.Int(args, "--minutes", 20);
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(minutes));
        var ct = deadline.Token;
        var random = new Random(seed);
        var graceful = Enumerable.Range(0, kills + terms).OrderBy(_ => random.Next()).Take(terms).ToHashSet();
        var work = Path.Combine(Path.GetTempPath(), "overlord-campaign-crash", Guid.NewGuid().ToString("N"));
        var dataDir = Directory.CreateDirectory(Path.Combine(work, "data")).FullName;
        var wikiticker = Ingestions.Wikiticker;
        string[] serverArgs = ["--Ingestion:AllowedBaseDirs:0", Path.GetDirectoryName(wikiticker)!, "--Overlord:WorkerCapacity", "4"];
        Console.WriteLine($"Crash campaign: {kills} SIGKILL + {terms} SIGTERM runs on one data folder, seed {seed}, stop 0-{maxStopMs} ms after the first submission, " +
                          $"{noops} noops per run, {Environment.ProcessorCount} cores");
        Console.WriteLine($"  input {wikiticker}; data folder {dataDir}");
        Console.WriteLine();
        Console.WriteLine($"{"run",4} {"stop",8} {"at ms",6} {"submitted",10} {"SUCCESS kept",13} {"active->FAILED",15} {"ended first",12} {"segments",9} {"mismatches",11} {"peak MiB",9}");

        var ledger = new CrashLedger();
        var totals = new int[6];
        double peak = 0;
        var clock = Stopwatch.StartNew();
        Stop? previous = null;
        var lastKept = 0;
        var successesBefore = 0;
        for (var run = 0; run <= kills + terms; run++)
        {
            await using var server = await ServerProcess.StartAsync(dataDir, serverArgs);
            using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
            var api = new OverlordApi(http);
            var checks = new CrashChecks(api, dataDir, ledger);
            if (previous is { } stop)
            {
                successesBefore = ledger.Succeeded.Count;
                var (kept, failed, ended) = await checks.CheckTasksAsync(stop.Active, stop.Graceful ? TaskMessages.OverlordShutdown : TaskMessages.OverlordRestarted, ct);
                await checks.CheckSegmentsAsync(ct);
                checks.Mismatches.InsertRange(0, stop.Mismatches);
                int[] figures = [stop.Submitted, kept, failed, ended, checks.SegmentsChecked, checks.Mismatches.Count];
                for (var i = 0; i < figures.Length; i++)
                {
                    totals[i] += figures[i];
                }

                peak = Math.Max(peak, stop.PeakMiB);
                lastKept = kept;
                Console.WriteLine($"{run,4} {(stop.Graceful ? "SIGTERM" : "SIGKILL"),8} {stop.AtMs,6} {$"{stop.Submitted}/{3 + noops}",10} {kept,13} {failed,15} {ended,12} " +
                                  $"{checks.SegmentsChecked,9} {checks.Mismatches.Count,11} {stop.PeakMiB,9:F0}");
                foreach (var mismatch in checks.Mismatches)
                {
                    Console.WriteLine($"       MISMATCH: {mismatch}");
                }
            }

            if (run == kills + terms)
            {
                await server.TerminateAsync(TimeSpan.FromSeconds(60));
                break;
            }

            previous = await RunOnceAsync(server, api, new CrashChecks(api, dataDir, ledger), ledger, wikiticker, noops, random.Next(0, maxStopMs), graceful.Contains(run), random, ct);
        }

        Console.WriteLine();
        Console.WriteLine($"runs {kills + terms} ({kills} SIGKILL, {terms} SIGTERM) in {clock.Elapsed.TotalSeconds:F0} s: tasks submitted {totals[0]}; " +
                          $"SUCCESS kept {lastKept} of {successesBefore} at the last restart ({totals[1]} task checks over all restarts); " +
                          $"active at the stop FAILED with the documented reason {totals[2]}; ended SUCCESS just before the stop {totals[3]}; " +
                          $"segments checked {totals[4]}; mismatches {totals[5]}; peak server RSS {peak:F0} MiB");
        foreach (var dataSource in CrashChecks.DataSources)
        {
            Console.WriteLine($"  {dataSource}: {ledger.Ingestions.Values.Count(i => i.DataSource == dataSource)} successful ingestions, {ledger.Visible(dataSource).Count()} of them visible, {ledger.ExpectedRows(dataSource):N0} rows expected");
        }

        if (totals[5] == 0)
        {
            Directory.Delete(work, recursive: true);
        }
        else
        {
            Console.WriteLine($"  data folder kept for inspection: {dataDir}");
        }

        return totals[5] == 0 ? 0 : 1;
    }

    /// <summary>One run: submits the workload, <paramref name="stopAtMs"/> after the first submission snapshots the statuses and stops the server.</summary>
    private static async Task<Stop> RunOnceAsync(ServerProcess server, OverlordApi api, CrashChecks checks, CrashLedger ledger, string wikiticker, int noops,
        int stopAtMs, bool graceful, Random random, CancellationToken ct)
    {
        var select = Ingestions.WikiSelect(wikiticker);
        var work = new List<(TaskKind Kind, Func<Task<string>> Submit)>
        {
            (TaskKind.Native, () => api.SubmitTaskAsync(Ingestions.IndexParallel(CrashChecks.DataSources[0], wikiticker), ct)),
            (TaskKind.Insert, () => api.SubmitSqlAsync($"INSERT INTO {CrashChecks.DataSources[1]} {select} PARTITIONED BY DAY", ct)),
            (TaskKind.Replace, () => api.SubmitSqlAsync($"REPLACE INTO {CrashChecks.DataSources[1]} OVERWRITE ALL {select} WHERE channel = '#en.wikipedia' PARTITIONED BY DAY", ct)),
        };
        for (var i = 0; i < noops; i++)
        {
            var spec = new JsonObject { ["type"] = "noop", ["runTime"] = random.Next(0, 4000), ["dataSource"] = "crash_noop" };
            work.Add((TaskKind.Noop, () => api.SubmitTaskAsync(spec, ct)));
        }

        // The stop moment counts from the first submission, so some stops land while tasks are still being submitted.
        var ids = new List<string>();
        var stopping = false;
        var submitting = Task.Run(async () =>
        {
            foreach (var (kind, submit) in work.OrderBy(_ => random.Next()).ToList())
            {
                try
                {
                    var id = await submit();
                    ledger.Kinds[id] = kind;
                    lock (ids)
                    {
                        ids.Add(id);
                    }
                }
                catch (HttpRequestException) when (Volatile.Read(ref stopping))
                {
                    // Not acknowledged: the server stopped (or refused it while stopping) before answering.
                }
            }
        }, ct);
        await Task.Delay(stopAtMs, ct);
        var snapshot = Acknowledged();
        var statuses = await api.StatusesAsync(snapshot, ct);
        var active = new List<string>();
        var stop = new Stop(graceful, stopAtMs, 0, active, [], 0);
        foreach (var id in snapshot)
        {
            switch (statuses.GetValueOrDefault(id)?["status"]?.GetValue<string>())
            {
                case "SUCCESS":
                    await checks.RecordSuccessAsync(id, ct);
                    break;
                case "FAILED":
                    stop.Mismatches.Add($"{id} ({ledger.Kinds[id]}) FAILED before the stop: {statuses[id]["errorMsg"]}");
                    break;
                default:
                    active.Add(id);
                    break;
            }
        }

        // Reading the reports took a moment: one more status read right before the stop narrows "active" to what it was then.
        statuses = await api.StatusesAsync(active, ct);
        foreach (var id in active.Where(id => statuses.GetValueOrDefault(id)?["status"]?.GetValue<string>() == "FAILED"))
        {
            stop.Mismatches.Add($"{id} ({ledger.Kinds[id]}) FAILED before the stop: {statuses[id]["errorMsg"]}");
        }

        active.RemoveAll(id => statuses.GetValueOrDefault(id)?["status"]?.GetValue<string>() == "FAILED");
        stop.Mismatches.AddRange(checks.Mismatches);
        stop = stop with { PeakMiB = server.PeakMemoryMiB() };
        Volatile.Write(ref stopping, true);
        var beforeStop = Acknowledged();
        if (graceful)
        {
            await server.TerminateAsync(TimeSpan.FromSeconds(60));
        }
        else
        {
            await server.KillAsync();
        }

        await submitting;
        var all = Acknowledged();
        // Acknowledged after the snapshot: active at the stop as far as the campaign knows.
        active.AddRange(all.Except(snapshot));
        return stop with { Submitted = all.Count, AcknowledgedAtStop = beforeStop.Count };

        List<string> Acknowledged()
        {
            lock (ids)
            {
                return [.. ids];
            }
        }
    }

    /// <summary>How a run stopped the server and what it knew just before.</summary>
    private sealed record Stop(bool Graceful, int AtMs, int Submitted, List<string> Active, List<string> Mismatches, double PeakMiB)
    {
        /// <summary>Submissions answered before the stop began (fewer than the workload when the stop came during submission).</summary>
        public int AcknowledgedAtStop { get; init; }
    }
}
