using System.Text.Json.Nodes;
using Dashboard.Core.Overlord;

namespace Dashboard.Core.Tasks;

/// <summary>What the overlord gives a running task: its log, its live report, locks, and subtasks of its own.</summary>
public interface ITaskToolbox
{
    TaskLocation Location { get; }

    /// <summary>Appends a line to the task's log (served by <c>GET /task/{id}/log</c>).</summary>
    ValueTask LogAsync(string message, CancellationToken cancellationToken = default);

    /// <summary>Replaces the task's live report (served by <c>GET /task/{id}/reports</c> while it runs, published on the feed).</summary>
    ValueTask UpdateReportAsync(JsonObject report, CancellationToken cancellationToken = default);

    /// <summary>Takes more time-chunk locks while running, waiting until no other task group holds them.</summary>
    Task AcquireLocksAsync(IReadOnlyList<LockRequest> requests, CancellationToken cancellationToken);

    /// <summary>Submits a subtask (its groupId should be this task's id, so it shares this task's locks).</summary>
    Task<string> SubmitSubtaskAsync(JsonObject task, CancellationToken cancellationToken);

    /// <summary>Waits for a task to complete and returns its final status.</summary>
    Task<TaskStatus> WaitForCompletionAsync(string taskId, CancellationToken cancellationToken);

    /// <summary>The stored report of a complete task, or null.</summary>
    Task<JsonObject?> GetReportAsync(string taskId, CancellationToken cancellationToken);

    /// <summary>Shuts down a task (a subtask, when this task is being shut down).</summary>
    Task ShutdownTaskAsync(string taskId, string reason, CancellationToken cancellationToken);
}
