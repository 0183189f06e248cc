using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Dashboard.Core.Overlord;
using Dashboard.Core.Storage;
using Dashboard.Core.Tasks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Dashboard.Bench;

/// <summary>
/// Issue "Overlord core" benchmark: task-list and status reads with 100,000 complete and 1,000 active tasks in the store,
/// and noop throughput from submission to SUCCESS. The baseline, measured in the same run and interleaved with the
/// measured requests, is the server's cheapest endpoint (GET /status/health): the cost of the HTTP round trip itself.
/// </summary>
public static class TasksBenchmark
{
    private const string V1 = "/druid/indexer/v1";

    public static async Task<int> RunAsync(string[] args)
    {
        var complete = BenchArgs.Int(args, "--complete", 100_000);
        var active = BenchArgs.Int(args, "--active", 1_000);
        var noops = BenchArgs.Int(args, "--noop", 5_000);
        var samples = BenchArgs.Int(args, "--samples", 1_000);
        var dataDir = Path.Combine(Path.GetTempPath(), "overlord-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDir);
        Console.WriteLine($"Overlord tasks benchmark: {complete:N0} complete + {active:N0} active tasks, {noops:N0} noop tasks, {Environment.ProcessorCount} cores");

        var seedClock = Stopwatch.StartNew();
        var statusIds = await SeedAsync(dataDir, complete);
        Console.WriteLine($"  seeded {complete:N0} complete tasks in {seedClock.Elapsed.TotalSeconds:F1} s");

        await using var server = await ServerProcess.StartAsync(dataDir, "--Overlord:WorkerCapacity", "4");
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        var activeIds = await SubmitManyAsync(http, active, i => $$"""{"type":"noop","runTime":3600000,"dataSource":"bench_active"}""", 16);
        Console.WriteLine($"  submitted {activeIds.Count:N0} active tasks (4 running, the rest pending)");

        var reads = await MeasureReadsAsync(http, statusIds.Concat(activeIds.Take(10)).ToArray(), samples);
        await http.PostAsync($"{V1}/datasources/bench_active/shutdownAllTasks", null);

        var (noopRate, floorRate) = await MeasureNoopThroughputAsync(http, noops);
        var peak = server.PeakMemoryMiB();

        Console.WriteLine();
        Console.WriteLine($"{"read (sequential, one client)",-44} {"p50 ms",8} {"p99 ms",8} {"p50 / health",13}");
        var floor = reads[0];
        foreach (var r in reads)
        {
            Console.WriteLine($"{r.Name,-44} {r.P50,8:F2} {r.P99,8:F2} {r.P50 / floor.P50,13:F2}");
        }

        Console.WriteLine();
        Console.WriteLine($"noop tasks, submission to SUCCESS (64 clients): {noopRate,8:F0} tasks/s");
        Console.WriteLine($"GET /status/health, same clients (baseline):  {floorRate,8:F0} requests/s   ratio {noopRate / floorRate:F2}");
        Console.WriteLine($"server peak memory (VmHWM):                    {peak,8:F0} MiB");
        Console.WriteLine();
        var readsOk = reads.Skip(1).All(r => r.P99 < 20);
        Console.WriteLine($"targets: read p99 < 20 ms: {(readsOk ? "met" : "MISSED")}; noop >= 1,000 tasks/s: {(noopRate >= 1000 ? "met" : "MISSED")}");

        await server.DisposeAsync();
        Directory.Delete(dataDir, recursive: true);

        if (BenchArgs.Int(args, "--metrics-rounds", 10) is > 0 and var rounds)
        {
            await MetricsOverhead.RunAsync(BenchArgs.Int(args, "--metrics-noop", 2_000), rounds, BenchArgs.Int(args, "--metrics-scrape-ms", 1000));
        }

        return 0;
    }

    internal static async Task<List<string>> SeedAsync(string dataDir, int count)
    {
        var options = Options.Create(new OverlordOptions { DataDir = dataDir });
        using var directory = new DataDirectory(options);
        await using var store = new SqliteMetadataStore(directory, TimeProvider.System, NullLogger<SqliteMetadataStore>.Instance);
        var now = DateTimeOffset.UtcNow;
        var ids = new List<string>();
        string[] types = ["index_parallel", "query_controller", "query_worker", "noop", "compact"];
        for (var start = 0; start < count; start += 10_000)
        {
            var batch = new List<(TaskRecord, string)>();
            for (var i = start; i < Math.Min(count, start + 10_000); i++)
            {
                var created = now.AddMilliseconds(-(20.0 * 3600 * 1000) * i / count);
                var type = types[i % types.Length];
                var ds = $"wiki_{i % 20}";
                var id = TaskIds.NewTaskId(type, ds, created);
                var status = i % 10 == 0
                    ? TaskStatus.Failure(id, "Bench: seeded failure", 1000 + i % 5000, new TaskLocation("localhost", 8100, -1))
                    : TaskStatus.Success(id, 1000 + i % 5000, new TaskLocation("localhost", 8100, -1));
                batch.Add((new TaskRecord(id, id, type, ds, created, status), $$"""{"type":"{{type}}","id":"{{id}}","dataSource":"{{ds}}"}"""));
                if (i % 1000 == 0)
                {
                    ids.Add(id);
                }
            }

            await store.BulkInsertCompleteAsync(batch, CancellationToken.None);
        }

        return ids;
    }

    private static async Task<List<Latency>> MeasureReadsAsync(HttpClient http, string[] statusIds, int samples)
    {
        var requests = new (string Name, Func<int, string> Path)[]
        {
            ("GET /status/health (baseline)", _ => "/status/health"),
            ("GET /tasks?state=complete&max=100", _ => $"{V1}/tasks?state=complete&max=100"),
            ("GET /tasks?state=running", _ => $"{V1}/tasks?state=running"),
            ("GET /task/{id}/status", i => $"{V1}/task/{Uri.EscapeDataString(statusIds[i % statusIds.Length])}/status"),
        };

        foreach (var (_, path) in requests)
        {
            for (var i = 0; i < 50; i++)
            {
                await ReadAsync(http, path(i));
            }
        }

        // Interleaved so that noise on this shared machine hits the baseline and the measured reads alike.
        var timings = requests.Select(_ => new List<double>(samples)).ToArray();
        for (var i = 0; i < samples; i++)
        {
            for (var r = 0; r < requests.Length; r++)
            {
                var start = Stopwatch.GetTimestamp();
                await ReadAsync(http, requests[r].Path(i));
                timings[r].Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        }

        return requests.Select((r, i) => Latency.Of(r.Name, timings[i])).ToList();
    }

    private static async Task ReadAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        response.EnsureSuccessStatusCode();
        await response.Content.ReadAsByteArrayAsync();
    }

    private static async Task<(double NoopRate, double FloorRate)> MeasureNoopThroughputAsync(HttpClient http, int count)
    {
        const int clients = 64;
        await SubmitManyAsync(http, 200, _ => """{"type":"noop","runTime":0,"dataSource":"bench_warmup"}""", clients);
        await WaitUntilIdleAsync(http, "bench_warmup");

        var clock = Stopwatch.StartNew();
        var ids = await SubmitManyAsync(http, count, _ => """{"type":"noop","runTime":0,"dataSource":"bench_noop"}""", clients);
        await WaitUntilIdleAsync(http, "bench_noop");
        var noopRate = count / clock.Elapsed.TotalSeconds;

        var statuses = await (await http.PostAsync($"{V1}/taskStatus", JsonContent.Create(ids))).Content.ReadFromJsonAsync<JsonObject>();
        var succeeded = statuses!.Count(s => s.Value!["status"]!.GetValue<string>() == "SUCCESS");
        if (succeeded != count)
        {
            throw new InvalidOperationException($"Only {succeeded} of {count} noop tasks succeeded.");
        }

        clock.Restart();
        await ParallelAsync(count, clients, async _ => await ReadAsync(http, "/status/health"));
        var floorRate = count / clock.Elapsed.TotalSeconds;
        return (noopRate, floorRate);
    }

    private static async Task WaitUntilIdleAsync(HttpClient http, string dataSource)
    {
        while (true)
        {
            var running = await http.GetFromJsonAsync<JsonArray>($"{V1}/tasks?state=running&datasource={dataSource}");
            var pending = await http.GetFromJsonAsync<JsonArray>($"{V1}/tasks?state=pending&datasource={dataSource}");
            var waiting = await http.GetFromJsonAsync<JsonArray>($"{V1}/tasks?state=waiting&datasource={dataSource}");
            if (running!.Count + pending!.Count + waiting!.Count == 0)
            {
                return;
            }

            await Task.Delay(5);
        }
    }

    private static async Task<List<string>> SubmitManyAsync(HttpClient http, int count, Func<int, string> spec, int clients)
    {
        var ids = new string[count];
        await ParallelAsync(count, clients, async i =>
        {
            using var response = await http.PostAsync($"{V1}/task", new StringContent(spec(i), Encoding.UTF8, "application/json"));
            response.EnsureSuccessStatusCode();
            ids[i] = (await response.Content.ReadFromJsonAsync<JsonObject>())!["task"]!.GetValue<string>();
        });
        return ids.ToList();
    }

    private static Task ParallelAsync(int count, int clients, Func<int, Task> work) =>
        Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = clients }, async (i, _) => await work(i));
}
