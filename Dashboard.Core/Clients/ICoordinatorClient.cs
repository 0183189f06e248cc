using Dashboard.Core.Segments;

namespace Dashboard.Core.Clients;

/// <summary>A data source as the coordinator summarises it: its visible segments' count, size and time range.</summary>
public sealed record DataSourceSummary(string Name, int SegmentCount, long Size, long Rows, DateTimeOffset? MinTime, DateTimeOffset? MaxTime);

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
}
