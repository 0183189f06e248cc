using Dashboard.Core.Clients;
using Dashboard.Core.Feed;
using Dashboard.Model;
using Microsoft.AspNetCore.Components;

namespace Dashboard.Components.Pages;

/// <summary>
/// The datasources list: each datasource's visible segments summarised, its last publication and its active tasks. Task
/// changes from the feed re-read the list (at most every 250 ms), so a finished ingestion shows its new segments at once.
/// </summary>
public sealed partial class Datasources : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private IReadOnlyList<Row>? _rows;
    private string? _error;
    private DateTimeOffset _now;
    private LiveFeedSubscription? _subscription;
    private CoalescingRefresher? _refresher;

    /// <summary>What this user may read: every read below goes through it (the overlord, the coordinator, the feed).</summary>
    [Inject] private Security.ReadScope Scope { get; set; } = default!;
    private ICoordinatorClient Coordinator => Scope.Coordinator;
    private IOverlordClient Overlord => Scope.Overlord;
    private ITaskFeed Feed => Scope.Feed;
    [Inject] private TimeProvider Time { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        // Subscribe before the first read, so a change made while it runs is not missed.
        if (RendererInfo.IsInteractive)
        {
            _refresher = new CoalescingRefresher(() => InvokeAsync(async () =>
            {
                await LoadAsync();
                StateHasChanged();
            }), TimeSpan.FromMilliseconds(250));
            _subscription = LiveFeedSubscription.Start(Feed, e => e is TaskStatusChanged, _ =>
            {
                _refresher.Request();
                return Task.CompletedTask;
            });
        }

        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        try
        {
            var overviews = await Coordinator.GetDataSourceOverviewsAsync(_stop.Token);
            var active = await Overlord.QueryTasksAsync(new TaskPageQuery { Statuses = DisplayStatus.Active, Limit = TaskPageQuery.MaxLimit }, _stop.Token);
            var activeByDataSource = active.Rows.Where(t => t.DataSource is not null).GroupBy(t => t.DataSource!)
                .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
            var byName = overviews.ToDictionary(o => o.Summary.Name, StringComparer.Ordinal);
            _rows = byName.Keys.Union(activeByDataSource.Keys).Order(StringComparer.Ordinal)
                .Select(name => new Row(name, byName.GetValueOrDefault(name), activeByDataSource.GetValueOrDefault(name)))
                .ToList();
            _error = null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _error = "Could not read the datasources: " + ex.Message;
        }

        _now = Time.GetUtcNow();
    }

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

    private sealed record Row(string Name, DataSourceOverview? Overview, int Active);
}
