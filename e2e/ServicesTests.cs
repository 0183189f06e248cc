using Dashboard.E2E.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Dashboard.E2E;

[Collection(DashboardCollection.Name)]
public sealed class ServicesTests(DashboardServerFixture server, BrowserFixture browser)
{
    [Fact]
    public async Task Services_ShowsThisServerAsItsWorker_WithARunningTaskPushedLive_LightAndDark()
    {
        using var api = new DashboardApi(server.BaseAddress);
        await using var session = await BrowserSession.OpenAsync(browser, server, 1440, 900);
        var page = session.Page;
        await session.GotoAsync("/services");
        var row = page.GetByTestId("worker-row");
        await Expect(row).ToHaveCountAsync(1);

        // The task starts after the page is open: its row changes without a reload.
        var id = await api.SubmitAsync("""{"type":"noop","runTime":600000,"dataSource":"e2e_services"}""");
        await Expect(row.GetByTestId("worker-tasks")).ToContainTextAsync(id, new() { Timeout = 15_000 });
        await Expect(row.GetByTestId("worker-used")).ToContainTextAsync("in use");
        await Expect(row.GetByTestId("worker-slots-bar")).ToBeVisibleAsync();
        await Screenshots.SaveAsync(page, "services-light");

        await session.SwitchToDarkAsync();
        await page.Mouse.MoveAsync(700, 600);
        await Expect(row.GetByTestId("worker-tasks")).ToContainTextAsync(id);
        await Screenshots.SaveAsync(page, "services-dark");

        await api.ShutdownAsync(id);
        await Expect(row.GetByTestId("worker-tasks")).Not.ToContainTextAsync(id, new() { Timeout = 15_000 });
        session.AssertNoProblems();
    }
}
