using Dashboard.Components.Dialogs;
using Dashboard.Core.Clients;
using Dashboard.Core.Common;
using Dashboard.Core.Errors;
using Dashboard.Core.Feed;
using Dashboard.Model;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Routing;
using Microsoft.JSInterop;
using MudBlazor;

namespace Dashboard.Components.Pages;

/// <summary>
/// The task list: state chips, a server-paged grid whose view lives in the URL, and the operator's actions. Live changes
/// come from the feed (in-process), at most one render per 100 ms; the page is re-read at most every 250 ms while
/// tasks change.
/// </summary>
public sealed partial class Tasks : IAsyncDisposable
{
    private const string CustomRange = "custom";
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromMilliseconds(250);

    private readonly TaskListLive _live = new();
    private readonly CancellationTokenSource _stop = new();
    private MudDataGrid<TaskRow>? _grid;
    private ColumnChoice _columns = new();
    private bool _customRange;
    private string? _rangeError;
    private DateTimeOffset _now;
    private LiveFeedSubscription? _subscription;
    private CoalescingRefresher? _refresher;

    /// <summary>What this user may read: every read below goes through it (the overlord, the coordinator, the feed).</summary>
    [Inject] private Security.ReadScope Scope { get; set; } = default!;
    private IOverlordClient Overlord => Scope.Overlord;
    [Inject] private Security.OperatorActions Actions { get; set; } = default!;
    private ITaskFeed Feed => Scope.Feed;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private BrowserFiles Files { get; set; } = default!;
    [Inject] private TimeProvider Time { get; set; } = default!;

    /// <summary>The live state behind the page (for tests).</summary>
    internal TaskListLive Live => _live;

    private string CreatedChoice => _customRange ? CustomRange : _live.Filter.Window.Key;

    /// <summary>Active tasks the current filters show, which "shut down the filtered tasks" would end.</summary>
    private int ActiveInView => DisplayStatus.Active
        .Where(s => _live.Filter.Statuses.Count == 0 || _live.Filter.Statuses.Contains(s))
        .Sum(_live.Page.CountOf);

    protected override void OnInitialized()
    {
        _live.Filter = TaskListFilter.Parse(Navigation.Uri);
        _customRange = _live.Filter.HasCustomRange;
        _now = Time.GetUtcNow();
        if (!RendererInfo.IsInteractive)
        {
            return;
        }

        Navigation.LocationChanged += OnLocationChanged;
        _refresher = new CoalescingRefresher(() => InvokeAsync(ReloadAsync), RefreshInterval);
        _subscription = LiveFeedSubscription.Start(Feed, TaskListLive.Wants, batch => InvokeAsync(() => ApplyBatch(batch)));
        _ = TickAsync(_stop.Token);
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender)
        {
            return;
        }

