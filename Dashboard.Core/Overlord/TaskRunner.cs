using Dashboard.Core.Metrics;
using Dashboard.Core.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Dashboard.Core.Overlord;

/// <summary>
/// Task slots. A task handed to the runner is PENDING until a slot is free, then RUNNING. The runner executes the
/// task's code and reports its result to the queue. Slot bookkeeping is called under the task queue's lock.
/// </summary>
public sealed class TaskRunner(IOptions<OverlordOptions> options, TaskLocationProvider location, TimeProvider time, ILogger<TaskRunner> logger,
    TaskMetrics metrics)
{
    private readonly LinkedList<ActiveTask> _pending = new();
    private readonly HashSet<ActiveTask> _running = [];
    private int _pendingSubtasks;

    public int Capacity { get; } = options.Value.WorkerCapacity;

    public int RunningCount => _running.Count;

    public int PendingCount => _pending.Count;

    /// <summary>Called with the task and its result when its code ends; set by the task queue.</summary>
    internal Func<ActiveTask, TaskRunResult, Task>? Completed { get; set; }

    /// <summary>Builds the toolbox a task runs with; set by the task queue.</summary>
    internal Func<ActiveTask, ITaskToolbox>? Toolbox { get; set; }

    /// <summary>Takes a task whose locks are held. Returns the tasks that changed runner state (the task itself).</summary>
    internal void Add(ActiveTask task, List<ActiveTask> changed)
    {
        task.QueueInsertionTime = time.GetUtcNow();
        task.RunnerState = RunnerTaskState.PENDING;
        _pending.AddLast(task);
        if (IsSubtask(task))
        {
            _pendingSubtasks++;
        }

        changed.Add(task);
        FillSlots(changed);
    }

    /// <summary>Forgets a task that ended or was shut down and starts pending tasks in the freed slots.</summary>
    internal void Remove(ActiveTask task, List<ActiveTask> changed)
    {
        if (!_running.Remove(task) && _pending.Find(task) is { } node)
        {
            RemovePending(node);
        }

        FillSlots(changed);
    }

    /// <summary>
    /// Starts pending tasks while slots are free: first the subtasks of running tasks (their parents wait for them),
    /// then the rest in order, skipping a task that needs more free slots than there are. It runs under the queue's
    /// lock on every submission and completion, so it touches only the pending tasks it may start: the subtask pass
    /// is skipped when no subtask is pending, and the ordered pass stops once the slots are full.
    /// </summary>
    private void FillSlots(List<ActiveTask> changed)
    {
        if (_running.Count >= Capacity || _pending.Count == 0)
        {
            return;
        }

        HashSet<string>? runningGroups = null;
        if (_pendingSubtasks > 0)
        {
            runningGroups = _running.Select(t => t.Task.Id).ToHashSet(StringComparer.Ordinal);
            StartWhile(changed, t => IsSubtask(t) && runningGroups.Contains(t.Task.GroupId));
        }

        StartWhile(changed, t => runningGroups is null || !IsSubtask(t) || !runningGroups.Contains(t.Task.GroupId));
    }

    /// <summary>Starts, in order, the pending tasks that match and fit in the free slots, until none is free.</summary>
    private void StartWhile(List<ActiveTask> changed, Func<ActiveTask, bool> eligible)
    {
        for (var node = _pending.First; node is not null && _running.Count < Capacity;)
        {
            var next = node.Next;
            var task = node.Value;
            if (eligible(task) && Math.Min(task.Task.SlotsToStart, Capacity) <= Capacity - _running.Count)
            {
                RemovePending(node);
                _running.Add(task);
                Start(task);
                if (!changed.Contains(task))
                {
                    changed.Add(task);
                }
            }

            node = next;
        }
    }

    private static bool IsSubtask(ActiveTask task) => task.Task.GroupId != task.Task.Id;

    private void RemovePending(LinkedListNode<ActiveTask> node)
    {
        _pending.Remove(node);
        if (IsSubtask(node.Value))
        {
            _pendingSubtasks--;
        }
    }

    private void Start(ActiveTask task)
    {
        task.RunnerState = RunnerTaskState.RUNNING;
        task.Location = location.Current;
        task.MarkStarted();
        metrics.Started(task.Record, time.GetUtcNow() - task.QueueInsertionTime);
        _ = Task.Run(() => ExecuteAsync(task));
    }

    private async Task ExecuteAsync(ActiveTask task)
    {
        var toolbox = Toolbox!(task);
        TaskRunResult result;
        try
        {
            result = await task.Task.RunAsync(toolbox, task.Cancellation.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (task.Cancellation.IsCancellationRequested)
        {
            result = TaskRunResult.Failure(TaskMessages.ShutdownRequestFromUser);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Task {TaskId} threw an exception.", task.Task.Id);
            await toolbox.LogAsync($"Task failed with an exception:\n{ex}").ConfigureAwait(false);
            result = TaskRunResult.Failure($"{ex.GetType().Name}: {ex.Message}");
        }

        await Completed!(task, result).ConfigureAwait(false);
    }
}
