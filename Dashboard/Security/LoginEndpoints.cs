using Dashboard.Api;
using Dashboard.Core.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;

namespace Dashboard.Security;

/// <summary>
/// The login form's POST (antiforgery-validated; failures limited per user name and client address, and per address, by
/// <see cref="SignInThrottle"/>) and sign-out. A successful sign-in sets the session cookie and returns to the local
/// ReturnUrl; a failure is audited and goes back to the form with an error; a locked user name or address gets 429.
/// </summary>
public static class LoginEndpoints
{
    public const string LoginPath = "/login";
    public const string LoginPostPath = "/account/login";
    public const string LogoutPath = "/account/logout";

    public static IEndpointRouteBuilder MapLoginEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(LoginPostPath, LoginAsync).AllowAnonymous();
        endpoints.MapPost(LogoutPath, LogoutAsync).AllowAnonymous();
        return endpoints;
    }

    private static async Task<IResult> LoginAsync(HttpContext context, [FromForm] string? username, [FromForm] string? password, [FromForm] string? returnUrl,
        UserDirectory users, OperatorAudit audit, SignInThrottle throttle)
    {
        var target = LocalUrl(returnUrl);
        var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (throttle.Check(SignInChannel.Form, username ?? "", address) is { } locked)
        {
            context.Response.Headers.RetryAfter = locked.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Results.Text(SignInMessages.FormLocked(username ?? "", locked), "text/plain", System.Text.Encoding.UTF8, StatusCodes.Status429TooManyRequests);
        }

        var user = string.IsNullOrEmpty(username) || string.IsNullOrEmpty(password) ? null : users.Authenticate(username, password);
        if (user is null)
        {
            throttle.RecordFailure(SignInChannel.Form, username ?? "", address);
            await audit.RecordAsync(string.IsNullOrEmpty(username) ? "(none)" : username, context.Connection.RemoteIpAddress, "login.failed",
                username ?? "", "login form", context.RequestAborted);
            var again = string.IsNullOrEmpty(username) ? "" : $"&user={Uri.EscapeDataString(username)}";
            return Results.Redirect($"{LoginPath}?error=1{again}&ReturnUrl={Uri.EscapeDataString(target)}");
        }

        throttle.RecordSuccess(SignInChannel.Form, user.Name, address);
        await context.SignInAsync(DashboardSchemes.Cookie, DruidClaims.Principal(user.Name, user.Role, DashboardSchemes.Cookie));
        await audit.RecordAsync(user.Name, context.Connection.RemoteIpAddress, "login", user.Name, "login form", context.RequestAborted);
        return Results.LocalRedirect(target);
    }

    // The form field makes the minimal API validate the antiforgery token, as for the login form.
    private static async Task<IResult> LogoutAsync(HttpContext context, [FromForm] string? returnUrl)
    {
        await context.SignOutAsync(DashboardSchemes.Cookie);
        return Results.Redirect(LoginPath);
    }

    /// <summary>Only a path on this server (not <c>//host</c>, not <c>/\host</c>, not an absolute URL); anything else is the home page.</summary>
    public static string LocalUrl(string? url) =>
        !string.IsNullOrEmpty(url) && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\')) && !url.Contains('\n') && !url.Contains('\r')
            ? url
            : "/";
}
