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
/// message), its final report, and the segments it publishes.
/// </summary>
public sealed record TaskCompletion(TaskStatus Status, string? ErrorDetail, JsonObject? Report, IReadOnlyList<DataSegment> Segments);

/// <summary>Filter for complete tasks, newest first. Created bounds are half-open: [CreatedFrom, CreatedTo).</summary>
public sealed record CompleteTaskFilter(string? DataSource, string? Type, DateTimeOffset? CreatedFrom, DateTimeOffset? CreatedTo, int? Max);
