using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Playwright;

namespace Dashboard.Bench;

/// <summary>
/// Open dashboards during a load campaign: SignalR clients subscribed to every task on <c>/hubs/tasks</c>, and headless
/// Chromium pages on /tasks and /wall. Counts what they received and every error they saw.
/// </summary>
public sealed class DashboardWatchers : IAsyncDisposable
{
    private readonly List<HubConnection> _hubs = [];
    private readonly List<ConcurrentDictionary<string, bool>> _succeeded = [];
    private readonly List<IPage> _pages = [];
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private long _messages;
    private int _hubErrors;
    private int _pageErrors;
    private volatile bool _closing;

    public long HubMessages => Interlocked.Read(ref _messages);

    public List<string> Errors { get; } = [];

    public int HubCount => _hubs.Count;

    public int PageCount => _pages.Count;

    public static async Task<DashboardWatchers> OpenAsync(Uri server, int hubs, string[] pages, CancellationToken cancellationToken)
    {
        var watchers = new DashboardWatchers();
        for (var i = 0; i < hubs; i++)
        {
            var hub = new HubConnectionBuilder().WithUrl(new Uri(server, "/hubs/tasks")).Build();
            var succeeded = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
            watchers._succeeded.Add(succeeded);
            hub.On<JsonElement>("taskStatusChanged", m =>
            {
                Interlocked.Increment(ref watchers._messages);
                if (m.GetProperty("displayStatus").GetString() == "SUCCESS")
                {
                    succeeded[m.GetProperty("task").GetProperty("id").GetString()!] = true;
                }
            });
            hub.On<JsonElement>("taskReportUpdated", _ => Interlocked.Increment(ref watchers._messages));
            hub.On<JsonElement>("feedOverflowed", m => watchers.Error($"hub: feedOverflowed, missed {m.GetProperty("missed")}"));
            hub.Closed += e =>
            {
                watchers.Error($"hub: connection closed: {e?.Message ?? "by the server"}");
                return Task.CompletedTask;
            };
            await hub.StartAsync(cancellationToken);
            await hub.InvokeAsync("SubscribeAll", cancellationToken);
            watchers._hubs.Add(hub);
        }

        if (pages.Length == 0 || !File.Exists(Chromium.ExecutablePath))
        {
            return watchers;
        }

        watchers._playwright = await Playwright.CreateAsync();
        watchers._browser = await Chromium.LaunchAsync(watchers._playwright);
        foreach (var path in pages)
        {
            var context = await watchers._browser.NewContextAsync(new() { ViewportSize = path.StartsWith("/wall") ? new() { Width = 1920, Height = 1080 } : new() { Width = 1280, Height = 800 } });
            var page = await context.NewPageAsync();
            page.PageError += (_, message) => watchers.Error($"page {path}: {message}");
            page.Console += (_, message) =>
            {
                if (message.Type == "error")
                {
                    watchers.Error($"page {path} console: {message.Text}");
                }
            };
            await page.GotoAsync(new Uri(server, path).ToString());
            await page.Locator(ReadySelector(path)).First.WaitForAsync(new() { Timeout = 120_000 });
            watchers._pages.Add(page);
        }

        return watchers;
    }

    /// <summary>After the load: every hub still connected, every page still live (the app bar's indicator, the wall not STALE).</summary>
    public async Task CheckAliveAsync()
    {
        foreach (var hub in _hubs.Where(h => h.State != HubConnectionState.Connected))
        {
            Error($"hub: {hub.State} after the load");
        }

        foreach (var page in _pages)
        {
            var path = new Uri(page.Url).PathAndQuery;
            var alive = path.StartsWith("/wall")
                ? await page.Locator("[data-testid=wall][data-stale=false]").CountAsync() == 1
                : await page.Locator("[data-testid=connection-indicator][data-state=live]").CountAsync() > 0;
            if (!alive)
            {
                Error($"page {path}: not live after the load");
            }
        }
    }

    /// <summary>Every hub client must have been pushed the SUCCESS of each of these tasks: counts the ones some client missed.</summary>
    public int CheckPushed(IReadOnlyCollection<string> succeededIds)
    {
        var missed = 0;
        foreach (var (seen, index) in _succeeded.Select((seen, index) => (seen, index)))
        {
            var notSeen = succeededIds.Where(id => !seen.ContainsKey(id)).ToList();
            missed += notSeen.Count;
            if (notSeen.Count > 0)
            {
                Error($"hub client {index}: no SUCCESS pushed for {notSeen.Count} of {succeededIds.Count} tasks, e.g. {notSeen[0]}");
            }
        }

        return missed;
    }

    public int HubErrors => Volatile.Read(ref _hubErrors);

    public int PageErrors => Volatile.Read(ref _pageErrors);

    private void Error(string message)
    {
        if (_closing)
        {
            return;
        }

        if (message.StartsWith("hub", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _hubErrors);
        }
        else
        {
            Interlocked.Increment(ref _pageErrors);
        }

        lock (Errors)
        {
            if (Errors.Count < 20)
            {
                Errors.Add(message);
            }
        }
    }

    private static string ReadySelector(string path) => path.StartsWith("/wall")
        ? "[data-testid=activity-chart][data-chart-ready=true]"
        : "[data-testid=connection-indicator][data-state=live]";

    public async ValueTask DisposeAsync()
    {
        _closing = true;
        foreach (var hub in _hubs)
        {
            await hub.DisposeAsync();
        }

        _hubs.Clear();
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}
