using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Dashboard.Tests.Support;

namespace Dashboard.Tests.Security;

/// <summary>Failed Basic sign-ins are limited per address: after the limit even the right password gets 429 for the minute.</summary>
public sealed class SignInThrottleTests : IAsyncLifetime
{
    private readonly TempDataDir _dir = new();
    private ServerFixture _server = default!;

    public Task InitializeAsync()
    {
        _server = new ServerFixture(_dir.Path, settings: new Dictionary<string, string?>
        {
            ["Security:Users:0:Name"] = "admin",
            ["Security:Users:0:Password"] = "admin-password-1",
            ["Security:Users:0:Role"] = "Admin",
            ["Security:FailedSignInsPerMinute"] = "3",
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _dir.Dispose();
    }

    private Task<HttpResponseMessage> GetAs(string password)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/druid/indexer/v1/tasks");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"admin:{password}")));
        return _server.Client.SendAsync(request);
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
}
