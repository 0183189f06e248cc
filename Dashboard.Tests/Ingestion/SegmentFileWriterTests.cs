using Dashboard.Core.Common;
using Dashboard.Core.Ingestion.Engine;
using Dashboard.Core.Segments;
using Dashboard.Tests.Support;
using DuckDB.NET.Data;

namespace Dashboard.Tests.Ingestion;

public class SegmentFileWriterTests
{
    [Fact]
    public async Task WriteAsync_ReportsProgressBeforeAndAfterEachSegmentFile()
    {
        using var dir = new TempDataDir();
        await using var db = new DuckDBConnection("DataSource=:memory:");
        await db.OpenAsync();
        await db.ExecuteAsync(
            "CREATE TABLE rows AS SELECT TIMESTAMP '2015-09-12 00:00:00' + to_hours(i % 2 * 24) AS __time, 'p' || i AS page FROM range(25) t(i)", default);
        await db.ExecuteAsync("CREATE VIEW chunked AS SELECT *, date_trunc('day', __time) AS __chunk FROM rows", default);
        var progress = new List<SegmentWriteProgress>();
        var partition = 0;

        var segments = await SegmentFileWriter.WriteAsync(db, new SegmentWriteRequest("chunked", "ds", Granularity.Day, ["page"], [], ["__time", "page"], 10,
            Path.Combine(dir.Path, "staging"),
            (interval, _) => Task.FromResult(new SegmentAllocation("ds", interval, "v1", partition++)),
            allocation => Path.Combine(dir.Path, $"{allocation.PartitionNum}.parquet"),
            (_, _) => Task.CompletedTask) { Progress = progress.Add }, default);

        Assert.Equal(4, segments.Count);
        Assert.Equal(
            [new(0, 4, 0, 25), new(1, 4, 10, 25), new(2, 4, 13, 25), new(3, 4, 23, 25), new(4, 4, 25, 25)],
            progress);
    }
}
