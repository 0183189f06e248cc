using System.Text.RegularExpressions;
using Dashboard.E2E.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Dashboard.E2E;

[Collection(DashboardCollection.Name)]
public sealed class ReconnectTests(BrowserFixture browser)
{
    [Fact]
    public async Task ReconnectModal_Shows_WhenTheServerGoesAway()
    {
        var server = new DashboardServerFixture();
        await server.InitializeAsync();
        try
        {
            await using var session = await BrowserSession.OpenAsync(browser, server);
            var page = session.Page;
            await session.GotoAsync("/");

            await server.DisposeAsync();

            var modal = page.Locator("#components-reconnect-modal");
            await Expect(modal).ToBeVisibleAsync(new() { Timeout = 30_000 });
            await Expect(modal.Locator("p:visible").First).ToContainTextAsync(new Regex("reconnect", RegexOptions.IgnoreCase));
            await Screenshots.SaveAsync(page, "reconnect-light");
        }
        finally
        {
            await server.DisposeAsync();
        }
    }
}
