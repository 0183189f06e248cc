using System.Text.Json.Nodes;

namespace Dashboard.Core.Tasks;

/// <summary>What the overlord gives a running task: its log, its live report, its place in the cluster.</summary>
public interface ITaskToolbox
{
    TaskLocation Location { get; }

    /// <summary>Appends a line to the task's log (served by <c>GET /task/{id}/log</c>).</summary>
    ValueTask LogAsync(string message, CancellationToken cancellationToken = default);

    /// <summary>Replaces the task's live report (served by <c>GET /task/{id}/reports</c> while it runs).</summary>
    ValueTask UpdateReportAsync(JsonObject report, CancellationToken cancellationToken = default);
}
