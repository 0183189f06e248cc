using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Dashboard.Bench;

/// <summary>
/// Load campaign: N concurrent clients for S seconds mixing task reads, status reads, noop and SQL SELECT submissions
/// against the Release server, with dashboards open (SignalR hub clients, Chromium pages on /tasks and /wall). Prints
/// requests, errors and p50/p99 per kind beside the <c>/status/health</c> baseline, then waits for the queue to drain,
/// restarts the server and checks every submitted task ended SUCCESS. Exits 1 on any error. Bounded by time
/// (<c>--seconds</c>, then the drain) and by count (<c>--max-requests</c>).
/// </summary>
public static class LoadCampaign
{
    public static async Task<int> RunAsync(string[] args)
    {
        var clients = BenchArgs.Int(args, "--clients", 200);
        var seconds = BenchArgs.Int(args, "--seconds", 60);
        var hubs = BenchArgs.Int(args, "--hubs", 5);
        var pageCount = BenchArgs.Int(args, "--pages", 3);
        var seed = BenchArgs.Int(args, "--seed", 1);
        var drainMinutes = BenchArgs.Int(args, "--drain-minutes", 15);
        var slots = BenchArgs.Int(args, "--slots", 8);
        var maxRequests = BenchArgs.Int(args, "--max-requests", 500_000);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(seconds) + TimeSpan.FromMinutes(drainMinutes + 5));
        var ct = deadline.Token;
        var work = Path.Combine(Path.GetTempPath(), "overlord-campaign-load", Guid.NewGuid().ToString("N"));
        var dataDir = Directory.CreateDirectory(Path.Combine(work, "data")).FullName;
        string[] serverArgs = ["--Ingestion:AllowedBaseDirs:0", Path.GetDirectoryName(Ingestions.Wikiticker)!, "--Overlord:WorkerCapacity", slots.ToString(), "--environment", "Development"];
        string[] pages = ((string[])["/tasks", "/wall", "/tasks?status=RUNNING"]).Take(pageCount).ToArray();
        Console.WriteLine($"Load campaign: {clients} clients for {seconds} s, {hubs} hub clients, {pages.Length} Chromium pages ({string.Join(", ", pages)}), " +
                          $"{slots} task slots, seed {seed}, {Environment.ProcessorCount} cores");

