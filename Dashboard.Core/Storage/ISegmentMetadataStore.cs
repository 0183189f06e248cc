using Dashboard.Core.Common;
using Dashboard.Core.Segments;

namespace Dashboard.Core.Storage;

/// <summary>A segment id allocated to a running task but not yet published.</summary>
public sealed record PendingSegment(
    string Id, string DataSource, Interval Interval, string Version, int PartitionNum, string SequenceName, string TaskAllocatorId, DateTimeOffset CreatedTime);

/// <summary>A used segment with the task that published it and when.</summary>
public sealed record PublishedSegment(DataSegment Segment, string? TaskId, DateTimeOffset PublishedTime);

/// <summary>Published segments and pending segment allocations.</summary>
public interface ISegmentMetadataStore
{
    Task<IReadOnlyList<DataSegment>> GetSegmentsPublishedByAsync(string taskId, CancellationToken cancellationToken);

    /// <summary>Used (published, not dropped) segments of a data source, those overlapping <paramref name="overlapping"/> when given.</summary>
    Task<IReadOnlyList<DataSegment>> GetUsedSegmentsAsync(string dataSource, Interval? overlapping, CancellationToken cancellationToken);

    /// <summary>Used segments of a data source with the task that published each, oldest time chunk first.</summary>
    Task<IReadOnlyList<PublishedSegment>> GetPublishedSegmentsAsync(string dataSource, CancellationToken cancellationToken);

    /// <summary>Data sources that have used segments, by name.</summary>
    Task<IReadOnlyList<string>> GetDataSourcesAsync(CancellationToken cancellationToken);

    /// <summary>The newest segment version of a data source (used or not), or null.</summary>
    Task<string?> GetNewestVersionAsync(string dataSource, CancellationToken cancellationToken);

    /// <summary>The file path of every segment the metadata knows (for the start-up sweep of unpublished files).</summary>
    Task<IReadOnlySet<string>> GetSegmentPathsAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<PendingSegment>> GetPendingSegmentsAsync(string dataSource, Interval overlapping, CancellationToken cancellationToken);

    Task InsertPendingSegmentAsync(PendingSegment segment, CancellationToken cancellationToken);

    Task<int> CountPendingSegmentsAsync(string dataSource, CancellationToken cancellationToken);

    /// <summary>Deletes the data source's pending segments overlapping <paramref name="interval"/> (all of them when null).</summary>
    Task<int> DeletePendingSegmentsAsync(string dataSource, Interval? interval, CancellationToken cancellationToken);
}
