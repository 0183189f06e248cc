using System.Text.Json.Nodes;
using Dashboard.Core.Segments;

namespace Dashboard.Core.Tasks;

/// <summary>
/// What a task hands back when its code ends. The queue persists the status, the report and the segments in one
/// metadata transaction, so a task's segments become visible exactly when it succeeds.
/// </summary>
public sealed record TaskRunResult(bool Succeeded, string? ErrorMessage, JsonObject? Report, IReadOnlyList<DataSegment> Segments)
{
    public static TaskRunResult Success(JsonObject? report = null, IReadOnlyList<DataSegment>? segments = null) =>
        new(true, null, report, segments ?? []);

    public static TaskRunResult Failure(string errorMessage, JsonObject? report = null) =>
        new(false, errorMessage, report, []);
}
