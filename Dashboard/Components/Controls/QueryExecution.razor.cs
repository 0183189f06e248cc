using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Dashboard.Core.Clients;
using Dashboard.Core.Errors;
using Dashboard.Core.Feed;
using Dashboard.Core.Tasks;
using Dashboard.Model;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;

namespace Dashboard.Components.Controls;

/// <summary>
/// The live execution view of one query_controller task: elapsed time, cancel, progress from the counters, the stage
/// table and charts, then the results (SELECT), the ingestion summary or the error. Follows the feed for the task (its
/// TaskReportUpdated and TaskStatusChanged events), rendering at most once per 100 ms; no polling.
/// </summary>
public sealed partial class QueryExecution : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private LiveFeedSubscription? _subscription;
    private TaskStatusPlus? _status;
    private MsqReportView? _report;
    private readonly StageRateHistory _history = new();
    private string? _dataSource;
    private int? _segments;
    private string? _notFound;
    private string? _loadedFor;
    private bool _canceling;
    private DateTimeOffset _now;

    [Parameter, EditorRequired] public string TaskId { get; set; } = "";

    /// <summary>Raised when the task completes (the workbench refreshes its recent list).</summary>
    [Parameter] public EventCallback<string> OnCompleted { get; set; }

    /// <summary>What this user may read: every read below goes through it (the overlord, the coordinator, the feed).</summary>
    [Inject] private Security.ReadScope Scope { get; set; } = default!;
    private IOverlordClient Overlord => Scope.Overlord;
    [Inject] private Security.OperatorActions Actions { get; set; } = default!;
    private ITaskFeed Feed => Scope.Feed;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private BrowserFiles Files { get; set; } = default!;
    [Inject] private TimeProvider Time { get; set; } = default!;

    private bool HasSort => _report?.Stages.Any(s => s.SortProgress is not null) == true;

    private bool IsActive => _status?.IsActive ?? _report?.IsRunning ?? false;

    private string DisplayStatus => _status?.DisplayStatus is { } s && s != "SUCCESS" && s != "FAILED" ? s
        : _report?.Status is { } r && r != "RUNNING" ? (r == "FAILED" && _report.Error?.Code == "Canceled" ? "CANCELED" : r)
        : _status?.DisplayStatus ?? "RUNNING";

    /// <summary>Run time from the report; before the first report, how long the task has waited since it was created.</summary>
    private TimeSpan Elapsed => _report?.StartTime is { } start && IsActive ? _now - start
        : _report is null && IsActive && _status is not null ? _now - _status.CreatedTime
        : TimeSpan.FromMilliseconds(Math.Max(0, _report?.DurationMs ?? _status?.Duration ?? 0));

    private Color ProgressColour => _report?.Status switch
    {
        "FAILED" => Color.Error,
        "SUCCESS" => Color.Success,
        _ => Color.Primary,
    };

    protected override async Task OnParametersSetAsync()
    {
        if (_loadedFor == TaskId)
        {
            return;
        }

        _loadedFor = TaskId;
        _status = null;
        _report = null;
        _segments = null;
        _notFound = null;
        _history.Clear();
        _now = Time.GetUtcNow();
        if (RendererInfo.IsInteractive && _subscription is null)
        {
            _subscription = LiveFeedSubscription.Start(Feed, IsAboutThisTask, batch => InvokeAsync(() => ApplyAsync(batch)));
            _ = TickAsync(_stop.Token);
        }

        try
        {
            _status = await Overlord.GetTaskStatusAsync(TaskId, _stop.Token);
            _dataSource = _status.DataSource;
        }
        catch (DruidException ex) when (ex.StatusCode is 404 or 500)
        {
            _notFound = $"No task with this id exists. ({ex.Message})";
            return;
        }

        await LoadReportAsync();
    }

    private bool IsAboutThisTask(FeedEvent e) => e switch
    {
        TaskStatusChanged c => c.Task.Id == _loadedFor,
        TaskReportUpdated r => r.TaskId == _loadedFor,
        _ => false,
    };

    private async Task ApplyAsync(IReadOnlyList<FeedEvent> batch)
    {
        _now = Time.GetUtcNow();
        var reload = false;
        var completed = false;
        foreach (var e in batch)
        {
            switch (e)
            {
                case TaskStatusChanged c when c.Task.Id == TaskId:
                    completed |= _status?.IsActive != false && !c.Task.IsActive;
                    _status = c.Task;
                    _dataSource ??= c.Task.DataSource;
                    reload |= !c.Task.IsActive;
                    break;
                case TaskReportUpdated r when r.TaskId == TaskId:
                    if (MsqReportView.From(r.Report) is { } live)
                    {
                        _report = live;
                        _history.Add(live);
                    }

                    break;
                case FeedOverflowed:
                    reload = true;
                    break;
            }
        }

        if (reload)
        {
            await LoadReportAsync();
        }

        StateHasChanged();
        if (completed)
        {
            await OnCompleted.InvokeAsync(TaskId);
        }
    }

    private async Task LoadReportAsync()
    {
        try
        {
            _report = MsqReportView.From(await Overlord.GetTaskReportsAsync(TaskId, _stop.Token)) ?? _report;
        }
        catch (DruidException)
        {
            return;
        }

        if (_report is { Status: "SUCCESS", IsIngestion: true } && _segments is null)
        {
            try
            {
                _segments = (await Overlord.GetTaskSegmentsAsync(TaskId, _stop.Token)).Count;
            }
            catch (DruidException)
            {
                _segments = null;
            }
            catch (NotSupportedException)
            {
                _segments = null;
            }
        }
    }

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), Time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                if (IsActive)
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

    private async Task CancelAsync()
    {
        _canceling = true;
        try
        {
            await Actions.ShutdownTaskAsync(TaskId, _stop.Token);
            Snackbar.Add($"Asked {TaskId} to stop.", Severity.Info);
        }
        catch (DruidException ex)
        {
            Snackbar.Add(ex.Message, Severity.Error);
            _canceling = false;
        }
    }

    private async Task DownloadAsync(string format)
    {
        if (_report?.Results is not { } results)
        {
            return;
        }

        var (text, type) = format switch
        {
            "json" => (ResultsJson(results), "application/json"),
            "tsv" => (Delimited(results, '\t'), "text/tab-separated-values"),
            _ => (Delimited(results, ','), "text/csv"),
        };
        await Files.DownloadAsync($"{TaskId}.{format}", type, text);
    }

    /// <summary>The results as CSV (RFC 4180 quoting) or TSV (tabs and newlines in values become spaces), header first.</summary>
    public static string Delimited(MsqResultsView results, char separator)
    {
        var text = new StringBuilder();
        void Line(IEnumerable<string?> cells) => text.Append(string.Join(separator, cells.Select(c => Cell(c, separator)))).Append('\n');
        Line(results.Columns);
        foreach (var row in results.Rows)
        {
            Line(row);
        }

        return text.ToString();
    }

    private static string Cell(string? value, char separator)
    {
        value ??= "";
        if (separator == '\t')
        {
            return value.Replace('\t', ' ').Replace('\n', ' ').Replace('\r', ' ');
        }

        return value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
    }

    private static string ResultsJson(MsqResultsView results) =>
        new JsonArray(results.Rows.Select(row =>
        {
            var obj = new JsonObject();
            for (var i = 0; i < results.Columns.Count && i < row.Count; i++)
            {
                obj[results.Columns[i]] = row[i];
            }

            return (JsonNode)obj;
        }).ToArray()).ToJsonString();

    private static Color PhaseColour(MsqStageRow stage) => stage.Phase switch
    {
        "FAILED" => Color.Error,
        _ when stage.IsFinished => Color.Success,
        _ when stage.IsRunning => Color.Info,
        _ => Color.Default,
    };

    /// <summary>Input bytes and files read (of the total) under the input rows.</summary>
    public static string InputDetail(MsqStageRow stage)
    {
        var files = stage.TotalFiles > 0 ? $"{stage.InputFiles}/{stage.TotalFiles} files" : stage.InputFiles > 0 ? $"{stage.InputFiles} files" : null;
        return string.Join(" · ", new[] { stage.InputBytes > 0 ? Bytes(stage.InputBytes) : null, files }.Where(p => p is not null));
    }

    /// <summary>Output bytes and frames under the output rows.</summary>
    public static string OutputDetail(MsqStageRow stage) =>
        string.Join(" · ", new[]
        {
            stage.OutputBytes > 0 ? Bytes(stage.OutputBytes) : null,
            stage.OutputFrames > 0 ? $"{Count(stage.OutputFrames)} frame{(stage.OutputFrames == 1 ? "" : "s")}" : null,
        }.Where(p => p is not null));

    private static string Percent(double fraction) => (fraction * 100).ToString("0", CultureInfo.InvariantCulture) + "%";

    private static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    private static string Bytes(long bytes) => bytes <= 0 ? "–" : DataFormat.Bytes(bytes);

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
