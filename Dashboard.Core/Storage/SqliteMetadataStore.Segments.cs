using Dashboard.Core.Common;
using Dashboard.Core.Segments;

namespace Dashboard.Core.Storage;

/// <summary>Published segments and pending segments.</summary>
public sealed partial class SqliteMetadataStore
{
    public async Task<IReadOnlyList<DataSegment>> GetSegmentsPublishedByAsync(string taskId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null, "SELECT payload FROM segments WHERE task_id = @id ORDER BY start_ms, partition_num", ("@id", taskId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var segments = new List<DataSegment>();
        while (await reader.ReadAsync(cancellationToken))
        {
            segments.Add(DruidJson.Deserialize<DataSegment>(reader.GetString(0))!);
        }

        return segments;
    }

    public Task InsertPendingSegmentAsync(PendingSegment segment, CancellationToken cancellationToken) =>
        _writer.WriteAsync((c, t) => Command(c, t,
            "INSERT INTO pending_segments (id, datasource, start_ms, end_ms, version, sequence_name, task_allocator_id, created_ms) " +
            "VALUES (@id, @ds, @start, @end, @version, @seq, @task, @created)",
            ("@id", segment.Id), ("@ds", segment.DataSource), ("@start", segment.Interval.Start.ToUnixTimeMilliseconds()),
            ("@end", segment.Interval.End.ToUnixTimeMilliseconds()), ("@version", segment.Version), ("@seq", segment.SequenceName),
            ("@task", segment.TaskAllocatorId), ("@created", segment.CreatedTime.ToUnixTimeMilliseconds())).ExecuteNonQuery(), cancellationToken);

    public async Task<int> CountPendingSegmentsAsync(string dataSource, CancellationToken cancellationToken) =>
        (int)await ScalarAsync<long>("SELECT COUNT(*) FROM pending_segments WHERE datasource = @ds", [("@ds", dataSource)], cancellationToken);

    public Task<int> DeletePendingSegmentsAsync(string dataSource, Interval? interval, CancellationToken cancellationToken) =>
        _writer.WriteAsync((c, t) => interval is { } i
            ? Command(c, t, "DELETE FROM pending_segments WHERE datasource = @ds AND start_ms < @end AND end_ms > @start",
                ("@ds", dataSource), ("@start", i.Start.ToUnixTimeMilliseconds()), ("@end", i.End.ToUnixTimeMilliseconds())).ExecuteNonQuery()
            : Command(c, t, "DELETE FROM pending_segments WHERE datasource = @ds", ("@ds", dataSource)).ExecuteNonQuery(), cancellationToken);
}
