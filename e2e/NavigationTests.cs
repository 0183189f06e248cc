using Dashboard.E2E.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Dashboard.E2E;

[Collection(DashboardCollection.Name)]
public sealed class NavigationTests(DashboardServerFixture server, BrowserFixture browser)
{
    [Theory]
    [InlineData("Tasks", "/tasks", false, "Tasks")]
    [InlineData("Query", "/query", false, "Query")]
    [InlineData("Datasources", "/datasources", false, "Datasources")]
    [InlineData("Services", "/services", false, "Services")]
    [InlineData("Wall screen", "/wall", false, "Ingestion")]
    public async Task DrawerLink_OpensItsPage(string title, string path, bool placeholder, string heading)
    {
        await using var session = await BrowserSession.OpenAsync(browser, server);
        var page = session.Page;
        await session.GotoAsync("/");

        await page.GetByRole(AriaRole.Navigation, new() { Name = "Sections" })
            .GetByRole(AriaRole.Link, new() { Name = title }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Uri(server.BaseAddress, path).ToString());
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = heading, Level = 1 })).ToBeVisibleAsync();
        if (placeholder)
        {
            await Expect(page.GetByText("Not available yet")).ToBeVisibleAsync();
        }

        session.AssertNoProblems();
    }

    [Fact]
    public async Task DrawerLinks_AreReachableWithTheKeyboard()
    {
        await using var session = await BrowserSession.OpenAsync(browser, server);
        var page = session.Page;
        await session.GotoAsync("/");

        var tasksLink = page.GetByRole(AriaRole.Navigation, new() { Name = "Sections" })
            .GetByRole(AriaRole.Link, new() { Name = "Tasks" });
        for (var presses = 0; presses < 20 && !await IsFocusedAsync(tasksLink); presses++)
        {
            await page.Keyboard.PressAsync("Tab");
        }

        await Expect(tasksLink).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Tasks", Level = 1 })).ToBeVisibleAsync();
        await Screenshots.SaveAsync(page, "tasks-keyboard-light");
        session.AssertNoProblems();
    }

    private static Task<bool> IsFocusedAsync(ILocator locator) =>
        locator.EvaluateAsync<bool>("element => element === document.activeElement");
}
