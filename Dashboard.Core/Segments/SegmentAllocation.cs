using Dashboard.Core.Common;

namespace Dashboard.Core.Segments;

/// <summary>A segment id handed to a writing task: its time chunk, version and partition number.</summary>
public sealed record SegmentAllocation(string DataSource, Interval Interval, string Version, int PartitionNum);

/// <summary>A segment written to a task's staging folder, not visible until its task succeeds.</summary>
public sealed record StagedSegment(DataSegment Segment, string StagedPath);
