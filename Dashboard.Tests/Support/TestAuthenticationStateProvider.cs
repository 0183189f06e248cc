using Dashboard.Core.Security;
using Dashboard.Security;
using Microsoft.AspNetCore.Components.Authorization;

namespace Dashboard.Tests.Support;

/// <summary>The anonymous admin of a server without users until a test signs someone in.</summary>
public sealed class TestAuthenticationStateProvider : AuthenticationStateProvider
{
    private AuthenticationState _state = new(DruidClaims.Principal(UserDirectory.AnonymousName, DruidRole.Admin, "Open"));

    public void SignIn(string name, DruidRole role)
    {
        _state = new AuthenticationState(DruidClaims.Principal(name, role, "Cookies"));
        NotifyAuthenticationStateChanged(Task.FromResult(_state));
    }

    public override Task<AuthenticationState> GetAuthenticationStateAsync() => Task.FromResult(_state);
}
