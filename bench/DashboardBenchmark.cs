using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace Dashboard.Bench;

/// <summary>
/// Issue "Dashboard" benchmark, in a real Chromium against the Release server with 100,000 complete tasks in its store:
/// push latency from a server-side status change (a shutdown request) to the changed row in the page's DOM, compared
/// with Druid's web console polling every 30 s; time to the first rendered rows of /tasks; server memory per open
/// circuit (page).
/// </summary>
public static class DashboardBenchmark
{
    private const string V1 = "/druid/indexer/v1";
    private const double DruidPollSeconds = 30;

    public static async Task<int> RunAsync(string[] args)
    {
        var complete = BenchArgs.Int(args, "--complete", 100_000);
        var transitions = BenchArgs.Int(args, "--transitions", 200);
        var circuits = BenchArgs.Int(args, "--circuits", 20);
        var dataDir = Path.Combine(Path.GetTempPath(), "overlord-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDir);
        Console.WriteLine($"Overlord dashboard benchmark: {complete:N0} complete tasks in the store, {transitions} pushed transitions, " +
                          $"{circuits} circuits, {Environment.ProcessorCount} cores");

        await TasksBenchmark.SeedAsync(dataDir, complete);
        await using var server = await ServerProcess.StartAsync(dataDir, "--Overlord:WorkerCapacity", (transitions + 16).ToString(),
            "--environment", "Development");
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);

        var firstRows = await MeasureFirstRowsAsync(browser, server.BaseAddress, runs: 6);
        var latencies = await MeasurePushLatencyAsync(browser, http, server.BaseAddress, transitions);
        var (perCircuit, before, after) = await MeasureCircuitMemoryAsync(browser, server, circuits);

        latencies.Sort();
        double P(double p) => latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(p * latencies.Count) - 1)];
        var (p50, p95) = (P(0.50), P(0.95));
        // Polling every 30 s, a change waits uniformly between 0 and 30 s for the next poll (before the request itself).
        var (pollP50, pollP95) = (DruidPollSeconds * 1000 * 0.50, DruidPollSeconds * 1000 * 0.95);

        Console.WriteLine();
        Console.WriteLine($"{"push latency, status change -> DOM",-44} {"p50 ms",9} {"p95 ms",9} {"max ms",9}");
        Console.WriteLine($"{"this dashboard (SignalR circuit, feed)",-44} {p50,9:F1} {p95,9:F1} {latencies[^1],9:F1}");
        Console.WriteLine($"{"Druid console, 30 s polling (expected)",-44} {pollP50,9:F0} {pollP95,9:F0} {DruidPollSeconds * 1000,9:F0}");
        Console.WriteLine($"{"ratio (polling / push)",-44} {pollP50 / p50,9:F0} {pollP95 / p95,9:F0}");
        Console.WriteLine();
        Console.WriteLine($"first rows of /tasks with {complete:N0} tasks: cold {firstRows[0]:F0} ms, warm median {Latency.Median(firstRows.Skip(1)):F0} ms, " +
                          $"warm max {firstRows.Skip(1).Max():F0} ms");
        Console.WriteLine($"server memory: {before:F0} MiB -> {after:F0} MiB with {circuits} open /tasks pages = {perCircuit:F2} MiB per circuit");
        Console.WriteLine();
        Console.WriteLine($"targets: p95 < 250 ms: {(p95 < 250 ? "met" : "MISSED")}; first rows < 1 s: {(firstRows.Skip(1).Max() < 1000 ? "met" : "MISSED")}; " +
                          $"< 10 MB per circuit: {(perCircuit < 10 ? "met" : "MISSED")}");

        await server.DisposeAsync();
        Directory.Delete(dataDir, recursive: true);
        return 0;
    }

    /// <summary>Navigation start to the first task row in the DOM, in a fresh browser context each time (first run is cold).</summary>
    private static async Task<List<double>> MeasureFirstRowsAsync(IBrowser browser, Uri baseAddress, int runs)
    {
        var results = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            await using var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 800 } });
            var page = await context.NewPageAsync();
            var clock = Stopwatch.StartNew();
            await page.GotoAsync(new Uri(baseAddress, "/tasks").ToString(), new() { WaitUntil = WaitUntilState.Commit });
            await page.Locator("[data-testid=task-link]").First.WaitForAsync(new() { Timeout = 30_000 });
            results.Add(clock.Elapsed.TotalMilliseconds);
        }

        return results;
    }

    /// <summary>
    /// Runs <paramref name="count"/> long noop tasks, opens /tasks showing the running ones, then shuts them down one at a
    /// time: each latency is from just before the shutdown request to the moment the page shows the change: the row's
    /// status badge reads CANCELED, or the row left the RUNNING-only view (when a re-read of the page came first). A
    /// MutationObserver in the page stamps it with the same wall clock.
    /// </summary>
    private static async Task<List<double>> MeasurePushLatencyAsync(IBrowser browser, HttpClient http, Uri baseAddress, int count)
    {
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            using var response = await http.PostAsync($"{V1}/task",
                new StringContent("""{"type":"noop","runTime":3600000,"dataSource":"bench_push"}""", Encoding.UTF8, "application/json"));
            response.EnsureSuccessStatusCode();
            ids.Add((await response.Content.ReadFromJsonAsync<JsonObject>())!["task"]!.GetValue<string>());
        }

        await using var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 800 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(baseAddress, "/tasks?ds=bench_push&status=RUNNING&size=50").ToString());
        await page.Locator("[data-testid=connection-indicator][data-state=live]").WaitForAsync(new() { Timeout = 30_000 });
        await page.Locator("tr.task-row [data-status=RUNNING]").First.WaitForAsync(new() { Timeout = 30_000 });

        var latencies = new List<double>(count);
        var done = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var handle = await page.WaitForFunctionAsync(
                "done => [...document.querySelectorAll('tr.task-row')].map(r => ({ id: r.querySelector('[data-task-id]')?.dataset.taskId, s: r.querySelector('[data-status]')?.dataset.status })).find(x => x.s === 'RUNNING' && !done.includes(x.id))?.id",
                done.ToArray(), new() { Timeout = 30_000, PollingInterval = 5 });
            var id = await handle.JsonValueAsync<string>();
            done.Add(id);
            var seen = page.EvaluateAsync<double>("""
                id => new Promise(resolve => {
                    const check = () => {
                        const link = document.querySelector(`[data-task-id="${CSS.escape(id)}"]`);
                        const badge = link?.closest('tr')?.querySelector('[data-status]');
                        if (!link || (badge && badge.dataset.status === 'CANCELED')) { observer.disconnect(); resolve(performance.timeOrigin + performance.now()); }
                    };
                    const observer = new MutationObserver(check);
                    observer.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-status'] });
                })
                """, id);
            await page.EvaluateAsync("() => 0");
            var wallStart = NowMs();
            using (var response = await http.PostAsync($"{V1}/task/{Uri.EscapeDataString(id)}/shutdown", null))
            {
                response.EnsureSuccessStatusCode();
            }

            var shown = await seen.WaitAsync(TimeSpan.FromSeconds(30));
            latencies.Add(shown - wallStart);
        }

        return latencies;
    }

    private static async Task<(double PerCircuit, double Before, double After)> MeasureCircuitMemoryAsync(IBrowser browser, ServerProcess server, int circuits)
    {
        var before = server.CurrentMemoryMiB();
        var contexts = new List<IBrowserContext>();
        for (var i = 0; i < circuits; i++)
        {
            var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 800 } });
            contexts.Add(context);
            var page = await context.NewPageAsync();
            await page.GotoAsync(new Uri(server.BaseAddress, "/tasks").ToString());
            await page.Locator("[data-testid=task-link]").First.WaitForAsync(new() { Timeout = 30_000 });
        }

        var after = server.CurrentMemoryMiB();
        foreach (var context in contexts)
        {
            await context.CloseAsync();
        }

        return ((after - before) / circuits, before, after);
    }

    /// <summary>Wall-clock milliseconds since the epoch with sub-millisecond resolution, comparable with the browser's.</summary>
    private static double NowMs() => (DateTime.UtcNow - DateTime.UnixEpoch).TotalMilliseconds;
}
