using System.Text.Json.Nodes;
using Dashboard.Core.Common;
using Dashboard.Core.Errors;
using Dashboard.Core.Overlord;
using Dashboard.Core.Security;
using Dashboard.Core.Segments;
using Dashboard.Core.Storage;
using Dashboard.Core.Tasks;

namespace Dashboard.Core.Clients;

/// <summary>The embedded overlord behind <see cref="IOverlordClient"/>: calls the queue and the store directly.</summary>
public sealed partial class InProcessOverlordClient(
    TaskQueue queue,
    TaskQueryTool query,
    ITaskStorage storage,
    ISegmentMetadataStore segments,
    FileTaskLogs logs,
    TaskLocationProvider location,
    TaskPageReader pages,
    Msq.Execution.MsqSubmitter msq,
    Ingestion.Sampling.InputSampler sampler,
    IServiceProvider services) : IOverlordClient
{
    public const string NoReportsMessage =
        "No task reports were found for this task. The task may not exist, or it may not have completed yet.";

    public const string NoLogMessage = "No log was found for this task. The task may not exist, or it may not have begun running yet.";

    public Task<string> SubmitTaskAsync(JsonObject task, CancellationToken cancellationToken) => queue.AddAsync(task, cancellationToken);

    public async Task<JsonObject> GetTaskPayloadAsync(string taskId, CancellationToken cancellationToken)
    {
        ValidatePathId(taskId);
        var payload = await storage.GetPayloadAsync(taskId, cancellationToken).ConfigureAwait(false) ?? throw DruidException.TaskNotFound(taskId);

        // The stored payload holds its secrets encrypted (TaskPayloadSecrets); they are shown as masked, not as ciphertext.
        return SecretMasker.MaskInPlace(JsonNode.Parse(payload)!.AsObject());
    }

    public Task<TaskStatusPlus> GetTaskStatusAsync(string taskId, CancellationToken cancellationToken)
    {
        ValidatePathId(taskId);
        return query.GetStatusAsync(taskId, cancellationToken);
    }

    public Task<IReadOnlyList<TaskStatusPlus>> GetTasksAsync(TaskListQuery listQuery, CancellationToken cancellationToken) =>
        query.GetTasksAsync(listQuery, cancellationToken);

    public Task<IReadOnlyDictionary<string, TaskStatus>> GetTaskStatusesAsync(IReadOnlyCollection<string> taskIds, CancellationToken cancellationToken)
    {
        if (taskIds.Count == 0)
        {
            throw new DruidException(400, ErrorBodyShape.PlainTextLabelledJson, "No Task IDs provided.");
        }

        return query.GetStatusesAsync(taskIds, cancellationToken);
    }

    public async Task<JsonObject> GetTaskReportsAsync(string taskId, CancellationToken cancellationToken)
    {
        ValidatePathId(taskId);
        // Live and stored reports were masked where they left the task (TaskToolbox, TaskQueue.FinishAsync).
        if (queue.GetLiveReport(taskId) is { } live)
        {
            return (JsonObject)live.DeepClone();
        }

        await query.EnsureExistsAsync(taskId, cancellationToken).ConfigureAwait(false);
        var stored = await storage.GetReportAsync(taskId, cancellationToken).ConfigureAwait(false)
                     ?? throw new DruidException(404, ErrorBodyShape.PlainTextLabelledJson, NoReportsMessage);
        return JsonNode.Parse(stored)!.AsObject();
    }

    public async Task<byte[]> GetTaskLogAsync(string taskId, long offset, CancellationToken cancellationToken)
    {
        ValidatePathId(taskId);
        await query.EnsureExistsAsync(taskId, cancellationToken).ConfigureAwait(false);
        return await logs.ReadAsync(taskId, offset, cancellationToken).ConfigureAwait(false) ?? throw DruidException.Text(404, NoLogMessage);
    }

    public async Task<IReadOnlyList<DataSegment>> GetTaskSegmentsAsync(string taskId, CancellationToken cancellationToken)
    {
        ValidatePathId(taskId);
        await query.EnsureExistsAsync(taskId, cancellationToken).ConfigureAwait(false);
        return await segments.GetSegmentsPublishedByAsync(taskId, cancellationToken).ConfigureAwait(false);
    }

    public async Task ShutdownTaskAsync(string taskId, CancellationToken cancellationToken)
    {
        ValidatePathId(taskId);
        await query.EnsureExistsAsync(taskId, cancellationToken).ConfigureAwait(false);
        await queue.ShutdownAsync(taskId, TaskMessages.ShutdownRequestFromUser, cancellationToken).ConfigureAwait(false);
    }

    public async Task ShutdownAllTasksAsync(string dataSource, CancellationToken cancellationToken)
    {
        if (await queue.ShutdownAllAsync(dataSource, TaskMessages.ShutdownRequestFromUser, cancellationToken).ConfigureAwait(false) == 0)
        {
            throw new DruidException(404, ErrorBodyShape.Empty, $"Datasource [{dataSource}] has no active task to shut down.");
        }
    }

    public async Task<int> CleanPendingSegmentsAsync(string dataSource, Interval? interval, CancellationToken cancellationToken)
    {
        // Pending segments of an active task are still in use: refuse rather than break the task (as Druid does).
        var blocking = queue.SnapshotActive()
            .Where(t => t.DataSource == dataSource && (interval is not { } i || i.End > t.CreatedTime))
            .MinBy(t => t.CreatedTime);
        if (blocking is not null)
        {
            var described = interval?.ToString() ?? Interval.Eternity.ToString();
            throw DruidException.ErrorMap(400,
                $"Cannot delete pendingSegments for datasource[{dataSource}] as there is at least one active task[{blocking.Id}] created at[{DruidTime.Format(blocking.CreatedTime)}] " +
                $"that overlaps with the delete interval[{(interval is null ? "all" : described)}]. Please retry when there are no active tasks.");
        }

        return await segments.DeletePendingSegmentsAsync(dataSource, interval, cancellationToken).ConfigureAwait(false);
    }

    public Task<TotalWorkerCapacity> GetTotalWorkerCapacityAsync(CancellationToken cancellationToken)
    {
        var stats = queue.Stats;
        return Task.FromResult(new TotalWorkerCapacity(queue.Capacity, stats.Running));
    }

    /// <summary>This server as Druid's one worker: its task slots, the tasks running in them, its last completion.</summary>
    public Task<IReadOnlyList<WorkerInfo>> GetWorkersAsync(CancellationToken cancellationToken)
    {
        var running = queue.SnapshotActive().Where(t => t.RunnerStatusCode == RunnerTaskState.RUNNING).ToList();
        var here = location.Current;
        var host = here.Port > 0 || here.TlsPort > 0 ? $"{here.Host}:{(here.TlsPort > 0 ? here.TlsPort : here.Port)}" : here.Host ?? "localhost";
        var worker = new Worker(here.TlsPort > 0 ? "https" : "http", host, here.Host ?? "localhost", queue.Capacity, WorkerInfo.DefaultVersion,
            Metrics.DruidMetrics.DefaultWorkerCategory);
        IReadOnlyList<WorkerInfo> workers =
        [
            new WorkerInfo(worker, running.Count, running.Count(t => t.Type == "index_parallel"), running.Select(t => t.Id).ToList(),
                running.Select(t => t.Id).ToList(), queue.LastCompletedTaskTime, null),
        ];
        return Task.FromResult(workers);
    }

    public Task<string> GetLeaderAsync(CancellationToken cancellationToken) => Task.FromResult(location.LeaderUrl);

    public Task<SqlTaskSubmission> SubmitSqlTaskAsync(SqlTaskRequest request, CancellationToken cancellationToken) => msq.SubmitAsync(request, cancellationToken);

    public Task<Ingestion.Sampling.SamplerResponse> SampleAsync(JsonObject samplerSpec, CancellationToken cancellationToken) =>
        sampler.SampleAsync(Ingestion.Sampling.SamplerSpec.Parse(samplerSpec), cancellationToken);

    /// <summary>Path ids are validated before lookup; Druid lets that error escape as a 500.</summary>
    private static void ValidatePathId(string taskId)
    {
        if (TaskIds.Check("taskId", taskId) is { } message)
        {
            throw DruidException.InvalidInput(message, statusCode: 500);
        }
    }
}
