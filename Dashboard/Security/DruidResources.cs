using System.Text.Json.Nodes;
using Dashboard.Core.Clients;
using Dashboard.Core.Errors;
using Dashboard.Core.Msq.Dialect;
using Dashboard.Core.Security;

namespace Dashboard.Security;

/// <summary>Finds the resource a request acts on, for <see cref="DruidAccess"/>.</summary>
public static class DruidResources
{
    public static async ValueTask<Resource?> TaskDataSourceAsync(HttpContext context)
    {
        if (context.Request.RouteValues["taskId"] is not string taskId)
        {
            return null;
        }

        try
        {
            var status = await context.RequestServices.GetRequiredService<IOverlordClient>().GetTaskStatusAsync(taskId, context.RequestAborted);
            return Resource.DataSource(status.DataSource ?? "");
        }
        catch (DruidException)
        {
            return null; // unknown or invalid id: the endpoint answers Druid's 404/500 for it
        }
    }

    /// <summary>The spec's <c>spec.dataSchema.dataSource</c> (native batch) or top-level <c>dataSource</c>; STATE when it names none.</summary>
    public static async ValueTask<Resource?> SubmittedTaskDataSourceAsync(HttpContext context)
    {
        var body = await ReadJsonAsync(context) as JsonObject;
        return OfTaskSpec(body);
    }

    public static Resource OfTaskSpec(JsonObject? spec) =>
        (Text(spec?["spec"]?["dataSchema"]?["dataSource"]) ?? Text(spec?["dataSchema"]?["dataSource"]) ?? Text(spec?["dataSource"])) is { } dataSource
            ? Resource.DataSource(dataSource)
            : Resource.State;

    /// <summary>INSERT/REPLACE's target; a SELECT, an EXPLAIN or a statement that does not parse (the endpoint answers its 400) needs WRITE on STATE.</summary>
    public static async ValueTask<Resource?> SqlTargetAsync(HttpContext context)
    {
        var body = await ReadJsonAsync(context) as JsonObject;
        return Text(body?["query"]) is { } query ? OfSqlStatement(query) : Resource.State;
    }

    public static Resource OfSqlStatement(string query)
    {
        try
        {
            var statement = DruidSqlParser.Parse(query);
            return statement.Target is { } target && !target.StartsWith("EXTERN", StringComparison.OrdinalIgnoreCase)
                ? Resource.DataSource(target)
                : Resource.State;
        }
        catch (Exception ex) when (ex is DruidException or FormatException or ArgumentException or InvalidOperationException)
        {
            return Resource.State;
        }
    }

    /// <summary>The data sources an SQL statement reads (FROM and JOIN, not its CTEs or EXTERN).</summary>
    public static async ValueTask<IReadOnlyList<Resource>> SqlSourcesAsync(HttpContext context)
    {
        var body = await ReadJsonAsync(context) as JsonObject;
        return Text(body?["query"]) is { } query ? SourcesOfSqlStatement(query) : [];
    }

    /// <summary>Empty for a statement that does not parse: the endpoint answers its 400 and nothing runs.</summary>
    public static IReadOnlyList<Resource> SourcesOfSqlStatement(string query)
    {
        try
        {
            var statement = DruidSqlParser.Parse(query);
            return DruidSqlTranslator.Translate(statement.Select, DateTimeOffset.UnixEpoch, statement.TimeZone).DataSources.Select(Resource.DataSource).ToList();
        }
        catch (Exception ex) when (ex is DruidException or FormatException or ArgumentException or InvalidOperationException)
        {
            return [];
        }
    }

    /// <summary>Reads the JSON body and rewinds it for the endpoint; anything unreadable is the endpoint's to reject.</summary>
    private static async Task<JsonNode?> ReadJsonAsync(HttpContext context)
    {
        if (!context.Request.HasJsonContentType())
        {
            return null;
        }

        context.Request.EnableBuffering();
        try
        {
            using var reader = new StreamReader(context.Request.Body, leaveOpen: true);
            var text = await reader.ReadToEndAsync(context.RequestAborted);
            return JsonNode.Parse(text, documentOptions: new System.Text.Json.JsonDocumentOptions
            {
                AllowTrailingCommas = true,
                CommentHandling = System.Text.Json.JsonCommentHandling.Skip,
            });
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
        finally
        {
            context.Request.Body.Position = 0;
        }
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) && !string.IsNullOrEmpty(text) ? text : null;
}
