using Dashboard.E2E.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Dashboard.E2E;

[Collection(DashboardCollection.Name)]
public sealed class TasksPageTests(DashboardServerFixture server, BrowserFixture browser)
{
    private static ILocator Row(IPage page, string taskId) =>
        page.Locator("tr.task-row").Filter(new() { Has = page.Locator($"[data-task-id='{taskId}']") });

    private static ILocator StatusOf(IPage page, string taskId) => Row(page, taskId).Locator("[data-testid=status-badge]");

    [Fact]
    public async Task TasksPage_NoopSubmittedThroughTheApi_ShowsRunningThenSuccess_WithoutReload()
    {
        await using var session = await BrowserSession.OpenAsync(browser, server);
        using var api = new DashboardApi(server.BaseAddress);
        var page = session.Page;
        var loads = 0;
        page.Load += (_, _) => loads++;
        await session.GotoAsync("/tasks");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Tasks", Level = 1 })).ToBeVisibleAsync();
        var loadsBefore = loads;

        var id = await api.SubmitAsync("""{"type":"noop","runTime":3000,"dataSource":"e2e_live"}""");

        await Expect(StatusOf(page, id)).ToHaveAttributeAsync("data-status", "RUNNING", new() { Timeout = 10_000 });
        await Screenshots.SaveAsync(page, "tasks-light");
        await Expect(StatusOf(page, id)).ToHaveAttributeAsync("data-status", "SUCCESS", new() { Timeout = 15_000 });
        Assert.Equal(loadsBefore, loads);

        await session.SwitchToDarkAsync();
        await Screenshots.SaveAsync(page, "tasks-dark");
        session.AssertNoProblems();
    }

    [Fact]
    public async Task TasksPage_ShutDownFromTheUi_EndsTheRunningTaskCanceled()
    {
        await using var session = await BrowserSession.OpenAsync(browser, server);
        using var api = new DashboardApi(server.BaseAddress);
        var page = session.Page;
        var id = await api.SubmitAsync("""{"type":"noop","runTime":600000,"dataSource":"e2e_shutdown"}""");
        await session.GotoAsync("/tasks?ds=e2e_shutdown");
        await Expect(StatusOf(page, id)).ToHaveAttributeAsync("data-status", "RUNNING", new() { Timeout = 10_000 });

        await Row(page, id).GetByTestId("shutdown-task").ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToContainTextAsync(id);
        await Screenshots.SaveAsync(page, "tasks-shutdown-confirm-light");
        await dialog.GetByTestId("confirm-ok").ClickAsync();

        await Expect(StatusOf(page, id)).ToHaveAttributeAsync("data-status", "CANCELED", new() { Timeout = 10_000 });
        var status = await api.StatusAsync(id);
        Assert.Equal("FAILED", status["statusCode"]!.GetValue<string>());
        Assert.Equal("Shutdown request from user", status["errorMsg"]!.GetValue<string>());
        session.AssertNoProblems();
    }

    [Fact]
    public async Task TaskDetail_ShowsHeaderPayloadAndLiveLog()
    {
        await using var session = await BrowserSession.OpenAsync(browser, server);
        using var api = new DashboardApi(server.BaseAddress);
        var page = session.Page;
        var id = await api.SubmitAsync("""{"type":"noop","runTime":600000,"dataSource":"e2e_detail"}""");
        await session.GotoAsync("/tasks?ds=e2e_detail");

        await Row(page, id).GetByTestId("task-link").ClickAsync();
        await Expect(page.GetByTestId("task-title")).ToHaveTextAsync(id);
        await Expect(page.GetByTestId("task-header").GetByTestId("status-badge")).ToHaveAttributeAsync("data-status", "RUNNING");
        await Screenshots.SaveAsync(page, "task-detail-light");

        await page.GetByRole(AriaRole.Tab, new() { Name = "Payload" }).ClickAsync();
        await Expect(page.GetByTestId("payload-editor").Locator(".view-lines")).ToContainTextAsync("\"dataSource\": \"e2e_detail\"", new() { Timeout = 20_000 });
        await Screenshots.SaveAsync(page, "task-detail-payload-light");

        await page.GetByRole(AriaRole.Tab, new() { Name = "Log" }).ClickAsync();
        var log = page.GetByTestId("log-view");
        await Expect(log).ToContainTextAsync("Running noop task for 600000 ms.");

        await api.ShutdownAsync(id);
        await Expect(log).ToContainTextAsync("Task finished with status FAILED");
        await Expect(page.GetByTestId("task-header").GetByTestId("status-badge")).ToHaveAttributeAsync("data-status", "CANCELED");

        await session.SwitchToDarkAsync();
        await Screenshots.SaveAsync(page, "task-detail-log-dark");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Payload" }).ClickAsync();
        await Expect(page.GetByTestId("payload-editor").Locator(".view-lines")).ToContainTextAsync("e2e_detail", new() { Timeout = 20_000 });
        await Screenshots.SaveAsync(page, "task-detail-payload-dark");
        session.AssertNoProblems();
    }

