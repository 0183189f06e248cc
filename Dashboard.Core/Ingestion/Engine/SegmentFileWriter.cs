using System.Text.Json.Nodes;
using Dashboard.Core.Common;
using Dashboard.Core.Segments;
using DuckDB.NET.Data;

namespace Dashboard.Core.Ingestion.Engine;

/// <summary>What to write: a DuckDB relation with <c>__time</c> and <c>__chunk</c> columns, its columns and sort order.</summary>
public sealed record SegmentWriteRequest(
    string Relation,
    string DataSource,
    Granularity SegmentGranularity,
    IReadOnlyList<string> Dimensions,
    IReadOnlyList<string> Metrics,
    IReadOnlyList<string> SortColumns,
    long MaxRowsPerSegment,
    string StagingDir,
    Func<Interval, CancellationToken, Task<SegmentAllocation>> AllocateAsync,
    Func<SegmentAllocation, string> FinalPath,
    Func<IReadOnlyList<Interval>, CancellationToken, Task> BeforeWritingAsync)
{
    /// <summary>Told before the first segment file and after each one is written, for live progress counters.</summary>
    public Action<SegmentWriteProgress>? Progress { get; init; }

    /// <summary>The most time chunks the rows may fall in; more is a <see cref="TooManyTimeChunksException"/> before anything is locked or written.</summary>
    public long MaxTimeChunks { get; init; } = long.MaxValue;
}

/// <summary>The rows fall in more time chunks than the request allows; nothing was locked, allocated or written.</summary>
public sealed class TooManyTimeChunksException(long maxTimeChunks) : Exception($"more than {maxTimeChunks:N0} time chunks")
{
    public long MaxTimeChunks { get; } = maxTimeChunks;
}

/// <summary>How far a write has got: segment files (each one sorted batch) and rows written out of the totals.</summary>
public readonly record struct SegmentWriteProgress(int SegmentsWritten, int TotalSegments, long RowsWritten, long TotalRows);

/// <summary>
/// Writes rows as segments: one sorted zstd Parquet file per time chunk and partition (at most MaxRowsPerSegment rows
/// each) into a staging folder. Native batch and SQL ingestion both write through here.
/// </summary>
public static class SegmentFileWriter
{
    public static async Task<List<StagedSegment>> WriteAsync(DuckDBConnection db, SegmentWriteRequest request, CancellationToken cancellationToken)
    {
        var chunks = new List<(DateTime Start, long Rows)>();
        await using (var command = db.CreateCommand())
        {
            // One chunk past the limit is enough to know it is exceeded: the list never grows beyond it.
            var limit = request.MaxTimeChunks < long.MaxValue ? $" LIMIT {request.MaxTimeChunks + 1}" : "";
            command.CommandText = $"SELECT __chunk, count(*) FROM {request.Relation} GROUP BY 1 ORDER BY 1{limit}";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                chunks.Add((reader.GetDateTime(0), reader.GetInt64(1)));
            }
        }

        if (chunks.Count > request.MaxTimeChunks)
        {
            throw new TooManyTimeChunksException(request.MaxTimeChunks);
        }

        var intervals = chunks.Select(c => request.SegmentGranularity.BucketOf(Utc(c.Start))).ToList();
        await request.BeforeWritingAsync(intervals, cancellationToken);
        Directory.CreateDirectory(request.StagingDir);
        var outputColumns = string.Join(", ", new[] { "__time" }.Concat(request.Dimensions).Concat(request.Metrics).Select(Sql.Name));
        var order = string.Join(", ", request.SortColumns.Select(c => $"{Sql.Name(c)} NULLS FIRST"));
        var maxRows = request.MaxRowsPerSegment;
        var segments = new List<StagedSegment>();
        var totalSegments = chunks.Sum(c => (int)((c.Rows + maxRows - 1) / maxRows));
        var totalRows = chunks.Sum(c => c.Rows);
        long rowsWritten = 0;
        request.Progress?.Invoke(new SegmentWriteProgress(0, totalSegments, 0, totalRows));
        for (var c = 0; c < chunks.Count; c++)
        {
            var (start, rows) = chunks[c];
            var interval = intervals[c];
            var chunkFilter = $"__chunk = {Sql.Timestamp(Utc(start))}";
            var partitions = (int)((rows + maxRows - 1) / maxRows);
            if (partitions > 1)
            {
                await db.ExecuteAsync( $"CREATE OR REPLACE TEMP TABLE part AS SELECT {outputColumns}, row_number() OVER (ORDER BY {order}) - 1 AS __rn " +
                                       $"FROM {request.Relation} WHERE {chunkFilter}", cancellationToken);
            }

            for (var p = 0; p < partitions; p++)
            {
                var allocation = await request.AllocateAsync(interval, cancellationToken);
                var staged = Path.Combine(request.StagingDir, $"{Guid.NewGuid():N}.parquet");
                var query = partitions == 1
                    ? $"SELECT {outputColumns} FROM {request.Relation} WHERE {chunkFilter} ORDER BY {order}"
                    : $"SELECT {outputColumns} FROM part WHERE __rn >= {p * maxRows} AND __rn < {(p + 1) * maxRows} ORDER BY __rn";
                await db.ExecuteAsync( $"COPY ({query}) TO {Sql.Literal(staged)} (FORMAT parquet, COMPRESSION zstd)", cancellationToken);
                var segment = new DataSegment(request.DataSource, interval, allocation.Version,
                    new JsonObject { ["type"] = "local", ["path"] = request.FinalPath(allocation) },
                    string.Join(",", request.Dimensions), string.Join(",", request.Metrics),
                    new JsonObject { ["type"] = "numbered", ["partitionNum"] = allocation.PartitionNum, ["partitions"] = 0 },
                    9, new FileInfo(staged).Length, Math.Min(maxRows, rows - p * maxRows));
                segments.Add(new StagedSegment(segment, staged));
                rowsWritten += segment.TotalRows;
                request.Progress?.Invoke(new SegmentWriteProgress(segments.Count, totalSegments, rowsWritten, totalRows));
            }
        }

        return segments;
    }

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));

}
