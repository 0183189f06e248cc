using System.Text.Json.Nodes;
using Dashboard.E2E.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Dashboard.E2E;

[Collection(DashboardCollection.Name)]
public sealed class WallTests(DashboardServerFixture server, BrowserFixture browser, ITestOutputHelper output)
{
    /// <summary>Rendered once the circuit is up and the chart exists (the wall has no app bar to wait for).</summary>
    private const string ReadySelector = "[data-testid=activity-chart][data-chart-ready=true]";

    [Fact]
    public async Task Wall_ChangesLive_WhenTasksRunAndFail()
    {
        await using var session = await BrowserSession.OpenAsync(browser, server, 1920, 1080);
        using var api = new DashboardApi(server.BaseAddress);
        var page = session.Page;
        await page.GotoAsync("/wall?ds=e2e_wall");
        await Expect(page.Locator(ReadySelector)).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(page.GetByTestId("tile-running-value")).ToHaveTextAsync("0");
        await Expect(page.GetByTestId("wall-scope")).ToHaveTextAsync("e2e_wall");

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var running = await api.SubmitAsync("""{"type":"noop","runTime":600000,"dataSource":"e2e_wall"}""");
        await Expect(page.GetByTestId("tile-running-value")).ToHaveTextAsync("1", new() { Timeout = 10_000 });
        output.WriteLine($"submit to 'Running 1' on the wall: {clock.ElapsedMilliseconds} ms");
        await Expect(page.Locator($"[data-testid=running-row][data-task-id='{running}']")).ToBeVisibleAsync();

        var failing = await api.SubmitAsync(FailingIngestion("e2e_wall"));
        await Expect(page.Locator($"[data-testid=failure-row][data-task-id='{failing}']")).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await Expect(page.GetByTestId("tile-failed-value")).ToHaveTextAsync("1");
        await Expect(page.GetByTestId("tile-failed")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("wall-tone-failed"));

        await api.ShutdownAsync(running);
        await Expect(page.GetByTestId("tile-running-value")).ToHaveTextAsync("0", new() { Timeout = 10_000 });

        // An ingestion that has read its input and waits for a chunk lock the noop holds: its row shows the whole
        // estimate read (the file is under a MiB, so the estimate is its exact line count).
        var holder = await api.SubmitAsync("""{"type":"noop","runTime":600000,"dataSource":"e2e_wall","interval":"2026-01-05/2026-01-06"}""");
        var ingestion = await api.SubmitAsync(Ingestion("e2e_wall", WriteEdits(server.DataDir, "e2e_wall_progress", 8_000)));
        var ingestionRow = page.Locator($"[data-testid=running-row][data-task-id='{ingestion}']");
        await Expect(ingestionRow.GetByTestId("running-progress")).ToHaveAttributeAsync("aria-valuenow", "100", new() { Timeout = 30_000 });
        await Expect(ingestionRow).ToContainTextAsync("8k of ≈8k rows");
        await Expect(ingestionRow).ToContainTextAsync("input read");
        await Screenshots.SaveAsync(page, "wall-dark-ingestion-progress");
        await api.ShutdownAsync(ingestion);
        await api.ShutdownAsync(holder);
        await Expect(page.GetByTestId("tile-running-value")).ToHaveTextAsync("0", new() { Timeout = 10_000 });
        await AssertNoScrollbarsAsync(page);
        Assert.Equal(0, await page.GetByTestId("wall-stale").CountAsync());

        // The kiosk playlist: light theme, one panel at a time, turning every 5 s.
        await page.GotoAsync("/wall?ds=e2e_wall&theme=light&rotate=5&panels=failures,ingestions");
        await Expect(page.GetByTestId("panel-failures")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(page.GetByTestId("panel-activity")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("wall")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("wall-light"));
        await Screenshots.SaveAsync(page, "wall-light-rotating-1920x1080");
        await Expect(page.GetByTestId("panel-ingestions")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Expect(page.GetByTestId("panel-failures")).ToHaveCountAsync(0);
        session.AssertNoProblems();
    }

    [Theory]
    [InlineData(1920, 1080)]
    [InlineData(3840, 2160)]
    public async Task Wall_Screenshots_WithIngestionRunningAndAFailure(int width, int height)
    {
        await using var session = await BrowserSession.OpenAsync(browser, server, width, height);
        using var api = new DashboardApi(server.BaseAddress);
        var page = session.Page;
        var dataSource = $"e2e_wall_{width}";
        var input = WriteEdits(server.DataDir, dataSource, 400_000);
        await page.GotoAsync($"/wall?ds={dataSource}");
        await Expect(page.Locator(ReadySelector)).ToBeVisibleAsync(new() { Timeout = 30_000 });

        var noop = await api.SubmitAsync($$"""{"type":"noop","runTime":600000,"dataSource":"{{dataSource}}"}""");
        await api.SubmitAsync(FailingIngestion(dataSource));
        var ingestion = await api.SubmitAsync(Ingestion(dataSource, input));
        await Expect(page.GetByTestId("failure-row")).ToHaveCountAsync(1, new() { Timeout = 20_000 });
        await Expect(page.GetByTestId("tile-succeeded-value")).ToHaveTextAsync("1", new() { Timeout = 60_000 });
        await Expect(page.GetByTestId("tile-running-value")).ToHaveTextAsync("1");
        await Expect(page.Locator(ReadySelector + " svg.apexcharts-svg")).ToBeVisibleAsync();

        // Once the rate reads 0 again, a 5-second sample has recorded the ingestion: the chart shows it.
        await Expect(page.GetByTestId("tile-rate-value")).ToHaveTextAsync("0", new() { Timeout = 30_000 });
        await AssertNoScrollbarsAsync(page);
        await Screenshots.SaveAsync(page, $"wall-dark-{width}x{height}");

        await api.ShutdownAsync(noop);
        Assert.Equal("SUCCESS", (await api.StatusAsync(ingestion))["statusCode"]!.GetValue<string>());
        session.AssertNoProblems();
    }

    [Fact]
    public async Task Wall_RecoversByItself_AfterTheServerRestarts()
    {
        await using var restartable = new RestartableServer();
        restartable.Start();
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = restartable.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1920, Height = 1080 },
        });
        try
        {
            var page = await context.NewPageAsync();
            await page.GotoAsync("/wall");
            await Expect(page.Locator(ReadySelector)).ToBeVisibleAsync(new() { Timeout = 30_000 });
            using (var before = new DashboardApi(restartable.BaseAddress))
            {
                await before.SubmitAsync("""{"type":"noop","runTime":600000,"dataSource":"e2e_restart"}""");
                await Expect(page.GetByTestId("tile-running-value")).ToHaveTextAsync("1", new() { Timeout = 10_000 });
            }

            await restartable.StopAsync();
            await Expect(page.Locator(".wall-stale-client")).ToBeVisibleAsync(new() { Timeout = 30_000 });
            await Screenshots.SaveAsync(page, "wall-dark-connection-lost");

            var down = System.Diagnostics.Stopwatch.StartNew();
            restartable.Start();
            output.WriteLine($"server restarted in {down.ElapsedMilliseconds} ms");
            using var after = new DashboardApi(restartable.BaseAddress);
            var id = await after.SubmitAsync("""{"type":"noop","runTime":600000,"dataSource":"e2e_restart"}""");

            // Nobody touches the page: it reconnects, finds its circuit gone, reloads and shows the new server's state
            // (the task of before the restart ended FAILED; the new one runs).
            await Expect(page.Locator($"[data-testid=running-row][data-task-id='{id}']")).ToBeVisibleAsync(new() { Timeout = 90_000 });
            output.WriteLine($"server start to the wall showing the new server's task: {down.ElapsedMilliseconds} ms");
            await Expect(page.Locator(".wall-stale-client")).ToBeHiddenAsync();
            await Expect(page.GetByTestId("tile-running-value")).ToHaveTextAsync("1");
            await Expect(page.GetByTestId("tile-failed-value")).ToHaveTextAsync("1");
            await after.ShutdownAsync(id);
        }
        finally
        {
            await context.CloseAsync();
        }
    }

    private static async Task AssertNoScrollbarsAsync(IPage page)
    {
        var overflow = await page.EvaluateAsync<bool>(
            "() => document.documentElement.scrollHeight > window.innerHeight || document.documentElement.scrollWidth > window.innerWidth");
        Assert.False(overflow, "the wall screen scrolls");
    }

    /// <summary>An ingestion whose only row cannot be parsed and that allows no parse exception: it ends FAILED.</summary>
    private static string FailingIngestion(string dataSource) => new JsonObject
    {
        ["type"] = "index_parallel",
        ["spec"] = new JsonObject
        {
            ["dataSchema"] = Schema(dataSource),
            ["ioConfig"] = new JsonObject
            {
                ["type"] = "index_parallel",
                ["inputSource"] = new JsonObject { ["type"] = "inline", ["data"] = "this is not json\n" },
                ["inputFormat"] = new JsonObject { ["type"] = "json" },
            },
            ["tuningConfig"] = new JsonObject { ["type"] = "index_parallel", ["maxParseExceptions"] = 0 },
        },
    }.ToJsonString();

    internal static string Ingestion(string dataSource, string file) => new JsonObject
    {
        ["type"] = "index_parallel",
        ["spec"] = new JsonObject
        {
            ["dataSchema"] = Schema(dataSource),
            ["ioConfig"] = new JsonObject
            {
                ["type"] = "index_parallel",
                ["inputSource"] = new JsonObject { ["type"] = "local", ["baseDir"] = Path.GetDirectoryName(file), ["filter"] = Path.GetFileName(file) },
                ["inputFormat"] = new JsonObject { ["type"] = "json" },
            },
            ["tuningConfig"] = new JsonObject { ["type"] = "index_parallel" },
        },
    }.ToJsonString();

    private static JsonObject Schema(string dataSource) => new()
    {
        ["dataSource"] = dataSource,
        ["timestampSpec"] = new JsonObject { ["column"] = "time", ["format"] = "iso" },
        ["dimensionsSpec"] = new JsonObject { ["dimensions"] = new JsonArray("channel", "page", "user") },
        ["metricsSpec"] = new JsonArray(new JsonObject { ["type"] = "longSum", ["name"] = "added", ["fieldName"] = "added" }),
        ["granularitySpec"] = new JsonObject { ["segmentGranularity"] = "hour", ["queryGranularity"] = "none", ["rollup"] = false },
    };

    /// <summary>Generated wiki-like edits over six hours of 2026-01-05, one JSON object a line, under the server's data dir.</summary>
    internal static string WriteEdits(string dataDir, string name, int rows)
    {
        var path = Path.Combine(dataDir, "inputs", name + ".json");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var writer = new StreamWriter(path);
        var start = new DateTime(2026, 1, 5, 0, 0, 0, DateTimeKind.Utc);
        string[] channels = ["#en.wikipedia", "#de.wikipedia", "#fr.wikipedia", "#ja.wikipedia"];
        for (var i = 0; i < rows; i++)
        {
            var time = start.AddMilliseconds(i * (6 * 3600_000.0 / rows));
            writer.Write($"{{\"time\":\"{time:yyyy-MM-ddTHH:mm:ss.fffZ}\",\"channel\":\"{channels[i % 4]}\",\"page\":\"Page {i % 997}\",\"user\":\"user{i % 113}\",\"added\":{i % 50}}}\n");
        }

        return path;
    }
}
