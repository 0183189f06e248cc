using System.Text.Json.Nodes;
using Dashboard.Core.Common;
using Dashboard.Core.Ingestion.Engine;

namespace Dashboard.Core.Ingestion;

/// <summary>Druid's <c>ingestionStatsAndErrors</c> report (tasks-api.md sample), live while running and final at the end.</summary>
public static class IngestionReport
{
    public const string Key = "ingestionStatsAndErrors";

    /// <summary>
    /// Not in Druid's report: the rows the input is estimated to hold, present in live reports only, so the dashboard
    /// can show progress and an ETA. Druid's clients ignore fields they do not know.
    /// </summary>
    public const string EstimatedTotalRowsField = "estimatedTotalRows";

    public static JsonObject Build(string taskId, string state, RowStats buildSegments, IReadOnlyList<ParseExceptionReport> parseExceptions,
        string? errorMsg, JsonObject context, JsonArray? pushedSegments = null, long? estimatedTotalRows = null)
    {
        var unparseable = new JsonObject();
        if (parseExceptions.Count > 0)
        {
            unparseable["buildSegments"] = new JsonArray(parseExceptions.Select(e => (JsonNode)e.ToJson()).ToArray());
        }

        var payload = new JsonObject
        {
            ["ingestionState"] = state,
            ["unparseableEvents"] = unparseable,
            ["rowStats"] = new JsonObject
            {
                ["determinePartitions"] = RowStats.Zero.ToJson(),
                ["buildSegments"] = buildSegments.ToJson(),
            },
            ["errorMsg"] = errorMsg,
            ["segmentAvailabilityConfirmed"] = false,
            ["segmentAvailabilityWaitTimeMs"] = 0,
        };
        if (pushedSegments is not null)
        {
            payload["pushedSegments"] = pushedSegments;
        }

        if (estimatedTotalRows is not null)
        {
            payload[EstimatedTotalRowsField] = estimatedTotalRows;
        }

        return new JsonObject
        {
            [Key] = new JsonObject { ["type"] = Key, ["taskId"] = taskId, ["payload"] = payload },
            ["taskContext"] = new JsonObject { ["type"] = "taskContext", ["taskId"] = taskId, ["payload"] = context.DeepClone() },
        };
    }

    /// <summary>
    /// The live report's <see cref="EstimatedTotalRowsField"/>, when it has one: in this report's payload, or in a SQL
    /// task's <c>multiStageQuery</c> payload, where the controller puts the same estimate.
    /// </summary>
    public static long? EstimatedTotalRowsOf(JsonObject? report) =>
        JsonNumbers.TryGetInt64((report?[Key] ?? report?["multiStageQuery"])?["payload"]?[EstimatedTotalRowsField], out var rows) ? rows : null;

    public static RowStats RowStatsOf(JsonObject? report) =>
        RowStats.FromJson(report?[Key]?["payload"]?["rowStats"]?["buildSegments"]);

    public static IEnumerable<ParseExceptionReport> ParseExceptionsOf(JsonObject? report) =>
        (report?[Key]?["payload"]?["unparseableEvents"]?["buildSegments"] as JsonArray ?? []).OfType<JsonObject>().Select(e =>
            new ParseExceptionReport(e["input"]?.GetValue<string>() ?? "", e["errorType"]?.GetValue<string>() ?? "unparseable",
                e["details"]?[0]?.GetValue<string>() ?? "", e["timeOfExceptionMillis"]?.GetValue<long>() ?? 0));
}
