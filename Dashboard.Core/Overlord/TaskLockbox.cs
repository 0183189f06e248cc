namespace Dashboard.Core.Overlord;

/// <summary>
/// Time-chunk locks on (data source, interval). A task gets all of its locks or none. Tasks of the same group share
/// locks (a parent and its subtasks). Thread-safe; it never calls out while holding its own lock.
/// </summary>
public sealed class TaskLockbox
{
    private readonly object _gate = new();
    private readonly Dictionary<string, List<TaskLock>> _byDataSource = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<TaskLock>> _byTask = new(StringComparer.Ordinal);

    /// <summary>Takes every lock in <paramref name="requests"/> for the task, or none if any conflicts.</summary>
    public bool TryAcquire(string taskId, string groupId, int priority, IReadOnlyList<LockRequest> requests)
    {
        lock (_gate)
        {
            if (requests.Any(r => FindConflict(groupId, r) is not null))
            {
                return false;
            }

            foreach (var request in requests)
            {
                var held = new TaskLock(taskId, groupId, priority, request);
                Add(_byDataSource, request.DataSource, held);
                Add(_byTask, taskId, held);
            }

            return true;
        }
    }

    /// <summary>The first lock held by another group that conflicts with <paramref name="request"/>, or null.</summary>
    public TaskLock? FindConflict(string groupId, LockRequest request)
    {
        lock (_gate)
        {
            if (!_byDataSource.TryGetValue(request.DataSource, out var locks))
            {
                return null;
            }

            return locks.FirstOrDefault(held => held.GroupId != groupId && Conflicts(held.Request, request));
        }
    }

    public void Release(string taskId)
    {
        lock (_gate)
        {
            if (!_byTask.Remove(taskId, out var held))
            {
                return;
            }

            foreach (var taskLock in held)
            {
                var list = _byDataSource[taskLock.Request.DataSource];
                list.Remove(taskLock);
                if (list.Count == 0)
                {
                    _byDataSource.Remove(taskLock.Request.DataSource);
                }
            }
        }
    }

    public IReadOnlyList<TaskLock> Snapshot()
    {
        lock (_gate)
        {
            return _byTask.Values.SelectMany(l => l).ToList();
        }
    }

    public static bool Conflicts(LockRequest a, LockRequest b) =>
        a.DataSource == b.DataSource && a.Interval.Overlaps(b.Interval) &&
        (a.Type == TaskLockType.Exclusive || b.Type == TaskLockType.Exclusive);

    private static void Add(Dictionary<string, List<TaskLock>> map, string key, TaskLock value)
    {
        if (!map.TryGetValue(key, out var list))
        {
            map[key] = list = [];
        }

        list.Add(value);
    }
}
