using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Dashboard.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Tests.Security;

/// <summary>
/// Failed Basic sign-ins are limited per user name and address: after the limit even that user's right password gets
/// 429 for the cool-down, while other users of the same address still sign in; the address as a whole has a higher ceiling.
/// </summary>
public sealed class SignInThrottleTests : IAsyncLifetime
{
    private readonly TempDataDir _dir = new();
    private readonly ManualTime _time = new(DateTimeOffset.UtcNow);
    private ServerFixture _server = default!;

    public Task InitializeAsync()
    {
        _server = new ServerFixture(_dir.Path, settings: new Dictionary<string, string?>
        {
            ["Security:Users:0:Name"] = "admin",
            ["Security:Users:0:Password"] = "admin-password-1",
            ["Security:Users:0:Role"] = "Admin",
            ["Security:Users:1:Name"] = "bob",
            ["Security:Users:1:Password"] = "bob-password-1",
            ["Security:Users:1:Role"] = "Viewer",
            ["Security:FailedSignInsPerMinute"] = "3",
            ["Security:FailedSignInsPerAddressPerMinute"] = "6",
        }, services: s => s.AddSingleton<TimeProvider>(_time));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _dir.Dispose();
    }

    private Task<HttpResponseMessage> GetAs(string user, string password)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/druid/indexer/v1/tasks");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        return _server.Client.SendAsync(request);
    }

    private Task<HttpResponseMessage> GetAs(string password) => GetAs("admin", password);

    private async Task FailAsync(string user, int times)
    {
        for (var i = 0; i < times; i++)
        {
            using var response = await GetAs(user, "guess-" + i);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
    }

    [Fact]
    public async Task AfterTheLimit_EvenTheRightPasswordGets429()
    {
        Assert.Equal(HttpStatusCode.OK, (await GetAs("admin-password-1")).StatusCode);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await GetAs("guess-" + i)).StatusCode);
        }

        using var blocked = await GetAs("admin-password-1");
        Assert.Equal(HttpStatusCode.TooManyRequests, blocked.StatusCode);
        Assert.Contains("Too many failed sign-ins", await blocked.Content.ReadAsStringAsync());
        Assert.Equal(TimeSpan.FromSeconds(60), blocked.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task OneUsersFailures_FromAnAddress_DoNotLockAnotherUserOfThatAddress()
    {
        await FailAsync("admin", 3);

        using var admin = await GetAs("admin", "admin-password-1");
        using var bob = await GetAs("bob", "bob-password-1");

        Assert.Equal(HttpStatusCode.TooManyRequests, admin.StatusCode);
        Assert.Equal(HttpStatusCode.OK, bob.StatusCode);
    }

    [Fact]
    public async Task LockedUser_Gets429InDruidsShape_AndTheRightPasswordWorksAgainAfterTheCoolDown()
    {
        await FailAsync("admin", 3);
        _time.Advance(TimeSpan.FromSeconds(45));

        using var locked = await GetAs("admin", "admin-password-1");
        var body = JsonNode.Parse(await locked.Content.ReadAsStringAsync())!;
        Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(15), locked.Headers.RetryAfter?.Delta);
        Assert.Equal("CAPACITY_EXCEEDED", body["category"]?.GetValue<string>());
        Assert.Contains("user [admin]", body["errorMessage"]!.GetValue<string>());

        _time.Advance(TimeSpan.FromSeconds(15));
        using var again = await GetAs("admin", "admin-password-1");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [Fact]
    public async Task FailuresOfManyUserNames_ReachTheAddressCeiling_AndLockEveryUserOfTheAddressForTheCoolDown()
    {
        await FailAsync("carol", 3);
        await FailAsync("dave", 3);

        using var bob = await GetAs("bob", "bob-password-1");
        Assert.Equal(HttpStatusCode.TooManyRequests, bob.StatusCode);
        Assert.Contains("from this address (any user name)", await bob.Content.ReadAsStringAsync());

        _time.Advance(SignInThrottleWindow);
        using var later = await GetAs("bob", "bob-password-1");
        Assert.Equal(HttpStatusCode.OK, later.StatusCode);
    }

    [Fact]
    public void Throttle_ManyUserNamesFromManyAddresses_KeepsAtMostMaxEntries()
    {
        var throttle = _server.Services.GetRequiredService<Dashboard.Security.SignInThrottle>();
        for (var i = 0; i < Dashboard.Security.SignInThrottle.MaxEntries + 500; i++)
        {
            throttle.RecordFailure(Dashboard.Security.SignInChannel.Basic, "user" + i, "10.0." + (i / 250) + "." + (i % 250));
        }

        Assert.True(throttle.TrackedEntries <= 2 * Dashboard.Security.SignInThrottle.MaxEntries, $"{throttle.TrackedEntries} entries");
        _time.Advance(SignInThrottleWindow);
        throttle.RecordFailure(Dashboard.Security.SignInChannel.Basic, "late", "10.9.9.9");
        Assert.True(throttle.TrackedEntries <= 4, $"{throttle.TrackedEntries} entries after the window");
    }

    private static TimeSpan SignInThrottleWindow => Dashboard.Security.SignInThrottle.CoolDown;
}
