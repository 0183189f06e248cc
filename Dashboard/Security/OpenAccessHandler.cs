using System.Text.Encodings.Web;
using Dashboard.Core.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Dashboard.Security;

/// <summary>While the server has no users (on loopback, or with <c>Security:AllowAnonymous</c>), everyone is the anonymous admin.</summary>
public sealed class OpenAccessHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override Task<AuthenticateResult> HandleAuthenticateAsync() =>
        Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(
            DruidClaims.Principal(UserDirectory.AnonymousName, DruidRole.Admin, Scheme.Name), Scheme.Name)));
}
