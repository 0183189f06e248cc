using Dashboard.Core.Common;
using Dashboard.Core.Segments;
using Microsoft.Data.Sqlite;

namespace Dashboard.Core.Storage;

/// <summary>Published segments and pending segments.</summary>
public sealed partial class SqliteMetadataStore
{
    public Task<IReadOnlyList<DataSegment>> GetSegmentsPublishedByAsync(string taskId, CancellationToken cancellationToken) =>
        QuerySegmentsAsync("SELECT payload FROM segments WHERE task_id = @id ORDER BY start_ms, partition_num", [("@id", taskId)], cancellationToken);

    public Task<IReadOnlyList<DataSegment>> GetUsedSegmentsAsync(string dataSource, Interval? overlapping, CancellationToken cancellationToken) =>
        overlapping is { } i
            ? QuerySegmentsAsync("SELECT payload FROM segments WHERE datasource = @ds AND used = 1 AND start_ms < @end AND end_ms > @start ORDER BY start_ms, version, partition_num",
                [("@ds", dataSource), ("@start", i.Start.ToUnixTimeMilliseconds()), ("@end", i.End.ToUnixTimeMilliseconds())], cancellationToken)
            : QuerySegmentsAsync("SELECT payload FROM segments WHERE datasource = @ds AND used = 1 ORDER BY start_ms, version, partition_num",
                [("@ds", dataSource)], cancellationToken);

