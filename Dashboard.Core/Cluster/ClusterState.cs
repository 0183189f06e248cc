namespace Dashboard.Core.Cluster;

/// <summary>Whether the cluster answered the poller's last request, and when the next attempt is.</summary>
public sealed record ClusterHealth(
    bool Reachable,
    string Host,
    string? Error = null,
    DateTimeOffset? Since = null,
    DateTimeOffset? NextAttempt = null,
    int FailedAttempts = 0)
{
    /// <summary>True before the first answer: nothing is known yet.</summary>
    public bool Unknown { get; init; }
}

/// <summary>
/// The cluster's reachability as the poller last saw it. The banner and the pages read it; <see cref="Changed"/> fires
/// (on the poller's thread) when it changes.
/// </summary>
public sealed class ClusterState(DruidClusterOptions options)
{
    private volatile ClusterHealth _health = new(true, options.DisplayHost()) { Unknown = true };

    public ClusterHealth Health => _health;

    public string Host => _health.Host;

    public event Action<ClusterHealth>? Changed;

    internal void MarkReachable()
    {
        if (_health is { Reachable: true, Unknown: false })
        {
            return;
        }

        Set(new ClusterHealth(true, Host));
    }

    internal void MarkUnreachable(string error, DateTimeOffset now, DateTimeOffset nextAttempt)
    {
        var previous = _health;
        var since = previous.Reachable ? now : previous.Since ?? now;
        Set(new ClusterHealth(false, Host, error, since, nextAttempt, previous.Reachable ? 1 : previous.FailedAttempts + 1));
    }

    private void Set(ClusterHealth health)
    {
        _health = health;
        Changed?.Invoke(health);
    }
}
