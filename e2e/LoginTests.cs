using Dashboard.E2E.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Dashboard.E2E;

/// <summary>The sign-in flow on a server with users, the admin page, sign-out, and a viewer's disabled actions.</summary>
/// <remarks>
/// In the Dashboard collection (run one after another with its tests, sharing its browser) with a server of its own,
/// so it adds no parallel load to the timing-sensitive tests of the other collections.
/// </remarks>
[Collection(DashboardCollection.Name)]
public sealed class LoginTests(SecuredDashboardServerFixture server, BrowserFixture browser) : IClassFixture<SecuredDashboardServerFixture>
{
    private static async Task SignInAsync(IPage page, string user, string password)
    {
        await page.Locator("#username").FillAsync(user);
        await page.Locator("#password").FillAsync(password);
        await page.Locator("#login-submit").ClickAsync();
    }

    private static async Task UseDarkThemeAsync(IPage page, Uri baseAddress) =>
        await page.Context.AddCookiesAsync([new Cookie { Name = "overlord-theme", Value = "dark", Url = baseAddress.ToString() }]);

    [Theory]
    [InlineData("light")]
    [InlineData("dark")]
    public async Task SignIn_WrongPasswordThenRight_AdminPage_SignOut(string theme)
    {
        await using var session = await BrowserSession.OpenAsync(browser, server);
        var page = session.Page;
        if (theme == "dark")
        {
            await UseDarkThemeAsync(page, server.BaseAddress);
        }

        await page.GotoAsync("/tasks");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/login\\?ReturnUrl=%2Ftasks$"));
        await Expect(page.GetByText("Sign in to Overlord")).ToBeVisibleAsync();
        await Expect(page.Locator("html")).ToHaveAttributeAsync("data-theme", theme);
        await Screenshots.SaveAsync(page, $"login-{theme}");

        await SignInAsync(page, "admin", "not-the-password");
        await Expect(page.Locator("#login-error")).ToContainTextAsync("Wrong user name or password");
        await Expect(page.Locator("#username")).ToHaveValueAsync("admin");
        await Expect(page.Locator("#password")).ToBeFocusedAsync();
        await Screenshots.SaveAsync(page, $"login-error-{theme}");

        await SignInAsync(page, "admin", SecuredDashboardServerFixture.AdminPassword);
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/tasks$"));
        await session.WaitForInteractiveAsync();
        await Expect(page.GetByTestId("user-chip")).ToContainTextAsync("admin · Admin");

        await page.GetByTestId("admin-link").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Users and audit", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("users-table")).ToContainTextAsync("viewer");
        await Expect(page.GetByTestId("users-table")).ToContainTextAsync("configuration (read-only)");
        await Screenshots.SaveAsync(page, $"admin-users-{theme}");

        await page.GetByRole(AriaRole.Tab, new() { Name = "Audit log" }).ClickAsync();
        await Expect(page.GetByTestId("audit-table")).ToContainTextAsync("login.failed");
        await Expect(page.GetByTestId("audit-table")).ToContainTextAsync("127.0.0.1");
        await Screenshots.SaveAsync(page, $"admin-audit-{theme}");

        await page.GetByTestId("sign-out").ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/login$"));
        await page.GotoAsync("/tasks");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/login\\?ReturnUrl=%2Ftasks$"));

        session.AssertNoProblems();
    }

    [Fact]
    public async Task Viewer_SeesSubmitDisabled_AndNoAdminLink()
    {
        await using var session = await BrowserSession.OpenAsync(browser, server);
        var page = session.Page;

        await page.GotoAsync("/login?ReturnUrl=%2Ftasks");
        await SignInAsync(page, "viewer", SecuredDashboardServerFixture.ViewerPassword);
        await session.WaitForInteractiveAsync();

        await Expect(page.GetByTestId("user-chip")).ToContainTextAsync("viewer · Viewer");
        await Expect(page.GetByTestId("submit-task")).ToBeDisabledAsync();
        await Expect(page.GetByTestId("admin-link")).ToHaveCountAsync(0);
        await Screenshots.SaveAsync(page, "tasks-viewer");

        session.AssertNoProblems();
    }

    [Theory]
    [InlineData("light")]
    [InlineData("dark")]
    public async Task NarrowedViewer_SeesOnlyItsDatasourcesTasks_LiveToo_AndASecretTaskIsNotFound(string theme)
    {
        using var api = new DashboardApi(server.BaseAddress, "admin", SecuredDashboardServerFixture.AdminPassword);
        var wiki = await api.SubmitAsync("""{"type":"noop","runTime":0,"dataSource":"e2e_wiki"}""");
        var secret = await api.SubmitAsync("""{"type":"noop","runTime":0,"dataSource":"e2e_secret"}""");
        await using var session = await BrowserSession.OpenAsync(browser, server);
        var page = session.Page;
        if (theme == "dark")
        {
            await UseDarkThemeAsync(page, server.BaseAddress);
        }

        await page.GotoAsync("/login?ReturnUrl=%2Ftasks");
        await SignInAsync(page, "wikireader", SecuredDashboardServerFixture.WikiReaderPassword);
        await session.WaitForInteractiveAsync();
        await Expect(page.GetByTestId("user-chip")).ToContainTextAsync("wikireader · Viewer");

        var links = page.GetByTestId("task-link");
        await Expect(page.Locator($"[data-testid=task-link][data-task-id='{wiki}']")).ToBeVisibleAsync();
        await Expect(page.Locator($"[data-testid=task-link][data-task-id='{secret}']")).ToHaveCountAsync(0);
        await Expect(page.Locator(".tasks-grid")).Not.ToContainTextAsync("e2e_secret");

        // Live: a new task of each datasource; only the readable one arrives.
        var liveSecret = await api.SubmitAsync("""{"type":"noop","runTime":0,"dataSource":"e2e_secret"}""");
        var liveWiki = await api.SubmitAsync("""{"type":"noop","runTime":0,"dataSource":"e2e_wiki"}""");
        await Expect(page.Locator($"[data-testid=task-link][data-task-id='{liveWiki}']")).ToBeVisibleAsync();
        await Expect(page.Locator($"[data-testid=task-link][data-task-id='{liveSecret}']")).ToHaveCountAsync(0);
        foreach (var id in await links.EvaluateAllAsync<string[]>("links => links.map(l => l.dataset.taskId)"))
        {
            Assert.Contains("e2e_wiki", id);
        }

        await Screenshots.SaveAsync(page, $"tasks-narrowed-{theme}");

        await page.GotoAsync($"/tasks/{secret}");
        await Expect(page.GetByTestId("task-not-found")).ToContainTextAsync("No task with this id exists");
        await Expect(page.GetByTestId("task-header")).ToHaveCountAsync(0);
        await Screenshots.SaveAsync(page, $"task-not-found-narrowed-{theme}");

        session.AssertNoProblems();
    }
}
