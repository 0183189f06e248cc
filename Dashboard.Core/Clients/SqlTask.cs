using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Dashboard.Core.Errors;

namespace Dashboard.Core.Clients;

/// <summary>The body of <c>POST /druid/v2/sql/task</c>: Druid's SQL query object.</summary>
public sealed record SqlTaskRequest(string Query, JsonObject Context, string ResultFormat = "object", bool Header = false, JsonArray? Parameters = null);

/// <summary>Druid's SqlTaskStatus: <c>{"taskId","state"}</c> on success, with <c>error</c> when planning failed.</summary>
public sealed record SqlTaskStatus(
    [property: JsonPropertyName("taskId")] string TaskId,
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("error"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ErrorResponse? Error = null);

/// <summary>The answer to a submission: a running task, or (for EXPLAIN PLAN FOR) the plan row.</summary>
public sealed record SqlTaskSubmission(SqlTaskStatus? Status, JsonObject? ExplainRow);
