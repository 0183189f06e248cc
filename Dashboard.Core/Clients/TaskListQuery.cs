using Dashboard.Core.Common;
using Dashboard.Core.Errors;

namespace Dashboard.Core.Clients;

/// <summary>The <c>state</c> filter of <c>GET /druid/indexer/v1/tasks</c>.</summary>
public enum TaskListState
{
    Waiting,
    Pending,
    Running,
    Complete,
}

/// <summary>
/// The parameters of <c>GET /druid/indexer/v1/tasks</c>. <see cref="Max"/> limits complete tasks and applies only with
/// state=complete; <see cref="CreatedTimeInterval"/> keeps tasks created inside it (without it, complete tasks of the
/// recently-finished window).
/// </summary>
public sealed record TaskListQuery(
    TaskListState? State = null,
    string? DataSource = null,
    string? Type = null,
    int? Max = null,
    Interval? CreatedTimeInterval = null)
{
    /// <summary>Parses <c>state</c> case-insensitively; anything else is Druid's 400 plain-text error.</summary>
    public static TaskListState? ParseState(string? state) => state?.ToLowerInvariant() switch
    {
        null => null,
        "waiting" => TaskListState.Waiting,
        "pending" => TaskListState.Pending,
        "running" => TaskListState.Running,
        "complete" => TaskListState.Complete,
        _ => throw DruidException.Text(400, $"Invalid task state[{state}]. Must be one of [pending, waiting, running, complete]."),
    };

    /// <summary>Parses <c>createdTimeInterval</c>, where '_' stands for '/' (e.g. <c>2023-06-27_2023-06-28</c>).</summary>
    public static Interval? ParseCreatedTimeInterval(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        return Interval.TryParse(text.Replace('_', '/'), out var interval, out var outOfRange)
            ? interval
            : outOfRange ? throw DruidException.InvalidInput(Interval.OutOfRangeMessage("createdTimeInterval", text))
            : throw DruidException.ErrorMap(500,
                $"Invalid createdTimeInterval [{text}]: expected an ISO-8601 interval with '_' or '/' between start and end, e.g. 2023-06-27_2023-06-28.");
    }

    public static string? ToQueryValue(TaskListState? state) => state?.ToString().ToLowerInvariant();
}
