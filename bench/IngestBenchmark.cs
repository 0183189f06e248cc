using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using DuckDB.NET.Data;

namespace Dashboard.Bench;

/// <summary>
/// Issue "Native batch ingestion" benchmark: index_parallel on the wikiticker file and on generated rows (--rows, split
/// over --files files, as json.gz, json and parquet: --formats), each measured from submission to SUCCESS, interleaved
/// with the baseline: raw DuckDB in this process doing the same work without the overlord (read the same files, day
/// chunks, one sorted zstd Parquet file per chunk). Peak MiB is the server process's VmHWM over that row's runs.
/// </summary>
public static class IngestBenchmark
{
    private const string V1 = "/druid/indexer/v1";

    public static async Task<int> RunAsync(string[] args)
    {
        var rounds = BenchArgs.Int(args, "--rounds", 3);
        var rows = BenchArgs.Int(args, "--rows", 1_000_000);
        var fileCount = Math.Max(1, BenchArgs.Int(args, "--files", 1));
        var formats = BenchArgs.String(args, "--formats", "json.gz,json,parquet").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var work = Path.Combine(Path.GetTempPath(), "overlord-bench-ingest", Guid.NewGuid().ToString("N"));
        var input = Directory.CreateDirectory(Path.Combine(work, "input")).FullName;
        var wikiticker = Path.Combine(input, "wikiticker-2015-09-12-sampled.json.gz");
        File.Copy(Ingestions.Wikiticker, wikiticker);
        var clock = Stopwatch.StartNew();
        var generated = IngestInput.Generate(input, rows, fileCount, formats);
        Console.WriteLine($"Ingestion benchmark: wikiticker (39,244 rows) and generated rows ({rows:N0} rows in {fileCount} file(s): " +
                          string.Join(", ", generated.Select(g => $"{g.Format} {g.Bytes / 1048576.0:F0} MiB")) +
                          $", made in {clock.Elapsed.TotalSeconds:F1} s), {rounds} rounds, {Environment.ProcessorCount} cores, load {File.ReadAllText("/proc/loadavg").Trim()}");
        Console.WriteLine();
        Console.WriteLine($"{"input",-34} {"overlord s",11} {"rows/s",10} {"DuckDB s",10} {"rows/s",10} {"ratio",7} {"peak MiB",9}");

        var results = new List<(string Name, double Overlord, double Baseline, long Rows, double Peak)>();
        var runs = new List<(string Name, IngestInput Input, long MaxRowsInMemory)> { ("wikiticker", new IngestInput("json.gz", [wikiticker]), 25_000L) };
        runs.AddRange(generated.Select(g => ($"{g.Format} {rows / 1000:N0}k x{fileCount}", g, 1_000_000L)));
        if (generated.FirstOrDefault(g => g.Format == "json") is { } plainJson)
        {
            runs.Add(($"json {rows / 1000:N0}k x{fileCount}, 100k in mem", plainJson, 100_000L));
        }

        foreach (var (name, file, maxRowsInMemory) in runs)
        {
            var dataDir = Directory.CreateDirectory(Path.Combine(work, "data-" + results.Count)).FullName;
            await using var server = await ServerProcess.StartAsync(dataDir, "--Ingestion:AllowedBaseDirs:0", work);
            using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromMinutes(10) };
            var overlord = new List<double>();
            var baseline = new List<double>();
            long processed = 0;
            for (var round = 0; round < rounds; round++)
            {
                baseline.Add(await BaselineAsync(file, Path.Combine(work, "baseline")));
                var (seconds, count) = await IngestAsync(http, file, maxRowsInMemory, $"bench_{round}");
                overlord.Add(seconds);
                processed = count;
            }

            var o = Latency.Median(overlord);
            var b = Latency.Median(baseline);
            var peak = server.PeakMemoryMiB();
            results.Add((name, o, b, processed, peak));
            Console.WriteLine($"{name,-34} {o,11:F2} {processed / o,10:N0} {b,10:F2} {processed / b,10:N0} {b / o,7:F2} {peak,9:F0}");
        }

