using Dashboard.Core.Clients;
using Dashboard.Core.Common;
using Dashboard.Core.Errors;
using Dashboard.Core.Tasks;

namespace Dashboard.Core.Cluster;

/// <summary>
/// The cluster's task list as the poller last read it (active tasks and the recent complete ones), and a short-lived
/// shared cache of older complete tasks for wider views. Every browser reads from here, so the number of open
/// dashboards does not change what the cluster is asked.
/// </summary>
public sealed class ClusterTaskSource(ClusterState state, DruidClusterOptions options, TimeProvider time)
{
    /// <summary>How long an answer for older complete tasks is shared before it is read again.</summary>
    public static readonly TimeSpan OlderTasksTtl = TimeSpan.FromSeconds(10);

    private readonly TaskCompletionSource _first = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private readonly Dictionary<long, (DateTimeOffset ReadAt, Task<IReadOnlyList<TaskStatusPlus>> Tasks)> _older = [];
    private volatile IReadOnlyList<TaskStatusPlus> _snapshot = [];

    /// <summary>Set by the cluster client: how older complete tasks are read.</summary>
    internal Func<TaskListQuery, CancellationToken, Task<IReadOnlyList<TaskStatusPlus>>>? ReadTasks { get; set; }

    public IReadOnlyList<TaskStatusPlus> Snapshot => _snapshot;

    public bool HasSnapshot => _first.Task.IsCompleted;

    internal void Publish(IReadOnlyList<TaskStatusPlus> tasks)
    {
        _snapshot = tasks;
        _first.TrySetResult();
    }

    /// <summary>Drops shared answers for older tasks (a task completed, so they may miss it).</summary>
    internal void InvalidateOlder()
    {
        lock (_gate)
        {
            _older.Clear();
        }
    }

    /// <summary>The latest list; before the first answer, waits for it up to the request timeout.</summary>
    public async Task<IReadOnlyList<TaskStatusPlus>> GetSnapshotAsync(CancellationToken cancellationToken)
    {
        if (!_first.Task.IsCompleted)
        {
            try
            {
                await _first.Task.WaitAsync(options.RequestTimeout, time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                throw new DruidException(503, ErrorBodyShape.ErrorMap,
                    state.Health.Error ?? $"The Druid cluster at {state.Host} has not answered yet.", DruidErrors.UnreachableCode);
            }
        }

        return _snapshot;
    }

    /// <summary>Complete tasks created since <paramref name="from"/>, read once and shared for <see cref="OlderTasksTtl"/>.</summary>
    public Task<IReadOnlyList<TaskStatusPlus>> GetCompleteSinceAsync(DateTimeOffset from, CancellationToken cancellationToken)
    {
        var read = ReadTasks ?? throw new InvalidOperationException("The cluster client is not registered.");
        var now = time.GetUtcNow();
        var key = from.ToUnixTimeMilliseconds() / 60_000;
        lock (_gate)
        {
            if (_older.TryGetValue(key, out var cached) && now - cached.ReadAt < OlderTasksTtl && !cached.Tasks.IsFaulted)
            {
                return cached.Tasks;
            }

            var start = DateTimeOffset.FromUnixTimeMilliseconds(key * 60_000);
            var query = new TaskListQuery(TaskListState.Complete, CreatedTimeInterval: new Interval(start, now.AddDays(1)));
            var task = read(query, CancellationToken.None);
            _older[key] = (now, task);
            return task.WaitAsync(cancellationToken);
        }
    }
}
