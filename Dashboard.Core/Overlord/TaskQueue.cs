using System.Text.Json.Nodes;
using Dashboard.Core.Common;
using Dashboard.Core.Errors;
using System.Collections.Concurrent;
using Dashboard.Core.Feed;
using Dashboard.Core.Metrics;
using Dashboard.Core.Security;
using Dashboard.Core.Segments;
using Dashboard.Core.Storage;
using Dashboard.Core.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Dashboard.Core.Overlord;

/// <summary>
/// Admits, orders and tracks active tasks. A submitted task is persisted (status RUNNING) before it is acknowledged,
/// waits (WAITING) until the <see cref="TaskLockbox"/> grants all its locks, is handed to the <see cref="TaskRunner"/>
/// (PENDING until a slot frees, then RUNNING), and when it ends its status, report and segments are persisted in one
/// transaction before its locks and slot are released. Every transition is published once on the feed, in order.
/// </summary>
public sealed class TaskQueue
{
    private readonly object _gate = new();
    private readonly Dictionary<string, ActiveTask> _active = new(StringComparer.Ordinal);
    private readonly List<ActiveTask> _waiting = [];
    private readonly List<LockWait> _lockWaits = [];
    private readonly ConcurrentDictionary<string, TaskCompletionSource<TaskStatus>> _completions = new(StringComparer.Ordinal);
    private readonly LocalDeepStorage _deepStorage;
    private readonly TaskTypeRegistry _registry;
    private readonly ITaskStorage _storage;
    private readonly FileTaskLogs _logs;
    private readonly TaskLockbox _lockbox;
    private readonly TaskRunner _runner;
    private readonly TaskFeed _feed;
    private readonly TaskPayloadSecrets _secrets;
    private readonly TimeProvider _time;
    private readonly ILogger<TaskQueue> _logger;
    private readonly TaskMetrics _metrics;
    private readonly int _maxSize;
    private long _admissions;
    private bool _stopping;

    public TaskQueue(TaskTypeRegistry registry, ITaskStorage storage, FileTaskLogs logs, TaskLockbox lockbox, TaskRunner runner,
        TaskFeed feed, LocalDeepStorage deepStorage, TaskPayloadSecrets secrets, IOptions<OverlordOptions> options, TimeProvider time,
        ILogger<TaskQueue> logger, TaskMetrics metrics)
    {
        _secrets = secrets;
        _metrics = metrics;
        LastCompletedTaskTime = time.GetUtcNow();
        _deepStorage = deepStorage;
        _registry = registry;
        _storage = storage;
        _logs = logs;
        _lockbox = lockbox;
        _runner = runner;
        _feed = feed;
        _time = time;
        _logger = logger;
        _maxSize = options.Value.QueueMaxSize;
        _runner.Completed = OnTaskCodeEndedAsync;
        _runner.Toolbox = entry => new TaskToolbox(entry, _logs, _feed, this, _storage);
        metrics.ObserveQueue(CountByDataSource, () => (_runner.Capacity, Stats.Running));
    }

    public int Capacity => _runner.Capacity;

    /// <summary>When a task last completed here; the queue's creation until one has (as Druid's worker reports it).</summary>
    public DateTimeOffset LastCompletedTaskTime { get; private set; }

    /// <summary>Counts of active tasks by runner state and free slots, read in one consistent moment.</summary>
    public QueueStats Stats
    {
        get
        {
            lock (_gate)
            {
                return new QueueStats(_waiting.Count, _runner.PendingCount, _runner.RunningCount, _runner.Capacity - _runner.RunningCount);
            }
        }
    }

    /// <summary>Active tasks per data source by runner state, read in one consistent moment (for the task gauges).</summary>
    public IReadOnlyList<DataSourceTaskCounts> CountByDataSource()
    {
        lock (_gate)
        {
            return _active.Values.GroupBy(e => e.Record.DataSource, StringComparer.Ordinal)
                .Select(g => new DataSourceTaskCounts(g.Key, g.Count(e => e.RunnerState == RunnerTaskState.WAITING),
                    g.Count(e => e.RunnerState == RunnerTaskState.PENDING), g.Count(e => e.RunnerState == RunnerTaskState.RUNNING)))
                .ToList();
        }
    }

