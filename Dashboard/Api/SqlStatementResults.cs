using System.Text.Json.Nodes;
using Dashboard.Core.Common;
using Dashboard.Core.Tasks;

namespace Dashboard.Api;

/// <summary>
/// Druid's SqlStatementResult (druid-behaviour.md §3.3) built from a query_controller task's status and its
/// multiStageQuery report: queryId, state (ACCEPTED while the task waits for a slot), createdAt, schema, durationMs,
/// result (rows and one page of a SELECT) and errorDetails; with detail, the stages, counters and warnings.
/// </summary>
public static class SqlStatementResults
{
    public const string SelectDataSource = "__query_select";

    public static string StateOf(TaskStatusPlus status) => status.StatusCode switch
    {
        TaskState.SUCCESS => "SUCCESS",
        TaskState.FAILED => "FAILED",
        _ => status.RunnerStatusCode == RunnerTaskState.RUNNING ? "RUNNING" : "ACCEPTED",
    };

    public static JsonObject Build(TaskStatusPlus status, JsonObject? report, bool detail)
    {
        var payload = report?["multiStageQuery"]?["payload"] as JsonObject;
        var results = payload?["results"] as JsonObject;
        var state = StateOf(status);
        var body = new JsonObject
        {
            ["queryId"] = status.Id,
            ["state"] = state,
            ["createdAt"] = DruidTime.Format(status.CreatedTime),
        };
        if (results?["signature"] is JsonArray signature)
        {
            var sqlTypes = results["sqlTypeNames"] as JsonArray;
            body["schema"] = new JsonArray(signature.Select((c, i) => (JsonNode)new JsonObject
            {
                ["name"] = c?["name"]?.DeepClone(),
                ["type"] = sqlTypes?[i]?.DeepClone(),
                ["nativeType"] = c?["type"]?.DeepClone(),
            }).ToArray());
        }

        body["durationMs"] = status.Duration is > 0 ? status.Duration : null;
        if (state == "SUCCESS")
        {
            var rows = results?["results"] as JsonArray;
            var count = rows?.Count ?? 0;
            var size = rows is null ? 0 : System.Text.Encoding.UTF8.GetByteCount(rows.ToJsonString());
            body["result"] = new JsonObject
            {
                ["numTotalRows"] = count,
                ["totalSizeInBytes"] = size,
                ["resultFormat"] = "object",
                ["dataSource"] = status.DataSource ?? SelectDataSource,
                ["pages"] = status.DataSource == SelectDataSource
                    ? new JsonArray(new JsonObject { ["id"] = 0, ["numRows"] = count, ["sizeInBytes"] = size })
                    : new JsonArray(),
            };
        }

        if (state == "FAILED")
        {
            var error = payload?["status"]?["errorReport"]?["error"];
            body["errorDetails"] = new JsonObject
            {
                ["error"] = "druidException",
                ["errorCode"] = error?["errorCode"]?.GetValue<string>() ?? "UnknownError",
                ["persona"] = "USER",
                ["category"] = "UNCATEGORIZED",
                ["errorMessage"] = error?["errorMessage"]?.GetValue<string>() ?? status.ErrorMsg,
                ["context"] = new JsonObject(),
            };
        }

        if (detail && payload is not null)
        {
            foreach (var key in new[] { "stages", "counters" })
            {
                if (payload[key] is { } value)
                {
                    body[key] = value.DeepClone();
                }
            }

            body["warnings"] = payload["status"]?["warnings"]?.DeepClone() ?? new JsonArray();
        }

        return body;
    }
}
