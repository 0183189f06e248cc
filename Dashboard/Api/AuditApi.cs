using System.Globalization;
using Dashboard.Core.Common;
using Dashboard.Core.Security;
using Dashboard.Core.Storage;
using Dashboard.Security;

namespace Dashboard.Api;

/// <summary><c>GET /druid-ext/audit?max=N</c> (admins only): the newest audit entries first. Not a Druid endpoint.</summary>
public static class AuditApi
{
    public const string Path = "/druid-ext/audit";

    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(Path, async (HttpRequest request, IAuditLog log, CancellationToken ct) =>
        {
            var max = int.TryParse(request.Query["max"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var m) ? Math.Clamp(m, 1, 10_000) : 100;
            var entries = await log.GetRecentAsync(max, ct);
            return DruidResults.Json(entries.Select(e => new
            {
                id = e.Id,
                time = DruidTime.Format(e.Time),
                author = e.Author,
                remoteAddress = e.RemoteAddress,
                action = e.Action,
                target = e.Target,
                detail = e.Detail,
            }));
        }).AddEndpointFilter<DruidErrorFilter>().RequireDruidAccess(DruidAccess.Config(DruidAction.READ)).WithTags("Audit API");
        return endpoints;
    }
}
