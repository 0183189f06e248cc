using Dashboard.Core.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;

namespace Dashboard.Security;

/// <summary>
/// Authentication (a policy scheme picking Basic for the API, the session cookie for pages, the open scheme while
/// there are no users), the fallback policy (signed in, for every endpoint not marked anonymous), the sign-in throttle
/// (<see cref="SignInThrottle"/>: failures per user name and address, for Basic and the login form alike), and the API's
/// authorization point.
/// </summary>
public static class DashboardSecurityExtensions
{
    public static IServiceCollection AddDashboardSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddDruidSecurity(configuration);
        services.AddSingleton<SignInThrottle>();
        services.AddAuthentication(DashboardSchemes.Default)
            .AddPolicyScheme(DashboardSchemes.Default, "Druid", options => options.ForwardDefaultSelector = SelectScheme)
            .AddScheme<AuthenticationSchemeOptions, BasicAuthenticationHandler>(DashboardSchemes.Basic, null)
            .AddScheme<AuthenticationSchemeOptions, OpenAccessHandler>(DashboardSchemes.Open, null)
            .AddCookie(DashboardSchemes.Cookie, options =>
            {
                options.Cookie.Name = DashboardSchemes.CookieName;
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Strict;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.ExpireTimeSpan = TimeSpan.FromHours(8);
                options.SlidingExpiration = true;
                options.LoginPath = LoginEndpoints.LoginPath;
                options.LogoutPath = LoginEndpoints.LogoutPath;
                options.ReturnUrlParameter = "ReturnUrl";
                options.Events.OnValidatePrincipal = ValidateSessionAsync;
            });
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        services.AddCascadingAuthenticationState();
        return services;
    }

    /// <summary>Authentication, authorization and the API's authorization point, in that order.</summary>
    public static IApplicationBuilder UseDashboardSecurity(this IApplicationBuilder app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseMiddleware<DruidAuthorizationMiddleware>();
        return app;
    }

    private static string SelectScheme(HttpContext context)
    {
        if (!context.RequestServices.GetRequiredService<UserDirectory>().HasUsers)
        {
            return DashboardSchemes.Open;
        }

        var path = context.Request.Path;
        var basic = context.Request.Headers.Authorization.ToString().StartsWith("Basic ", StringComparison.OrdinalIgnoreCase);
        if (DashboardSchemes.IsApiPath(path) || basic)
        {
            return DashboardSchemes.Basic;
        }

        return DashboardSchemes.IsHubPath(path) && !context.Request.Cookies.ContainsKey(DashboardSchemes.CookieName)
            ? DashboardSchemes.Basic
            : DashboardSchemes.Cookie;
    }

    /// <summary>A session ends when its user is deleted.</summary>
    private static async Task ValidateSessionAsync(CookieValidatePrincipalContext context)
    {
        var users = context.HttpContext.RequestServices.GetRequiredService<UserDirectory>();
        if (users.Find(DruidClaims.IdentityOf(context.Principal)) is null)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(DashboardSchemes.Cookie);
        }
    }
}
