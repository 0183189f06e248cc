using Dashboard.Core.Segments;

namespace Dashboard.Core.Clients;

/// <summary>A data source as the coordinator summarises it: its visible segments' count, size and time range.</summary>
public sealed record DataSourceSummary(string Name, int SegmentCount, long Size, long Rows, DateTimeOffset? MinTime, DateTimeOffset? MaxTime);

/// <summary>A data source for the dashboard's list: its summary and when a task last published segments to it.</summary>
public sealed record DataSourceOverview(DataSourceSummary Summary, DateTimeOffset? LastPublished, string? LastTaskId);

/// <summary>
/// A used segment with the task that wrote it and whether newer versions overshadow it. The task and the time of
/// publication are null where they are not known (a Druid cluster does not report them).
/// </summary>
public sealed record SegmentEntry(DataSegment Segment, string? TaskId, DateTimeOffset? PublishedTime, bool Overshadowed)
{
    /// <summary>Entries for used segments, each marked overshadowed or not by the versioned timeline.</summary>
    public static IReadOnlyList<SegmentEntry> Classify(IEnumerable<(DataSegment Segment, string? TaskId, DateTimeOffset? PublishedTime)> used)
    {
        var list = used.ToList();
        var overshadowed = SegmentTimeline.Classify(list.Select(u => u.Segment)).Overshadowed.Select(s => s.Identifier).ToHashSet(StringComparer.Ordinal);
        return list.Select(u => new SegmentEntry(u.Segment, u.TaskId, u.PublishedTime, overshadowed.Contains(u.Segment.Identifier))).ToList();
    }
}

/// <summary>One page of a data source's segments (newest time chunk first) and how many there are in all.</summary>
public sealed record SegmentPage(IReadOnlyList<SegmentEntry> Rows, int TotalCount)
{
    public static SegmentPage Of(IReadOnlyList<SegmentEntry> all, int offset, int limit) =>
        new(all.OrderByDescending(e => e.Segment.Interval.Start).ThenByDescending(e => e.Segment.Version, StringComparer.Ordinal)
            .ThenBy(e => e.Segment.PartitionNum).Skip(Math.Max(0, offset)).Take(Math.Clamp(limit, 1, 1000)).ToList(), all.Count);
}

/// <summary>One column of a data source as its newest segment stores it.</summary>
public sealed record DataSourceColumn(string Name, string Type);

/// <summary>
/// The coordinator calls the dashboard and Druid clients use (<c>/druid/coordinator/v1</c>), shaped like the HTTP API.
/// </summary>
public interface ICoordinatorClient
{
    /// <summary><c>GET /datasources</c>: names of data sources with used segments.</summary>
    Task<IReadOnlyList<string>> GetDataSourcesAsync(CancellationToken cancellationToken);

    /// <summary><c>GET /datasources/{ds}</c>: null when the data source has no used segment.</summary>
    Task<DataSourceSummary?> GetDataSourceAsync(string dataSource, CancellationToken cancellationToken);

    /// <summary><c>GET /metadata/datasources/{ds}/segments?full</c>: used segments, overshadowed ones included.</summary>
    Task<IReadOnlyList<DataSegment>> GetUsedSegmentsAsync(string dataSource, CancellationToken cancellationToken);

    /// <summary>Every data source with used segments, summarised, with its last publication. Not a Druid endpoint (the web console's view).</summary>
    Task<IReadOnlyList<DataSourceOverview>> GetDataSourceOverviewsAsync(CancellationToken cancellationToken);

    /// <summary>Used segments with their writer task and overshadowed flag, for the timeline. Not a Druid endpoint.</summary>
    Task<IReadOnlyList<SegmentEntry>> GetSegmentTimelineAsync(string dataSource, CancellationToken cancellationToken);

    /// <summary>One page of used segments, newest time chunk first. Not a Druid endpoint.</summary>
    Task<SegmentPage> GetSegmentPageAsync(string dataSource, int offset, int limit, CancellationToken cancellationToken);

    /// <summary><c>GET /servers?simple</c>: the data servers (historicals, peons, indexers) and their segment storage; none in process.</summary>
    Task<IReadOnlyList<ServerSummary>> GetServersAsync(CancellationToken cancellationToken);

    /// <summary>Columns and types of the newest visible segment; empty when the data source has none.</summary>
    Task<IReadOnlyList<DataSourceColumn>> GetSchemaAsync(string dataSource, CancellationToken cancellationToken);
}
