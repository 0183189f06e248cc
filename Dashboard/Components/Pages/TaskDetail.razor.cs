using System.Text.Json.Nodes;
using Dashboard.Components.Controls;
using Dashboard.Components.Dialogs;
using Dashboard.Core.Clients;
using Dashboard.Core.Common;
using Dashboard.Core.Errors;
using Dashboard.Core.Feed;
using Dashboard.Core.Tasks;
using Dashboard.Model;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;

namespace Dashboard.Components.Pages;

/// <summary>
/// One task: header (status, type, datasource, times, location, full error) and tabs Status, Payload, Reports, Log. While
/// the task is active, its status, live report and log tail follow the feed (no polling).
/// </summary>
public sealed partial class TaskDetail : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private List<BreadcrumbItem> _breadcrumbs = [];
    private TaskStatusPlus? _status;
    private string? _notFound;
    private string? _payload;
    private string? _reportJson;
    private string? _reportMissing;
    private RowStatsTable? _rowStats;
    private string? _reportError;
    private string _log = "";
    private bool _logCut;
    private string? _logMissing;
    private bool _follow = true;
    private bool _scrollLog;
    private int _tab;
    private DateTimeOffset _now;
    private JsonEditor? _payloadEditor;
    private ElementReference _logElement;
    private LiveFeedSubscription? _subscription;
    private string? _loadedFor;

    [Parameter] public string TaskId { get; set; } = "";

    /// <summary>What this user may read: every read below goes through it (the overlord, the coordinator, the feed).</summary>
    [Inject] private Security.ReadScope Scope { get; set; } = default!;
    private IOverlordClient Overlord => Scope.Overlord;
    [Inject] private Security.OperatorActions Actions { get; set; } = default!;
    private ITaskFeed Feed => Scope.Feed;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private BrowserFiles Files { get; set; } = default!;
    [Inject] private TimeProvider Time { get; set; } = default!;

    /// <summary>The full error: the report's, or the log's final line, when the status only has Druid's 100-character cut.</summary>
    private string? ErrorText => _status?.ErrorMsg is not { } short_ ? null : _reportError ?? TaskLogText.FinalError(_log) ?? short_;

    protected override async Task OnParametersSetAsync()
    {
        if (_loadedFor == TaskId)
        {
            return;
        }

        _loadedFor = TaskId;
        _breadcrumbs = [new("Tasks", "tasks"), new(TaskId, null, disabled: true)];
        _now = Time.GetUtcNow();
        if (RendererInfo.IsInteractive && _subscription is null)
        {
            _subscription = LiveFeedSubscription.Start(Feed, IsAboutThisTask, batch => InvokeAsync(() => ApplyAsync(batch)));
            _ = TickAsync(_stop.Token);
        }

        try
        {
            _status = await Overlord.GetTaskStatusAsync(TaskId, _stop.Token);
        }
        catch (DruidException ex) when (ex.StatusCode is 404 or 500)
        {
            _notFound = ex.StatusCode == 404
                ? $"No task with this id exists. It may have been submitted to another overlord, or the id is mistyped. ({ex.Message})"
                : ex.Message;
            return;
        }

        await Task.WhenAll(LoadPayloadAsync(), LoadReportAsync(), LoadLogAsync());
    }

    private bool IsAboutThisTask(FeedEvent e) => e switch
    {
        TaskStatusChanged c => c.Task.Id == TaskId,
        TaskReportUpdated r => r.TaskId == TaskId,
        TaskLogAppended l => l.TaskId == TaskId,
        _ => false,
    };

    private async Task ApplyAsync(IReadOnlyList<FeedEvent> batch)
    {
        _now = Time.GetUtcNow();
        var reloadLog = false;
        var reloadReport = false;
        foreach (var e in batch)
        {
            switch (e)
            {
                case TaskStatusChanged c:
                    _status = c.Task;
                    reloadReport |= !c.Task.IsActive;
                    reloadLog |= !c.Task.IsActive;
                    break;
                case TaskReportUpdated r:
                    ShowReport(r.Report);
                    break;
                case TaskLogAppended:
                    reloadLog = true;
                    break;
                case FeedOverflowed:
                    reloadLog = reloadReport = true;
                    break;
            }
        }

        if (reloadReport)
        {
            await LoadReportAsync();
        }

        if (reloadLog)
        {
            await LoadLogAsync();
        }

        StateHasChanged();
    }

    private async Task LoadPayloadAsync()
    {
        try
        {
            var payload = await Overlord.GetTaskPayloadAsync(TaskId, _stop.Token);
            _payload = payload.ToJsonString(DruidJson.Indented);
        }
        catch (DruidException ex)
        {
            _payload = $"// {ex.Message}";
        }
    }

    private async Task LoadReportAsync()
    {
        try
        {
            ShowReport(await Overlord.GetTaskReportsAsync(TaskId, _stop.Token));
        }
        catch (DruidException ex) when (ex.StatusCode == 404)
        {
            _reportMissing = _status?.IsActive == true
                ? "This task has not written a report yet. It appears here as soon as it does."
                : "This task left no report.";
        }
    }

    private void ShowReport(JsonObject report)
    {
        _reportMissing = null;
        _reportJson = report.ToJsonString(DruidJson.Indented);
        _rowStats = RowStatsTable.From(report);
        _reportError = RowStatsTable.ErrorMessage(report);
    }

    private async Task LoadLogAsync()
    {
        try
        {
            var bytes = await Overlord.GetTaskLogAsync(TaskId, -TaskLogText.TailBytes, _stop.Token);
            _logCut = bytes.Length >= TaskLogText.TailBytes;
            _log = TaskLogText.Decode(bytes, _logCut);
            _logMissing = null;
            _scrollLog = _follow;
        }
        catch (DruidException ex) when (ex.StatusCode == 404)
        {
            _logMissing = "This task has no log yet: it has not started running.";
        }
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (_scrollLog && _tab == 3)
        {
            _scrollLog = false;
            await Files.ScrollToEndAsync(_logElement);
        }
    }

    /// <summary>Re-renders once a second while the task is active, so its duration ticks. Reads nothing.</summary>
    private async Task TickAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), Time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                if (_status?.IsActive == true)
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

    private IEnumerable<(string, string)> StatusFields()
    {
        var s = _status!;
        yield return ("id", s.Id);
        yield return ("groupId", s.GroupId ?? "");
        yield return ("type", s.Type ?? "");
        yield return ("dataSource", s.DataSource ?? "");
        yield return ("createdTime", DruidTime.Format(s.CreatedTime));
        yield return ("queueInsertionTime", DruidTime.Format(s.QueueInsertionTime));
        yield return ("statusCode", s.StatusCode?.ToString() ?? "");
        yield return ("runnerStatusCode", s.RunnerStatusCode?.ToString() ?? "");
        yield return ("duration", s.Duration?.ToString() ?? "");
        yield return ("location", s.Location.IsUnknown ? "unknown" : s.Location.ToString());
        yield return ("errorMsg", s.ErrorMsg ?? "null");
    }

    private async Task ShutDownAsync()
    {
        if (!await ConfirmDialog.AskAsync(Dialogs, "Shut down this task?",
                $"Task {TaskId} stops now and ends as CANCELED. Its locks and task slot are released; nothing it wrote so far is published.",
                "Shut down"))
        {
            return;
        }

        try
        {
            await Actions.ShutdownTaskAsync(TaskId, CancellationToken.None);
            Snackbar.Add("Shut down.", Severity.Success);
        }
        catch (DruidException ex)
        {
            Snackbar.Add($"Could not shut down the task: {ex.Message}", Severity.Error);
        }
    }

    private async Task CopyAsync(string? text)
    {
        if (text is not null)
        {
            var copied = await Files.CopyTextAsync(text);
            Snackbar.Add(copied ? "Copied to the clipboard." : "The browser did not allow copying; use Download instead.",
                copied ? Severity.Success : Severity.Warning);
        }
    }

    private async Task DownloadAsync(string fileName, string contentType, string? text)
    {
        if (text is not null)
        {
            await Files.DownloadAsync(fileName, contentType, text);
        }
    }

    private async Task DownloadLogAsync()
    {
        try
        {
            var bytes = await Overlord.GetTaskLogAsync(TaskId, 0, CancellationToken.None);
            await DownloadAsync($"{TaskId}.log", "text/plain", System.Text.Encoding.UTF8.GetString(bytes));
        }
        catch (DruidException ex)
        {
            Snackbar.Add(ex.Message, Severity.Warning);
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
