using System.Text.Json;
using System.Text.Json.Nodes;
using Dashboard.Core.Clients;
using Dashboard.Core.Errors;
using Dashboard.Core.Security;
using Dashboard.Core.Tasks;
using Dashboard.Security;

namespace Dashboard.Api;

/// <summary>
/// Druid's SQL statements API, what the current web console submits MSQ queries to: <c>POST /druid/v2/sql/statements</c>
/// (executionMode ASYNC; SELECT, INSERT and REPLACE run as query_controller tasks), <c>GET .../{queryId}</c> (with
/// <c>?detail=true</c> stages, counters and warnings), <c>GET .../{queryId}/results</c> and <c>DELETE .../{queryId}</c>.
/// </summary>
public static class SqlStatementsApi
{
    public static IEndpointRouteBuilder MapSqlStatementsApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/druid/v2/sql/statements").AddEndpointFilter<DruidErrorFilter>().WithTags("SQL statements API");
        api.MapGet("/enabled", () => DruidResults.Json(new { enabled = true })).RequireDruidAccess(DruidAccess.State(DruidAction.READ));
        api.MapPost("", SubmitAsync).RequireDruidAccess(DruidAccess.SqlStatement);
        api.MapGet("/{taskId}", async (string taskId, HttpRequest request, IOverlordClient overlord, CancellationToken ct) =>
        {
            var status = await ControllerAsync(overlord, taskId, ct);
            var detail = string.Equals(request.Query["detail"], "true", StringComparison.OrdinalIgnoreCase);
            return DruidResults.Json(SqlStatementResults.Build(status, await ReportAsync(overlord, taskId, ct), detail));
        }).RequireDruidAccess(DruidAccess.TaskDataSource(DruidAction.READ));
        api.MapGet("/{taskId}/results", ResultsAsync).RequireDruidAccess(DruidAccess.TaskDataSource(DruidAction.READ));
        api.MapDelete("/{taskId}", async (string taskId, IOverlordClient overlord, CancellationToken ct) =>
        {
            var status = await ControllerAsync(overlord, taskId, ct);
            if (!status.IsActive)
            {
                return Results.Ok();
            }

            await overlord.ShutdownTaskAsync(taskId, ct);
            return Results.StatusCode(StatusCodes.Status202Accepted);
        }).RequireDruidAccess(DruidAccess.TaskDataSource(DruidAction.WRITE));
        return endpoints;
    }

    private static async Task<IResult> SubmitAsync(HttpRequest request, IOverlordClient overlord, OperatorAudit audit, CancellationToken ct)
    {
        var body = await JsonRequestBody.ReadAsync(request, ct) as JsonObject
                   ?? throw DruidException.InvalidInput("The request body must be a JSON object: {\"query\": \"...\", \"context\": {\"executionMode\": \"ASYNC\"}}.");
        var query = body["query"] is JsonValue q && q.GetValueKind() == JsonValueKind.String ? q.GetValue<string>() : null;
        if (string.IsNullOrWhiteSpace(query))
        {
            throw DruidException.InvalidInput("The request has no query: send {\"query\": \"SELECT ...\", \"context\": {\"executionMode\": \"ASYNC\"}}.");
        }

        var context = body["context"] as JsonObject ?? [];
        var mode = context["executionMode"] is JsonValue m && m.GetValueKind() == JsonValueKind.String ? m.GetValue<string>() : null;
        if (mode is null)
        {
            throw DruidException.InvalidInput("Execution mode is not provided to the sql statement api. Please set [executionMode] to [ASYNC] in the query context");
        }

        if (!mode.Equals("ASYNC", StringComparison.OrdinalIgnoreCase))
        {
            throw DruidException.InvalidInput($"The sql statement api currently does not support the provided execution mode [{mode}]. Please set [executionMode] to [ASYNC] in the query context");
        }

        context = (JsonObject)context.DeepClone();
        context.Remove("executionMode");
        context["sqlQueryId"] ??= Guid.NewGuid().ToString();
        var submission = await overlord.SubmitSqlTaskAsync(new SqlTaskRequest(query, context, Parameters: body["parameters"] as JsonArray), ct);
        if (submission.Status is not { } submitted)
        {
            throw DruidException.InvalidInput("EXPLAIN PLAN FOR is answered by /druid/v2/sql/task: post the statement there.");
        }

        await audit.RecordAsync(request.HttpContext, "sql.submit", submitted.TaskId, query, ct);
        var status = await overlord.GetTaskStatusAsync(submitted.TaskId, ct);
        return DruidResults.Json(SqlStatementResults.Build(status, null, false));
    }

    private static async Task<IResult> ResultsAsync(string taskId, HttpRequest request, IOverlordClient overlord, CancellationToken ct)
    {
        var status = await ControllerAsync(overlord, taskId, ct);
        var page = request.Query["page"].ToString() is { Length: > 0 } text ? int.TryParse(text, out var p) ? p : -1 : 0;
        if (page < 0)
        {
            throw DruidException.InvalidInput("Page cannot be negative. Please pass a positive number.");
        }

        if (status.StatusCode != TaskState.SUCCESS)
        {
            throw DruidException.InvalidInput($"Query [{taskId}] is not finished ({SqlStatementResults.StateOf(status)}): read its results once GET /druid/v2/sql/statements/{taskId} says SUCCESS.");
        }

        if (status.DataSource != SqlStatementResults.SelectDataSource)
        {
            return Results.Ok();
        }

        if (page > 0)
        {
            throw DruidException.InvalidInput($"Invalid page id [{page}] passed. Pages present are [0].");
        }

        var results = (await ReportAsync(overlord, taskId, ct))?["multiStageQuery"]?["payload"]?["results"];
        var names = (results?["signature"] as JsonArray ?? []).Select(c => c!["name"]!.GetValue<string>()).ToList();
        var rows = results?["results"] as JsonArray ?? [];
        var format = SqlResultWriter.Normalise(request.Query["resultFormat"].ToString() is { Length: > 0 } f ? f : null) ?? "object";
        JsonArray answer = format == "array"
            ? (JsonArray)rows.DeepClone()
            : new JsonArray(rows.Select(r => (JsonNode)new JsonObject(names.Select((n, i) => KeyValuePair.Create(n, r![i]?.DeepClone())))).ToArray());
        return DruidResults.Json(answer);
    }

    /// <summary>The task, which must be a query_controller; anything else is Druid's 404 for the statements API.</summary>
    private static async Task<TaskStatusPlus> ControllerAsync(IOverlordClient overlord, string taskId, CancellationToken ct)
    {
        try
        {
            var status = await overlord.GetTaskStatusAsync(taskId, ct);
            if (status.Type == "query_controller")
            {
                return status;
            }
        }
        catch (DruidException ex) when (ex.StatusCode == 404)
        {
        }

        throw new DruidException(404, ErrorBodyShape.ErrorResponse,
            $"Query [{taskId}] was not found. The query details are no longer present or might not be of the type [query_controller]. Verify that the id is correct.",
            "notFound", "NOT_FOUND");
    }

    private static async Task<JsonObject?> ReportAsync(IOverlordClient overlord, string taskId, CancellationToken ct)
    {
        try
        {
            return await overlord.GetTaskReportsAsync(taskId, ct);
        }
        catch (DruidException ex) when (ex.StatusCode == 404)
        {
            return null;
        }
    }
}
