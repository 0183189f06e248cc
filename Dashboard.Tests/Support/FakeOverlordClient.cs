using System.Text;
using System.Text.Json.Nodes;
using Dashboard.Core.Clients;
using Dashboard.Core.Common;
using Dashboard.Core.Errors;
using Dashboard.Core.Segments;
using Dashboard.Core.Tasks;

namespace Dashboard.Tests.Support;

/// <summary>An <see cref="IOverlordClient"/> that answers from what the test put in it, for component tests.</summary>
public sealed class FakeOverlordClient : IOverlordClient
{
    public List<TaskStatusPlus> Tasks { get; } = [];
    public Dictionary<string, JsonObject> Reports { get; } = new();
    public Dictionary<string, string> Logs { get; } = new();
    public List<TaskPageQuery> Queries { get; } = [];
    public List<string> ShutDown { get; } = [];
    public TotalWorkerCapacity Capacity { get; set; } = new(4, 0);

    /// <summary>When set, task queries throw it (an overlord that cannot be reached).</summary>
    public Exception? Unreachable { get; set; }

    /// <summary>Answers SubmitSqlTaskAsync (it may throw a DruidException as planning does); unset, it is not supported.</summary>
    public Func<SqlTaskRequest, SqlTaskSubmission>? SqlTasks { get; set; }

    public List<SqlTaskRequest> SqlRequests { get; } = [];

    /// <summary>Answers SampleAsync (it may throw a DruidException as the sampler does); unset, it is not supported.</summary>
    public Func<JsonObject, Dashboard.Core.Ingestion.Sampling.SamplerResponse>? Sampler { get; set; }

    public List<JsonObject> SamplerRequests { get; } = [];

    /// <summary>Answers QuerySqlAsync (it may throw a DruidException as planning does); unset, it is not supported.</summary>
    public Func<Dashboard.Core.Query.SqlQueryRequest, SqlQueryResult>? SqlQueries { get; set; }

    public List<Dashboard.Core.Query.SqlQueryRequest> SqlQueryRequests { get; } = [];

    public static TaskStatusPlus Task(string id, string display, string dataSource = "wikipedia", string type = "noop", DateTimeOffset? created = null,
        string? errorMsg = null)
    {
        var (state, runner) = display switch
        {
            "RUNNING" => (TaskState.RUNNING, RunnerTaskState.RUNNING),
            "PENDING" => (TaskState.RUNNING, RunnerTaskState.PENDING),
            "WAITING" => (TaskState.RUNNING, RunnerTaskState.WAITING),
            "SUCCESS" => (TaskState.SUCCESS, RunnerTaskState.NONE),
            _ => (TaskState.FAILED, RunnerTaskState.NONE),
        };
        var error = display == "CANCELED" ? TaskMessages.ShutdownRequestFromUser : errorMsg;
        return new TaskStatusPlus(id, id, type, created ?? DateTimeOffset.UtcNow.AddMinutes(-5), DruidTime.Epoch, state, runner,
            state == TaskState.RUNNING ? -1 : 1234, new TaskLocation("localhost", 8888, -1), dataSource, error);
    }

    public Task<TaskPage> QueryTasksAsync(TaskPageQuery query, CancellationToken cancellationToken)
    {
        if (Unreachable is not null)
        {
            throw Unreachable;
        }

        Queries.Add(query);
        var counts = DisplayStatus.All.ToDictionary(s => s, s => Tasks.Count(t => t.DisplayStatus == s && query.MatchesIgnoringStatus(t)));
        var matching = Tasks.Where(query.Matches).ToList();
        return System.Threading.Tasks.Task.FromResult(new TaskPage(matching.Skip(query.Offset).Take(query.Limit).ToList(), matching.Count, counts));
    }

    public Task<TaskStatusPlus> GetTaskStatusAsync(string taskId, CancellationToken cancellationToken) =>
        System.Threading.Tasks.Task.FromResult(Tasks.FirstOrDefault(t => t.Id == taskId) ?? throw DruidException.TaskNotFound(taskId));

