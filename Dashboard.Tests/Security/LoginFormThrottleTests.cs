using System.Net;
using Dashboard.Security;
using Dashboard.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Tests.Security;

/// <summary>The login form is limited as HTTP Basic is: per user name and address, so one user's typos lock only that user.</summary>
public sealed class LoginFormThrottleTests : IAsyncLifetime
{
    private readonly TempDataDir _dir = new();
    private readonly ManualTime _time = new(DateTimeOffset.UtcNow);
    private ServerFixture _server = default!;

    public Task InitializeAsync()
    {
        _server = new ServerFixture(_dir.Path, settings: SecuredServer.Settings, services: s => s.AddSingleton<TimeProvider>(_time));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _dir.Dispose();
    }

    private HttpClient Browser() => new(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _server.BaseAddress };

    [Fact]
    public async Task LoginForm_OneUserLocked_AnotherUserOfTheAddressSignsIn_AndTheLockedOneAfterTheCoolDown()
    {
        using var browser = Browser();
        for (var i = 0; i < SecuredServer.LoginAttemptsPerMinute; i++)
        {
            using var failed = await LoginForm.PostAsync(browser, "viewer", "guess" + i);
            Assert.Equal(HttpStatusCode.Redirect, failed.StatusCode);
            Assert.Contains("error=1", failed.Headers.Location!.ToString());
        }

        using var locked = await LoginForm.PostAsync(browser, "viewer", SecuredServer.ViewerPassword);
        Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode);
        Assert.Contains("Too many sign-in attempts for user [viewer]", await locked.Content.ReadAsStringAsync());
        Assert.Equal(SignInThrottle.CoolDown, locked.Headers.RetryAfter?.Delta);

        using var colleague = Browser();
        using var other = await LoginForm.PostAsync(colleague, "operator", SecuredServer.OperatorPassword);
        Assert.Equal(HttpStatusCode.Redirect, other.StatusCode);
        Assert.Equal("/", other.Headers.Location!.OriginalString);

        _time.Advance(SignInThrottle.CoolDown);
        using var again = await LoginForm.PostAsync(browser, "viewer", SecuredServer.ViewerPassword);
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.Equal("/", again.Headers.Location!.OriginalString);
    }
}
