using Dashboard.Core.Security;
using Dashboard.Security;
using System.Reflection;

namespace Dashboard.Api;

/// <summary><c>/status</c> and <c>/status/health</c>, as every Druid service answers them.</summary>
public static class StatusApi
{
    public static readonly string Version =
        typeof(StatusApi).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public static IEndpointRouteBuilder MapStatusApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/status/health", () => DruidResults.Json(true)).RequireDruidAccess(DruidAccess.Unsecured); // load balancers' probe, unsecured in Druid too
        endpoints.MapGet("/status", () =>
        {
            var gc = GC.GetGCMemoryInfo();
            var total = GC.GetTotalMemory(forceFullCollection: false);
            return DruidResults.Json(new
            {
                version = Version,
                modules = Array.Empty<object>(),
                memory = new
                {
                    maxMemory = gc.TotalAvailableMemoryBytes,
                    totalMemory = gc.HeapSizeBytes,
                    freeMemory = Math.Max(0, gc.HeapSizeBytes - total),
                    usedMemory = total,
                    directMemory = 0,
                },
            });
        }).RequireDruidAccess(DruidAccess.State(DruidAction.READ));
        return endpoints;
    }
}