    /// <summary>Payload, report and log reads, as "payload:id", "reports:id", "log:id".</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> Reads { get; } = new();

    public Task<JsonObject> GetTaskPayloadAsync(string taskId, CancellationToken cancellationToken)
    {
        Reads.Enqueue("payload:" + taskId);
        return System.Threading.Tasks.Task.FromResult(new JsonObject { ["type"] = "noop", ["id"] = taskId, ["dataSource"] = "wikipedia" });
    }

    public Task<JsonObject> GetTaskReportsAsync(string taskId, CancellationToken cancellationToken)
    {
        Reads.Enqueue("reports:" + taskId);
        return Reports.TryGetValue(taskId, out var report)
            ? System.Threading.Tasks.Task.FromResult((JsonObject)report.DeepClone())
            : throw new DruidException(404, ErrorBodyShape.PlainTextLabelledJson, "No task reports were found for this task.");
    }

    public Task<byte[]> GetTaskLogAsync(string taskId, long offset, CancellationToken cancellationToken)
    {
        Reads.Enqueue("log:" + taskId);
        return Logs.TryGetValue(taskId, out var log)
            ? System.Threading.Tasks.Task.FromResult(Encoding.UTF8.GetBytes(log))
            : throw DruidException.Text(404, "No log was found for this task.");
    }

    public Task ShutdownTaskAsync(string taskId, CancellationToken cancellationToken)
    {
        ShutDown.Add(taskId);
        return System.Threading.Tasks.Task.CompletedTask;
    }

    public Task<string> SubmitTaskAsync(JsonObject task, CancellationToken cancellationToken) => throw new NotSupportedException();
    public Task<IReadOnlyList<TaskStatusPlus>> GetTasksAsync(TaskListQuery query, CancellationToken cancellationToken) => throw new NotSupportedException();
    public Task<IReadOnlyDictionary<string, TaskStatus>> GetTaskStatusesAsync(IReadOnlyCollection<string> taskIds, CancellationToken cancellationToken) => throw new NotSupportedException();
    public Task<IReadOnlyList<DataSegment>> GetTaskSegmentsAsync(string taskId, CancellationToken cancellationToken) => throw new NotSupportedException();
    public Task ShutdownAllTasksAsync(string dataSource, CancellationToken cancellationToken) => throw new NotSupportedException();
    public Task<int> CleanPendingSegmentsAsync(string dataSource, Interval? interval, CancellationToken cancellationToken) => throw new NotSupportedException();
    public Task<string> GetLeaderAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

    public List<WorkerInfo> Workers { get; } = [];

    public Task<IReadOnlyList<WorkerInfo>> GetWorkersAsync(CancellationToken cancellationToken) =>
        Unreachable is { } down ? System.Threading.Tasks.Task.FromException<IReadOnlyList<WorkerInfo>>(down) : System.Threading.Tasks.Task.FromResult<IReadOnlyList<WorkerInfo>>(Workers.ToList());

    public Task<SqlTaskSubmission> SubmitSqlTaskAsync(SqlTaskRequest request, CancellationToken cancellationToken)
    {
        SqlRequests.Add(request);
        return System.Threading.Tasks.Task.FromResult((SqlTasks ?? throw new NotSupportedException())(request));
    }

    public Task<Dashboard.Core.Ingestion.Sampling.SamplerResponse> SampleAsync(JsonObject samplerSpec, CancellationToken cancellationToken)
    {
        SamplerRequests.Add(samplerSpec);
        return System.Threading.Tasks.Task.FromResult((Sampler ?? throw new NotSupportedException())(samplerSpec));
    }

    public Task<SqlQueryResult> QuerySqlAsync(Dashboard.Core.Query.SqlQueryRequest request, CancellationToken cancellationToken)
    {
        SqlQueryRequests.Add(request);
        return System.Threading.Tasks.Task.FromResult((SqlQueries ?? throw new NotSupportedException())(request));
    }

    public Task<TotalWorkerCapacity> GetTotalWorkerCapacityAsync(CancellationToken cancellationToken) => System.Threading.Tasks.Task.FromResult(Capacity);
}
