namespace Dashboard.Core.Storage;

/// <summary>Cluster mode's audit log (it has no metadata store of its own): the last <see cref="Capacity"/> entries, until restart.</summary>
public sealed class InMemoryAuditLog : IAuditLog
{
    public const int Capacity = 10_000;

    private readonly LinkedList<AuditEntry> _entries = new();
    private readonly Lock _lock = new();
    private long _nextId;

    public Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _entries.AddFirst(entry with { Id = ++_nextId });
            if (_entries.Count > Capacity)
            {
                _entries.RemoveLast();
            }
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<AuditEntry>> GetRecentAsync(int max, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<AuditEntry>>(_entries.Take(max).ToList());
        }
    }
}
