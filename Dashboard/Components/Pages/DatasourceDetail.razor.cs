using System.Text.Json.Nodes;
using Dashboard.Components.Dialogs;
using Dashboard.Core.Clients;
using Dashboard.Core.Errors;
using Dashboard.Core.Feed;
using Dashboard.Model;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Dashboard.Components.Pages;

/// <summary>
/// One datasource: its summary, the segment timeline (ApexCharts rangeBar), the segments paged on the server, the schema
/// of its newest segment, and actions (workbench, shut down its tasks, clean its pending segments). A task of this
/// datasource that ends re-reads everything; one that starts or stops updates the active count.
/// </summary>
public sealed partial class DatasourceDetail : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private List<BreadcrumbItem> _breadcrumbs = [];
    private DataSourceSummary? _summary;
    private IReadOnlyList<SegmentEntry> _timeline = [];
    private IReadOnlyList<DataSourceColumn> _schema = [];
    private JsonObject _timelineOptions = new();
    private JsonArray? _timelineSeries;
    private bool _timelineCut;
    private bool _chartDark;
    private int _chartKey;
    private int _active;
    private bool _loaded;

    /// <summary>The user may not read this datasource: the page says it was not found and reads nothing.</summary>
    private bool _notFound;
    private string? _error;
    private string? _loadedFor;
    private MudTable<SegmentEntry>? _table;
    private LiveFeedSubscription? _subscription;
    private CoalescingRefresher? _refresher;

    [Parameter] public string Name { get; set; } = "";

    [CascadingParameter(Name = "DarkMode")] public bool DarkMode { get; set; }

    /// <summary>What this user may read: every read below goes through it (the overlord, the coordinator, the feed).</summary>
    [Inject] private Security.ReadScope Scope { get; set; } = default!;
    private ICoordinatorClient Coordinator => Scope.Coordinator;
    private IOverlordClient Overlord => Scope.Overlord;
    [Inject] private Security.OperatorActions Actions { get; set; } = default!;
    private ITaskFeed Feed => Scope.Feed;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    private int Overshadowed => _timeline.Count(e => e.Overshadowed);

    protected override async Task OnParametersSetAsync()
    {
        if (_loadedFor != Name)
        {
            _loadedFor = Name;
            _breadcrumbs = [new("Datasources", "datasources"), new(Name, null, disabled: true)];
            _notFound = !Scope.CanRead(Name);
            if (_notFound)
            {
                return;
            }

            if (RendererInfo.IsInteractive && _subscription is null)
            {
                _refresher = new CoalescingRefresher(() => InvokeAsync(async () =>
                {
                    await LoadAsync();
                    if (_table is not null)
                    {
                        await _table.ReloadServerData();
                    }

                    StateHasChanged();
                }), TimeSpan.FromMilliseconds(250));
                _subscription = LiveFeedSubscription.Start(Feed, e => e is TaskStatusChanged { Task: var t } && t.DataSource == Name, _ =>
                {
                    _refresher.Request();
                    return Task.CompletedTask;
                });
            }

            await LoadAsync();
        }
        else if (_chartDark != DarkMode && _timelineSeries is not null)
        {
            _chartDark = DarkMode;
            _timelineOptions = SegmentTimelineChart.Options(DarkMode, SegmentTimelineChart.VersionCount(_timeline));
        }
    }

    private async Task LoadAsync()
    {
        try
        {
            _summary = await Coordinator.GetDataSourceAsync(Name, _stop.Token);
            var timeline = await Coordinator.GetSegmentTimelineAsync(Name, _stop.Token);
            var versionsChanged = SegmentTimelineChart.VersionCount(timeline) != SegmentTimelineChart.VersionCount(_timeline);
            _timeline = timeline;
            _timelineCut = timeline.Count > SegmentTimelineChart.MaxSegments;
            _chartDark = DarkMode;
            _timelineOptions = SegmentTimelineChart.Options(DarkMode, SegmentTimelineChart.VersionCount(timeline));
            _timelineSeries = SegmentTimelineChart.Series(timeline);
            if (versionsChanged)
            {
                // The chart's height follows the number of versions: a new chart of the right size.
                _chartKey++;
            }

            _schema = await Coordinator.GetSchemaAsync(Name, _stop.Token);
            var active = await Overlord.QueryTasksAsync(new TaskPageQuery { DataSource = Name, Statuses = DisplayStatus.Active, Limit = 1 }, _stop.Token);
            _active = active.TotalCount;
            _error = null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _error = $"Could not read datasource {Name}: {ex.Message}";
        }

        _loaded = true;
    }

    private async Task<TableData<SegmentEntry>> LoadSegmentsAsync(TableState state, CancellationToken cancellationToken)
    {
        try
        {
            var page = await Coordinator.GetSegmentPageAsync(Name, state.Page * state.PageSize, state.PageSize, cancellationToken);
            return new TableData<SegmentEntry> { Items = page.Rows, TotalItems = page.TotalCount };
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _error = $"Could not read the segments of {Name}: {ex.Message}";
            return new TableData<SegmentEntry> { Items = [], TotalItems = 0 };
        }
    }

    private async Task ShutDownTasksAsync()
    {
        var confirmed = await ConfirmDialog.AskAsync(Dialogs, $"Shut down all {_active:N0} active task{(_active == 1 ? "" : "s")} of {Name}?",
            $"Every running, pending and waiting task of datasource {Name} stops now and ends as CANCELED; nothing they wrote so far is published.",
            "Shut down");
        if (!confirmed)
        {
            return;
        }

        try
        {
            await Actions.ShutdownAllTasksAsync(Name, _stop.Token);
            Snackbar.Add($"Asked every active task of {Name} to shut down.", Severity.Success);
        }
        catch (DruidException ex) when (ex.StatusCode == 404)
        {
            Snackbar.Add($"{Name} has no active task any more.", Severity.Info);
        }

        _refresher?.Request();
    }

    private async Task CleanPendingAsync()
    {
        if (await CleanPendingSegmentsDialog.ShowAsync(Dialogs, Name) is { } result)
        {
            Snackbar.Add($"Deleted {result.Deleted:N0} pending segment{(result.Deleted == 1 ? "" : "s")} of {result.DataSource}.", Severity.Success);
        }
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
}
