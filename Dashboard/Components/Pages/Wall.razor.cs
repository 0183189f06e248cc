using System.Text.Json.Nodes;
using Dashboard.Core.Clients;
using Dashboard.Core.Feed;
using Dashboard.Core.Tasks;
using Dashboard.Model;
using Dashboard.Model.Wall;
using Microsoft.AspNetCore.Components;

namespace Dashboard.Components.Pages;

/// <summary>
/// The wall screen: big tiles, the last hour's activity, running tasks and the latest failures of one datasource or all,
/// pushed live. Counts are re-read when the feed says something changed (at most every 250 ms) and every
/// <see cref="HeartbeatInterval"/>; when no read has succeeded for <see cref="StaleAfter"/>, the screen says it is stale.
/// </summary>
public sealed partial class Wall : IAsyncDisposable
{
    public static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(15);
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(5);
    private const int MaxRows = 6;
    private const int FailureRows = 5;

    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<string, string?> _errorCodes = new(StringComparer.Ordinal);
    private WallOptions _options = WallOptions.Default;
    private IReadOnlyList<string> _panels = WallOptions.AllPanels;
    private TaskPage _counts = TaskPage.Empty;
    private TotalWorkerCapacity? _capacity;
    private IReadOnlyList<FailureRow> _failures = [];
    private IReadOnlyList<RunningTaskActivity> _running = [];
    private double _rowsPerSecond;
    private JsonObject _chartOptions = new();
    private JsonArray _chartSeries = [];
    private DateTimeOffset? _lastChartSample;
    private DateTimeOffset? _lastUpdated;
    private DateTimeOffset _now;
    private DateTimeOffset _opened;
    private DateTimeOffset _lastHeartbeat;
    private LiveFeedSubscription? _subscription;
    private CoalescingRefresher? _refresher;

    /// <summary>What this user may read: every read below goes through it (the overlord, the coordinator, the feed).</summary>
    [Inject] private Security.ReadScope Scope { get; set; } = default!;
    private IOverlordClient Overlord => Scope.Overlord;
    private ITaskFeed Feed => Scope.Feed;
    [Inject] private IngestionActivity Activity { get; set; } = default!;
    [Inject] private TimeProvider Time { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;

    /// <summary>True when the last successful read is older than <see cref="StaleAfter"/> (or there was none).</summary>
    public bool IsStale => _lastUpdated is not { } at || _now - at > StaleAfter;

    private string StaleText => _lastUpdated is { } at
        ? $"STALE · no update for {WallFormat.Elapsed(_now - at)}"
        : "STALE · no data from the overlord yet";

    private IEnumerable<Tile> Tiles =>
    [
        new("running", "Running", WallFormat.Count(_counts.CountOf(DisplayStatus.Running)), "running"),
        new("pending", "Pending", WallFormat.Count(_counts.CountOf(DisplayStatus.Pending)), "neutral"),
        new("waiting", "Waiting", WallFormat.Count(_counts.CountOf(DisplayStatus.Waiting)), "neutral"),
        new("succeeded", "Succeeded, 1 h", WallFormat.Count(_counts.CountOf(DisplayStatus.Success)), "success"),
        new("failed", "Failed, 1 h", WallFormat.Count(_counts.CountOf(DisplayStatus.Failed)),
            _counts.CountOf(DisplayStatus.Failed) > 0 ? "failed" : "neutral"),
        new("slots", "Free slots", _capacity is { } c ? $"{c.Free}/{c.CurrentClusterCapacity}" : "–", "neutral"),
        new("rate", "Rows/s now", WallFormat.Count(_rowsPerSecond), "running"),
        .. _options.Capacity ? [CapacityTile(_capacity)] : Array.Empty<Tile>(),
    ];

    /// <summary>The optional tile: task slots in use as a share of all, red when none is free.</summary>
    private static Tile CapacityTile(TotalWorkerCapacity? capacity) => capacity is { CurrentClusterCapacity: > 0 } c
        ? new("capacity", $"Slots in use, {c.UsedClusterCapacity} of {c.CurrentClusterCapacity}",
            $"{100 * c.UsedClusterCapacity / c.CurrentClusterCapacity}%", c.Free == 0 ? "failed" : "running")
        : new("capacity", "Slots in use", "–", "neutral");

    protected override async Task OnInitializedAsync()
    {
        _options = WallOptions.FromUri(Navigation.Uri);
        _opened = _now = Time.GetUtcNow();
        _panels = _options.PanelsAt(TimeSpan.Zero);
        TakeActivity();
        await RefreshAsync();
        if (RendererInfo.IsInteractive)
        {
            _refresher = new CoalescingRefresher(() => InvokeAsync(async () =>
            {
                await RefreshAsync();
                StateHasChanged();
            }), TimeSpan.FromMilliseconds(250));
            _subscription = LiveFeedSubscription.Start(Feed, Wants, _ => InvokeAsync(() =>
            {
                _refresher.Request();
                TakeActivity();
                StateHasChanged();
            }));
            _ = TickLoopAsync(_stop.Token);
        }
    }

    /// <summary>One second of the wall's clock: durations, the rate, the chart, the rotation, and the heartbeat read.</summary>
    public async Task TickAsync()
    {
        _now = Time.GetUtcNow();
        _panels = _options.PanelsAt(_now - _opened);
        TakeActivity();
        if (_now - _lastHeartbeat >= HeartbeatInterval)
        {
            await RefreshAsync();
        }
    }

    private bool Wants(FeedEvent feedEvent) => feedEvent switch
    {
        TaskStatusChanged { Task: var t } => _options.DataSource is null || t.DataSource == _options.DataSource,
        TaskReportUpdated { DataSource: var ds } => _options.DataSource is null || ds == _options.DataSource,
        _ => false,
    };

    private async Task TickLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), Time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                await InvokeAsync(async () =>
                {
                    await TickAsync();
                    StateHasChanged();
                });
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private void TakeActivity()
    {
        // The activity history is the server's, for everyone: this user's share of it leaves out what they may not read.
        var readable = Scope.Rule;
        _running = Activity.Running(_options.DataSource, readable);
        _rowsPerSecond = Activity.CurrentRowsPerSecond(_options.DataSource, readable);
        var points = Activity.Points(_options.DataSource, readable);
        if (points.Count > 0 && points[^1].Time != _lastChartSample || _lastChartSample is null)
        {
            _lastChartSample = points.Count > 0 ? points[^1].Time : DateTimeOffset.MinValue;
            _chartSeries = ActivityChart.Series(points);
            _chartOptions = ActivityChart.Options(_options.Dark, Time.GetUtcNow());
        }
    }

