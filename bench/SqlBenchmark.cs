using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using DuckDB.NET.Data;

namespace Dashboard.Bench;

/// <summary>
/// Issue 13 benchmark: interactive <c>POST /druid/v2/sql</c> (COUNT(*) and a GROUP BY with ORDER BY/LIMIT over 1M
/// ingested rows), p50 and p99, against raw DuckDB running the same SQL over the same segment files in this process;
/// then 16 concurrent clients for 30 s while a native ingestion runs, which must still succeed.
/// </summary>
public static class SqlBenchmark
{
    private const string GroupBy = "SELECT channel, COUNT(*) AS cnt, SUM(added) AS added FROM {0} GROUP BY channel ORDER BY cnt DESC LIMIT 10";

    public static async Task<int> RunAsync(string[] args)
    {
        var rows = BenchArgs.Int(args, "--rows", 1_000_000);
        var requests = BenchArgs.Int(args, "--requests", 50);
        var clients = BenchArgs.Int(args, "--clients", 16);
        var seconds = BenchArgs.Int(args, "--seconds", 30);
        var work = Path.Combine(Path.GetTempPath(), "overlord-bench-sql", Guid.NewGuid().ToString("N"));
        var input = Directory.CreateDirectory(Path.Combine(work, "input")).FullName;
        var generated = Path.Combine(input, "generated.json");
        IngestBenchmark.Generate(generated, rows);
        var dataDir = Directory.CreateDirectory(Path.Combine(work, "data")).FullName;
        await using var server = await ServerProcess.StartAsync(dataDir, "--Ingestion:AllowedBaseDirs:0", work, "--Overlord:WorkerCapacity", "4",
            "--Sql:MaxConcurrentQueries", clients.ToString());
        using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromMinutes(10) };
        await IngestAsync(http, generated, "bench_sql");
        var files = (await http.GetFromJsonAsync<JsonArray>("/druid/coordinator/v1/metadata/datasources/bench_sql/segments?full"))!
            .Select(s => s!["loadSpec"]!["path"]!.GetValue<string>()).ToList();
        Console.WriteLine($"Interactive SQL benchmark: {rows:N0} ingested rows in {files.Count} segment(s), {requests} requests per query, {Environment.ProcessorCount} cores");
        Console.WriteLine();
        Console.WriteLine($"{"query",-10} {"overlord p50",13} {"p99",8} {"DuckDB p50",11} {"p99",8} {"ratio p50",10}");
        var ratios = new List<double>();
        foreach (var (name, sql) in new[] { ("COUNT(*)", "SELECT COUNT(*) AS c FROM {0}"), ("GROUP BY", GroupBy) })
        {
            await QueryAsync(http, string.Format(sql, "bench_sql"));
            var overlord = await Latency.MeasureAsync(name, requests, () => QueryAsync(http, string.Format(sql, "bench_sql")));
            var view = $"read_parquet([{string.Join(", ", files.Select(f => $"'{f}'"))}])";
            await BaselineAsync(string.Format(sql, view));
            var duck = await Latency.MeasureAsync(name, requests, () => BaselineAsync(string.Format(sql, view)));
            ratios.Add(duck.P50 / overlord.P50);
            Console.WriteLine($"{name,-10} {overlord.P50,10:F1} ms {overlord.P99,5:F1} ms {duck.P50,8:F1} ms {duck.P99,5:F1} ms {duck.P50 / overlord.P50,10:F2}");
        }

        var (done, errors, ingestion) = await ConcurrentAsync(http, clients, TimeSpan.FromSeconds(seconds), generated);
        Console.WriteLine();
        Console.WriteLine($"{clients} clients for {seconds} s: {done:N0} queries ({done / (double)seconds:F0}/s), {errors} errors; native ingestion meanwhile: {ingestion}");
        Console.WriteLine($"targets: ratio >= 0.8: {(ratios.All(r => r >= 0.8) ? "met" : "MISSED")} (min {ratios.Min():F2}); no errors: {(errors == 0 ? "met" : "MISSED")}; " +
                          $"ingestion succeeds: {(ingestion == "SUCCESS" ? "met" : "MISSED")}");
        await server.DisposeAsync();
        Directory.Delete(work, recursive: true);
        return 0;
    }

    private static async Task<(long Done, long Errors, string Ingestion)> ConcurrentAsync(HttpClient http, int clients, TimeSpan duration, string file)
    {
        long done = 0, errors = 0;
        var until = Stopwatch.StartNew();
        var ingestion = IngestAsync(http, file, "bench_sql_during").ContinueWith(t => t.IsCompletedSuccessfully ? "SUCCESS" : $"FAILED ({t.Exception?.InnerException?.Message})");
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async c =>
        {
            while (until.Elapsed < duration)
            {
                try
                {
                    await QueryAsync(http, string.Format(c % 2 == 0 ? GroupBy : "SELECT COUNT(*) AS c FROM {0}", "bench_sql"));
                    Interlocked.Increment(ref done);
                }
                catch (Exception)
                {
                    Interlocked.Increment(ref errors);
                }
            }
        }));
        return (done, errors, await ingestion);
    }

    private static async Task QueryAsync(HttpClient http, string sql)
    {
        using var response = await http.PostAsync("/druid/v2/sql", new StringContent(new JsonObject { ["query"] = sql }.ToJsonString(), Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{(int)response.StatusCode}: {body}");
        }
    }

    /// <summary>The same query in a fresh in-memory DuckDB connection, as the server opens one per query.</summary>
    private static async Task BaselineAsync(string sql)
    {
        await using var db = new DuckDBConnection("DataSource=:memory:");
        await db.OpenAsync();
        await using var command = db.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
        }
    }

    private static async Task IngestAsync(HttpClient http, string file, string dataSource)
    {
        var task = new JsonObject
        {
            ["type"] = "index_parallel",
            ["spec"] = new JsonObject
            {
                ["dataSchema"] = new JsonObject
                {
                    ["dataSource"] = dataSource,
                    ["timestampSpec"] = new JsonObject { ["column"] = "time", ["format"] = "iso" },
                    ["dimensionsSpec"] = new JsonObject { ["useSchemaDiscovery"] = true },
                    ["granularitySpec"] = new JsonObject { ["segmentGranularity"] = "day", ["queryGranularity"] = "none", ["rollup"] = false },
                },
                ["ioConfig"] = new JsonObject
                {
                    ["type"] = "index_parallel",
                    ["inputSource"] = new JsonObject { ["type"] = "local", ["files"] = new JsonArray(file) },
                    ["inputFormat"] = new JsonObject { ["type"] = "json" },
                },
            },
        };
        using var response = await http.PostAsync("/druid/indexer/v1/task", new StringContent(task.ToJsonString(), Encoding.UTF8, "application/json"));
        var id = (await response.Content.ReadFromJsonAsync<JsonObject>())!["task"]!.GetValue<string>();
        await ServerProcess.WaitForSuccessAsync(http, id);
    }
}
