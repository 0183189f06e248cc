using System.Net.Http.Headers;
using Dashboard.Core.Errors;
using Dashboard.Core.Ingestion.Sources;
using Dashboard.Tests.Support;

namespace Dashboard.Tests.Ingestion;

/// <summary>Ingestion's HttpClient as the server registers it: the address check on connect, and credentials across redirects.</summary>
public sealed class OutboundHttpClientTests : IDisposable
{
    private static readonly AuthenticationHeaderValue Credentials = new("Basic", "aW5nZXN0OnNlY3JldA==");
    private readonly TempDataDir _dir = new();
    private readonly TestHttpServer _http = new();

    private async Task<CoreHarness> StartAsync(params string[] allowedHosts) => await CoreHarness.StartAsync(_dir.Path, settings:
        allowedHosts.Select((h, i) => (Key: $"Ingestion:AllowedHttpHosts:{i}", Value: (string?)h)).ToDictionary(p => p.Key, p => p.Value));

    [Fact]
    public async Task GetAsync_NameResolvingToLoopback_IsRefusedOnConnect_NothingRequested()
    {
        _http.Serve("data.json", "{}"u8.ToArray());
        await using var overlord = await StartAsync();

        // The URI names no address, so only the connect callback's lookup can see where it goes.
        var error = await Assert.ThrowsAsync<DruidException>(() =>
            overlord.Get<OutboundHttpClient>().GetAsync($"http://localhost:{_http.Port}/data.json", null, CancellationToken.None));

        Assert.Equal(400, error.StatusCode);
        Assert.StartsWith("Http input host [localhost] resolves to loopback address [", error.Message);
        Assert.Equal(0, _http.RequestsTo("data.json"));
    }

    [Fact]
    public async Task GetAsync_RedirectToAnotherHost_DoesNotSendTheCredentials()
    {
        _http.Redirect("hop.json", $"http://127.0.0.1:{_http.Port}/data.json");
        _http.Serve("data.json", "{}"u8.ToArray());
        await using var overlord = await StartAsync("localhost", "127.0.0.1");

        using var response = await overlord.Get<OutboundHttpClient>().GetAsync($"http://localhost:{_http.Port}/hop.json", Credentials, CancellationToken.None);

        Assert.True(response.IsSuccessStatusCode);
        Assert.Equal(["Basic aW5nZXN0OnNlY3JldA=="], _http.AuthorizationsTo("hop.json"));
        Assert.Equal([null], _http.AuthorizationsTo("data.json"));
    }

    [Fact]
    public async Task GetAsync_RedirectWithinTheSameHost_KeepsTheCredentials()
    {
        _http.Redirect("hop.json", $"http://localhost:{_http.Port}/data.json");
        _http.Serve("data.json", "{}"u8.ToArray());
        await using var overlord = await StartAsync("localhost");

        using var response = await overlord.Get<OutboundHttpClient>().GetAsync($"http://localhost:{_http.Port}/hop.json", Credentials, CancellationToken.None);

        Assert.True(response.IsSuccessStatusCode);
        Assert.Equal(["Basic aW5nZXN0OnNlY3JldA=="], _http.AuthorizationsTo("data.json"));
    }

    public void Dispose()
    {
        _http.Dispose();
        _dir.Dispose();
    }
}
