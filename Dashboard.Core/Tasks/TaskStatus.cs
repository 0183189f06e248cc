using System.Text.Json.Serialization;

namespace Dashboard.Core.Tasks;

/// <summary>
/// The status a task reports and the store keeps (<c>POST /taskStatus</c> values). <c>duration</c> is -1 while running.
/// </summary>
public sealed record TaskStatus(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("status")] TaskState Status,
    [property: JsonPropertyName("duration")] long Duration,
    [property: JsonPropertyName("errorMsg")] string? ErrorMsg,
    [property: JsonPropertyName("location")] TaskLocation Location)
{
    /// <summary>Druid cuts errorMsg to this many characters and appends "..."; the full text stays in the report and log.</summary>
    public const int MaxErrorMsgLength = 100;

    public static TaskStatus Running(string id, TaskLocation? location = null) =>
        new(id, TaskState.RUNNING, -1, null, location ?? TaskLocation.Unknown);

    public static TaskStatus Success(string id, long durationMs, TaskLocation location) =>
        new(id, TaskState.SUCCESS, durationMs, null, location);

    /// <summary>A failure; secrets in the message are masked before it is cut, so no part of one survives the cut.</summary>
    public static TaskStatus Failure(string id, string errorMsg, long durationMs, TaskLocation location) =>
        new(id, TaskState.FAILED, durationMs, Truncate(Security.SecretMasker.MaskText(errorMsg)), location);

    public static string? Truncate(string? errorMsg) =>
        errorMsg is { Length: > MaxErrorMsgLength } ? string.Concat(errorMsg.AsSpan(0, MaxErrorMsgLength), "...") : errorMsg;
}
