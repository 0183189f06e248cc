using Dashboard.Core.Clients;
using Dashboard.Core.Security;
using Dashboard.Security;

namespace Dashboard.Api;

/// <summary>
/// Druid's worker endpoints of the overlord: <c>GET /druid/indexer/v1/workers</c> (this server is its one worker) and
/// <c>GET /druid/indexer/v1/scaling</c> (no autoscaler: 200 with an empty body, as Druid answers without one). Both
/// need READ on STATE, as Druid's StateResourceFilter does; so does the coordinator's <c>GET /servers</c>, empty here
/// (the embedded server serves no segments to queries).
/// </summary>
public static class WorkersApi
{
    public static IEndpointRouteBuilder MapWorkersApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/druid/indexer/v1").AddEndpointFilter<DruidErrorFilter>().WithTags("Tasks API");
        api.MapGet("/workers", async (IOverlordClient overlord, CancellationToken ct) =>
                DruidResults.Json(await overlord.GetWorkersAsync(ct)))
            .RequireDruidAccess(DruidAccess.State(DruidAction.READ));
        api.MapGet("/scaling", () => Results.Ok())
            .RequireDruidAccess(DruidAccess.State(DruidAction.READ));
        endpoints.MapGet("/druid/coordinator/v1/servers", async (ICoordinatorClient coordinator, CancellationToken ct) =>
                DruidResults.Json(await coordinator.GetServersAsync(ct)))
            .AddEndpointFilter<DruidErrorFilter>().RequireDruidAccess(DruidAccess.State(DruidAction.READ));
        return endpoints;
    }
}
