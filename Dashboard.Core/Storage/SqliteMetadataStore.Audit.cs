namespace Dashboard.Core.Storage;

/// <summary>Audit entries.</summary>
public sealed partial class SqliteMetadataStore
{
    public Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken) =>
        _writer.WriteAsync((c, t) => Command(c, t,
            "INSERT INTO audit (time_ms, author, remote_address, action, target, detail) VALUES (@time, @author, @remote, @action, @target, @detail)",
            ("@time", entry.Time.ToUnixTimeMilliseconds()), ("@author", entry.Author), ("@remote", entry.RemoteAddress),
            ("@action", entry.Action), ("@target", entry.Target), ("@detail", entry.Detail)).ExecuteNonQuery(), cancellationToken);

    public async Task<IReadOnlyList<AuditEntry>> GetRecentAsync(int max, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null,
            "SELECT id, time_ms, author, remote_address, action, target, detail FROM audit ORDER BY id DESC LIMIT @max", ("@max", max));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var entries = new List<AuditEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new AuditEntry(reader.GetInt64(0), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)), reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetString(4), reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6)));
        }

        return entries;
    }
}
