namespace Dashboard.Model;

/// <summary>Links between the dashboard's task views.</summary>
public static class TaskLinks
{
    public static string Detail(string taskId) => "tasks/" + Uri.EscapeDataString(taskId);

    /// <summary>The task list filtered to one group: a parent with its subtasks, or a controller with its workers.</summary>
    public static string Group(string groupId) => "tasks?group=" + Uri.EscapeDataString(groupId) + "&window=all";

    /// <summary>The query execution view of a query_controller task (the SQL workbench at /query/{taskId}).</summary>
    public static string Query(string taskId) => "query/" + Uri.EscapeDataString(taskId);

    public const string QueryControllerType = "query_controller";
}

/// <summary>The grid's columns an operator may hide; the choice is remembered per browser.</summary>
public static class TaskColumns
{
    public const string GroupId = "groupId";
    public const string Type = "type";
    public const string DataSource = "dataSource";
    public const string Created = "created";
    public const string Duration = "duration";
    public const string Location = "location";

    public const string StorageKey = "overlord-task-columns";

    public static IReadOnlyList<(string Key, string Title)> Optional { get; } =
    [
        (GroupId, "Group ID"), (Type, "Type"), (DataSource, "Datasource"), (Created, "Created"), (Duration, "Duration"), (Location, "Location"),
    ];
}

/// <summary>Which optional columns are hidden; stored as a comma-separated list of keys.</summary>
public sealed class ColumnChoice
{
    private readonly HashSet<string> _hidden = new(StringComparer.Ordinal);

    public bool IsHidden(string key) => _hidden.Contains(key);

    public void Toggle(string key)
    {
        if (!_hidden.Remove(key))
        {
            _hidden.Add(key);
        }
    }

    public string Serialize() => string.Join(',', _hidden.Order(StringComparer.Ordinal));

    public static ColumnChoice Parse(string? stored)
    {
        var choice = new ColumnChoice();
        foreach (var key in (stored ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (TaskColumns.Optional.Any(c => c.Key == key))
            {
                choice._hidden.Add(key);
            }
        }

        return choice;
    }
}
