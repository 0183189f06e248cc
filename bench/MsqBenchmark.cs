using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using DuckDB.NET.Data;

namespace Dashboard.Bench;

/// <summary>
/// Issue "SQL-based ingestion" benchmark: INSERT of the wikiticker file and of a generated 1,000,000-row file with
/// maxNumTasks 2 and 3, interleaved with raw DuckDB doing the same work in this process; then a GROUP BY over the
/// ingested 1M rows, from submission to SUCCESS.
/// </summary>
public static class MsqBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var rounds = BenchArgs.Int(args, "--rounds", 3);
        var rows = BenchArgs.Int(args, "--rows", 1_000_000);
        var work = Path.Combine(Path.GetTempPath(), "overlord-bench-msq", Guid.NewGuid().ToString("N"));
        var input = Directory.CreateDirectory(Path.Combine(work, "input")).FullName;
        var wikiticker = Path.Combine(input, "wikiticker-2015-09-12-sampled.json.gz");
        File.Copy(Ingestions.Wikiticker, wikiticker);
        var generated = Path.Combine(input, "generated.json");
        IngestBenchmark.Generate(generated, rows);
        var dataDir = Directory.CreateDirectory(Path.Combine(work, "data")).FullName;
        await using var server = await ServerProcess.StartAsync(dataDir, "--Ingestion:AllowedBaseDirs:0", work, "--Overlord:WorkerCapacity", "4");
        using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromMinutes(10) };
        await InsertAsync(http, wikiticker, "msq_warmup", 2);
        Console.WriteLine($"SQL ingestion benchmark: wikiticker and {rows:N0} generated rows, {rounds} rounds after one warm-up INSERT, {Environment.ProcessorCount} cores");
        Console.WriteLine();
        Console.WriteLine($"{"INSERT",-34} {"overlord s",11} {"rows/s",10} {"DuckDB s",10} {"ratio",7}");
        var ratios = new List<double>();
        double wikiSeconds = 0;
        foreach (var (name, file, count) in new[] { ("wikiticker", wikiticker, 39_244L), ($"generated {rows / 1000}k", generated, (long)rows) })
        {
            foreach (var tasks in new[] { 2, 3 })
            {
                var overlord = new List<double>();
                var baseline = new List<double>();
                for (var round = 0; round < rounds; round++)
                {
                    baseline.Add(await BaselineAsync(file, Path.Combine(work, "baseline")));
                    overlord.Add(await InsertAsync(http, file, $"msq_{tasks}_{round}_{name.Split(' ')[0]}", tasks));
                }

                var o = Latency.Median(overlord);
                var b = Latency.Median(baseline);
                ratios.Add(b / o);
                if (name == "wikiticker" && tasks == 2)
                {
                    wikiSeconds = o;
                }

                Console.WriteLine($"{name + $", maxNumTasks {tasks}",-34} {o,11:F2} {count / o,10:N0} {b,10:F2} {b / o,7:F2}");
            }
        }

        var groupBy = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            groupBy.Add(await RunSqlAsync(http, $"SELECT channel, COUNT(*) AS cnt, SUM(added) AS added FROM msq_2_0_generated GROUP BY channel", 2));
        }

        var g = Latency.Median(groupBy);
        Console.WriteLine();
        Console.WriteLine($"GROUP BY channel over {rows:N0} ingested rows, submission to SUCCESS: {g * 1000:F0} ms");
        Console.WriteLine();
        Console.WriteLine($"targets: ratio >= 0.8: {(ratios.All(r => r >= 0.8) ? "met" : "MISSED")} (min {ratios.Min():F2}); wikiticker under 2 s: {(wikiSeconds < 2 ? "met" : "MISSED")} ({wikiSeconds:F2} s); " +
                          $"GROUP BY under 300 ms: {(g < 0.3 ? "met" : "MISSED")} ({g * 1000:F0} ms)");
        await server.DisposeAsync();
        Directory.Delete(work, recursive: true);
        return 0;
    }

    private static Task<double> InsertAsync(HttpClient http, string file, string dataSource, int maxNumTasks) =>
        RunSqlAsync(http, $"INSERT INTO {dataSource} {Ingestions.WikiSelect(file)} PARTITIONED BY DAY", maxNumTasks);

    private static async Task<double> RunSqlAsync(HttpClient http, string query, int maxNumTasks)
    {
        var clock = Stopwatch.StartNew();
        var body = new JsonObject { ["query"] = query, ["context"] = new JsonObject { ["maxNumTasks"] = maxNumTasks } };
        using var response = await http.PostAsync("/druid/v2/sql/task", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        var answer = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        var id = answer["taskId"]?.GetValue<string>() ?? throw new InvalidOperationException(answer.ToJsonString());
        await ServerProcess.WaitForSuccessAsync(http, id);
        return clock.Elapsed.TotalSeconds;
    }

    /// <summary>The same INSERT in plain DuckDB: parse, bucket by day, write each day sorted.</summary>
    private static async Task<double> BaselineAsync(string file, string outDir)
    {
        if (Directory.Exists(outDir))
        {
            Directory.Delete(outDir, recursive: true);
        }

        Directory.CreateDirectory(outDir);
        var clock = Stopwatch.StartNew();
        await using var db = new DuckDBConnection("DataSource=:memory:");
        await db.OpenAsync();
        await using (var command = db.CreateCommand())
        {
            command.CommandText = "SET TimeZone='UTC'; CREATE TABLE t AS SELECT CAST(CAST(\"time\" AS TIMESTAMPTZ) AS TIMESTAMP) AS __time, channel, page, \"user\", added, deleted, delta, " +
                                  $"date_trunc('day', CAST(CAST(\"time\" AS TIMESTAMPTZ) AS TIMESTAMP)) AS __chunk FROM read_json('{file}', format='newline_delimited')";
            await command.ExecuteNonQueryAsync();
        }

        var chunks = new List<DateTime>();
        await using (var command = db.CreateCommand())
        {
            command.CommandText = "SELECT DISTINCT __chunk FROM t ORDER BY 1";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                chunks.Add(reader.GetDateTime(0));
            }
        }

        foreach (var chunk in chunks)
        {
            await using var command = db.CreateCommand();
            command.CommandText = $"COPY (SELECT __time, channel, page, \"user\", added, deleted, delta FROM t WHERE __chunk = TIMESTAMP '{chunk:yyyy-MM-dd HH:mm:ss}' " +
                                  $"ORDER BY __time, channel, page, \"user\", added, deleted, delta) TO '{Path.Combine(outDir, $"{chunk:yyyyMMdd}.parquet")}' (FORMAT parquet, COMPRESSION zstd)";
            await command.ExecuteNonQueryAsync();
        }

        return clock.Elapsed.TotalSeconds;
    }
}
