using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Dashboard.Components.Controls;
using Dashboard.Components.Dialogs;
using Dashboard.Core.Clients;
using Dashboard.Core.Errors;
using Dashboard.Core.Feed;
using Dashboard.Core.Tasks;
using Dashboard.Model;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;

namespace Dashboard.Components.Pages;

/// <summary>
/// The SQL workbench: tabs of Druid SQL in Monaco (kept in the browser's storage), the query context, Run (interactive
/// for a SELECT, see Query.Engine.cs), Run as task and Explain through <see cref="IOverlordClient.SubmitSqlTaskAsync"/>, the server's validation error as a panel and an editor
/// marker, the recent query tasks (live), and the execution view of the task in the address (/query/{taskId}).
/// </summary>
public sealed partial class Query : IAsyncDisposable
{
    private const string StorageKey = "overlord-query-tabs";
    private static readonly string DefaultSql = "SELECT 1 AS one";

    private readonly CancellationTokenSource _stop = new();
    private List<QueryTab> _tabs = [new("Query 1", DefaultSql, null)];
    private int _active;
    private bool _tabsLoaded;
    private SqlEditor? _editor;
    private QueryContextForm _context = new();
    private ErrorResponse? _error;
    private JsonObject? _explain;
    private bool _submitting;
    private List<TaskStatusPlus> _recent = [];
    private DateTimeOffset _now;
    private LiveFeedSubscription? _subscription;
    private string? _appliedSql;
    private TotalWorkerCapacity? _capacity;

    [Parameter] public string? TaskId { get; set; }

    [SupplyParameterFromQuery(Name = "sql")] public string? Sql { get; set; }

    /// <summary>What this user may read: every read below goes through it (the overlord, the coordinator, the feed).</summary>
    [Inject] private Security.ReadScope Scope { get; set; } = default!;
    private IOverlordClient Overlord => Scope.Overlord;
    [Inject] private Security.OperatorActions Actions { get; set; } = default!;
    private ICoordinatorClient Coordinator => Scope.Coordinator;
    private ITaskFeed Feed => Scope.Feed;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    // Tabs are saved only once the stored ones are read, so an early save cannot overwrite them.
    private bool _restored;

    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private BrowserFiles Files { get; set; } = default!;
    [Inject] private TimeProvider Time { get; set; } = default!;

    /// <summary>What maxNumTasks means, and a warning when it asks for more slots than are free now.</summary>
    private string SlotsHint => _capacity is { } c && _context.MaxNumTasks is { } n && n > c.Free
        ? $"{c.Free} of {c.CurrentClusterCapacity} task slots free: the query waits for slots"
        : "controller + workers";

    private (int Line, int Column)? ErrorPosition =>
        _error?.Context is { } c && c.TryGetValue("line", out var l) && c.TryGetValue("column", out var col)
        && int.TryParse(l, out var line) && int.TryParse(col, out var column) ? (line, column) : null;

    protected override async Task OnInitializedAsync()
    {
        _now = Time.GetUtcNow();
        if (RendererInfo.IsInteractive)
        {
            _subscription = LiveFeedSubscription.Start(Feed,
                e => e is TaskStatusChanged c && c.Task.Type == TaskLinks.QueryControllerType,
                _ => InvokeAsync(RefreshRecentAsync));
        }

        await RefreshRecentAsync();
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender)
        {
            return;
        }

        try
        {
            var stored = await Files.LoadPreferenceAsync(StorageKey);
            (_tabs, _active) = QueryTabs.Parse(stored) ?? (_tabs, 0);
            _restored = true;
        }
        catch (JSDisconnectedException)
        {
            return;
        }

        if (Sql is { Length: > 0 } sql)
        {
            _appliedSql = sql;
            OpenInNewTab(sql);
        }

