using System.Diagnostics;
using System.Text.Json.Nodes;
using Dashboard.Core.Common;
using Dashboard.Core.Storage;
using Dashboard.Core.Tasks;

namespace Dashboard.Core.Overlord;

/// <summary>
/// A task between submission and completion, as the queue and runner track it. Runner fields change only under the
/// task queue's lock.
/// </summary>
internal sealed class ActiveTask(ITask task, TaskRecord record, long admission)
{
    private int _completing;
    private long _startTimestamp;

    public ITask Task { get; } = task;
    public TaskRecord Record { get; } = record;

    /// <summary>Admission order, for FIFO among tasks of equal priority.</summary>
    public long Admission { get; } = admission;

    public RunnerTaskState RunnerState { get; set; } = RunnerTaskState.WAITING;
    public DateTimeOffset QueueInsertionTime { get; set; } = DruidTime.Epoch;
    public TaskLocation Location { get; set; } = TaskLocation.Unknown;
    public CancellationTokenSource Cancellation { get; } = new();
    public JsonObject? LiveReport { get; set; }

    /// <summary>Set once the task waited on a lock, so the log says so once rather than on every pass.</summary>
    public string? LoggedWaitReason { get; set; }

    public bool IsCompleting => Volatile.Read(ref _completing) == 1;

    /// <summary>True for the first caller only: the task's own end or a shutdown, whichever comes first, decides its status.</summary>
    public bool TryBeginCompletion() => Interlocked.Exchange(ref _completing, 1) == 0;

    public void MarkStarted() => _startTimestamp = Stopwatch.GetTimestamp();

    /// <summary>Milliseconds in a slot so far; 0 for a task that never started.</summary>
    public long RunMillis => _startTimestamp == 0 ? 0 : (long)Stopwatch.GetElapsedTime(_startTimestamp).TotalMilliseconds;

    /// <summary>The task as task lists show it (runner state, queue insertion time and location from the runner).</summary>
    public TaskStatusPlus ToListEntry() => new(Record.Id, Record.GroupId, Record.Type, Record.CreatedTime,
        RunnerState == RunnerTaskState.WAITING ? DruidTime.Epoch : QueueInsertionTime,
        TaskState.RUNNING, RunnerState, -1, Location, Record.DataSource, null);
}
