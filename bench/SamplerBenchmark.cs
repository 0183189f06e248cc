using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using DuckDB.NET.Data;

namespace Dashboard.Bench;

/// <summary>
/// The sampler (<c>POST /druid/indexer/v1/sampler</c>) on the wikiticker file: 200 rows, format detected, over HTTP to a
/// Release server, against two baselines in this process on the same file in the same run: GZipStream reading the same
/// bounded sample (1 MiB decompressed) and parsing 200 lines as JSON, and DuckDB reading the first 200 rows.
/// </summary>
public static class SamplerBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var requests = BenchArgs.Int(args, "--requests", 50);
        var rows = BenchArgs.Int(args, "--rows", 200);
        var work = Path.Combine(Path.GetTempPath(), "overlord-bench-sampler", Guid.NewGuid().ToString("N"));
        var input = Directory.CreateDirectory(Path.Combine(work, "input")).FullName;
        var file = Path.Combine(input, "wikiticker-2015-09-12-sampled.json.gz");
        File.Copy(Ingestions.Wikiticker, file);
        var dataDir = Directory.CreateDirectory(Path.Combine(work, "data")).FullName;
        await using var server = await ServerProcess.StartAsync(dataDir, "--Ingestion:AllowedBaseDirs:0", work);
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var body = new JsonObject
        {
            ["type"] = "index_parallel",
            ["spec"] = new JsonObject { ["ioConfig"] = new JsonObject { ["type"] = "index_parallel", ["inputSource"] = new JsonObject { ["type"] = "local", ["files"] = new JsonArray(file) } } },
            ["samplerConfig"] = new JsonObject { ["numRows"] = rows },
        }.ToJsonString();

        async Task SampleAsync()
        {
            using var response = await http.PostAsync("/druid/indexer/v1/sampler", new StringContent(body, Encoding.UTF8, "application/json"));
            var text = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode || JsonNode.Parse(text)!["numRowsRead"]!.GetValue<int>() != rows)
            {
                throw new InvalidOperationException($"sampler answered {(int)response.StatusCode}: {text[..Math.Min(300, text.Length)]}");
            }
        }

        Task GZipAsync()
        {
            using var stream = new GZipStream(File.OpenRead(file), CompressionMode.Decompress);
            var buffer = new byte[1 << 20];
            var length = 0;
            int read;
            while (length < buffer.Length && (read = stream.Read(buffer, length, buffer.Length - length)) > 0)
            {
                length += read;
            }

            foreach (var line in Encoding.UTF8.GetString(buffer, 0, length).Split('\n').Take(rows))
            {
                _ = JsonNode.Parse(line);
            }

            return Task.CompletedTask;
        }

        async Task DuckDbAsync()
        {
            await using var db = new DuckDBConnection("DataSource=:memory:");
            await db.OpenAsync();
            await using var command = db.CreateCommand();
            command.CommandText = $"SELECT * FROM read_json('{file}', format='newline_delimited') LIMIT {rows}";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
            }
        }

        // Warm up all three (JIT, DuckDB's extension load, the server's first request).
        for (var i = 0; i < 5; i++)
        {
            await SampleAsync();
            await GZipAsync();
            await DuckDbAsync();
        }

        // Interleaved rounds, so all three see the same machine load.
        var sampler = new List<double>();
        var gzip = new List<double>();
        var duck = new List<double>();
        for (var i = 0; i < requests; i++)
        {
            sampler.Add(await TimeAsync(SampleAsync));
            gzip.Add(await TimeAsync(GZipAsync));
            duck.Add(await TimeAsync(DuckDbAsync));
        }

        Console.WriteLine($"Sampler benchmark: wikiticker (gzip JSON lines), {rows} rows, format detected, {requests} requests each, {Environment.ProcessorCount} cores");
        Console.WriteLine();
        Console.WriteLine($"{"",-44} {"p50 ms",8} {"p99 ms",8} {"ratio p50",10}");
        var s = Latency.Median(sampler);
        Print("sampler over HTTP (POST /sampler)", sampler, s);
        Print("GZipStream 1 MiB + JSON parse, in process", gzip, s);
        Print("DuckDB read_json LIMIT, in process", duck, s);
        Console.WriteLine();
        Console.WriteLine($"target: sampler p50 well under 200 ms: {(s < 200 ? "met" : "MISSED")} ({s:F1} ms)");
        Directory.Delete(work, recursive: true);
        return 0;
    }

    private static void Print(string name, List<double> samples, double sampler)
    {
        var sorted = samples.Order().ToList();
        var p50 = Latency.Median(sorted);
        var p99 = sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(0.99 * sorted.Count) - 1)];
        Console.WriteLine($"{name,-44} {p50,8:F1} {p99,8:F1} {p50 / sampler,10:F2}");
    }

    private static async Task<double> TimeAsync(Func<Task> action)
    {
        var start = Stopwatch.GetTimestamp();
        await action();
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }
}
