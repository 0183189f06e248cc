using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dashboard.E2E.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Dashboard.E2E;

[Collection(DashboardCollection.Name)]
public sealed class DatasourcesTests(DashboardServerFixture server, BrowserFixture browser)
{
    private const string DataSource = "e2e_datasource";

    [Fact]
    public async Task Datasources_ListAndDetail_AfterARealIngestionAndAnOverwrite()
    {
        var file = WallTests.WriteEdits(server.DataDir, DataSource, 6_000);
        using var api = new DashboardApi(server.BaseAddress);
        await using var session = await BrowserSession.OpenAsync(browser, server, 1440, 1000);
        var page = session.Page;
        await session.GotoAsync("/datasources");

        // The list shows the datasource while its first ingestion runs, then its segments once it succeeded.
        var first = await api.SubmitAsync(WallTests.Ingestion(DataSource, file));
        var row = page.Locator($"[data-testid=datasource-row][data-datasource={DataSource}]");
        await Expect(row.GetByTestId("ds-segments")).ToHaveTextAsync("6", new() { Timeout = 60_000 });
        await Expect(row.GetByTestId("ds-rows")).ToHaveTextAsync("6,000");
        await Expect(row.GetByTestId("ds-active")).ToHaveTextAsync("0");

        // A second ingestion overwrites the first two hours: their old segments become overshadowed.
        var second = JsonNode.Parse(WallTests.Ingestion(DataSource, file))!.AsObject();
        second["spec"]!["dataSchema"]!["granularitySpec"]!["intervals"] = new JsonArray("2026-01-05T00:00:00Z/2026-01-05T02:00:00Z");
        var overwrite = await api.SubmitAsync(second.ToJsonString());
        await Expect(row.GetByTestId("ds-rows")).ToHaveTextAsync("6,000", new() { Timeout = 60_000 });
        await WaitForStatusAsync(api, overwrite, "SUCCESS");
        await Screenshots.SaveAsync(page, "datasources-light");

        await row.GetByRole(AriaRole.Link, new() { Name = DataSource }).ClickAsync();
        await Expect(page.GetByTestId("datasource-name")).ToHaveTextAsync(DataSource);
        await Expect(page.GetByTestId("datasource-summary")).ToContainTextAsync("6 visible segments (2 overshadowed) · 6,000 rows");
        await Expect(page.Locator("[data-testid=segment-timeline][data-chart-ready=true] svg.apexcharts-svg")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Expect(page.Locator("[data-testid=segment-timeline] .apexcharts-rangebar-area")).ToHaveCountAsync(8);

        var segments = page.GetByTestId("segments-table");
        await Expect(segments.Locator("tbody tr")).ToHaveCountAsync(8);
        await Expect(segments.GetByTestId("segment-state").Filter(new() { HasText = "overshadowed" })).ToHaveCountAsync(2);
        await Expect(segments.GetByTestId("segment-task").First).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex("tasks/(" + Uri.EscapeDataString(first) + "|" + Uri.EscapeDataString(overwrite) + ")"));
        await Expect(page.GetByTestId("schema-row")).ToHaveCountAsync(5);
        await Expect(page.GetByTestId("schema-table")).ToContainTextAsync("__time");
        await Expect(page.GetByTestId("schema-table")).ToContainTextAsync("channel");
        var workbench = await page.GetByTestId("open-workbench").GetAttributeAsync("href");
        Assert.Equal("query?sql=" + Uri.EscapeDataString($"SELECT * FROM \"{DataSource}\""), workbench);
        await Screenshots.SaveAsync(page, "datasource-detail-light");

        await session.SwitchToDarkAsync();
        await page.Mouse.MoveAsync(700, 600);
        await Screenshots.SaveAsync(page, "datasource-detail-dark");
        await page.GotoAsync("/datasources");
        await session.WaitForInteractiveAsync();
        await Expect(row.GetByTestId("ds-segments")).ToHaveTextAsync("6");
        await Screenshots.SaveAsync(page, "datasources-dark");

        // Clicking a segment in the timeline opens the task that wrote it.
        await page.GotoAsync("/datasources/" + DataSource);
        await session.WaitForInteractiveAsync();
        await page.Locator("[data-testid=segment-timeline] .apexcharts-rangebar-area").First.ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/tasks/"));
        session.AssertNoProblems();
    }

    [Fact]
    public async Task DatasourceDetail_ShutsDownItsActiveTasks()
    {
        using var api = new DashboardApi(server.BaseAddress);
        await using var session = await BrowserSession.OpenAsync(browser, server);
        var page = session.Page;
        var id = await api.SubmitAsync("""{"type":"noop","runTime":600000,"dataSource":"e2e_ds_shutdown"}""");
        await session.GotoAsync("/datasources/e2e_ds_shutdown");
        await Expect(page.GetByTestId("datasource-summary")).ToHaveTextAsync("No published segments.");
        var shutdown = page.GetByTestId("shutdown-datasource-tasks");
        await Expect(shutdown).ToContainTextAsync("Shut down its 1 active task");
        await shutdown.ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByTestId("confirm-ok").ClickAsync();
        await WaitForStatusAsync(api, id, "FAILED");
        await Expect(shutdown).ToBeDisabledAsync(new() { Timeout = 10_000 });
        session.AssertNoProblems();
    }

    private static async Task WaitForStatusAsync(DashboardApi api, string id, string status)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await api.StatusAsync(id))["statusCode"]!.GetValue<string>() != status)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{id} did not reach {status}");
            await Task.Delay(100);
        }
    }
}