    public async Task<IReadOnlyList<PublishedSegment>> GetPublishedSegmentsAsync(string dataSource, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null,
            "SELECT payload, task_id, created_ms FROM segments WHERE datasource = @ds AND used = 1 ORDER BY start_ms, version, partition_num", ("@ds", dataSource));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var segments = new List<PublishedSegment>();
        while (await reader.ReadAsync(cancellationToken))
        {
            segments.Add(new PublishedSegment(DruidJson.Deserialize<DataSegment>(reader.GetString(0))!, reader.IsDBNull(1) ? null : reader.GetString(1),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2))));
        }

        return segments;
    }

    public async Task<IReadOnlyList<string>> GetDataSourcesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null, "SELECT DISTINCT datasource FROM segments WHERE used = 1 ORDER BY datasource");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var names = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    public Task<string?> GetNewestVersionAsync(string dataSource, CancellationToken cancellationToken) =>
        ScalarAsync<string>("SELECT max(version) FROM segments WHERE datasource = @ds", [("@ds", dataSource)], cancellationToken);

    public async Task<IReadOnlySet<string>> GetSegmentPathsAsync(CancellationToken cancellationToken)
    {
        var paths = new HashSet<string>(StringComparer.Ordinal);
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null, "SELECT json_extract(payload, '$.loadSpec.path') FROM segments");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (!reader.IsDBNull(0))
            {
                paths.Add(Path.GetFullPath(reader.GetString(0)));
            }
        }

        return paths;
    }

    public async Task<IReadOnlyList<PendingSegment>> GetPendingSegmentsAsync(string dataSource, Interval overlapping, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null,
            "SELECT id, start_ms, end_ms, version, partition_num, sequence_name, task_allocator_id, created_ms FROM pending_segments " +
            "WHERE datasource = @ds AND start_ms < @end AND end_ms > @start",
            ("@ds", dataSource), ("@start", overlapping.Start.ToUnixTimeMilliseconds()), ("@end", overlapping.End.ToUnixTimeMilliseconds()));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var list = new List<PendingSegment>();
        while (await reader.ReadAsync(cancellationToken))
        {
            list.Add(new PendingSegment(reader.GetString(0), dataSource,
                new Interval(DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2))),
                reader.GetString(3), reader.GetInt32(4), reader.GetString(5), reader.GetString(6), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(7))));
        }

        return list;
    }

    public Task InsertPendingSegmentAsync(PendingSegment segment, CancellationToken cancellationToken) =>
        _writer.WriteAsync((c, t) => Command(c, t,
            "INSERT INTO pending_segments (id, datasource, start_ms, end_ms, version, partition_num, sequence_name, task_allocator_id, created_ms) " +
            "VALUES (@id, @ds, @start, @end, @version, @partition, @seq, @task, @created)",
            ("@id", segment.Id), ("@ds", segment.DataSource), ("@start", segment.Interval.Start.ToUnixTimeMilliseconds()),
            ("@end", segment.Interval.End.ToUnixTimeMilliseconds()), ("@version", segment.Version), ("@partition", segment.PartitionNum),
            ("@seq", segment.SequenceName), ("@task", segment.TaskAllocatorId), ("@created", segment.CreatedTime.ToUnixTimeMilliseconds())).ExecuteNonQuery(), cancellationToken);

    public async Task<int> CountPendingSegmentsAsync(string dataSource, CancellationToken cancellationToken) =>
        (int)await ScalarAsync<long>("SELECT COUNT(*) FROM pending_segments WHERE datasource = @ds", [("@ds", dataSource)], cancellationToken);

    public Task<int> DeletePendingSegmentsAsync(string dataSource, Interval? interval, CancellationToken cancellationToken) =>
        _writer.WriteAsync((c, t) => interval is { } i
            ? Command(c, t, "DELETE FROM pending_segments WHERE datasource = @ds AND start_ms < @end AND end_ms > @start",
                ("@ds", dataSource), ("@start", i.Start.ToUnixTimeMilliseconds()), ("@end", i.End.ToUnixTimeMilliseconds())).ExecuteNonQuery()
            : Command(c, t, "DELETE FROM pending_segments WHERE datasource = @ds", ("@ds", dataSource)).ExecuteNonQuery(), cancellationToken);

    /// <summary>The segment part of a task's completion, inside its transaction.</summary>
    private void CompleteSegments(SqliteConnection c, SqliteTransaction t, TaskCompletion completion, long nowMs)
    {
        var taskId = completion.Status.Id;
        foreach (var segment in completion.Segments)
        {
            Command(c, t, "INSERT INTO segments (id, datasource, start_ms, end_ms, version, partition_num, used, created_ms, task_id, payload) " +
                          "VALUES (@id, @ds, @start, @end, @version, @partition, 1, @created, @task, @payload)",
                ("@id", segment.Identifier), ("@ds", segment.DataSource), ("@start", segment.Interval.Start.ToUnixTimeMilliseconds()),
                ("@end", segment.Interval.End.ToUnixTimeMilliseconds()), ("@version", segment.Version), ("@partition", segment.PartitionNum),
                ("@created", nowMs), ("@task", taskId), ("@payload", DruidJson.Serialize(segment))).ExecuteNonQuery();
        }

        if (completion.Drop is { } drop)
        {
            foreach (var interval in drop.Intervals)
            {
                Command(c, t, "UPDATE segments SET used = 0 WHERE datasource = @ds AND used = 1 AND version < @version AND start_ms >= @start AND end_ms <= @end",
                    ("@ds", drop.DataSource), ("@version", drop.NewVersion), ("@start", interval.Start.ToUnixTimeMilliseconds()),
                    ("@end", interval.End.ToUnixTimeMilliseconds())).ExecuteNonQuery();
            }
        }

        Command(c, t, "DELETE FROM pending_segments WHERE task_allocator_id = @task", ("@task", taskId)).ExecuteNonQuery();
    }

    private async Task<IReadOnlyList<DataSegment>> QuerySegmentsAsync(string sql, IReadOnlyList<(string, object?)> parameters, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null, sql, parameters.ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var segments = new List<DataSegment>();
        while (await reader.ReadAsync(cancellationToken))
        {
            segments.Add(DruidJson.Deserialize<DataSegment>(reader.GetString(0))!);
        }

        return segments;
    }
}
