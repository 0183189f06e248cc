using Dashboard.Core.Security;
using Dashboard.Security;
using System.Text.Json.Nodes;
using Dashboard.Core.Clients;
using Dashboard.Core.Common;

namespace Dashboard.Api;

/// <summary>The coordinator endpoints Druid clients and the dashboard read (<c>/druid/coordinator/v1</c>).</summary>
public static class CoordinatorApi
{
    public static IEndpointRouteBuilder MapCoordinatorApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/druid/coordinator/v1").AddEndpointFilter<DruidErrorFilter>().AddEndpointFilter<DataSourceNameFilter>().WithTags("Coordinator API");

        api.MapGet("/datasources", async (HttpContext context, ICoordinatorClient coordinator, DruidAuthorizer authorizer, CancellationToken ct) =>
        {
            var identity = DruidClaims.IdentityOf(context.User);
            return DruidResults.Json((await coordinator.GetDataSourcesAsync(ct)).Where(ds => authorizer.CanRead(identity, ds)).ToList());
        }).RequireDruidAccess(DruidAccess.FilteredByDataSource);

        api.MapGet("/datasources/{dataSource}", async (string dataSource, ICoordinatorClient coordinator, CancellationToken ct) =>
        {
            if (await coordinator.GetDataSourceAsync(dataSource, ct) is not { } summary)
            {
                return Results.NoContent();
            }

            var tier = new JsonObject { ["size"] = summary.Size, ["segmentCount"] = summary.SegmentCount, ["replicatedSize"] = summary.Size };
            return DruidResults.Json(new JsonObject
            {
                ["tiers"] = new JsonObject { ["_default_tier"] = tier },
                ["segments"] = new JsonObject
                {
                    ["maxTime"] = summary.MaxTime is { } max ? DruidTime.Format(max) : null,
                    ["size"] = summary.Size,
                    ["minTime"] = summary.MinTime is { } min ? DruidTime.Format(min) : null,
                    ["count"] = summary.SegmentCount,
                    ["replicatedSize"] = summary.Size,
                },
            });
        }).RequireDruidAccess(DruidAccess.DataSourceFromRoute(DruidAction.READ));

        api.MapGet("/metadata/datasources/{dataSource}/segments", async (string dataSource, HttpRequest request, ICoordinatorClient coordinator, CancellationToken ct) =>
        {
            var segments = await coordinator.GetUsedSegmentsAsync(dataSource, ct);
            return request.Query.ContainsKey("full")
                ? DruidResults.Json(segments)
                : DruidResults.Json(segments.Select(s => s.Identifier));
        }).RequireDruidAccess(DruidAccess.DataSourceFromRoute(DruidAction.READ));

        return endpoints;
    }
}
