using System.Net.Http.Headers;
using System.Text;
using System.Text.Encodings.Web;
using Dashboard.Api;
using Dashboard.Core.Errors;
using Dashboard.Core.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Dashboard.Security;

/// <summary>
/// HTTP Basic against the user directory, as Druid's basic-security authenticator: no or wrong credentials get 401 with
/// <c>WWW-Authenticate: Basic realm="druid"</c>; a failed password is audited (the password is never written anywhere)
/// and counted by <see cref="SignInThrottle"/>; a locked user name or address gets 429 with Retry-After.
/// </summary>
public sealed class BasicAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    UserDirectory users, OperatorAudit audit, SignInThrottle throttle) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string Realm = "druid";
    private const string ThrottledKey = "basic-auth-throttled";

    private string Address => Context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!AuthenticationHeaderValue.TryParse(Request.Headers.Authorization, out var header)
            || !header.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        string name, password;
        try
        {
            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter ?? ""));
            var colon = pair.IndexOf(':');
            if (colon < 0)
            {
                return AuthenticateResult.Fail("Malformed Basic credentials.");
            }

            (name, password) = (pair[..colon], pair[(colon + 1)..]);
        }
        catch (FormatException)
        {
            return AuthenticateResult.Fail("Malformed Basic credentials.");
        }

        if (throttle.Check(SignInChannel.Basic, name, Address) is { } locked)
        {
            Context.Items[ThrottledKey] = (name, locked);
            return AuthenticateResult.Fail("Too many failed sign-ins.");
        }

        if (users.Authenticate(name, password) is not { } user)
        {
            throttle.RecordFailure(SignInChannel.Basic, name, Address);
            await audit.RecordAsync(name, Context.Connection.RemoteIpAddress, "login.failed", name, $"HTTP Basic, {Request.Method} {Request.Path}", Context.RequestAborted);
            return AuthenticateResult.Fail("Wrong user name or password.");
        }

        throttle.RecordSuccess(SignInChannel.Basic, name, Address);
        return AuthenticateResult.Success(new AuthenticationTicket(DruidClaims.Principal(user.Name, user.Role, Scheme.Name), Scheme.Name));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Context.Items[ThrottledKey] is (string name, SignInLock locked))
        {
            // Druid's shape for a 429 (category CAPACITY_EXCEEDED); Druid itself has no sign-in limit.
            Response.Headers.RetryAfter = locked.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await DruidResults.Error(DruidException.CapacityExceeded(SignInMessages.Locked(name, locked))).ExecuteAsync(Context);
            return;
        }

        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = $"Basic realm=\"{Realm}\"";
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        DruidForbidden.WriteAsync(Context, ForbiddenShape.AccessCheck);
}
