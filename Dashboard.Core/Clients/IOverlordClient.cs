using System.Text.Json.Nodes;
using Dashboard.Core.Common;
using Dashboard.Core.Ingestion.Sampling;
using Dashboard.Core.Segments;
using Dashboard.Core.Tasks;

namespace Dashboard.Core.Clients;

/// <summary>
/// The overlord as Druid's Tasks API shapes it: one method per endpoint. The dashboard's components and the HTTP API
/// use only this, so cluster mode can swap the in-process implementation for one that speaks HTTP to Druid.
/// Errors are <see cref="Errors.DruidException"/>s carrying the status and body Druid would send.
/// </summary>
public interface IOverlordClient
{
    /// <summary><c>POST /druid/indexer/v1/task</c>: returns the task id.</summary>
    Task<string> SubmitTaskAsync(JsonObject task, CancellationToken cancellationToken);

    /// <summary><c>GET /druid/indexer/v1/task/{id}</c>: the task's payload.</summary>
    Task<JsonObject> GetTaskPayloadAsync(string taskId, CancellationToken cancellationToken);

    /// <summary><c>GET /druid/indexer/v1/task/{id}/status</c>.</summary>
    Task<TaskStatusPlus> GetTaskStatusAsync(string taskId, CancellationToken cancellationToken);

    /// <summary><c>GET /druid/indexer/v1/tasks</c>: complete tasks newest first, then active tasks oldest first.</summary>
    Task<IReadOnlyList<TaskStatusPlus>> GetTasksAsync(TaskListQuery query, CancellationToken cancellationToken);

    /// <summary><c>POST /druid/indexer/v1/taskStatus</c>: statuses of the ids that exist.</summary>
    Task<IReadOnlyDictionary<string, TaskStatus>> GetTaskStatusesAsync(IReadOnlyCollection<string> taskIds, CancellationToken cancellationToken);

    /// <summary><c>GET /druid/indexer/v1/task/{id}/reports</c>: live while running, final once complete.</summary>
    Task<JsonObject> GetTaskReportsAsync(string taskId, CancellationToken cancellationToken);

    /// <summary><c>GET /druid/indexer/v1/task/{id}/log?offset=N</c>: bytes from N, or the last |N| bytes when N is negative.</summary>
    Task<byte[]> GetTaskLogAsync(string taskId, long offset, CancellationToken cancellationToken);

    /// <summary><c>GET /druid/indexer/v1/task/{id}/segments</c>: the segments the task published.</summary>
    Task<IReadOnlyList<DataSegment>> GetTaskSegmentsAsync(string taskId, CancellationToken cancellationToken);

    /// <summary><c>POST /druid/indexer/v1/task/{id}/shutdown</c>: a no-op for a complete task.</summary>
    Task ShutdownTaskAsync(string taskId, CancellationToken cancellationToken);

    /// <summary><c>POST /druid/indexer/v1/datasources/{ds}/shutdownAllTasks</c>: 404 when it has no active task.</summary>
    Task ShutdownAllTasksAsync(string dataSource, CancellationToken cancellationToken);

    /// <summary><c>DELETE /druid/indexer/v1/pendingSegments/{ds}?interval=</c>: how many were deleted.</summary>
    Task<int> CleanPendingSegmentsAsync(string dataSource, Interval? interval, CancellationToken cancellationToken);

    /// <summary>
    /// The dashboard's task grid: one page of tasks filtered and sorted on the server, the number that match, and the
    /// per-status counts. Not a Druid endpoint; cluster mode answers it from Druid's task list.
    /// </summary>
    Task<TaskPage> QueryTasksAsync(TaskPageQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// <c>POST /druid/v2/sql/task</c>: plans an SQL-ingestion query and starts its controller task (202), or answers an
    /// EXPLAIN PLAN FOR with the plan row. Planning errors are 400 DruidExceptions (the caller wraps them in SqlTaskStatus).
    /// </summary>
    Task<SqlTaskSubmission> SubmitSqlTaskAsync(SqlTaskRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// <c>POST /druid/v2/sql</c> (resultFormat array, header): runs a SELECT interactively, with no task, and answers with
    /// its first <see cref="SqlQueryResult.MaxRows"/> rows. Planning errors are 400 DruidExceptions with line and column.
    /// </summary>
    Task<SqlQueryResult> QuerySqlAsync(Query.SqlQueryRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// <c>POST /druid/indexer/v1/sampler</c>: reads a bounded sample of an input source (Druid's sampler request shape) and
    /// answers with the rows as read and as parsed. Without an inputFormat the embedded sampler detects it; Druid needs one.
    /// Nothing is written and no task is created.
    /// </summary>
    Task<SamplerResponse> SampleAsync(JsonObject samplerSpec, CancellationToken cancellationToken);

    /// <summary><c>GET /druid/indexer/v1/totalWorkerCapacity</c>: task slots in all and in use.</summary>
    Task<TotalWorkerCapacity> GetTotalWorkerCapacityAsync(CancellationToken cancellationToken);

    /// <summary><c>GET /druid/indexer/v1/workers</c>: every worker with its capacity and running tasks.</summary>
    Task<IReadOnlyList<WorkerInfo>> GetWorkersAsync(CancellationToken cancellationToken);

    /// <summary><c>GET /druid/indexer/v1/leader</c>: the leader's URL.</summary>
    Task<string> GetLeaderAsync(CancellationToken cancellationToken);
}

/// <summary>Task slots as Druid's <c>totalWorkerCapacity</c> reports them: all slots, and those running a task.</summary>
public sealed record TotalWorkerCapacity(int CurrentClusterCapacity, int UsedClusterCapacity)
{
    public int Free => Math.Max(0, CurrentClusterCapacity - UsedClusterCapacity);
}