    /// <summary>Re-reads counts, slots and failures; a failed read leaves the last numbers and lets them go stale.</summary>
    private async Task RefreshAsync()
    {
        _lastHeartbeat = Time.GetUtcNow();
        try
        {
            var since = Time.GetUtcNow() - IngestionActivity.History;
            var page = await Overlord.QueryTasksAsync(new TaskPageQuery
            {
                DataSource = _options.DataSource,
                CompleteCreatedFrom = since,
                Statuses = [DisplayStatus.Failed],
                Limit = FailureRows,
            }, _stop.Token);
            var capacity = await Overlord.GetTotalWorkerCapacityAsync(_stop.Token);
            var failures = new List<FailureRow>();
            foreach (var task in page.Rows)
            {
                failures.Add(new FailureRow(task, await ErrorCodeAsync(task.Id), task.ErrorMsg ?? "no error message"));
            }

            _counts = page;
            _capacity = capacity;
            _failures = failures;
            _lastUpdated = Time.GetUtcNow();
            _now = _lastUpdated.Value;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !_stop.IsCancellationRequested)
        {
            _now = Time.GetUtcNow();
        }
    }

    /// <summary>The error code a task's report names (SQL tasks' <c>errorReport.error.errorCode</c>); null when it names none.</summary>
    private async Task<string?> ErrorCodeAsync(string taskId)
    {
        if (_errorCodes.TryGetValue(taskId, out var known))
        {
            return known;
        }

        string? code = null;
        try
        {
            var report = await Overlord.GetTaskReportsAsync(taskId, _stop.Token);
            code = report["multiStageQuery"]?["payload"]?["status"]?["errorReport"]?["error"]?["errorCode"]?.GetValue<string>();
        }
        catch (Core.Errors.DruidException)
        {
        }

        _errorCodes[taskId] = code ?? DisplayStatus.Failed;
        return _errorCodes[taskId];
    }

    /// <summary>
    /// "ETA 42s" at the current rate; "input read" once the estimated rows are in (the task may still be writing, or
    /// waiting for a lock); "ETA unknown" while no rows flow.
    /// </summary>
    private static string EtaText(RunningTaskActivity task) => task switch
    {
        { Progress: >= 1 } => "input read",
        { Eta: { } eta } => $"ETA {WallFormat.Elapsed(eta)}",
        _ => "ETA unknown",
    };

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _refresher?.Dispose();
        if (_subscription is not null)
        {
            await _subscription.DisposeAsync();
        }

        _stop.Dispose();
    }

    private sealed record Tile(string Key, string Label, string Value, string Tone);

    private sealed record FailureRow(TaskStatusPlus Task, string? Code, string Message);
}
