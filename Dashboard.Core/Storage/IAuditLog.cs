namespace Dashboard.Core.Storage;

/// <summary>One write made through the API or the UI: who, when, from where, what.</summary>
public sealed record AuditEntry(long Id, DateTimeOffset Time, string Author, string? RemoteAddress, string Action, string Target, string? Detail);

/// <summary>The record of every write operators make.</summary>
public interface IAuditLog
{
    Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken);

    Task<IReadOnlyList<AuditEntry>> GetRecentAsync(int max, CancellationToken cancellationToken);
}
