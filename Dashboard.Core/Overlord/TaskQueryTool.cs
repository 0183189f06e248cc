using Dashboard.Core.Clients;
using Dashboard.Core.Common;
using Dashboard.Core.Errors;
using Dashboard.Core.Storage;
using Dashboard.Core.Tasks;
using Microsoft.Extensions.Options;

namespace Dashboard.Core.Overlord;

/// <summary>
/// Answers task lookups from the two places tasks live: active tasks from the queue (runner state included),
/// complete ones from the metadata store.
/// </summary>
public sealed class TaskQueryTool(TaskQueue queue, ITaskStorage storage, IOptions<OverlordOptions> options, TimeProvider time)
{
    private readonly TimeSpan _recentlyFinished = options.Value.RecentlyFinishedWindow;

    public async Task<IReadOnlyList<TaskStatusPlus>> GetTasksAsync(TaskListQuery query, CancellationToken cancellationToken)
    {
        var result = new List<TaskStatusPlus>();
        if (query.State is null or TaskListState.Complete)
        {
            var max = query.State == TaskListState.Complete ? query.Max : null;
            if (max is < 0)
            {
                throw DruidException.ErrorMap(500, $"Invalid max [{max}]: must be zero or a positive number of complete tasks.");
            }

            if (max != 0)
            {
                var interval = query.CreatedTimeInterval;
                var filter = new CompleteTaskFilter(query.DataSource, query.Type,
                    interval?.Start ?? time.GetUtcNow() - _recentlyFinished, interval?.End, max);
                var complete = await storage.GetCompleteAsync(filter, cancellationToken).ConfigureAwait(false);
                result.AddRange(complete.Select(r => TaskQueue.ToCompleteEntry(r, r.Status)));
            }
        }

        if (query.State != TaskListState.Complete)
        {
            var completeIds = result.Select(t => t.Id).ToHashSet(StringComparer.Ordinal);
            result.AddRange(queue.SnapshotActive().Where(t =>
                !completeIds.Contains(t.Id) &&
                (query.DataSource is null || t.DataSource == query.DataSource) &&
                (query.Type is null || t.Type == query.Type) &&
                (query.CreatedTimeInterval is not { } i || i.Contains(t.CreatedTime)) &&
                MatchesState(t, query.State)));
        }

        return result;
    }

    /// <summary>
    /// The task's status as <c>/task/{id}/status</c> shows it: queueInsertionTime is always the epoch there, and a task the
    /// runner does not know (waiting or complete) shows runnerStatusCode WAITING, as Druid does.
    /// </summary>
    public async Task<TaskStatusPlus> GetStatusAsync(string taskId, CancellationToken cancellationToken)
    {
        if (queue.GetActive(taskId) is { } active)
        {
            return active with { QueueInsertionTime = DruidTime.Epoch };
        }

        var record = await storage.GetAsync(taskId, cancellationToken).ConfigureAwait(false) ?? throw DruidException.TaskNotFound(taskId);
        return new TaskStatusPlus(record.Id, record.GroupId, record.Type, record.CreatedTime, DruidTime.Epoch, record.Status.Status,
            RunnerTaskState.WAITING, record.Status.Duration, record.Status.Location, record.DataSource, record.Status.ErrorMsg);
    }

    /// <summary>Statuses of the ids that exist; a task in the runner shows as running at its runner location.</summary>
    public async Task<IReadOnlyDictionary<string, TaskStatus>> GetStatusesAsync(IReadOnlyCollection<string> taskIds, CancellationToken cancellationToken)
    {
        var statuses = new Dictionary<string, TaskStatus>(StringComparer.Ordinal);
        var fromStore = new List<string>();
        foreach (var id in taskIds.Distinct(StringComparer.Ordinal))
        {
            if (queue.GetActive(id) is { RunnerStatusCode: RunnerTaskState.PENDING or RunnerTaskState.RUNNING } active)
            {
                statuses[id] = TaskStatus.Running(id, active.Location);
            }
            else
            {
                fromStore.Add(id);
            }
        }

        foreach (var record in await storage.GetManyAsync(fromStore, cancellationToken).ConfigureAwait(false))
        {
            statuses[record.Id] = record.Status;
        }

        return statuses;
    }

    /// <summary>Throws Druid's 404 text when no task has this id, active or complete.</summary>
    public async Task EnsureExistsAsync(string taskId, CancellationToken cancellationToken)
    {
        if (queue.GetActive(taskId) is null && await storage.GetAsync(taskId, cancellationToken).ConfigureAwait(false) is null)
        {
            throw DruidException.TaskNotFound(taskId);
        }
    }

    private static bool MatchesState(TaskStatusPlus task, TaskListState? state) => state switch
    {
        null => true,
        TaskListState.Waiting => task.RunnerStatusCode == RunnerTaskState.WAITING,
        TaskListState.Pending => task.RunnerStatusCode == RunnerTaskState.PENDING,
        TaskListState.Running => task.RunnerStatusCode == RunnerTaskState.RUNNING,
        _ => false,
    };
}
