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

        api.MapGet("/datasources", async (HttpContext context, ICoordinatorClient coordinator, DruidAuthorizer authorizer, TimeProvider time, CancellationToken ct) =>
        {
            var identity = DruidClaims.IdentityOf(context.User);
            var names = (await coordinator.GetDataSourcesAsync(ct)).Where(ds => authorizer.CanRead(identity, ds)).ToList();
            if (context.Request.Query.ContainsKey("full"))
            {
                return DruidResults.Json(await CoordinatorStatusApi.FullAsync(names, coordinator, time, ct));
            }

            return context.Request.Query.ContainsKey("simple")
                ? DruidResults.Json(await CoordinatorStatusApi.SimpleAsync(names, coordinator, ct))
                : DruidResults.Json(names);
        }).RequireDruidAccess(DruidAccess.FilteredByDataSource);

        api.MapGet("/datasources/{dataSource}", async (string dataSource, ICoordinatorClient coordinator, CancellationToken ct) =>
        {
            if (await coordinator.GetDataSourceAsync(dataSource, ct) is not { } summary)
            {
                return Results.NoContent();
            }

            return DruidResults.Json(CoordinatorStatusApi.Properties(summary));
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
