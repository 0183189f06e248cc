using System.Text.Json.Nodes;
using Dashboard.Core.Tasks;

namespace Dashboard.Core.Feed;

/// <summary>One change in the overlord, numbered in the order it happened.</summary>
public abstract record FeedEvent
{
    public long Sequence { get; init; }
    public DateTimeOffset Time { get; init; }
}

/// <summary>A task changed state (submitted, waiting, pending, running, complete). Carries the task as lists show it.</summary>
public sealed record TaskStatusChanged(TaskStatusPlus Task) : FeedEvent;

/// <summary>A running task's live report changed (counters, stages).</summary>
public sealed record TaskReportUpdated(string TaskId, string DataSource, JsonObject Report) : FeedEvent;

/// <summary>Lines were appended to a task's log and are on disk: a reader of the log's tail finds them now.</summary>
public sealed record TaskLogAppended(string TaskId) : FeedEvent;

/// <summary>
/// The subscriber fell behind and <see cref="Missed"/> events were dropped for it: it should re-read the state it shows.
/// </summary>
public sealed record FeedOverflowed(long Missed) : FeedEvent;