    /// <summary>Validates, persists and queues a task. Returns its id once it is durable.</summary>
    public async Task<string> AddAsync(JsonObject json, CancellationToken cancellationToken)
    {
        var task = await _registry.CreateAsync(json, cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            ThrowIfStopping();
            if (_active.ContainsKey(task.Id))
            {
                throw DruidException.EntryAlreadyExists($"Task[{task.Id}] already exists");
            }

            if (_active.Count >= _maxSize)
            {
                throw DruidException.CapacityExceeded(
                    $"Task queue already contains [{_active.Count}] tasks. Retry later or increase 'Overlord:QueueMaxSize'[{_maxSize}].");
            }
        }

        var record = new TaskRecord(task.Id, task.GroupId, task.Type, task.DataSource, _time.GetUtcNow(), TaskStatus.Running(task.Id));
        // Secrets are encrypted at rest; the task runs from the submitted spec, which it keeps in clear in memory.
        await _storage.InsertAsync(record, _secrets.Protect(task.Payload).ToJsonString(DruidJson.Options), cancellationToken).ConfigureAwait(false);
        _logs.Append(task.Id, $"Task submitted: type [{task.Type}], dataSource [{task.DataSource}], priority [{task.Priority}].");

        var changed = new List<ActiveTask>();
        lock (_gate)
        {
            var entry = new ActiveTask(task, record, ++_admissions);
            _active.Add(task.Id, entry);
            _waiting.Add(entry);
            Publish(entry);
            PromoteWaiting(changed);
            changed.ForEach(Publish);
        }

        return task.Id;
    }

    /// <summary>
    /// Ends an active task as FAILED with <paramref name="reason"/>, persisted before this returns; its code is cancelled and
    /// its locks and slot are released. Returns false when the task is not active (a no-op, as in Druid).
    /// </summary>
    public async Task<bool> ShutdownAsync(string taskId, string reason, CancellationToken cancellationToken)
    {
        ActiveTask? entry;
        lock (_gate)
        {
            _active.TryGetValue(taskId, out entry);
        }

        if (entry is null || !entry.TryBeginCompletion())
        {
            return false;
        }

        _logs.Append(taskId, $"Shutting down: {reason}.", "WARN");
        await entry.Cancellation.CancelAsync().ConfigureAwait(false);
        var status = TaskStatus.Failure(taskId, reason, entry.RunMillis, entry.Location);
        var report = entry.Task is IShutdownReport reporting && entry.RunnerState == RunnerTaskState.RUNNING ? reporting.ShutdownReport() : entry.LiveReport;
        await FinishAsync(entry, new TaskCompletion(status, reason, report, []), CancellationToken.None).ConfigureAwait(false);
        return true;
    }

    /// <summary>Shuts down every active task of the data source; returns how many there were.</summary>
    public async Task<int> ShutdownAllAsync(string dataSource, string reason, CancellationToken cancellationToken)
    {
        List<string> ids;
        lock (_gate)
        {
            ids = _active.Values.Where(e => e.Record.DataSource == dataSource).Select(e => e.Record.Id).ToList();
        }

        var results = await Task.WhenAll(ids.Select(id => ShutdownAsync(id, reason, cancellationToken))).ConfigureAwait(false);
        return results.Count(r => r);
    }

    /// <summary>Active tasks as task lists show them, oldest first.</summary>
    public IReadOnlyList<TaskStatusPlus> SnapshotActive()
    {
        lock (_gate)
        {
            return _active.Values
                .OrderBy(e => e.Record.CreatedTime).ThenBy(e => e.Admission)
                .Select(e => e.ToListEntry()).ToList();
        }
    }

    /// <summary>The active task as lists show it, or null when it is not active in this queue.</summary>
    public TaskStatusPlus? GetActive(string taskId)
    {
        lock (_gate)
        {
            return _active.TryGetValue(taskId, out var entry) ? entry.ToListEntry() : null;
        }
    }

