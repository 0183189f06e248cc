using Dashboard.Core.Tasks;

namespace Dashboard.Model;

/// <summary>One task as a grid row. Mutable so a feed event can update a row the grid already shows.</summary>
public sealed class TaskRow
{
    public TaskRow(TaskStatusPlus task) => Apply(task);

    public string Id { get; private set; } = "";
    public string GroupId { get; private set; } = "";
    public string Type { get; private set; } = "";
    public string DataSource { get; private set; } = "";
    public string Status { get; private set; } = "";
    public DateTimeOffset Created { get; private set; }

    /// <summary>Run time of a complete task in ms; null while active (see <see cref="DurationAt"/>).</summary>
    public long? Duration { get; private set; }

    public string Location { get; private set; } = "";
    public string? ErrorMsg { get; private set; }
    public bool IsActive { get; private set; }

    /// <summary>Bumped on every change, so tests and the benchmark can tell an updated row.</summary>
    public int Version { get; private set; }

    public void Apply(TaskStatusPlus task)
    {
        Id = task.Id;
        GroupId = task.GroupId ?? task.Id;
        Type = task.Type ?? "";
        DataSource = task.DataSource ?? "";
        Status = task.DisplayStatus;
        Created = task.CreatedTime;
        IsActive = task.IsActive;
        Duration = task.IsActive ? null : task.Duration;
        Location = task.Location.ToString();
        ErrorMsg = task.ErrorMsg;
        Version++;
    }

    /// <summary>A complete task's run time; for an active task the time since it was created, as Druid's console shows it.</summary>
    public TimeSpan DurationAt(DateTimeOffset now) =>
        IsActive ? (now - Created < TimeSpan.Zero ? TimeSpan.Zero : now - Created) : TimeSpan.FromMilliseconds(Math.Max(0, Duration ?? 0));
}
