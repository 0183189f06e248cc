using Dashboard.Core.Security;
using Dashboard.Security;
using Dashboard.Core.Errors;

namespace Dashboard.Api;

/// <summary>
/// In cluster mode this server's Druid API is switched off (docs/architecture.md, "Cluster mode"): every
/// <c>/druid/...</c> path answers 404 <c>{"error": ...}</c> naming the cluster to call instead. It does not proxy, so the
/// cluster's credentials this server holds are never lent to an anonymous caller.
/// </summary>
public static class ClusterModeApi
{
    public static IEndpointRouteBuilder MapDruidApiSwitchedOff(this IEndpointRouteBuilder endpoints, string clusterHost)
    {
        var message = $"This server is a dashboard in cluster mode and does not serve Druid's API: send Druid API calls to the cluster ({clusterHost}) directly.";
        endpoints.Map("/druid/{**path}", () => DruidResults.Error(DruidException.ErrorMap(StatusCodes.Status404NotFound, message)))
            .RequireDruidAccess(DruidAccess.State(DruidAction.READ));
        return endpoints;
    }
}
