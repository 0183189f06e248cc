using System.Collections.Concurrent;

namespace Dashboard.Hubs;

/// <summary>What each hub connection subscribed to. A connection gets each message once, however many subscriptions match.</summary>
public sealed class TaskSubscriptions
{
    private readonly ConcurrentDictionary<string, Subscription> _connections = new(StringComparer.Ordinal);

    public int Count => _connections.Count;

    public void Update(string connectionId, Action<Subscription> change)
    {
        var subscription = _connections.GetOrAdd(connectionId, _ => new Subscription());
        lock (subscription)
        {
            change(subscription);
        }
    }

    public void Remove(string connectionId) => _connections.TryRemove(connectionId, out _);

    /// <summary>Connections that want an event about <paramref name="taskId"/> of <paramref name="dataSource"/>.</summary>
    public List<string> Matching(string taskId, string? dataSource, bool taskSubscribersOnly = false)
    {
        var ids = new List<string>();
        foreach (var (connectionId, s) in _connections)
        {
            lock (s)
            {
                if (s.Tasks.Contains(taskId) ||
                    (!taskSubscribersOnly && (s.All || (dataSource is not null && s.DataSources.Contains(dataSource)))))
                {
                    ids.Add(connectionId);
                }
            }
        }

        return ids;
    }

    public List<string> All() => _connections.Keys.ToList();

    public sealed class Subscription
    {
        public bool All { get; set; }
        public HashSet<string> DataSources { get; } = new(StringComparer.Ordinal);
        public HashSet<string> Tasks { get; } = new(StringComparer.Ordinal);
    }
}
