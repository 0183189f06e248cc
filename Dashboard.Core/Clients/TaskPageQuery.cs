using Dashboard.Core.Tasks;

namespace Dashboard.Core.Clients;

/// <summary>
/// What an operator sees as a task's status (<see cref="TaskStatusPlus.DisplayStatus"/>): the runner state of an active
/// task, or how a complete one ended. CANCELED is a task shut down by a user.
/// </summary>
public static class DisplayStatus
{
    public const string Running = "RUNNING";
    public const string Pending = "PENDING";
    public const string Waiting = "WAITING";
    public const string Success = "SUCCESS";
    public const string Failed = "FAILED";
    public const string Canceled = "CANCELED";

    /// <summary>In the order the dashboard lists them: active ones first.</summary>
    public static IReadOnlyList<string> All { get; } = [Running, Pending, Waiting, Success, Failed, Canceled];

    public static IReadOnlyList<string> Active { get; } = [Running, Pending, Waiting];

    public static IReadOnlyList<string> Complete { get; } = [Success, Failed, Canceled];

    public static bool IsActive(string status) => status is Running or Pending or Waiting;

    /// <summary>The upper-case name when <paramref name="text"/> names a status (any case), else null.</summary>
    public static string? Parse(string? text) =>
        All.FirstOrDefault(s => string.Equals(s, text?.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>Sort rank used by status sorting, active states first.</summary>
    public static int Rank(string status) => status switch
    {
        Running => 0,
        Pending => 1,
        Waiting => 2,
        Failed => 3,
        Canceled => 4,
        Success => 5,
        _ => 6,
    };
}

/// <summary>Columns the task grid can be sorted by.</summary>
public enum TaskSortField
{
    Created,
    Id,
    GroupId,
    Type,
    DataSource,
    Status,
    Duration,
}

/// <summary>
/// One page of the dashboard's task grid, filtered and sorted on the server. Filters combine with AND; string filters
/// are exact except <see cref="IdContains"/>. <see cref="CreatedFrom"/>/<see cref="CreatedTo"/> bound every task's
/// creation time ([from, to)); <see cref="CompleteCreatedFrom"/> bounds only complete tasks, the way Druid's task list keeps
/// complete tasks of a recent window and every active task.
/// </summary>
public sealed record TaskPageQuery
{
    /// <summary>Display statuses to keep (<see cref="DisplayStatus"/>); empty keeps all.</summary>
    public IReadOnlyCollection<string> Statuses { get; init; } = [];

    public string? DataSource { get; init; }

    /// <summary>
    /// Keeps only tasks whose datasource this accepts (the signed-in user's READ permission; a task without one is asked
    /// about ""); null keeps every datasource. Any rule may stand here (names, <c>*</c>, regular expressions): the embedded
    /// store applies it to the datasource names it holds and filters on the resulting set in SQL.
    /// </summary>
    public Func<string, bool>? ReadableDataSource { get; init; }

    public string? Type { get; init; }
    public string? GroupId { get; init; }

    /// <summary>Keeps tasks whose id contains this text (case-insensitive for ASCII letters).</summary>
    public string? IdContains { get; init; }

    public DateTimeOffset? CreatedFrom { get; init; }
    public DateTimeOffset? CreatedTo { get; init; }
    public DateTimeOffset? CompleteCreatedFrom { get; init; }

    public TaskSortField Sort { get; init; } = TaskSortField.Created;
    public bool Descending { get; init; } = true;

    public int Offset { get; init; }
    public int Limit { get; init; } = 50;

    /// <summary>The largest page a caller may ask for.</summary>
    public const int MaxLimit = 1000;

    /// <summary>True when a task (as lists show it) passes every filter except <see cref="Statuses"/>.</summary>
    public bool MatchesIgnoringStatus(TaskStatusPlus task)
    {
        if (DataSource is not null && task.DataSource != DataSource) return false;
        if (ReadableDataSource is not null && !ReadableDataSource(task.DataSource ?? "")) return false;
        if (Type is not null && task.Type != Type) return false;
        if (GroupId is not null && task.GroupId != GroupId) return false;
        if (!string.IsNullOrEmpty(IdContains) && !task.Id.Contains(IdContains, StringComparison.OrdinalIgnoreCase)) return false;
        if (CreatedFrom is { } from && task.CreatedTime < from) return false;
        if (CreatedTo is { } to && task.CreatedTime >= to) return false;
        if (!task.IsActive && CompleteCreatedFrom is { } since && task.CreatedTime < since) return false;
        return true;
    }

    /// <summary>True when the task passes every filter.</summary>
    public bool Matches(TaskStatusPlus task) =>
        (Statuses.Count == 0 || Statuses.Contains(task.DisplayStatus)) && MatchesIgnoringStatus(task);
}

/// <summary>
/// A page of tasks with the number of tasks that match the whole query, and per display status how many match the
/// query's other filters (the state chips' counts).
/// </summary>
public sealed record TaskPage(IReadOnlyList<TaskStatusPlus> Rows, int TotalCount, IReadOnlyDictionary<string, int> StatusCounts)
{
    public static TaskPage Empty { get; } = new([], 0, DisplayStatus.All.ToDictionary(s => s, _ => 0));

    public int CountOf(string status) => StatusCounts.TryGetValue(status, out var n) ? n : 0;
}
