using System.Text.Json.Nodes;
using Dashboard.Core.Segments;
using Dashboard.Core.Tasks;

namespace Dashboard.Core.Storage;

/// <summary>A task's row in the metadata store, without its payload (listing never needs it).</summary>
public sealed record TaskRecord(
    string Id,
    string GroupId,
    string Type,
    string DataSource,
    DateTimeOffset CreatedTime,
    TaskStatus Status,
    string? ErrorDetail = null);

/// <summary>
/// Everything that becomes true when a task ends, written in one transaction: its final status (with the full error
/// message), its final report, the segments it publishes, the older segments it drops, and the end of its pending
/// segment allocations.
/// </summary>
public sealed record TaskCompletion(TaskStatus Status, string? ErrorDetail, JsonObject? Report, IReadOnlyList<DataSegment> Segments, SegmentDrop? Drop = null);

/// <summary>Marks unused the data source's segments inside <see cref="Intervals"/> with a version older than <see cref="NewVersion"/> (dropExisting).</summary>
public sealed record SegmentDrop(string DataSource, IReadOnlyList<Common.Interval> Intervals, string NewVersion);

/// <summary>Filter for complete tasks, newest first. Created bounds are half-open: [CreatedFrom, CreatedTo).</summary>
public sealed record CompleteTaskFilter(string? DataSource, string? Type, DateTimeOffset? CreatedFrom, DateTimeOffset? CreatedTo, int? Max);
