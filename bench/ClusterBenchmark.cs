using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace Dashboard.Bench;

/// <summary>
/// Issue "Cluster mode" benchmark. Two server processes from the Release build: an embedded one standing in for the
/// Druid cluster (it speaks the same API; its request log counts every request it receives) and a dashboard in cluster
/// mode pointed at it. Measures the requests per second the cluster receives with no, 1 and N open dashboards (/tasks
/// pages in Chromium, one circuit each), and the delay from a change in the cluster (a task submitted to it) to its row
/// in the browser's DOM.
/// </summary>
public static class ClusterBenchmark
{
    private const string V1 = "/druid/indexer/v1";

    public static async Task<int> RunAsync(string[] args)
    {
        var dashboards = BenchArgs.Int(args, "--dashboards", 50);
        var seconds = BenchArgs.Int(args, "--seconds", 30);
        var changes = BenchArgs.Int(args, "--changes", 30);
        var root = Path.Combine(Path.GetTempPath(), "overlord-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(root, "druid"));
        Directory.CreateDirectory(Path.Combine(root, "dashboard"));
        Console.WriteLine($"Overlord cluster-mode benchmark: 1 and {dashboards} open dashboards, {seconds} s windows, {changes} changes, " +
                          $"{Environment.ProcessorCount} cores");

        await using var druid = await ServerProcess.StartAsync(Path.Combine(root, "druid"),
            "--Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics", "Information", "--Logging:Console:FormatterName", "simple");
        long received = 0;
        druid.Output += line =>
        {
            if (line.Contains("Request starting", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref received);
            }
        };
        await using var dashboard = await ServerProcess.StartAsync(Path.Combine(root, "dashboard"),
            "--Druid:Url", druid.BaseAddress.ToString(), "--environment", "Development");
        using var http = new HttpClient { BaseAddress = druid.BaseAddress };

        // A long task keeps the cluster "busy", so the poller runs at its active rate (every second) throughout.
        var busy = await SubmitAsync(http, """{"type":"noop","runTime":3600000,"dataSource":"bench_busy"}""");
        await WaitForDashboardRowAsync(dashboard.BaseAddress, busy);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);

        async Task<double> RateAsync()
        {
            var start = Interlocked.Read(ref received);
            var clock = Stopwatch.StartNew();
            await Task.Delay(TimeSpan.FromSeconds(seconds));
            return (Interlocked.Read(ref received) - start) / clock.Elapsed.TotalSeconds;
        }

        var rates = new List<(string Label, double Rate)> { ("no dashboard open", await RateAsync()) };
        var pages = new List<IBrowserContext>();
        foreach (var target in new[] { 1, dashboards })
        {
            while (pages.Count < target)
            {
                var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 800 } });
                pages.Add(context);
                var page = await context.NewPageAsync();
                await page.GotoAsync(new Uri(dashboard.BaseAddress, "/tasks").ToString());
                await page.Locator($"[data-task-id='{busy}']").First.WaitForAsync(new() { Timeout = 60_000 });
            }

            rates.Add(($"{target} open dashboard{(target == 1 ? "" : "s")}", await RateAsync()));
        }

        foreach (var context in pages.Skip(1))
        {
            await context.CloseAsync();
        }

        var watcher = await pages[0].NewPageAsync();
        await watcher.GotoAsync(new Uri(dashboard.BaseAddress, "/tasks?ds=bench_latency").ToString());
        await watcher.Locator("[data-testid=connection-indicator][data-state=live]").WaitForAsync(new() { Timeout = 30_000 });
        var delays = new List<double>();
        for (var i = 0; i < changes; i++)
        {
            var clock = Stopwatch.StartNew();
            var id = await SubmitAsync(http, """{"type":"noop","runTime":0,"dataSource":"bench_latency"}""");
            await watcher.Locator($"[data-task-id='{id}']").First.WaitForAsync(new() { Timeout = 30_000 });
            delays.Add(clock.Elapsed.TotalMilliseconds);
            await Task.Delay(Random.Shared.Next(100, 1000));
        }

        delays.Sort();
        double P(double p) => delays[Math.Min(delays.Count - 1, (int)Math.Ceiling(p * delays.Count) - 1)];
        Console.WriteLine();
        Console.WriteLine($"{"requests the cluster receives",-36} {"per second",12}");
        foreach (var (label, rate) in rates)
        {
            Console.WriteLine($"{label,-36} {rate,12:F2}");
        }

        var one = rates[1].Rate;
        var many = rates[2].Rate;
        Console.WriteLine($"ratio {dashboards} / 1 dashboards: {many / one:F2} (target 1.00: {(Math.Abs(many - one) <= 0.1 * one ? "met" : "MISSED")})");
        Console.WriteLine();
        Console.WriteLine($"delay from a task submitted to the cluster to its row in the browser (poll every 1 s while busy), {changes} changes:");
        Console.WriteLine($"p50 {P(0.50):F0} ms, p95 {P(0.95):F0} ms, max {delays[^1]:F0} ms, min {delays[0]:F0} ms");

        foreach (var context in pages)
        {
            await context.CloseAsync();
        }

        await http.PostAsync($"{V1}/task/{Uri.EscapeDataString(busy)}/shutdown", null);
        await dashboard.DisposeAsync();
        await druid.DisposeAsync();
        Directory.Delete(root, recursive: true);
        return 0;
    }

    private static async Task<string> SubmitAsync(HttpClient http, string json)
    {
        using var response = await http.PostAsync($"{V1}/task", new StringContent(json, Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["task"]!.GetValue<string>();
    }

    private static async Task WaitForDashboardRowAsync(Uri dashboard, string taskId)
    {
        using var http = new HttpClient { BaseAddress = dashboard };
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline && !(await http.GetStringAsync("/tasks")).Contains(taskId, StringComparison.Ordinal))
        {
            await Task.Delay(200);
        }
    }
}
