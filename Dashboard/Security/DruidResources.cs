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
        (Text(Field(Field(Field(spec, "spec"), "dataSchema"), "dataSource")) ?? Text(Field(Field(spec, "dataSchema"), "dataSource")) ?? Text(Field(spec, "dataSource"))) is { } dataSource
            ? Resource.DataSource(dataSource)
            : Resource.State;

    /// <summary>An object's field; null when the node is not an object (a spec of the wrong shape is the endpoint's 400).</summary>
    private static JsonNode? Field(JsonNode? node, string name) => node is JsonObject o ? o[name] : null;

    /// <summary>INSERT/REPLACE's target; a SELECT, an EXPLAIN or a statement that does not parse (the endpoint answers its 400) needs WRITE on STATE.</summary>
    public static async ValueTask<Resource?> SqlTargetAsync(HttpContext context) => (await SqlOfRequestAsync(context)).Target;

    /// <summary>The data sources an SQL statement reads (FROM and JOIN, not its CTEs or EXTERN).</summary>
    public static async ValueTask<IReadOnlyList<Resource>> SqlSourcesAsync(HttpContext context) => (await SqlOfRequestAsync(context)).Sources;

    /// <summary>The data sources the running interactive query <c>{sqlQueryId}</c> reads; none when no such query runs (the endpoint answers 404).</summary>
    public static ValueTask<IReadOnlyList<Resource>> RunningSqlQuerySourcesAsync(HttpContext context)
    {
        var engine = context.RequestServices.GetService<Core.Query.InteractiveSqlEngine>();
        IReadOnlyList<Resource> sources = context.Request.RouteValues["sqlQueryId"] is string id && engine?.DataSourcesOf(id) is { } names
            ? names.Select(Resource.DataSource).ToList()
            : [];
        return ValueTask.FromResult(sources);
    }

    /// <summary>
    /// What an SQL statement writes (its INSERT/REPLACE target, else STATE) and reads (its FROM and JOIN data sources), from
    /// one parse. A statement that does not parse needs WRITE on STATE and reads nothing: the endpoint answers its 400.
    /// </summary>
    public static SqlResources OfSql(string query)
    {
        try
        {
            var statement = DruidSqlParser.Parse(query);
            var target = statement.Target is { } name && !name.StartsWith("EXTERN", StringComparison.OrdinalIgnoreCase) ? Resource.DataSource(name) : Resource.State;
            var sources = DruidSqlTranslator.Translate(statement.Select, DateTimeOffset.UnixEpoch, statement.TimeZone).DataSources.Select(Resource.DataSource).ToList();
            return new SqlResources(target, sources);
        }
        catch (Exception ex) when (ex is DruidException or FormatException or ArgumentException or InvalidOperationException)
        {
            return new SqlResources(Resource.State, []);
        }
    }

    /// <summary>The posted statement's resources, parsed once per request (the target and the sources are both asked for).</summary>
    private static async ValueTask<SqlResources> SqlOfRequestAsync(HttpContext context)
    {
        if (context.Items[typeof(SqlResources)] is SqlResources known)
        {
            return known;
        }

        var body = await ReadJsonAsync(context) as JsonObject;
        var resources = Text(body?["query"]) is { } query ? OfSql(query) : new SqlResources(Resource.State, []);
        context.Items[typeof(SqlResources)] = resources;
        return resources;
    }

    /// <summary>The JSON body, read once for authorization and the endpoint; anything unreadable is the endpoint's to reject.</summary>
    private static Task<JsonNode?> ReadJsonAsync(HttpContext context) => Api.JsonRequestBody.TryReadAsync(context.Request, context.RequestAborted);

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) && !string.IsNullOrEmpty(text) ? text : null;
}

/// <summary>What an SQL statement writes and reads, for authorization.</summary>
public sealed record SqlResources(Resource Target, IReadOnlyList<Resource> Sources);