    public JsonObject? GetLiveReport(string taskId)
    {
        lock (_gate)
        {
            return _active.TryGetValue(taskId, out var entry) ? entry.LiveReport : null;
        }
    }

    /// <summary>
    /// At start-up: secrets an older version stored in clear are protected (once per store). Tasks the store still has as
    /// active belonged to a process that ended without finishing them. They end FAILED; nothing they wrote was
    /// published, since publishing happens only with SUCCESS.
    /// </summary>
    public async Task RecoverAsync(CancellationToken cancellationToken)
    {
        if (await _storage.ProtectLegacySecretsAsync(_secrets.Protect, cancellationToken).ConfigureAwait(false) is > 0 and var upgraded)
        {
            _logger.LogWarning("Encrypted or masked {Count} secret-bearing value(s) that an older version had stored in clear.", upgraded);
        }

        var orphans = await _storage.GetActiveAsync(cancellationToken).ConfigureAwait(false);
        foreach (var orphan in orphans)
        {
            _logs.Append(orphan.Id, TaskMessages.OverlordRestarted + ".", "ERROR");
            var status = TaskStatus.Failure(orphan.Id, TaskMessages.OverlordRestarted, 0, orphan.Status.Location);
            await _storage.CompleteAsync(new TaskCompletion(status, TaskMessages.OverlordRestarted, null, []), cancellationToken).ConfigureAwait(false);
        }

        if (orphans.Count > 0)
        {
            _logger.LogWarning("Marked {Count} task(s) FAILED that were still active when the previous overlord process stopped.", orphans.Count);
        }
    }

    /// <summary>At shutdown: refuses new tasks and ends every active task FAILED, persisted, with a message that says why.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        List<string> ids;
        lock (_gate)
        {
            _stopping = true;
            ids = _active.Keys.ToList();
        }

