using Dashboard.Core.Clients;
using Dashboard.Core.Errors;
using Dashboard.Core.Storage;
using Dashboard.Core.Tasks;

namespace Dashboard.Core.Overlord;

/// <summary>
/// Answers <see cref="IOverlordClient.QueryTasksAsync"/>: active tasks from the queue (in memory) merged with one
/// page-sized window of complete tasks from the store, so a page costs one indexed query however many tasks exist.
/// </summary>
public sealed class TaskPageReader(TaskQueue queue, ITaskPageStorage storage, TimeProvider time)
{
    public async Task<TaskPage> QueryAsync(TaskPageQuery query, CancellationToken cancellationToken)
    {
        if (query.Offset < 0 || query.Limit is < 1 or > TaskPageQuery.MaxLimit)
        {
            throw DruidException.InvalidInput(
                $"Invalid page: offset must be zero or more and limit between 1 and {TaskPageQuery.MaxLimit} (got offset {query.Offset}, limit {query.Limit}).");
        }

        var now = time.GetUtcNow();
        var comparer = new TaskRowComparer(query.Sort, query.Descending, now);
        var counts = DisplayStatus.All.ToDictionary(s => s, _ => 0);

        var active = queue.SnapshotActive().Where(query.MatchesIgnoringStatus).ToList();
        foreach (var task in active)
        {
            counts[task.DisplayStatus]++;
        }

        var activeRows = active.Where(t => query.Statuses.Count == 0 || query.Statuses.Contains(t.DisplayStatus)).ToList();
        activeRows.Sort(comparer);

        // Complete rows [start, end) of the complete list hold every complete row the page can show: at most
        // activeRows.Count active rows can come before the page's first complete row.
        var wantsComplete = query.Statuses.Count == 0 || query.Statuses.Any(s => !DisplayStatus.IsActive(s));
        var start = Math.Max(0, query.Offset - activeRows.Count);
        var take = wantsComplete ? query.Offset + query.Limit - start : 0;
        var from = Latest(query.CreatedFrom, query.CompleteCreatedFrom);
        // A readability rule becomes the set of stored datasource names it accepts, so SQLite filters with its index. Without
        // one (everyone who may read every datasource) nothing is added to the query.
        var readable = query.ReadableDataSource is { } rule
            ? (await storage.GetTaskDataSourcesAsync(cancellationToken).ConfigureAwait(false)).Where(rule).ToList()
            : null;
        var filter = new CompleteTaskPageFilter(query.Statuses.Where(s => !DisplayStatus.IsActive(s)).ToList(), query.DataSource, query.Type,
            query.GroupId, query.IdContains, from, query.CreatedTo, query.Sort, query.Descending, readable);
        var stored = await storage.QueryCompletePageAsync(filter, start, take, cancellationToken).ConfigureAwait(false);
        foreach (var (status, n) in stored.Counts)
        {
            counts[status] = n;
        }

        var activeIds = active.Select(t => t.Id).ToHashSet(StringComparer.Ordinal);
        var completeRows = stored.Rows.Where(r => !activeIds.Contains(r.Id)).Select(r => TaskQueue.ToCompleteEntry(r, r.Status)).ToList();
        var reachedEnd = stored.Rows.Count < take;

        var placed = new List<(int Position, TaskStatusPlus Task)>(query.Limit);
        for (var i = 0; i < completeRows.Count; i++)
        {
            placed.Add((start + i + CountBefore(activeRows, completeRows[i], comparer), completeRows[i]));
        }

        for (var i = 0; i < activeRows.Count; i++)
        {
            var before = CountBefore(completeRows, activeRows[i], comparer);
            if (before == 0 && start > 0)
            {
                continue; // Before the page: at most `start` complete rows precede it, and i + start < Offset.
            }

            if (before == completeRows.Count && !reachedEnd && wantsComplete)
            {
                continue; // After the page: every fetched complete row precedes it.
            }

            placed.Add((i + start + before, activeRows[i]));
        }

        var rows = placed.Where(p => p.Position >= query.Offset && p.Position < query.Offset + query.Limit)
            .OrderBy(p => p.Position).Select(p => p.Task).ToList();
        var statuses = query.Statuses.Count == 0 ? DisplayStatus.All : query.Statuses;
        return new TaskPage(rows, statuses.Distinct().Sum(s => counts.GetValueOrDefault(s)), counts);
    }

    private static DateTimeOffset? Latest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;

    /// <summary>How many items of the sorted list come before <paramref name="item"/>.</summary>
    private static int CountBefore(List<TaskStatusPlus> sorted, TaskStatusPlus item, TaskRowComparer comparer)
    {
        int lo = 0, hi = sorted.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (comparer.Compare(sorted[mid], item) < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}

/// <summary>The grid's order, identical to the store's ORDER BY: the sort key, then the id, both in the chosen direction.</summary>
public sealed class TaskRowComparer(TaskSortField sort, bool descending, DateTimeOffset now) : IComparer<TaskStatusPlus>
{
    public int Compare(TaskStatusPlus? x, TaskStatusPlus? y)
    {
        if (x is null || y is null)
        {
            return x is null ? (y is null ? 0 : -1) : 1;
        }

        var result = sort switch
        {
            TaskSortField.Id => 0,
            TaskSortField.GroupId => string.CompareOrdinal(x.GroupId ?? "", y.GroupId ?? ""),
            TaskSortField.Type => string.CompareOrdinal(x.Type ?? "", y.Type ?? ""),
            TaskSortField.DataSource => string.CompareOrdinal(x.DataSource ?? "", y.DataSource ?? ""),
            TaskSortField.Status => DisplayStatus.Rank(x.DisplayStatus).CompareTo(DisplayStatus.Rank(y.DisplayStatus)),
            TaskSortField.Duration => DurationMs(x).CompareTo(DurationMs(y)),
            _ => x.CreatedTime.ToUnixTimeMilliseconds().CompareTo(y.CreatedTime.ToUnixTimeMilliseconds()),
        };
        if (result == 0)
        {
            result = string.CompareOrdinal(x.Id, y.Id);
        }

        return descending ? -result : result;
    }

    /// <summary>A complete task's run time; an active task's time since it was created (what Druid's console shows).</summary>
    private long DurationMs(TaskStatusPlus task) =>
        task.IsActive ? (long)(now - task.CreatedTime).TotalMilliseconds : task.Duration ?? 0;
}
