using System.Security.Claims;
using Dashboard.Core.Security;

namespace Dashboard.Security;

/// <summary>The principal the authenticators build: the user's name and role as claims.</summary>
public static class DruidClaims
{
    public static ClaimsPrincipal Principal(string name, DruidRole role, string scheme) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.Role, role.ToString())], scheme));

    /// <summary>The identity the authorizer and the audit log know the caller by (null when not signed in).</summary>
    public static string? IdentityOf(ClaimsPrincipal? user) =>
        user?.Identity?.IsAuthenticated == true ? user.Identity.Name : null;
}