        Console.WriteLine();
        var wiki = results[0];
        var maxPeak = results.Skip(1).Select(r => r.Peak).DefaultIfEmpty(0).Max();
        Console.WriteLine($"targets: ratio >= 0.8: {(results.All(r => r.Baseline / r.Overlord >= 0.8) ? "met" : "MISSED")}; " +
                          $"wikiticker under 2 s: {(wiki.Overlord < 2 ? "met" : "MISSED")} ({wiki.Overlord:F2} s); " +
                          $"generated peak under 1.5 GB: {(maxPeak < 1536 ? "met" : "MISSED")} ({maxPeak:F0} MiB at most)");
        Directory.Delete(work, recursive: true);
        return 0;
    }

    private static async Task<(double Seconds, long Processed)> IngestAsync(HttpClient http, IngestInput input, long maxRowsInMemory, string dataSource)
    {
        var spec = Ingestions.IndexParallel(dataSource, input.Files, input.InputFormat, input.TimestampFormat, maxRowsInMemory);
        var clock = Stopwatch.StartNew();
        using var submitted = await http.PostAsync($"{V1}/task", new StringContent(spec.ToJsonString(), Encoding.UTF8, "application/json"));
        submitted.EnsureSuccessStatusCode();
        var id = (await submitted.Content.ReadFromJsonAsync<JsonObject>())!["task"]!.GetValue<string>();
        await ServerProcess.WaitForSuccessAsync(http, id);

        var seconds = clock.Elapsed.TotalSeconds;
        var report = await http.GetFromJsonAsync<JsonObject>($"{V1}/task/{Uri.EscapeDataString(id)}/reports");
        return (seconds, report!["ingestionStatsAndErrors"]!["payload"]!["rowStats"]!["buildSegments"]!["processed"]!.GetValue<long>());
    }

    /// <summary>The same work in plain DuckDB: parse, bucket by day, write each day sorted by time and every column.</summary>
    private static async Task<double> BaselineAsync(IngestInput input, string outDir)
    {
        if (Directory.Exists(outDir))
        {
            Directory.Delete(outDir, recursive: true);
        }

        Directory.CreateDirectory(outDir);
        var clock = Stopwatch.StartNew();
        await using var db = new DuckDBConnection("DataSource=:memory:");
        await db.OpenAsync();
        await ExecuteAsync(db, $"SET TimeZone='UTC'; CREATE TABLE t AS {input.BaselineReadSql()}");
        await ExecuteAsync(db, "ALTER TABLE t ADD COLUMN __chunk TIMESTAMP; UPDATE t SET __chunk = date_trunc('day', __time)");
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

        string columns;
        await using (var command = db.CreateCommand())
        {
            command.CommandText = "SELECT string_agg('\"' || column_name || '\"', ', ' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_name = 't' AND column_name <> '__chunk'";
            columns = (string)(await command.ExecuteScalarAsync())!;
        }

        foreach (var chunk in chunks)
        {
            await ExecuteAsync(db, $"COPY (SELECT {columns} FROM t WHERE __chunk = TIMESTAMP '{chunk:yyyy-MM-dd HH:mm:ss}' ORDER BY {columns}) " +
                                   $"TO '{Path.Combine(outDir, $"{chunk:yyyyMMdd}.parquet")}' (FORMAT parquet, COMPRESSION zstd)");
        }

        return clock.Elapsed.TotalSeconds;
    }

    internal static void Generate(string path, int count) => Generate([path], count);

    /// <summary>The generated rows over the files in order (contiguous time ranges per file), 3 days of wiki-like edits.</summary>
    internal static void Generate(IReadOnlyList<string> paths, int count)
    {
        var random = new Random(42);
        string[] channels = ["#en.wikipedia", "#de.wikipedia", "#fr.wikipedia", "#ja.wikipedia", "#it.wikipedia", "#vi.wikipedia"];
        var start = new DateTime(2015, 9, 12, 0, 0, 0, DateTimeKind.Utc);
        StreamWriter? writer = null;
        var current = -1;
        for (var i = 0; i < count; i++)
        {
            var fileIndex = (int)((long)i * paths.Count / count);
            if (fileIndex != current)
            {
                writer?.Dispose();
                writer = new StreamWriter(paths[fileIndex], false, new UTF8Encoding(false), 1 << 20);
                current = fileIndex;
            }

            var time = start.AddMilliseconds((long)(3L * 86_400_000 * i / count));
            var added = random.Next(0, 2000);
            var deleted = random.Next(0, 300);
            writer!.Write($$"""{"time":"{{time:yyyy-MM-ddTHH:mm:ss.fff}}Z","channel":"{{channels[random.Next(channels.Length)]}}","page":"Page {{random.Next(50_000)}}","user":"user{{random.Next(20_000)}}","isRobot":{{(random.Next(5) == 0 ? "true" : "false")}},"countryIsoCode":{{(random.Next(3) == 0 ? "\"AU\"" : "null")}},"added":{{added}},"deleted":{{deleted}},"delta":{{added - deleted}}}""");
            writer!.Write('\n');
        }

        writer?.Dispose();
    }

    private static async Task ExecuteAsync(DuckDBConnection db, string sql)
    {
        await using var command = db.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
