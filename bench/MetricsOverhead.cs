using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace Dashboard.Bench;

/// <summary>
/// Issue 19: noop throughput with metrics on (OpenTelemetry's Prometheus exporter, scraped once a second, 15 times
/// more often than a usual Prometheus job) against metrics off (<c>Metrics:Enabled=false</c>), two servers alike on fresh data dirs, loaded at the
/// same time (32 clients each) in every round, so that noise on a shared machine hits both. Target: on within 5% of off.
/// </summary>
public static class MetricsOverhead
{
    private const string V1 = "/druid/indexer/v1";
    private const int Clients = 32;
    private static int s_scrapeMs = 1000;

    public static async Task<bool> RunAsync(int noops, int rounds, int scrapeMs = 1000)
    {
        s_scrapeMs = scrapeMs;
        var onDir = FreshDir();
        var offDir = FreshDir();
        await using var on = await ServerProcess.StartAsync(onDir, "--Overlord:WorkerCapacity", "4");
        await using var off = await ServerProcess.StartAsync(offDir, "--Overlord:WorkerCapacity", "4", "--Metrics:Enabled", "false");
        using var onHttp = new HttpClient { BaseAddress = on.BaseAddress };
        using var offHttp = new HttpClient { BaseAddress = off.BaseAddress };
        if ((await offHttp.GetAsync("/metrics")).IsSuccessStatusCode || !(await onHttp.GetAsync("/metrics")).IsSuccessStatusCode)
        {
            throw new InvalidOperationException("Expected /metrics on the first server only.");
        }

        await ThroughputAsync(onHttp, 200, "warmup", scrape: true);
        await ThroughputAsync(offHttp, 200, "warmup", scrape: false);
        var onRates = new List<double>();
        var offRates = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            // Both at once, half the clients each: a load spike on the shared machine hits both sides alike.
            var onRun = ThroughputAsync(onHttp, noops, $"on{round}", scrape: true);
            var offRun = ThroughputAsync(offHttp, noops, $"off{round}", scrape: false);
            onRates.Add(await onRun);
            offRates.Add(await offRun);
        }

        var scrape = await onHttp.GetStringAsync("/metrics");
        var onMedian = Median(onRates);
        var offMedian = Median(offRates);
        // Each round's pair ran back to back; the median of the pairs' ratios is the least disturbed by a load spike.
        var ratio = Median(onRates.Zip(offRates, (a, b) => a / b).ToList());
        Console.WriteLine();
        Console.WriteLine($"noop tasks/s, metrics on  (scraped every {s_scrapeMs} ms), {rounds} rounds of {noops:N0}: {string.Join("  ", onRates.Select(r => r.ToString("F0")))}   median {onMedian:F0}");
        Console.WriteLine($"noop tasks/s, metrics off (Metrics:Enabled=false), same rounds:      {string.Join("  ", offRates.Select(r => r.ToString("F0")))}   median {offMedian:F0}");
        Console.WriteLine($"on / off, median of the {rounds} rounds' ratios: {ratio:F3}   /metrics size at the end: {Encoding.UTF8.GetByteCount(scrape) / 1024.0:F1} KiB   target on within 5% of off: {(ratio >= 0.95 ? "met" : "MISSED")}");
        await on.DisposeAsync();
        await off.DisposeAsync();
        Directory.Delete(onDir, recursive: true);
        Directory.Delete(offDir, recursive: true);
        return ratio >= 0.95;
    }

    private static string FreshDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "overlord-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    private static async Task<double> ThroughputAsync(HttpClient http, int count, string dataSource, bool scrape)
    {
        using var stop = new CancellationTokenSource();
        var scraper = scrape && s_scrapeMs > 0 ? ScrapeEverySecondAsync(http, stop.Token) : Task.CompletedTask;
        var clock = Stopwatch.StartNew();
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = Clients }, async (_, ct) =>
        {
            using var response = await http.PostAsync($"{V1}/task",
                new StringContent($$"""{"type":"noop","runTime":0,"dataSource":"bench_{{dataSource}}"}""", Encoding.UTF8, "application/json"), ct);
            response.EnsureSuccessStatusCode();
        });
        while ((await http.GetFromJsonAsync<JsonArray>($"{V1}/tasks?state=running&datasource=bench_{dataSource}"))!.Count
               + (await http.GetFromJsonAsync<JsonArray>($"{V1}/tasks?state=pending&datasource=bench_{dataSource}"))!.Count > 0)
        {
            await Task.Delay(5);
        }

        var rate = count / clock.Elapsed.TotalSeconds;
        await stop.CancelAsync();
        await scraper;
        return rate;
    }

    private static async Task ScrapeEverySecondAsync(HttpClient http, CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                (await http.GetAsync("/metrics", cancellationToken)).EnsureSuccessStatusCode();
                await Task.Delay(s_scrapeMs, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
