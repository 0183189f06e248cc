using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace Dashboard.E2E.Infrastructure;

/// <summary>
/// A fresh browser context (no cookies, no localStorage) with one page on the test server, recording every
/// console error, uncaught page error and failed or 4xx/5xx request so a test can assert there were none.
/// </summary>
public sealed class BrowserSession : IAsyncDisposable
{
    /// <summary>Only rendered once the Blazor circuit is up, so clicks from then on reach the server.</summary>
    public const string InteractiveSelector = "[data-testid=connection-indicator][data-state=live]";

    private readonly IBrowserContext _context;
    private readonly ConcurrentQueue<string> _problems = new();

    private BrowserSession(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                _problems.Enqueue($"console error: {message.Text} ({message.Location})");
            }
        };
        page.PageError += (_, error) => _problems.Enqueue($"page error: {error}");
        page.RequestFailed += (_, request) =>
            _problems.Enqueue($"request failed: {request.Method} {request.Url}: {request.Failure}");
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                _problems.Enqueue($"HTTP {response.Status}: {response.Request.Method} {response.Url}");
            }
        };
    }

    public IPage Page { get; }

    public IReadOnlyCollection<string> Problems => _problems.ToArray();

    public static Task<BrowserSession> OpenAsync(
        BrowserFixture browser, DashboardServerFixture server, int width = 1280, int height = 800) =>
        OpenAsync(browser, server.BaseAddress, width, height);

    public static async Task<BrowserSession> OpenAsync(BrowserFixture browser, Uri baseAddress, int width = 1280, int height = 800)
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            ColorScheme = ColorScheme.Light,
        });
        var page = await context.NewPageAsync();
        return new BrowserSession(context, page);
    }

    /// <summary>Navigates and waits until the page is interactive.</summary>
    public async Task GotoAsync(string path)
    {
        await Page.GotoAsync(path);
        await WaitForInteractiveAsync();
    }

    public Task WaitForInteractiveAsync() =>
        Assertions.Expect(Page.Locator(InteractiveSelector)).ToBeVisibleAsync(new() { Timeout = 30_000 });

    /// <summary>Switches the page to the dark theme with the app bar's toggle, as a user does, and waits until it applies.</summary>
    public async Task SwitchToDarkAsync()
    {
        await Page.GetByRole(AriaRole.Button, new() { Name = "Switch to dark theme" }).ClickAsync();
        await Assertions.Expect(Page.Locator("html")).ToHaveAttributeAsync("data-theme", "dark");
    }

    public void AssertNoProblems() =>
        Assert.True(_problems.IsEmpty, "Browser reported problems:\n" + string.Join("\n", _problems));

    public async ValueTask DisposeAsync() => await _context.CloseAsync();
}
