using Dashboard.Core.Security;
using Dashboard.Security;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dashboard.Core.Clients;
using Dashboard.Core.Errors;

namespace Dashboard.Api;

/// <summary>
/// Druid's SQL-based ingestion API: <c>POST /druid/v2/sql/task</c> answers 202 <c>{"taskId","state"}</c>, EXPLAIN a plan
/// row, and planning errors the SqlTaskStatus body <c>{"taskId": sqlQueryId, "state": "FAILED", "error": {...}}</c>.
/// </summary>
public static class SqlTaskApi
{
    public static IEndpointRouteBuilder MapSqlTaskApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/druid/v2/sql/task").AddEndpointFilter<DruidErrorFilter>().WithTags("SQL-based ingestion API");
        api.MapGet("/enabled", () => DruidResults.Json(new { enabled = true })).RequireDruidAccess(DruidAccess.State(DruidAction.READ));
        api.MapPost("", SubmitAsync).RequireDruidAccess(DruidAccess.SqlTask);
        return endpoints;
    }

    private static async Task<IResult> SubmitAsync(HttpRequest request, IOverlordClient overlord, OperatorAudit audit, CancellationToken ct)
    {
        var body = await JsonRequestBody.ReadAsync(request, ct) as JsonObject;
        var context = body?["context"] as JsonObject ?? [];
        var sqlQueryId = context["sqlQueryId"]?.GetValue<string>() ?? Guid.NewGuid().ToString();
        context["sqlQueryId"] = sqlQueryId;
        try
        {
            var query = body?["query"] is JsonValue q && q.GetValueKind() == JsonValueKind.String ? q.GetValue<string>() : null;
            if (string.IsNullOrWhiteSpace(query))
            {
                throw new DruidException(400, ErrorBodyShape.ErrorResponse, "The request has no query: send {\"query\": \"INSERT INTO ...\"}.", "invalidInput", "INVALID_INPUT");
            }

            var submission = await overlord.SubmitSqlTaskAsync(new SqlTaskRequest(query, context,
                body?["resultFormat"]?.GetValue<string>() ?? "object", body?["header"]?.GetValue<bool>() ?? false, body?["parameters"] as JsonArray), ct);
            if (submission.ExplainRow is { } row)
            {
                return ExplainResult(row, body?["resultFormat"]?.GetValue<string>() ?? "object", body?["header"]?.GetValue<bool>() ?? false);
            }

            await audit.RecordAsync(request.HttpContext, "sql.submit", submission.Status!.TaskId, query, ct);
            return DruidResults.Json(submission.Status, StatusCodes.Status202Accepted);
        }
        catch (DruidException ex) when (ex.Shape == ErrorBodyShape.ErrorResponse)
        {
            return DruidResults.Json(new SqlTaskStatus(sqlQueryId, "FAILED", ex.ToErrorResponse()), ex.StatusCode);
        }
        catch (DruidException ex) when (ex.StatusCode == 400)
        {
            var error = new DruidException(400, ErrorBodyShape.ErrorResponse, ex.Message, "invalidInput", "INVALID_INPUT").ToErrorResponse();
            return DruidResults.Json(new SqlTaskStatus(sqlQueryId, "FAILED", error), 400);
        }
    }

    private static IResult ExplainResult(JsonObject row, string resultFormat, bool header)
    {
        var names = new[] { "PLAN", "RESOURCES", "ATTRIBUTES" };
        JsonNode result = resultFormat.ToLowerInvariant() switch
        {
            "array" => new JsonArray(new JsonArray(names.Select(n => row[n]?.DeepClone()).ToArray())),
            _ => new JsonArray(row.DeepClone()),
        };
        if (header && result is JsonArray rows && resultFormat.Equals("array", StringComparison.OrdinalIgnoreCase))
        {
            rows.Insert(0, new JsonArray(names.Select(n => (JsonNode)n).ToArray()));
        }

        var response = DruidResults.Json(result);
        return header ? new HeaderResult(response, "X-Druid-SQL-Header-Included", "yes") : response;
    }

    private sealed class HeaderResult(IResult inner, string name, string value) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers[name] = value;
            return inner.ExecuteAsync(httpContext);
        }
    }
}
