using System.Text.Json.Nodes;

namespace Dashboard.Hubs;

/// <summary>The hub's message names and payloads (docs/live-api.md). Task bodies are Druid's TaskStatusPlus JSON.</summary>
public static class TaskHubMessages
{
    public const string TaskStatusChanged = "taskStatusChanged";
    public const string TaskReportUpdated = "taskReportUpdated";
    public const string TaskLogAppended = "taskLogAppended";
    public const string FeedOverflowed = "feedOverflowed";
}

/// <param name="Sequence">The feed's event number: increases by at least one per event, in the order things happened.</param>
/// <param name="DisplayStatus">RUNNING, PENDING, WAITING, SUCCESS, FAILED or CANCELED (shut down by a user).</param>
/// <param name="Task">The task as <c>GET /druid/indexer/v1/tasks</c> lists it.</param>
public sealed record TaskStatusChangedMessage(long Sequence, string Time, string DisplayStatus, JsonNode Task);

public sealed record TaskReportUpdatedMessage(long Sequence, string Time, string TaskId, string DataSource, JsonObject Report);

public sealed record TaskLogAppendedMessage(long Sequence, string Time, string TaskId);

/// <param name="Missed">How many events this server could not deliver: re-read what you show through the HTTP API.</param>
public sealed record FeedOverflowedMessage(long Sequence, string Time, long Missed);
