using Dashboard.Core.Clients;
using Dashboard.Core.Errors;

namespace Dashboard.Core.Cluster;

/// <summary>
/// The cluster's workers (<c>GET /druid/indexer/v1/workers</c>) and data servers (<c>GET /druid/coordinator/v1/servers?simple</c>)
/// as the one poller last read them, at most every <see cref="DruidClusterOptions.IdlePollInterval"/>. Pages read this
/// copy, so an open Services view costs the cluster nothing more; <see cref="Changed"/> tells them a new one is in.
/// </summary>
public sealed class ClusterServicesSource(DruidHttpOverlordClient overlord, ICoordinatorClient coordinator, DruidClusterOptions options, TimeProvider time)
{
    private long _lastRead;

    public ServicesSnapshot Latest { get; private set; } = ServicesSnapshot.Empty;

    public event Action? Changed;

    /// <summary>Called by the poller after each successful task poll; reads when the last read is older than the idle interval.</summary>
    public async Task RefreshIfDueAsync(CancellationToken cancellationToken)
    {
        if (_lastRead != 0 && time.GetElapsedTime(_lastRead) < options.IdlePollInterval)
        {
            return;
        }

        _lastRead = time.GetTimestamp();
        var errors = new List<string>();
        var workers = await ReadAsync(overlord.GetWorkersAsync, "/druid/indexer/v1/workers", errors, cancellationToken).ConfigureAwait(false);
        var servers = await ReadAsync(coordinator.GetServersAsync, "/druid/coordinator/v1/servers?simple", errors, cancellationToken).ConfigureAwait(false);
        var next = new ServicesSnapshot(workers ?? Latest.Workers, servers ?? Latest.Servers, time.GetUtcNow(), errors.Count == 0 ? null : string.Join(" ", errors));
        var changed = !next.Workers.SequenceEqual(Latest.Workers, WorkerComparer.Instance) || !next.Servers.SequenceEqual(Latest.Servers) || next.Error != Latest.Error;
        Latest = next;
        if (changed)
        {
            Changed?.Invoke();
        }
    }

    private static async Task<IReadOnlyList<T>?> ReadAsync<T>(Func<CancellationToken, Task<IReadOnlyList<T>>> read, string path, List<string> errors,
        CancellationToken cancellationToken)
    {
        try
        {
            return await read(cancellationToken).ConfigureAwait(false);
        }
        catch (DruidException ex)
        {
            errors.Add($"{path} answered {ex.StatusCode}: {ex.Message}");
            return null;
        }
    }

    /// <summary>Workers compared by value, their task lists included (records compare lists by reference).</summary>
    private sealed class WorkerComparer : IEqualityComparer<WorkerInfo>
    {
        public static readonly WorkerComparer Instance = new();

        public bool Equals(WorkerInfo? a, WorkerInfo? b) => a is not null && b is not null && a.Worker == b.Worker
            && a.CurrCapacityUsed == b.CurrCapacityUsed && a.LastCompletedTaskTime == b.LastCompletedTaskTime
            && a.BlacklistedUntil == b.BlacklistedUntil && a.RunningTasks.SequenceEqual(b.RunningTasks);

        public int GetHashCode(WorkerInfo w) => w.Worker.GetHashCode();
    }
}
