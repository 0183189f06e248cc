using System.Text.Json.Nodes;
using Dashboard.Core.Clients;
using Dashboard.Core.Common;
using Dashboard.Core.Security;
using Dashboard.Security;

namespace Dashboard.Api;

/// <summary>
/// The coordinator and broker calls Druid's tools make besides the datasource reads: load status (the quickstart's
/// <c>post-index-task</c> waits on it), leadership (the web console's capability probe), the datasource list with
/// <c>?simple</c> and <c>?full</c>, and the broker's <c>/druid/v2/datasources</c>. Published segments are served at
/// once in this server, so every visible segment is available and a datasource's load status is 100.0.
/// </summary>
public static class CoordinatorStatusApi
{
    private const string Tier = "_default_tier";

    public static IEndpointRouteBuilder MapCoordinatorStatusApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/druid/coordinator/v1").AddEndpointFilter<DruidErrorFilter>().WithTags("Coordinator API");
        api.MapGet("/loadstatus", async (HttpContext context, ICoordinatorClient coordinator, DruidAuthorizer authorizer, CancellationToken ct) =>
        {
            var names = await ReadableAsync(context, coordinator, authorizer, ct);
            if (context.Request.Query.ContainsKey("full"))
            {
                return DruidResults.Json(new JsonObject { [Tier] = Each(names, _ => 0) });
            }

            return context.Request.Query.ContainsKey("simple")
                ? DruidResults.Json(Each(names, _ => 0))
                : DruidResults.Json(Each(names, _ => 100.0));
        }).RequireDruidAccess(DruidAccess.State(DruidAction.READ));

        api.MapGet("/isLeader", () => DruidResults.Json(new { leader = true })).RequireDruidAccess(DruidAccess.State(DruidAction.READ));
        api.MapGet("/leader", async (IOverlordClient overlord, CancellationToken ct) => DruidResults.RawJsonLabelled(await overlord.GetLeaderAsync(ct)))
            .RequireDruidAccess(DruidAccess.State(DruidAction.READ));
        return endpoints;
    }

    /// <summary>The broker's queryable datasources: the names of those with visible segments the caller may READ.</summary>
    public static IEndpointRouteBuilder MapBrokerDataSourcesApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/druid/v2/datasources", async (HttpContext context, ICoordinatorClient coordinator, DruidAuthorizer authorizer, CancellationToken ct) =>
                DruidResults.Json(await ReadableAsync(context, coordinator, authorizer, ct)))
            .AddEndpointFilter<DruidErrorFilter>().WithTags("Broker API").RequireDruidAccess(DruidAccess.FilteredByDataSource);
        return endpoints;
    }

    /// <summary><c>GET /datasources?simple</c>: each datasource with its tiers and segment summary under <c>properties</c>.</summary>
    public static async Task<JsonArray> SimpleAsync(IEnumerable<string> names, ICoordinatorClient coordinator, CancellationToken ct)
    {
        var list = new JsonArray();
        foreach (var name in names)
        {
            if (await coordinator.GetDataSourceAsync(name, ct) is { } summary)
            {
                list.Add(new JsonObject { ["name"] = name, ["properties"] = Properties(summary) });
            }
        }

        return list;
    }

    /// <summary><c>GET /datasources?full</c>: each datasource with its used segments, as Druid's ImmutableDruidDataSource.</summary>
    public static async Task<JsonArray> FullAsync(IEnumerable<string> names, ICoordinatorClient coordinator, TimeProvider time, CancellationToken ct)
    {
        var list = new JsonArray();
        foreach (var name in names)
        {
            var segments = await coordinator.GetUsedSegmentsAsync(name, ct);
            list.Add(new JsonObject
            {
                ["name"] = name,
                ["properties"] = new JsonObject { ["created"] = DruidTime.Format(time.GetUtcNow()) },
                ["segments"] = System.Text.Json.JsonSerializer.SerializeToNode(segments, DruidJson.Options),
            });
        }

        return list;
    }

    /// <summary>The summary Druid gives a datasource (<c>GET /datasources/{name}</c> and <c>?simple</c>'s properties).</summary>
    public static JsonObject Properties(DataSourceSummary summary) => new()
    {
        ["tiers"] = new JsonObject { [Tier] = new JsonObject { ["size"] = summary.Size, ["segmentCount"] = summary.SegmentCount, ["replicatedSize"] = summary.Size } },
        ["segments"] = new JsonObject
        {
            ["maxTime"] = summary.MaxTime is { } max ? DruidTime.Format(max) : null,
            ["size"] = summary.Size,
            ["minTime"] = summary.MinTime is { } min ? DruidTime.Format(min) : null,
            ["count"] = summary.SegmentCount,
            ["replicatedSize"] = summary.Size,
        },
    };

    private static async Task<List<string>> ReadableAsync(HttpContext context, ICoordinatorClient coordinator, DruidAuthorizer authorizer, CancellationToken ct)
    {
        var identity = DruidClaims.IdentityOf(context.User);
        return (await coordinator.GetDataSourcesAsync(ct)).Where(ds => authorizer.CanRead(identity, ds)).ToList();
    }

    private static JsonObject Each<T>(IEnumerable<string> names, Func<string, T> value)
    {
        var map = new JsonObject();
        foreach (var name in names)
        {
            map[name] = JsonValue.Create(value(name));
        }

        return map;
    }
}
