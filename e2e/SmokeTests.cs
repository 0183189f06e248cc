using Dashboard.E2E.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Dashboard.E2E;

[Collection(DashboardCollection.Name)]
public sealed class SmokeTests(DashboardServerFixture server, BrowserFixture browser)
{
    private const string BodyBackground = "() => getComputedStyle(document.body).backgroundColor";

    [Fact]
    public async Task HomePage_Loads_WithoutConsoleErrors()
    {
        await using var session = await BrowserSession.OpenAsync(browser, server);
        var page = session.Page;

        await session.GotoAsync("/");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Overlord", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("mode-chip")).ToHaveTextAsync("Embedded");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("data-theme", "light");
        var lightBackground = await page.EvaluateAsync<string>(BodyBackground);
        await Screenshots.SaveAsync(page, "home-light");

        await session.SwitchToDarkAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Switch to light theme" })).ToBeVisibleAsync();
        await page.WaitForFunctionAsync($"() => ({BodyBackground})() !== '{lightBackground}'");

        await page.GotoAsync("/");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("data-theme", "dark");
        Assert.NotEqual(lightBackground, await page.EvaluateAsync<string>(BodyBackground));
        await session.WaitForInteractiveAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Switch to light theme" })).ToBeVisibleAsync();
        await Screenshots.SaveAsync(page, "home-dark");

        await page.GetByRole(AriaRole.Button, new() { Name = "Switch to light theme" }).ClickAsync();
        await Expect(page.Locator("html")).ToHaveAttributeAsync("data-theme", "light");
        await page.WaitForFunctionAsync($"() => ({BodyBackground})() === '{lightBackground}'");

        session.AssertNoProblems();
    }
}
