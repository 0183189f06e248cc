using System.Text.Json.Nodes;
using Dashboard.Core.Feed;
using Dashboard.Core.Storage;
using Dashboard.Core.Tasks;

namespace Dashboard.Core.Overlord;

/// <summary>The toolbox of one running task: its log file, its live report (published on the feed), locks and subtasks.</summary>
internal sealed class TaskToolbox(ActiveTask entry, FileTaskLogs logs, TaskFeed feed, TaskQueue queue, ITaskStorage storage) : ITaskToolbox
{
    public TaskLocation Location => entry.Location;

    public ValueTask LogAsync(string message, CancellationToken cancellationToken = default)
    {
        logs.Append(entry.Record.Id, message);
        return ValueTask.CompletedTask;
    }

    public ValueTask UpdateReportAsync(JsonObject report, CancellationToken cancellationToken = default)
    {
        entry.LiveReport = report;
        feed.Publish(new TaskReportUpdated(entry.Record.Id, entry.Record.DataSource, report));
        return ValueTask.CompletedTask;
    }

    public Task AcquireLocksAsync(IReadOnlyList<LockRequest> requests, CancellationToken cancellationToken) =>
        queue.AcquireLocksAsync(entry, requests, cancellationToken);

    public Task<string> SubmitSubtaskAsync(JsonObject task, CancellationToken cancellationToken) => queue.AddAsync(task, cancellationToken);

    public Task<TaskStatus> WaitForCompletionAsync(string taskId, CancellationToken cancellationToken) => queue.WaitForCompletionAsync(taskId, cancellationToken);

    public async Task<JsonObject?> GetReportAsync(string taskId, CancellationToken cancellationToken) =>
        await storage.GetReportAsync(taskId, cancellationToken) is { } json ? JsonNode.Parse(json)!.AsObject() : null;

    public Task ShutdownTaskAsync(string taskId, string reason, CancellationToken cancellationToken) => queue.ShutdownAsync(taskId, reason, cancellationToken);
}
