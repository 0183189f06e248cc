using System.Text.Json.Nodes;
using Dashboard.Core.Feed;
using Dashboard.Core.Storage;
using Dashboard.Core.Tasks;

namespace Dashboard.Core.Overlord;

/// <summary>The toolbox of one running task: its log file and its live report, published on the feed.</summary>
internal sealed class TaskToolbox(ActiveTask entry, FileTaskLogs logs, TaskFeed feed) : ITaskToolbox
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
}
