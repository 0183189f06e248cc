using Dashboard.Core.Segments;
using Dashboard.Core.Storage;

namespace Dashboard.Core.Clients;

/// <summary>The embedded coordinator view, answered from the metadata store and the versioned timeline.</summary>
public sealed class InProcessCoordinatorClient(ISegmentMetadataStore segments) : ICoordinatorClient
{
    public Task<IReadOnlyList<string>> GetDataSourcesAsync(CancellationToken cancellationToken) => segments.GetDataSourcesAsync(cancellationToken);

    public async Task<DataSourceSummary?> GetDataSourceAsync(string dataSource, CancellationToken cancellationToken)
    {
        var visible = SegmentTimeline.Visible(await segments.GetUsedSegmentsAsync(dataSource, null, cancellationToken));
        return visible.Count == 0
            ? null
            : new DataSourceSummary(dataSource, visible.Count, visible.Sum(s => s.Size), visible.Sum(s => s.TotalRows),
                visible.Min(s => s.Interval.Start), visible.Max(s => s.Interval.End));
    }

    public Task<IReadOnlyList<DataSegment>> GetUsedSegmentsAsync(string dataSource, CancellationToken cancellationToken) =>
        segments.GetUsedSegmentsAsync(dataSource, null, cancellationToken);
}