        try
        {
            var stored = await Files.LoadPreferenceAsync(TaskColumns.StorageKey);
            if (!string.IsNullOrEmpty(stored))
            {
                _columns = ColumnChoice.Parse(stored);
                StateHasChanged();
            }
        }
        catch (JSDisconnectedException)
        {
        }
    }

    private void ApplyBatch(IReadOnlyList<FeedEvent> batch)
    {
        _now = Time.GetUtcNow();
        if (_live.Apply(batch, _now))
        {
            _refresher?.Request();
        }

        StateHasChanged();
    }

    /// <summary>Re-renders once a second while the page shows active tasks, so their durations tick. Reads nothing.</summary>
    private async Task TickAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), Time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                if (!_live.Paused && _live.HasActiveRows)
                {
                    await InvokeAsync(() =>
                    {
                        _now = Time.GetUtcNow();
                        StateHasChanged();
                    });
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task<GridData<TaskRow>> LoadPageAsync(GridState<TaskRow> state, CancellationToken cancellationToken)
    {
        var filter = _live.Filter with { Page = state.Page, PageSize = state.PageSize };
        if (state.SortDefinitions.FirstOrDefault() is { } sort && Enum.TryParse<TaskSortField>(sort.SortBy, out var field))
        {
            filter = filter with { Sort = field, Descending = sort.Descending };
        }

        _now = Time.GetUtcNow();
        try
        {
            var page = await Overlord.QueryTasksAsync(filter.ToQuery(_now), cancellationToken);
            _live.Filter = filter;
            _live.Load(page);
        }
        catch (DruidException ex)
        {
            Snackbar.Add($"Could not read the task list: {ex.Message}", Severity.Error);
        }

        UpdateUrl();
        _ = InvokeAsync(StateHasChanged);
        return new GridData<TaskRow> { Items = _live.Rows, TotalItems = _live.Page.TotalCount };
    }

    private async Task ReloadAsync()
    {
        if (_grid is not null && !_live.Paused)
        {
            await _grid.ReloadServerData();
        }
    }

    private void UpdateUrl()
    {
        var target = Navigation.BaseUri + "tasks" + _live.Filter.ToQueryString();
        if (RendererInfo.IsInteractive && target != Navigation.Uri)
        {
            Navigation.NavigateTo(target, new NavigationOptions { ReplaceHistoryEntry = true });
        }
    }

    private void OnLocationChanged(object? sender, LocationChangedEventArgs e)
    {
        if (!e.Location.StartsWith(Navigation.BaseUri + "tasks", StringComparison.Ordinal) ||
            e.Location.StartsWith(Navigation.BaseUri + "tasks/", StringComparison.Ordinal))
        {
            return;
        }

        var filter = TaskListFilter.Parse(e.Location);
        if (filter.ToQueryString() == _live.Filter.ToQueryString())
        {
            return;
        }

        _ = InvokeAsync(async () =>
        {
            _customRange = filter.HasCustomRange;
            await ApplyFilterAsync(filter);
        });
    }

    private Task SetFilterAsync(Func<TaskListFilter, TaskListFilter> change) => ApplyFilterAsync(change(_live.Filter) with { Page = 0 });

    private async Task ApplyFilterAsync(TaskListFilter filter)
    {
        _live.Filter = filter;
        if (_grid is null)
        {
            return;
        }

        if (_grid.CurrentPage != filter.Page)
        {
            _grid.CurrentPage = filter.Page;
        }

        await _grid.ReloadServerData();
    }

    private Task ToggleStatusAsync(string status) => ApplyFilterAsync(_live.Filter.ToggleStatus(status));

    private Task SetCreatedChoiceAsync(string key)
    {
        if (key == CustomRange)
        {
            _customRange = true;
            return Task.CompletedTask;
        }

        _customRange = false;
        _rangeError = null;
        return SetFilterAsync(f => f with { Window = TaskWindow.Find(key), From = null, To = null });
    }

    private Task SetRangeAsync(string? text, bool isFrom)
    {
        DateTimeOffset? value = null;
        if (!string.IsNullOrWhiteSpace(text))
        {
            if (!DruidTime.TryParse(text, out var parsed))
            {
                _rangeError = $"“{text.Trim()}” is not a time. Use ISO-8601 in UTC, such as 2026-11-22T08:00 or 2026-11-22.";
                return Task.CompletedTask;
            }

            value = parsed;
        }

        _rangeError = null;
        return SetFilterAsync(f => isFrom ? f with { From = value } : f with { To = value });
    }

    private Task ClearFiltersAsync()
    {
        _customRange = false;
        _rangeError = null;
        return ApplyFilterAsync(new TaskListFilter { PageSize = _live.Filter.PageSize, GroupBy = _live.Filter.GroupBy });
    }

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static string? FormatTime(DateTimeOffset? time) => time is { } t ? DruidTime.Format(t) : null;

    private SortDirection InitialDirectionFor(TaskSortField field) =>
        _live.Filter.GroupBy == TaskGrouping.None && _live.Filter.Sort == field
            ? (_live.Filter.Descending ? SortDirection.Descending : SortDirection.Ascending)
            : SortDirection.None;

    private async Task ToggleColumnAsync(string key)
    {
        _columns.Toggle(key);
        await Files.SavePreferenceAsync(TaskColumns.StorageKey, _columns.Serialize());
    }

    private async Task SetPausedAsync(bool paused)
    {
        if (paused)
        {
            _live.Pause();
            return;
        }

        _live.Resume();
        await ReloadAsync();
    }

    private async Task ShutDownTaskAsync(TaskRow row)
    {
        var confirmed = await ConfirmDialog.AskAsync(Dialogs, "Shut down this task?",
            $"Task {row.Id} ({row.Type}, {row.DataSource}) stops now and ends as CANCELED. Its locks and task slot are released; " +
            "nothing it wrote so far is published.",
            "Shut down");
        if (!confirmed)
        {
            return;
        }

        try
        {
            await Actions.ShutdownTaskAsync(row.Id, CancellationToken.None);
            Snackbar.Add($"Shut down {row.Id}.", Severity.Success);
        }
        catch (DruidException ex)
        {
            Snackbar.Add($"Could not shut down {row.Id}: {ex.Message}", Severity.Error);
        }
    }

    private async Task ShutDownDataSourceAsync(string dataSource)
    {
        var active = await Overlord.QueryTasksAsync(
            new TaskPageQuery { DataSource = dataSource, Statuses = DisplayStatus.Active, Limit = 1 }, CancellationToken.None);
        if (active.TotalCount == 0)
        {
            Snackbar.Add($"Datasource {dataSource} has no active task to shut down.", Severity.Info);
            return;
        }

        var count = active.TotalCount;
        var confirmed = await ConfirmDialog.AskAsync(Dialogs, $"Shut down all {count:N0} active task{(count == 1 ? "" : "s")} of {dataSource}?",
            $"Every running, pending and waiting task of datasource {dataSource} stops now and ends as CANCELED " +
            $"({DisplayStatus.Running}: {active.CountOf(DisplayStatus.Running):N0}, {DisplayStatus.Pending}: {active.CountOf(DisplayStatus.Pending):N0}, " +
            $"{DisplayStatus.Waiting}: {active.CountOf(DisplayStatus.Waiting):N0}).",
            $"Shut down {count:N0}");
        if (!confirmed)
        {
            return;
        }

        try
        {
            await Actions.ShutdownAllTasksAsync(dataSource, CancellationToken.None);
            Snackbar.Add($"Shut down the active tasks of {dataSource}.", Severity.Success);
        }
        catch (DruidException ex)
        {
            Snackbar.Add($"Could not shut down the tasks of {dataSource}: {ex.Message}", Severity.Error);
        }
    }

    private async Task ShutDownFilteredAsync()
    {
        var statuses = DisplayStatus.Active.Where(s => _live.Filter.Statuses.Count == 0 || _live.Filter.Statuses.Contains(s)).ToList();
        var query = _live.Filter.ToQuery(Time.GetUtcNow()) with { Statuses = statuses, Offset = 0, Limit = TaskPageQuery.MaxLimit };
        var page = await Overlord.QueryTasksAsync(query, CancellationToken.None);
        if (page.Rows.Count == 0)
        {
            Snackbar.Add("No active task matches these filters any more.", Severity.Info);
            return;
        }

        var ids = page.Rows.Select(r => r.Id).ToList();
        var more = page.TotalCount > ids.Count ? $" Only the first {ids.Count:N0} of {page.TotalCount:N0} are shut down; run it again for the rest." : "";
        var confirmed = await ConfirmDialog.AskAsync(Dialogs, $"Shut down {ids.Count:N0} active task{(ids.Count == 1 ? "" : "s")}?",
            "These tasks match the current filters. They stop now and end as CANCELED." + more,
            $"Shut down {ids.Count:N0}", page.Rows.Select(r => $"{r.Id} · {r.DisplayStatus} · {r.DataSource}").ToList());
        if (!confirmed)
        {
            return;
        }

        var failed = 0;
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (id, ct) =>
        {
            try
            {
                await Actions.ShutdownTaskAsync(id, ct);
            }
            catch (DruidException)
            {
                Interlocked.Increment(ref failed);
            }
        });
        Snackbar.Add(failed == 0 ? $"Shut down {ids.Count:N0} tasks." : $"Shut down {ids.Count - failed:N0} tasks; {failed:N0} could not be shut down.",
            failed == 0 ? Severity.Success : Severity.Warning);
    }

    private async Task OpenSubmitDialogAsync()
    {
        var taskId = await SubmitTaskDialog.ShowAsync(Dialogs);
        if (taskId is not null)
        {
            Snackbar.Add($"Submitted {taskId}.", Severity.Success, options =>
            {
                options.Action = "Open";
                options.OnClick = _ =>
                {
                    Navigation.NavigateTo(TaskLinks.Detail(taskId));
                    return Task.CompletedTask;
                };
            });
        }
    }

    private async Task OpenCleanPendingDialogAsync(string? dataSource)
    {
        var deleted = await CleanPendingSegmentsDialog.ShowAsync(Dialogs, dataSource);
        if (deleted is { } result)
        {
            Snackbar.Add($"Deleted {result.Deleted:N0} pending segment{(result.Deleted == 1 ? "" : "s")} of {result.DataSource}.", Severity.Success);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Navigation.LocationChanged -= OnLocationChanged;
        await _stop.CancelAsync();
        _refresher?.Dispose();
        if (_subscription is not null)
        {
            await _subscription.DisposeAsync();
        }

        _stop.Dispose();
    }
}
