using Dashboard.E2E.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Dashboard.E2E;

/// <summary>
/// The dashboard in cluster mode administering another instance of this server that stands in for a Druid cluster:
/// the same pages, fed by the one poller, with the cluster's host in the app bar and a banner while it is unreachable.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterModeTests(ClusterServers servers, BrowserFixture browser)
{
    private static ILocator Row(IPage page, string taskId) =>
        page.Locator("tr.task-row").Filter(new() { Has = page.Locator($"[data-task-id='{taskId}']") });

    private static ILocator StatusOf(IPage page, string taskId) => Row(page, taskId).Locator("[data-testid=status-badge]");

    private async Task EnsureDruidRunningAsync(IPage page)
    {
        if (!servers.DruidRunning)
        {
            servers.StartDruid();
        }

        await Expect(page.GetByTestId("cluster-banner")).ToHaveCountAsync(0, new() { Timeout = 20_000 });
    }

    [Fact]
    public async Task TasksSubmittedToTheCluster_AppearAndUpdateLive_WithTheClusterInTheAppBar()
    {
        await using var session = await BrowserSession.OpenAsync(browser, servers.BaseAddress);
        using var druid = new DashboardApi(servers.DruidAddress);
        var page = session.Page;
        var loads = 0;
        page.Load += (_, _) => loads++;
        await session.GotoAsync("/tasks");
        await EnsureDruidRunningAsync(page);
        await Expect(page.GetByTestId("mode-chip")).ToContainTextAsync($"Cluster: 127.0.0.1:{servers.DruidPort}");
        var loadsBefore = loads;

        var id = await druid.SubmitAsync("""{"type":"noop","runTime":4000,"dataSource":"cluster_live"}""");

        await Expect(StatusOf(page, id)).ToHaveAttributeAsync("data-status", "RUNNING", new() { Timeout = 10_000 });
        await Screenshots.SaveAsync(page, "cluster-tasks-light");
        await Expect(StatusOf(page, id)).ToHaveAttributeAsync("data-status", "SUCCESS", new() { Timeout = 15_000 });
        Assert.Equal(loadsBefore, loads);
        Assert.DoesNotContain("e2e-secret-password", await page.ContentAsync());

        await session.SwitchToDarkAsync();
        await page.Mouse.MoveAsync(600, 700);
        await Screenshots.SaveAsync(page, "cluster-tasks-dark");
        session.AssertNoProblems();
    }

    [Fact]
    public async Task ShutdownFromTheUi_EndsTheTaskOnTheCluster()
    {
        await using var session = await BrowserSession.OpenAsync(browser, servers.BaseAddress);
        using var druid = new DashboardApi(servers.DruidAddress);
        var page = session.Page;
        await session.GotoAsync("/tasks?ds=cluster_shutdown");
        await EnsureDruidRunningAsync(page);
        var id = await druid.SubmitAsync("""{"type":"noop","runTime":600000,"dataSource":"cluster_shutdown"}""");
        await Expect(StatusOf(page, id)).ToHaveAttributeAsync("data-status", "RUNNING", new() { Timeout = 10_000 });

        await Row(page, id).GetByTestId("shutdown-task").ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToContainTextAsync(id);
        await dialog.GetByTestId("confirm-ok").ClickAsync();

        await Expect(StatusOf(page, id)).ToHaveAttributeAsync("data-status", "CANCELED", new() { Timeout = 10_000 });
        var status = await druid.StatusAsync(id);
        Assert.Equal("FAILED", status["statusCode"]!.GetValue<string>());
        Assert.Equal("Shutdown request from user", status["errorMsg"]!.GetValue<string>());
        session.AssertNoProblems();
    }

    [Fact]
    public async Task TaskDetail_ReadsTheClustersPayloadAndLog()
    {
        await using var session = await BrowserSession.OpenAsync(browser, servers.BaseAddress);
        using var druid = new DashboardApi(servers.DruidAddress);
        var page = session.Page;
        await session.GotoAsync("/tasks?ds=cluster_detail");
        await EnsureDruidRunningAsync(page);
        var id = await druid.SubmitAsync("""{"type":"noop","runTime":600000,"dataSource":"cluster_detail"}""");
        await Expect(StatusOf(page, id)).ToHaveAttributeAsync("data-status", "RUNNING", new() { Timeout = 10_000 });

        await Row(page, id).GetByTestId("task-link").ClickAsync();
        await Expect(page.GetByTestId("task-title")).ToHaveTextAsync(id);
        await page.GetByRole(AriaRole.Tab, new() { Name = "Log" }).ClickAsync();
        var log = page.GetByTestId("log-view");
        await Expect(log).ToContainTextAsync("Running noop task for 600000 ms.", new() { Timeout = 10_000 });
        await Screenshots.SaveAsync(page, "cluster-task-detail-log-light");

        await druid.ShutdownAsync(id);
        await Expect(page.GetByTestId("task-header").GetByTestId("status-badge")).ToHaveAttributeAsync("data-status", "CANCELED", new() { Timeout = 10_000 });
        await page.GetByRole(AriaRole.Tab, new() { Name = "Payload" }).ClickAsync();
        await Expect(page.GetByTestId("payload-editor").Locator(".view-lines")).ToContainTextAsync("cluster_detail", new() { Timeout = 20_000 });
        await Screenshots.SaveAsync(page, "cluster-task-detail-payload-light");
        session.AssertNoProblems();
    }

    [Fact]
    public async Task SqlTaskOnTheCluster_ShowsLive_AndItsStagesInTheReport()
    {
        await using var session = await BrowserSession.OpenAsync(browser, servers.BaseAddress);
        var page = session.Page;
        await session.GotoAsync("/tasks?type=query_controller");
        await EnsureDruidRunningAsync(page);

        var repo = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(repo.FullName, "Dashboard.sln")))
        {
            repo = repo.Parent!;
        }

        var shared = Environment.GetEnvironmentVariable("SHARED_DIR") is { Length: > 0 } dir ? dir : Path.Combine(repo.FullName, "..", "shared");
        var file = Path.Combine(servers.DruidDataDir, "wikiticker.json.gz");
        File.Copy(Path.Combine(shared, "data", "wikiticker-2015-09-12-sampled.json.gz"), file, overwrite: true);
        var sql = $$$"""INSERT INTO cluster_sql SELECT TIME_PARSE("time") AS __time, channel, page, added FROM TABLE(EXTERN('{"type":"local","files":["{{{file}}}"]}', '{"type":"json"}')) EXTEND ("time" VARCHAR, channel VARCHAR, page VARCHAR, added BIGINT) PARTITIONED BY DAY""";
        using var http = new HttpClient { BaseAddress = servers.DruidAddress };
        using var response = await http.PostAsync("/druid/v2/sql/task",
            new StringContent(new System.Text.Json.Nodes.JsonObject { ["query"] = sql }.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        var id = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!["taskId"]!.GetValue<string>();

        await Expect(StatusOf(page, id)).ToHaveAttributeAsync("data-status", "SUCCESS", new() { Timeout = 60_000 });
        await Row(page, id).GetByTestId("task-link").ClickAsync();
        await Expect(page.GetByTestId("task-title")).ToHaveTextAsync(id);
        await page.GetByRole(AriaRole.Tab, new() { Name = "Reports" }).ClickAsync();
        var report = page.GetByTestId("report-editor").Locator(".view-lines");
        await Expect(report).ToContainTextAsync("multiStageQuery", new() { Timeout = 20_000 });
        await Expect(report).ToContainTextAsync("stages");
        await Screenshots.SaveAsync(page, "cluster-sql-report-light");
        session.AssertNoProblems();
    }

    [Fact]
    public async Task UnreachableCluster_ShowsTheBanner_AndWhenItIsBackThePagesAreLiveAgain()
    {
        await using var session = await BrowserSession.OpenAsync(browser, servers.BaseAddress);
        var page = session.Page;
        await session.GotoAsync("/tasks");
        await EnsureDruidRunningAsync(page);

        await servers.StopDruidAsync();
        var banner = page.GetByTestId("cluster-banner");
        await Expect(banner).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await Expect(banner).ToContainTextAsync($"The Druid cluster at 127.0.0.1:{servers.DruidPort} cannot be reached");
        await Expect(banner).ToContainTextAsync("Next attempt");
        var indicator = page.GetByTestId("connection-indicator");
        await Expect(indicator).ToHaveAttributeAsync("data-state", "cluster-down");
        await Expect(indicator).ToContainTextAsync("Cluster unreachable");
        await Screenshots.SaveAsync(page, "cluster-unreachable-light");
        await session.SwitchToDarkAsync();
        await page.Mouse.MoveAsync(600, 700);
        await Screenshots.SaveAsync(page, "cluster-unreachable-dark");
        await page.GetByRole(AriaRole.Button, new() { Name = "Switch to light theme" }).ClickAsync();

        servers.StartDruid();
        await Expect(banner).ToHaveCountAsync(0, new() { Timeout = 20_000 });
        await Expect(indicator).ToHaveAttributeAsync("data-state", "live");
        using var druid = new DashboardApi(servers.DruidAddress);
        var id = await druid.SubmitAsync("""{"type":"noop","runTime":2000,"dataSource":"cluster_back"}""");
        await Expect(StatusOf(page, id)).ToHaveAttributeAsync("data-status", "SUCCESS", new() { Timeout = 20_000 });
    }
}