        await Task.WhenAll(ids.Select(id => ShutdownAtStopAsync(id, cancellationToken))).ConfigureAwait(false);
        await _logs.FlushAsync().ConfigureAwait(false);
    }

    // A store already closed by the host cannot take the FAILED status; the next start ends such tasks FAILED instead.
    private async Task ShutdownAtStopAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            await ShutdownAsync(id, TaskMessages.OverlordShutdown, cancellationToken).ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            _logger.LogWarning("Task {TaskId} was still active when the metadata store closed; the next start ends it FAILED.", id);
        }
    }

    private async Task OnTaskCodeEndedAsync(ActiveTask entry, TaskRunResult result)
    {
        var id = entry.Record.Id;
        if (!entry.TryBeginCompletion())
        {
            // A shutdown decided this task's status already: what it wrote is discarded.
            _deepStorage.DeleteStaged(result.Segments);
            _deepStorage.DeleteTaskFolders(id);
            return;
        }

        var status = result.Succeeded
            ? TaskStatus.Success(id, entry.RunMillis, entry.Location)
            : TaskStatus.Failure(id, result.ErrorMessage ?? "Task failed without a message", entry.RunMillis, entry.Location);
        var segments = result.Segments.Select(s => s.Segment).ToList();
        try
        {
            if (result.Succeeded)
            {
                _deepStorage.Promote(result.Segments);
            }

            var completion = new TaskCompletion(status, result.ErrorMessage, result.Report ?? entry.LiveReport, result.Succeeded ? segments : [],
                result.Succeeded ? result.Drop : null);
            await FinishAsync(entry, completion, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Could not publish the result of task {TaskId}; marking it FAILED.", id);
            _deepStorage.Unpromote(segments);
            var failure = TaskStatus.Failure(id, $"Could not publish the task's result: {ex.Message}", entry.RunMillis, entry.Location);
            await FinishAsync(entry, new TaskCompletion(failure, ex.ToString(), null, []), CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            _deepStorage.DeleteStaged(result.Segments);
            _deepStorage.DeleteTaskFolders(id);
        }
    }

    /// <summary>Takes locks for a running task, waiting while another task group holds a conflicting one.</summary>
    internal async Task AcquireLocksAsync(ActiveTask entry, IReadOnlyList<LockRequest> requests, CancellationToken cancellationToken)
    {
        LockWait wait;
        lock (_gate)
        {
            if (_lockbox.TryAcquire(entry.Record.Id, entry.Task.GroupId, entry.Task.Priority, requests))
            {
                return;
            }

            wait = new LockWait(entry, requests);
            _lockWaits.Add(wait);
            var conflict = requests.Select(r => _lockbox.FindConflict(entry.Task.GroupId, r)).FirstOrDefault(c => c is not null);
            _logs.Append(entry.Record.Id, conflict is null
                ? "Waiting for locks."
                : $"Waiting for the {conflict.Request.Type.ToString().ToLowerInvariant()} lock on {conflict.Request.DataSource} {conflict.Request.Interval} held by task [{conflict.TaskId}].");
        }

        try
        {
            await wait.Granted.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            lock (_gate)
            {
                _lockWaits.Remove(wait);
            }

            throw;
        }
    }

    /// <summary>Completes when the task is complete, with its final status.</summary>
    public async Task<TaskStatus> WaitForCompletionAsync(string taskId, CancellationToken cancellationToken)
    {
        var waiter = _completions.GetOrAdd(taskId, _ => new TaskCompletionSource<TaskStatus>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (GetActive(taskId) is null && await _storage.GetAsync(taskId, cancellationToken).ConfigureAwait(false) is { Status.Status: not TaskState.RUNNING } record)
        {
            waiter.TrySetResult(record.Status);
        }

        try
        {
            return await waiter.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (waiter.Task.IsCompleted)
            {
                _completions.TryRemove(taskId, out _);
            }
        }
    }

    private async Task FinishAsync(ActiveTask entry, TaskCompletion completion, CancellationToken cancellationToken)
    {
        // The one point where a task's final report and error leave it: stored, published and logged masked.
        completion = completion with
        {
            Report = completion.Report is { } report ? SecretMasker.MaskJson(report) : null,
            ErrorDetail = completion.ErrorDetail is { } detail ? SecretMasker.MaskText(detail) : null,
        };
        await _storage.CompleteAsync(completion, cancellationToken).ConfigureAwait(false);
        _metrics.Ended(entry.Record, completion);
        LastCompletedTaskTime = _time.GetUtcNow();
        var status = completion.Status;
        _logs.Append(entry.Record.Id, status.Status == TaskState.SUCCESS
            ? $"Task finished with status SUCCESS after {status.Duration} ms."
            : $"Task finished with status FAILED after {status.Duration} ms: {completion.ErrorDetail ?? status.ErrorMsg}", status.Status == TaskState.SUCCESS ? "INFO" : "ERROR");

        var changed = new List<ActiveTask>();
        lock (_gate)
        {
            _active.Remove(entry.Record.Id);
            _waiting.Remove(entry);
            _runner.Remove(entry, changed);
            _lockbox.Release(entry.Record.Id);
            _lockWaits.RemoveAll(w => w.Entry == entry);
            GrantLockWaits();
            _feed.Publish(new TaskStatusChanged(ToCompleteEntry(entry.Record, status)));
            changed.ForEach(Publish);
            changed.Clear();
            PromoteWaiting(changed);
            changed.ForEach(Publish);
        }

        if (_completions.TryGetValue(entry.Record.Id, out var waiter))
        {
            waiter.TrySetResult(status);
        }
    }

    /// <summary>Gives running tasks the locks they wait for, oldest request first. Called under the lock.</summary>
    private void GrantLockWaits()
    {
        foreach (var wait in _lockWaits.ToList())
        {
            if (_lockbox.TryAcquire(wait.Entry.Record.Id, wait.Entry.Task.GroupId, wait.Entry.Task.Priority, wait.Requests))
            {
                _lockWaits.Remove(wait);
                wait.Granted.TrySetResult();
            }
        }
    }

    private sealed record LockWait(ActiveTask Entry, IReadOnlyList<LockRequest> Requests)
    {
        public TaskCompletionSource Granted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>
    /// Hands waiting tasks whose locks are free to the runner, highest priority first, then oldest. A task that cannot lock
    /// reserves what it asked for, so a later task wanting the same chunks cannot overtake it. Called under the lock.
    /// </summary>
    private void PromoteWaiting(List<ActiveTask> changed)
    {
        if (_waiting.Count == 0 || _stopping)
        {
            return;
        }

        var reserved = new List<(string GroupId, LockRequest Request)>();
        var promoted = new List<ActiveTask>();
        foreach (var entry in _waiting.OrderByDescending(e => e.Task.Priority).ThenBy(e => e.Admission))
        {
            if (entry.IsCompleting)
            {
                continue;
            }

            var requests = entry.Task.LockRequests;
            var blockedBy = requests.Select(r => reserved.FirstOrDefault(x => x.GroupId != entry.Task.GroupId && TaskLockbox.Conflicts(x.Request, r)))
                .FirstOrDefault(x => x.Request is not null);
            if (blockedBy.Request is null && _lockbox.TryAcquire(entry.Record.Id, entry.Task.GroupId, entry.Task.Priority, requests))
            {
                promoted.Add(entry);
                continue;
            }

            reserved.AddRange(requests.Select(r => (entry.Task.GroupId, r)));
            LogWaitReason(entry, blockedBy.Request);
        }

        foreach (var entry in promoted)
        {
            _waiting.Remove(entry);
            if (requestsDescribed(entry) is { } locks)
            {
                _logs.Append(entry.Record.Id, $"Acquired locks: {locks}.");
            }

            _runner.Add(entry, changed);
        }

        static string? requestsDescribed(ActiveTask entry) =>
            entry.Task.LockRequests.Count == 0 ? null : string.Join(", ", entry.Task.LockRequests.Select(r => $"{r.Type} {r.DataSource} {r.Interval}"));
    }

    private void LogWaitReason(ActiveTask entry, LockRequest? reservedBy)
    {
        string reason;
        if (reservedBy is not null)
        {
            reason = $"Waiting: an earlier or higher-priority task is waiting for {reservedBy.DataSource} {reservedBy.Interval}.";
        }
        else
        {
            var conflict = entry.Task.LockRequests.Select(r => _lockbox.FindConflict(entry.Task.GroupId, r)).FirstOrDefault(c => c is not null);
            reason = conflict is null
                ? "Waiting for locks."
                : $"Waiting for the {conflict.Request.Type.ToString().ToLowerInvariant()} lock on {conflict.Request.DataSource} {conflict.Request.Interval} held by task [{conflict.TaskId}].";
        }

        if (reason != entry.LoggedWaitReason)
        {
            entry.LoggedWaitReason = reason;
            _logs.Append(entry.Record.Id, reason);
        }
    }

    private void Publish(ActiveTask entry)
    {
        switch (entry.RunnerState)
        {
            case RunnerTaskState.RUNNING:
                _logs.Append(entry.Record.Id, $"Running on {entry.Location} ({_runner.RunningCount} of {_runner.Capacity} task slots in use).");
                break;
            case RunnerTaskState.PENDING:
                _logs.Append(entry.Record.Id, $"Pending: all {_runner.Capacity} task slots are in use.");
                break;
        }

        _feed.Publish(new TaskStatusChanged(entry.ToListEntry()));
    }

    private void ThrowIfStopping()
    {
        if (_stopping)
        {
            throw DruidException.ErrorMap(503, "The overlord is shutting down and accepts no new tasks.");
        }
    }

    internal static TaskStatusPlus ToCompleteEntry(TaskRecord record, TaskStatus status) =>
        new(record.Id, record.GroupId, record.Type, record.CreatedTime, DruidTime.Epoch, status.Status, RunnerTaskState.NONE,
            status.Duration, status.Location, record.DataSource, status.ErrorMsg);
}

/// <summary>Active tasks by runner state and free slots.</summary>
public sealed record QueueStats(int Waiting, int Pending, int Running, int FreeSlots);