    [Fact]
    public async Task TasksPage_FilteredView_SurvivesReloadThroughItsUrl()
    {
        await using var session = await BrowserSession.OpenAsync(browser, server);
        using var api = new DashboardApi(server.BaseAddress);
        var page = session.Page;
        var kept = await api.SubmitAsync("""{"type":"noop","runTime":0,"dataSource":"e2e_filter"}""");
        var other = await api.SubmitAsync("""{"type":"noop","runTime":0,"dataSource":"e2e_other"}""");
        await session.GotoAsync("/tasks");

        await page.GetByLabel("Datasource").FillAsync("e2e_filter");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("ds=e2e_filter"));
        await Expect(StatusOf(page, kept)).ToHaveAttributeAsync("data-status", "SUCCESS", new() { Timeout = 10_000 });
        await page.GetByTestId("chip-SUCCESS").ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("status=SUCCESS"));
        var url = page.Url;

        await page.ReloadAsync();
        await session.WaitForInteractiveAsync();

        Assert.Equal(url, page.Url);
        await Expect(page.GetByLabel("Datasource")).ToHaveValueAsync("e2e_filter");
        await Expect(page.GetByTestId("chip-SUCCESS")).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(StatusOf(page, kept)).ToHaveAttributeAsync("data-status", "SUCCESS");
        await Expect(Row(page, other)).ToHaveCountAsync(0);
        session.AssertNoProblems();
    }

    [Fact]
    public async Task SubmitDialog_ShowsTheServersErrorInline_ThenSubmitsAFixedSpec()
    {
        await using var session = await BrowserSession.OpenAsync(browser, server);
        var page = session.Page;
        await session.GotoAsync("/tasks");

        await page.GetByTestId("submit-task").ClickAsync();
        var editor = page.GetByTestId("submit-editor").Locator(".view-lines");
        await Expect(editor).ToContainTextAsync("noop", new() { Timeout = 20_000 });
        await SetEditorTextAsync(page, """{"type": "no_such_type", "dataSource": "e2e_submit"}""");
        await page.GetByTestId("submit-confirm").ClickAsync();

        await Expect(page.GetByTestId("submit-error")).ToContainTextAsync("no_such_type");
        await Screenshots.SaveAsync(page, "submit-dialog-error-light");

        await SetEditorTextAsync(page, """{"type": "noop", "runTime": 0, "dataSource": "e2e_submit"}""");
        await page.GetByTestId("submit-confirm").ClickAsync();

        await Expect(page.GetByTestId("submit-dialog")).ToHaveCountAsync(0);
        await Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("Submitted noop_e2e_submit_");
        session.AssertNoProblems();
    }

    /// <summary>Replaces the editor's text as a paste would (typing would meet Monaco's auto-closing quotes).</summary>
    private static Task SetEditorTextAsync(IPage page, string text) =>
        page.EvaluateAsync("text => monaco.editor.getEditors()[0].setValue(text)", text);

    [Fact]
    public async Task ConnectionBanner_ShowsWhenTheCircuitDrops_AndClearsWhenItIsBack()
    {
        await using var session = await BrowserSession.OpenAsync(browser, server);
        var page = session.Page;
        var blocked = false;
        IWebSocketRoute? circuit = null;
        await page.RouteWebSocketAsync("**/_blazor*", ws =>
        {
            if (blocked)
            {
                _ = ws.CloseAsync();
                return;
            }

            circuit = ws;
            ws.ConnectToServer();
        });
        await page.RouteAsync("**/_blazor/negotiate*", route => blocked ? route.AbortAsync() : route.ContinueAsync());
        await page.RouteAsync("**/_blazor?id=*", route => blocked ? route.AbortAsync() : route.ContinueAsync());
        await session.GotoAsync("/tasks");
        var banner = page.GetByTestId("connection-banner");
        await Expect(banner).ToBeHiddenAsync();

        blocked = true;
        await circuit!.CloseAsync();

        await Expect(banner).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Expect(banner).ToContainTextAsync("Connection to the server lost");
        await Expect(page.GetByTestId("connection-indicator")).ToContainTextAsync("Reconnecting");
        await Screenshots.SaveAsync(page, "connection-lost-light");

        blocked = false;
        await Expect(banner).ToBeHiddenAsync(new() { Timeout = 30_000 });
        await Expect(page.Locator("html")).ToHaveAttributeAsync("data-connection", "live");
        await Expect(page.GetByTestId("connection-indicator")).ToContainTextAsync("Live");
    }
}
