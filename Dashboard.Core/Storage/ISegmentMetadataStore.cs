using Dashboard.Core.Common;
using Dashboard.Core.Segments;

namespace Dashboard.Core.Storage;

/// <summary>A segment id allocated to a running task but not yet published.</summary>
public sealed record PendingSegment(
    string Id, string DataSource, Interval Interval, string Version, string SequenceName, string TaskAllocatorId, DateTimeOffset CreatedTime);

/// <summary>Published segments and pending segment allocations.</summary>
public interface ISegmentMetadataStore
{
    Task<IReadOnlyList<DataSegment>> GetSegmentsPublishedByAsync(string taskId, CancellationToken cancellationToken);

    Task InsertPendingSegmentAsync(PendingSegment segment, CancellationToken cancellationToken);

    Task<int> CountPendingSegmentsAsync(string dataSource, CancellationToken cancellationToken);

    /// <summary>Deletes the data source's pending segments overlapping <paramref name="interval"/> (all of them when null).</summary>
    Task<int> DeletePendingSegmentsAsync(string dataSource, Interval? interval, CancellationToken cancellationToken);
}
