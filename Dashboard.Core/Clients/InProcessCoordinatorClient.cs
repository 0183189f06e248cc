using Dashboard.Core.Ingestion.Engine;
using Dashboard.Core.Segments;
using Dashboard.Core.Storage;
using DuckDB.NET.Data;

namespace Dashboard.Core.Clients;

/// <summary>The embedded coordinator view, answered from the metadata store and the versioned timeline.</summary>
public sealed class InProcessCoordinatorClient(ISegmentMetadataStore segments, Engine.DuckDbSessionFactory sessions) : ICoordinatorClient
{
    /// <summary>The embedded server serves no segments to queries: it has no data servers to list.</summary>
    public Task<IReadOnlyList<ServerSummary>> GetServersAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<ServerSummary>>([]);

    public Task<IReadOnlyList<string>> GetDataSourcesAsync(CancellationToken cancellationToken) => segments.GetDataSourcesAsync(cancellationToken);

    public async Task<DataSourceSummary?> GetDataSourceAsync(string dataSource, CancellationToken cancellationToken) =>
        Summarise(dataSource, SegmentTimeline.Visible(await segments.GetUsedSegmentsAsync(dataSource, null, cancellationToken)));

    public Task<IReadOnlyList<DataSegment>> GetUsedSegmentsAsync(string dataSource, CancellationToken cancellationToken) =>
        segments.GetUsedSegmentsAsync(dataSource, null, cancellationToken);

    public async Task<IReadOnlyList<DataSourceOverview>> GetDataSourceOverviewsAsync(CancellationToken cancellationToken)
    {
        var overviews = new List<DataSourceOverview>();
        foreach (var name in await segments.GetDataSourcesAsync(cancellationToken))
        {
            var published = await segments.GetPublishedSegmentsAsync(name, cancellationToken);
            if (Summarise(name, SegmentTimeline.Visible(published.Select(p => p.Segment))) is not { } summary)
            {
                continue;
            }

            var last = published.MaxBy(p => p.PublishedTime);
            overviews.Add(new DataSourceOverview(summary, last?.PublishedTime, last?.TaskId));
        }

        return overviews;
    }

    public async Task<IReadOnlyList<SegmentEntry>> GetSegmentTimelineAsync(string dataSource, CancellationToken cancellationToken)
    {
        var published = await segments.GetPublishedSegmentsAsync(dataSource, cancellationToken);
        return SegmentEntry.Classify(published.Select(p => (p.Segment, p.TaskId, (DateTimeOffset?)p.PublishedTime)));
    }

    public async Task<SegmentPage> GetSegmentPageAsync(string dataSource, int offset, int limit, CancellationToken cancellationToken)
    {
        return SegmentPage.Of(await GetSegmentTimelineAsync(dataSource, cancellationToken), offset, limit);
    }

    public async Task<IReadOnlyList<DataSourceColumn>> GetSchemaAsync(string dataSource, CancellationToken cancellationToken)
    {
        var visible = SegmentTimeline.Visible(await segments.GetUsedSegmentsAsync(dataSource, null, cancellationToken));
        var newest = visible.OrderByDescending(s => s.Version, StringComparer.Ordinal).ThenByDescending(s => s.Interval.Start).FirstOrDefault();
        if (newest?.LoadSpec["path"]?.GetValue<string>() is not { } path || !File.Exists(path))
        {
            return [];
        }

        await using var db = await sessions.OpenAsync(Engine.DuckDbSessionScope.ForAuxiliary("coordinator-schema") with { Files = [path] }, cancellationToken);
        await using var command = db.CreateCommand();
        command.CommandText = $"DESCRIBE SELECT * FROM read_parquet({Sql.Literal(path)})";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var columns = new List<DataSourceColumn>();
        while (await reader.ReadAsync(cancellationToken))
        {
            columns.Add(new DataSourceColumn(reader.GetString(0), reader.GetString(1)));
        }

        return columns;
    }

    private static DataSourceSummary? Summarise(string dataSource, IReadOnlyList<DataSegment> visible) =>
        visible.Count == 0
            ? null
            : new DataSourceSummary(dataSource, visible.Count, visible.Sum(s => s.Size), visible.Sum(s => s.TotalRows),
                visible.Min(s => s.Interval.Start), visible.Max(s => s.Interval.End));
}