        _context = QueryContextForm.FromJson(_tabs[_active].Context);
        _tabsLoaded = true;
        StateHasChanged();
    }

    protected override async Task OnParametersSetAsync()
    {
        if (_tabsLoaded && Sql is { Length: > 0 } sql && sql != _appliedSql && _editor is not null)
        {
            _appliedSql = sql;
            await SaveCurrentAsync();
            OpenInNewTab(sql);
            _context = QueryContextForm.FromJson(_tabs[_active].Context);
            await _editor.SetValueAsync(sql);
            await SaveTabsAsync();
        }
    }

    private void OpenInNewTab(string sql)
    {
        if (_tabs[_active].Sql == sql)
        {
            return;
        }

        _tabs.Add(new QueryTab(QueryTabs.NextName(_tabs), sql, _tabs[_active].Context));
        _active = _tabs.Count - 1;
    }

    private async Task EditorReadyAsync()
    {
        if (_editor is null)
        {
            return;
        }

        try
        {
            var tables = (await Coordinator.GetDataSourcesAsync(_stop.Token)).Order(StringComparer.Ordinal).ToList();
            var columns = new Dictionary<string, IReadOnlyList<string>>();
            foreach (var table in tables.Take(50))
            {
                columns[table] = (await Coordinator.GetSchemaAsync(table, _stop.Token)).Select(c => c.Name).ToList();
            }

            await _editor.SetSchemaAsync(tables, columns);
        }
        catch (DruidException)
        {
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task TextChangedAsync(string text)
    {
        _tabs[_active] = _tabs[_active] with { Sql = text };
        await SaveTabsAsync();
    }

    private async Task SaveCurrentAsync()
    {
        if (_editor is not null)
        {
            _tabs[_active] = _tabs[_active] with { Sql = await _editor.GetValueAsync(), Context = _context.ToJson() };
        }
    }

    private async Task SaveTabsAsync()
    {
        if (_restored)
        {
            await Files.SavePreferenceAsync(StorageKey, QueryTabs.Serialize(_tabs, _active));
        }
    }

    private async Task SwitchTabAsync(int index)
    {
        if (index == _active || _editor is null)
        {
            return;
        }

        await SaveCurrentAsync();
        _active = index;
        _context = QueryContextForm.FromJson(_tabs[_active].Context);
        _error = null;
        _explain = null;
        _result = null;
        await _editor.SetValueAsync(_tabs[_active].Sql);
        await _editor.SetMarkerAsync(0, 0, null);
        await SaveTabsAsync();
    }

    private async Task NewTabAsync()
    {
        await SaveCurrentAsync();
        _tabs.Add(new QueryTab(QueryTabs.NextName(_tabs), "", _context.ToJson()));
        await SwitchToLastAsync();
    }

    private async Task SwitchToLastAsync()
    {
        _active = _tabs.Count - 1;
        _context = QueryContextForm.FromJson(_tabs[_active].Context);
        if (_editor is not null)
        {
            await _editor.SetValueAsync(_tabs[_active].Sql);
        }

        await SaveTabsAsync();
    }

    private async Task CloseTabAsync(int index)
    {
        if (_tabs.Count <= 1)
        {
            return;
        }

        await SaveCurrentAsync();
        _tabs.RemoveAt(index);
        _active = Math.Min(index <= _active ? Math.Max(0, _active - 1) : _active, _tabs.Count - 1);
        _context = QueryContextForm.FromJson(_tabs[_active].Context);
        if (_editor is not null)
        {
            await _editor.SetValueAsync(_tabs[_active].Sql);
        }

        await SaveTabsAsync();
    }

    /// <summary>Opens "Connect external data"; its INSERT goes into a new tab, or replaces the selection of the current one.</summary>
    private async Task ConnectExternalDataAsync()
    {
        if (_editor is null || await ConnectExternalDataDialog.ShowAsync(Dialogs) is not { } chosen)
        {
            return;
        }

        if (chosen.NewTab)
        {
            await SaveCurrentAsync();
            _tabs.Add(new QueryTab(QueryTabs.NextName(_tabs), chosen.Sql, _context.ToJson()));
            _error = null;
            _explain = null;
            await SwitchToLastAsync();
        }
        else
        {
            await _editor.InsertTextAsync(chosen.Sql);
            await SaveCurrentAsync();
            await SaveTabsAsync();
        }
    }

    private async Task RunAsync(bool explain, bool asTask = false)
    {
        if (_submitting || _editor is null)
        {
            return;
        }

        var sql = await _editor.GetValueAsync();
        _error = null;
        _explain = null;
        _result = null;
        if (_context.Errors.Count > 0)
        {
            _error = new ErrorResponse("druidException", "invalidContext", "USER", "INVALID_INPUT", string.Join(" ", _context.Errors), new Dictionary<string, string>());
            return;
        }

        if (!explain && !asTask && Engine == QueryEngines.Auto && IsInteractiveSelect(sql))
        {
            await RunInteractiveAsync(sql);
            return;
        }

        _submitting = true;
        StateHasChanged();
        try
        {
            await _editor.SetMarkerAsync(0, 0, null);
            await SaveCurrentAsync();
            await SaveTabsAsync();
            var submission = await Actions.SubmitSqlTaskAsync(new SqlTaskRequest(explain ? ExplainOf(sql) : sql, _context.ToJson()), _stop.Token);
            if (submission.ExplainRow is { } row)
            {
                _explain = row;
            }
            else if (submission.Status is { Error: { } error })
            {
                await ShowErrorAsync(error);
            }
            else if (submission.Status is { } status)
            {
                Navigation.NavigateTo(TaskLinks.Query(status.TaskId));
                await RefreshRecentAsync();
            }
        }
        catch (DruidException ex)
        {
            await ShowErrorAsync(ex.ToErrorResponse());
        }
        finally
        {
            _submitting = false;
        }
    }

    private async Task ShowErrorAsync(ErrorResponse error)
    {
        _error = error;
        if (ErrorPosition is { } position && _editor is not null)
        {
            await _editor.SetMarkerAsync(position.Line, position.Column, error.ErrorMessage);
        }
    }

    private async Task ClearErrorAsync()
    {
        _error = null;
        if (_editor is not null)
        {
            await _editor.SetMarkerAsync(0, 0, null);
        }
    }

    /// <summary>EXPLAIN PLAN FOR the statement, after any leading SET statements.</summary>
    public static string ExplainOf(string sql)
    {
        var sets = Regex.Match(sql, @"^(\s*SET\s+[^;]*;)*\s*", RegexOptions.IgnoreCase);
        var rest = sql[sets.Length..];
        return rest.StartsWith("EXPLAIN", StringComparison.OrdinalIgnoreCase) ? sql : sql[..sets.Length] + "EXPLAIN PLAN FOR " + rest;
    }

    private static IEnumerable<(string Name, string Text)> ExplainParts(JsonObject row)
    {
        foreach (var (name, value) in row)
        {
            var text = value is JsonValue v && v.TryGetValue<string>(out var s) ? s : value?.ToJsonString() ?? "";
            try
            {
                text = JsonNode.Parse(text)?.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) ?? text;
            }
            catch (JsonException)
            {
            }

            yield return (name, text);
        }
    }

    /// <summary>The datasource an ingestion wrote, or "SELECT" for a query whose results go into its report.</summary>
    private static string RecentLabel(TaskStatusPlus task) =>
        task.DataSource is null or "__query_select" ? "SELECT" : task.DataSource;

    private async Task RefreshRecentAsync()
    {
        try
        {
            var page = await Overlord.QueryTasksAsync(new TaskPageQuery { Type = TaskLinks.QueryControllerType, Limit = 10 }, _stop.Token);
            _recent = page.Rows.ToList();
            _capacity = await Overlord.GetTotalWorkerCapacityAsync(_stop.Token);
            _now = Time.GetUtcNow();
            StateHasChanged();
        }
        catch (DruidException)
        {
        }
        catch (OperationCanceledException)
        {
        }
        catch (NotSupportedException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_subscription is not null)
        {
            await _subscription.DisposeAsync();
        }

        _stop.Dispose();
    }
}