        var server = await ServerProcess.StartAsync(dataDir, serverArgs);
        try
        {
            return await RunAsync(server, dataDir, serverArgs, work, clients, seconds, maxRequests, hubs, pages, seed, drainMinutes, ct);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    private static async Task<int> RunAsync(ServerProcess server, string dataDir, string[] serverArgs, string work, int clients, int seconds, int maxRequests, int hubs,
        string[] pages, int seed, int drainMinutes, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var api = new OverlordApi(http);
        var wiki = await api.SubmitTaskAsync(Ingestions.IndexParallel("load_wiki", Ingestions.Wikiticker), ct);
        await ServerProcess.WaitForSuccessAsync(http, wiki, ct);
        var seedIds = new List<string> { wiki };
        for (var i = 0; i < 20; i++)
        {
            seedIds.Add(await api.SubmitTaskAsync(new JsonObject { ["type"] = "noop", ["runTime"] = 0, ["dataSource"] = "load_seed" }, ct));
        }

        var failures = new List<string>();
        var load = new LoadClients(api, "SELECT channel, COUNT(*) AS edits, SUM(added) AS added FROM load_wiki GROUP BY channel", seedIds);
        TimeSpan elapsed;
        TimeSpan drained;
        double peak;
        await using (var watchers = await DashboardWatchers.OpenAsync(server.BaseAddress, hubs, pages, ct))
        {
            if (watchers.PageCount < pages.Length)
            {
                Console.WriteLine($"  no Chromium at {Chromium.ExecutablePath}: pages skipped");
            }

            elapsed = await load.RunAsync(clients, TimeSpan.FromSeconds(seconds), maxRequests, seed, ct);
            peak = server.PeakMemoryMiB();
            Print(load, elapsed, peak, watchers);
            var drain = Stopwatch.StartNew();
            if (!await api.WaitUntilIdleAsync(TimeSpan.FromMinutes(drainMinutes), ct))
            {
                failures.Add($"the queue did not drain within {drainMinutes} min ({await api.ActiveCountAsync(ct)} tasks still active)");
            }

            drained = drain.Elapsed;
            await Task.Delay(TimeSpan.FromSeconds(2), ct);
            var submitted = load.Noops.Concat(load.Queries).ToList();
            var missed = watchers.CheckPushed(submitted);
            Console.WriteLine($"hub clients after the drain: SUCCESS of {submitted.Count:N0} submitted tasks expected on each of {watchers.HubCount}; {missed} missing");
            await watchers.CheckAliveAsync();
            failures.AddRange(watchers.Errors);
            failures.AddRange(load.FirstErrors);
            if (LoadClients.Kinds.Sum(load.Errors) + watchers.HubErrors + watchers.PageErrors > 0)
            {
                failures.Add($"{LoadClients.Kinds.Sum(load.Errors)} request errors, {watchers.HubErrors} hub errors, {watchers.PageErrors} page errors");
            }
        }

        Console.WriteLine($"queue drained {drained.TotalSeconds:F1} s after the load ended; restarting the server (SIGTERM, start on the same data folder)");
        await server.TerminateAsync(TimeSpan.FromSeconds(60));
        await server.DisposeAsync();
        await using (server = await ServerProcess.StartAsync(dataDir, serverArgs))
        {
            using var after = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
            foreach (var (name, ids) in new[] { ("noop", load.Noops), ("SQL", load.Queries) })
            {
                var statuses = await new OverlordApi(after).StatusesAsync(ids.ToList(), ct);
                var succeeded = ids.Count(id => statuses.GetValueOrDefault(id)?["status"]?.GetValue<string>() == "SUCCESS");
                Console.WriteLine($"after the restart: {succeeded:N0} of {ids.Count:N0} submitted {name} tasks SUCCESS");
                failures.AddRange(ids.Where(id => statuses.GetValueOrDefault(id)?["status"]?.GetValue<string>() != "SUCCESS").Take(5)
                    .Select(id => $"{name} task {id} is {statuses.GetValueOrDefault(id)?.ToJsonString() ?? "unknown"} after the restart"));
            }

            await server.TerminateAsync(TimeSpan.FromSeconds(60));
        }

        Console.WriteLine();
        Console.WriteLine(failures.Count == 0 ? "result: 0 errors, every submitted task SUCCESS" : $"result: FAILED ({failures.Count} problems)");
        foreach (var failure in failures)
        {
            Console.WriteLine($"  {failure}");
        }

        if (failures.Count == 0)
        {
            Directory.Delete(work, recursive: true);
        }

        return failures.Count == 0 ? 0 : 1;
    }

    private static void Print(LoadClients load, TimeSpan elapsed, double peak, DashboardWatchers watchers)
    {
        var health = load.Latency(LoadClients.Health);
        Console.WriteLine();
        Console.WriteLine($"{"request",-36} {"requests",9} {"errors",7} {"p50 ms",8} {"p99 ms",8} {"p50 / health",13} {"p99 / health",13}");
        var total = 0;
        foreach (var kind in LoadClients.Kinds)
        {
            var latency = load.Latency(kind);
            total += latency.Count + load.Errors(kind);
            Console.WriteLine($"{kind,-36} {latency.Count + load.Errors(kind),9:N0} {load.Errors(kind),7} {latency.P50,8:F1} {latency.P99,8:F1} " +
                              $"{latency.P50 / health.P50,13:F2} {latency.P99 / health.P99,13:F2}");
        }

        Console.WriteLine($"{"all",-36} {total,9:N0} {LoadClients.Kinds.Sum(load.Errors),7}   ({total / elapsed.TotalSeconds:N0} requests/s over {elapsed.TotalSeconds:F1} s)");
        Console.WriteLine();
        Console.WriteLine($"dashboards: {watchers.HubCount} hub clients received {watchers.HubMessages:N0} messages, {watchers.HubErrors} hub errors; " +
                          $"{watchers.PageCount} pages, {watchers.PageErrors} page errors");
        Console.WriteLine($"server peak memory (VmHWM): {peak:F0} MiB");
    }
}
