using Dashboard.Core.Clients;

namespace Dashboard.Core.Storage;

/// <summary>
/// Pages of complete tasks for the dashboard's grid, filtered and sorted in the store, with per-status counts.
/// Served from indexes so it stays fast with 100,000+ tasks.
/// </summary>
public interface ITaskPageStorage
{
    /// <summary>
    /// Complete tasks matching <paramref name="filter"/>, sorted, from <paramref name="offset"/> (at most
    /// <paramref name="limit"/>; 0 reads only the counts), and the number of complete tasks per display status
    /// (SUCCESS, FAILED, CANCELED) that match every filter but the status one.
    /// </summary>
    Task<CompleteTaskPage> QueryCompletePageAsync(CompleteTaskPageFilter filter, int offset, int limit, CancellationToken cancellationToken);

    /// <summary>The distinct datasource names of all stored tasks (one index seek per name, not a scan of the tasks).</summary>
    Task<IReadOnlyList<string>> GetTaskDataSourcesAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Filter and order for <see cref="ITaskPageStorage"/>; <see cref="Statuses"/> holds complete display statuses only (empty: all);
/// <see cref="DataSources"/>, when given, the only datasources to keep (empty: none).
/// </summary>
public sealed record CompleteTaskPageFilter(
    IReadOnlyCollection<string> Statuses,
    string? DataSource,
    string? Type,
    string? GroupId,
    string? IdContains,
    DateTimeOffset? CreatedFrom,
    DateTimeOffset? CreatedTo,
    TaskSortField Sort,
    bool Descending,
    IReadOnlyCollection<string>? DataSources = null);

public sealed record CompleteTaskPage(IReadOnlyList<TaskRecord> Rows, IReadOnlyDictionary<string, int> Counts);
