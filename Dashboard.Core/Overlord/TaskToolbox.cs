using System.Text.Json.Nodes;
using Dashboard.Core.Feed;
using Dashboard.Core.Security;
using Dashboard.Core.Storage;
using Dashboard.Core.Tasks;

namespace Dashboard.Core.Overlord;

/// <summary>
/// The toolbox of one running task: its log file, its live report (published on the feed), locks and subtasks. What
/// leaves the task through it (log lines, live reports) is masked on the way out; the final report, status and error are
/// masked by the queue when the task ends.
/// </summary>
internal sealed class TaskToolbox(ActiveTask entry, FileTaskLogs logs, TaskFeed feed, TaskQueue queue, ITaskStorage storage) : ITaskToolbox
{
    public TaskLocation Location => entry.Location;

    /// <summary>The log masks every line it is given (<see cref="FileTaskLogs.Append"/>), the queue's own lines included.</summary>
    public ValueTask LogAsync(string message, CancellationToken cancellationToken = default)
    {
        logs.Append(entry.Record.Id, message);
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Masks a copy of the report here, once: the live report the API serves and the feed's (hub, pages, wall) are that
    /// copy, so no reader needs to mask again and the task may go on changing its own object.
    /// </summary>
    public ValueTask UpdateReportAsync(JsonObject report, CancellationToken cancellationToken = default)
    {
        var masked = SecretMasker.MaskJson(report);
        entry.LiveReport = masked;
        feed.Publish(new TaskReportUpdated(entry.Record.Id, entry.Record.DataSource, masked));
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
