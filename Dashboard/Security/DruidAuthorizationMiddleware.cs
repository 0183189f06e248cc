using Dashboard.Core.Security;
using Microsoft.AspNetCore.Routing.Patterns;

namespace Dashboard.Security;

/// <summary>
/// The API's one authorization point. After authentication (the fallback policy has already sent 401 to anyone not
/// signed in), it reads the endpoint's <see cref="DruidAccess"/>, resolves the resource and asks
/// <see cref="DruidAuthorizer"/>; a denial gets the endpoint's Druid 403 body. An API or hub endpoint without a
/// declaration is refused (fail closed), so a new endpoint cannot be forgotten.
/// </summary>
public sealed class DruidAuthorizationMiddleware(RequestDelegate next, DruidAuthorizer authorizer, ILogger<DruidAuthorizationMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var endpoint = context.GetEndpoint();
        var access = endpoint?.Metadata.GetMetadata<DruidAccess>();
        if (access is null)
        {
            if (endpoint is RouteEndpoint route && IsSecuredPattern(route.RoutePattern))
            {
                logger.LogError("Endpoint {Endpoint} declares no access requirement (RequireDruidAccess) and is refused.", route.RoutePattern.RawText);
                await DruidForbidden.WriteAsync(context, ForbiddenShape.AccessCheck);
                return;
            }

            await next(context);
            return;
        }

        var identity = DruidClaims.IdentityOf(context.User);
        if (!ReferenceEquals(access, DruidAccess.Unsecured) && await access.Resolve(context) is { } resource
            && !authorizer.IsAllowed(identity, new ResourceAction(resource, access.Action)))
        {
            await DruidForbidden.WriteAsync(context, access.Shape);
            return;
        }

        if (access.ResolveReads is { } reads && (await reads(context)).Any(r => !authorizer.IsAllowed(identity, new ResourceAction(r, DruidAction.READ))))
        {
            await DruidForbidden.WriteAsync(context, access.Shape);
            return;
        }

        await next(context);
    }

    /// <summary>The API and the push hub; pages and static files are covered by the fallback (signed in) policy instead.</summary>
    public static bool IsSecuredPattern(RoutePattern pattern) =>
        pattern.RawText is { } raw && (DashboardSchemes.IsApiPath(Normalise(raw)) || DashboardSchemes.IsHubPath(Normalise(raw)));

    private static PathString Normalise(string raw) => new(raw.StartsWith('/') ? raw : "/" + raw);
}
