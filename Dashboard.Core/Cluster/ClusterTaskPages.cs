using Dashboard.Core.Clients;
using Dashboard.Core.Overlord;
using Dashboard.Core.Tasks;

namespace Dashboard.Core.Cluster;

/// <summary>
/// The dashboard's task grid in cluster mode, paged in this server's process: active tasks and the complete tasks of the
/// cluster's recent window come from the poller's latest task list (no request per page or per browser); a wider window
/// or an explicit created range reads Druid's complete tasks for it once and shares that answer for a few seconds.
/// </summary>
public sealed class ClusterTaskPages(ClusterTaskSource source, TimeProvider time)
{
    /// <summary>How far back the poller's list is trusted to hold every complete task (Druid's default recentlyFinishedThreshold).</summary>
    public static readonly TimeSpan RecentWindow = TimeSpan.FromHours(24);

    /// <summary>A view's window is computed when the page reads it; a start this much older still counts as recent.</summary>
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    public async Task<TaskPage> QueryAsync(TaskPageQuery query, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var snapshot = await source.GetSnapshotAsync(cancellationToken).ConfigureAwait(false);
        IEnumerable<TaskStatusPlus> tasks = snapshot;

        var from = Latest(query.CreatedFrom, query.CompleteCreatedFrom);
        if (from is null || from < now - RecentWindow - Tolerance)
        {
            var older = await source.GetCompleteSinceAsync(from ?? DateTimeOffset.UnixEpoch, cancellationToken).ConfigureAwait(false);
            var ids = snapshot.Select(t => t.Id).ToHashSet(StringComparer.Ordinal);
            tasks = snapshot.Concat(older.Where(t => !ids.Contains(t.Id)));
        }

        return Page(tasks, query, now);
    }

    /// <summary>Filters, counts, sorts and cuts one page of <paramref name="tasks"/> the way the embedded store does.</summary>
    public static TaskPage Page(IEnumerable<TaskStatusPlus> tasks, TaskPageQuery query, DateTimeOffset now)
    {
        var counts = DisplayStatus.All.ToDictionary(s => s, _ => 0);
        var matching = new List<TaskStatusPlus>();
        foreach (var task in tasks)
        {
            if (!query.MatchesIgnoringStatus(task))
            {
                continue;
            }

            if (counts.TryGetValue(task.DisplayStatus, out var n))
            {
                counts[task.DisplayStatus] = n + 1;
            }

            if (query.Statuses.Count == 0 || query.Statuses.Contains(task.DisplayStatus))
            {
                matching.Add(task);
            }
        }

        matching.Sort(new TaskRowComparer(query.Sort, query.Descending, now));
        var limit = Math.Clamp(query.Limit, 0, TaskPageQuery.MaxLimit);
        var rows = matching.Skip(Math.Max(0, query.Offset)).Take(limit).ToList();
        return new TaskPage(rows, matching.Count, counts);
    }

    private static DateTimeOffset? Latest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;
}
