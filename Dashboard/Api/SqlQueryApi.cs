using System.Text.Json;
using System.Text.Json.Nodes;
using Dashboard.Core.Errors;
using Dashboard.Core.Query;
using Dashboard.Core.Security;
using Dashboard.Security;

namespace Dashboard.Api;

/// <summary>
/// Druid's SQL query API (<c>POST /druid/v2/sql</c>, with or without the trailing slash): a SELECT runs at once on the
/// embedded engine with no task and its rows stream back in the asked result format; <c>DELETE /druid/v2/sql/{id}</c>
/// cancels a running one. Planning errors are 400 ErrorResponses; capacity, timeout and cancellation Druid's legacy
/// query errors (429, 504, 500).
/// </summary>
public static class SqlQueryApi
{
    public const string QueryIdHeader = "X-Druid-SQL-Query-Id";

    public static IEndpointRouteBuilder MapSqlQueryApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/druid/v2/sql").AddEndpointFilter<DruidErrorFilter>().WithTags("SQL query API");
        api.MapPost("", QueryAsync).RequireDruidAccess(DruidAccess.SqlQuery); // routing matches the trailing slash (dsql's URL) too
        api.MapDelete("/{sqlQueryId}", (string sqlQueryId, InteractiveSqlEngine engine) =>
            engine.Cancel(sqlQueryId) ? Results.StatusCode(StatusCodes.Status202Accepted) : Results.NotFound())
            .RequireDruidAccess(DruidAccess.SqlQueryCancel);
        return endpoints;
    }

    private static async Task<IResult> QueryAsync(HttpContext http, InteractiveSqlEngine engine, DruidAuthorizer authorizer, ILoggerFactory loggers, CancellationToken ct)
    {
        var body = await JsonRequestBody.ReadAsync(http.Request, ct) as JsonObject
                   ?? throw DruidException.InvalidInput("The request body must be a JSON object: {\"query\": \"SELECT ...\"}.");
        var query = body["query"] is JsonValue q && q.GetValueKind() == JsonValueKind.String ? q.GetValue<string>() : null;
        if (string.IsNullOrWhiteSpace(query))
        {
            throw DruidException.InvalidInput("The request has no query: send {\"query\": \"SELECT ...\"}.");
        }

        var format = SqlResultWriter.Normalise(Text(body, "resultFormat"))
                     ?? throw DruidException.InvalidInput($"resultFormat [{Text(body, "resultFormat")}] is not one of Druid's: {string.Join(", ", SqlResultWriter.Formats)}.");
        var header = Flag(body, "header");
        var writer = new SqlResultWriter(format, header, Flag(body, "typesHeader"), Flag(body, "sqlTypesHeader"));
        var context = body["context"] switch
        {
            null => new JsonObject(),
            JsonObject o => o,
            _ => throw DruidException.InvalidInput("context must be a JSON object of query context keys, e.g. {\"sqlTimeZone\": \"UTC\"}."),
        };
        var parameters = body["parameters"] switch
        {
            null => null,
            JsonArray a => a,
            _ => throw DruidException.InvalidInput("parameters must be a JSON array of {\"type\", \"value\"} objects, one per ? in the query."),
        };

        SqlQueryCursor cursor;
        try
        {
            var identity = DruidClaims.IdentityOf(http.User);
            cursor = await engine.StartAsync(new SqlQueryRequest(query, context, parameters) { CanRead = ds => authorizer.CanRead(identity, ds) }, ct);
        }
        catch (SqlQueryException ex)
        {
            return LegacyError(ex);
        }

        return new StreamedResult(cursor, writer, header, loggers.CreateLogger(typeof(SqlQueryApi)));
    }

    /// <summary>Druid's QueryException body, as its broker writes capacity, timeout and cancellation errors.</summary>
    public static IResult LegacyError(SqlQueryException ex) => DruidResults.Json(new JsonObject
    {
        ["error"] = ex.ErrorCode,
        ["errorMessage"] = ex.Message,
        ["errorClass"] = ex.ErrorClass,
        ["host"] = null,
    }, ex.StatusCode);

    private static string? Text(JsonObject body, string key) =>
        body[key] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : body[key] is null ? null
            : throw DruidException.InvalidInput($"{key} must be a string, got [{body[key]!.ToJsonString()}].");

    private static bool Flag(JsonObject body, string key) => body[key] switch
    {
        null => false,
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>(),
        var other => throw DruidException.InvalidInput($"{key} must be true or false, got [{other.ToJsonString()}]."),
    };

    /// <summary>Writes the headers and streams the rows; a failure after the first byte ends the response early, as Druid's does.</summary>
    private sealed class StreamedResult(SqlQueryCursor cursor, SqlResultWriter writer, bool header, ILogger logger) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            await using (cursor)
            {
                var response = httpContext.Response;
                response.StatusCode = StatusCodes.Status200OK;
                response.ContentType = writer.ContentType;
                response.Headers[QueryIdHeader] = cursor.SqlQueryId;
                if (header)
                {
                    response.Headers["X-Druid-SQL-Header-Included"] = "yes";
                }

                try
                {
                    await writer.WriteAsync(cursor, response, cursor.Token);
                }
                catch (SqlQueryException ex) when (!response.HasStarted)
                {
                    response.Headers.Remove(QueryIdHeader);
                    await LegacyError(ex).ExecuteAsync(httpContext);
                }
                catch (Exception ex) when (ex is SqlQueryException or OperationCanceledException)
                {
                    logger.LogWarning("SQL query {SqlQueryId} stopped after its response began: {Message}", cursor.SqlQueryId, ex.Message);
                    httpContext.Abort();
                }
            }
        }
    }
}
