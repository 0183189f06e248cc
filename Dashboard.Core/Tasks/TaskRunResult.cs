using System.Text.Json.Nodes;
using Dashboard.Core.Segments;
using Dashboard.Core.Storage;

namespace Dashboard.Core.Tasks;

/// <summary>
/// What a task hands back when its code ends. The queue moves the staged segments into place and persists the status,
/// the report and the segments in one metadata transaction, so a task's segments become visible exactly when it succeeds.
/// </summary>
public sealed record TaskRunResult(bool Succeeded, string? ErrorMessage, JsonObject? Report, IReadOnlyList<StagedSegment> Segments, SegmentDrop? Drop = null)
{
    public static TaskRunResult Success(JsonObject? report = null, IReadOnlyList<StagedSegment>? segments = null, SegmentDrop? drop = null) =>
        new(true, null, report, segments ?? [], drop);

    public static TaskRunResult Failure(string errorMessage, JsonObject? report = null) =>
        new(false, errorMessage, report, []);
}
