using System.Net;
using Dashboard.Tests.Support;

namespace Dashboard.Tests.Security;

/// <summary><c>/metrics</c> goes through the one authorization point: READ on STATE, unless <c>Security:MetricsAnonymous</c>.</summary>
public sealed class MetricsAccessTests(SecuredServer secured) : IClassFixture<SecuredServer>
{
    [Fact]
    public async Task Metrics_Anonymous_Gets401WithBasicChallenge()
    {
        var response = await secured.Anonymous.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Basic realm=\"druid\"", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task Metrics_Viewer_Gets200WithDruidMetrics()
    {
        using var viewer = secured.Viewer;

        var response = await viewer.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("druid_taskslot_total_count", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Metrics_WithMetricsAnonymous_AnonymousScraperGets200_ButTheApiStillNeedsSignIn()
    {
        using var dir = new TempDataDir();
        var settings = new Dictionary<string, string?>(SecuredServer.Settings) { ["Security:MetricsAnonymous"] = "true" };
        await using var server = new ServerFixture(dir.Path, settings: settings);

        var metrics = await server.Client.GetAsync("/metrics");
        var tasks = await server.Client.GetAsync("/druid/indexer/v1/tasks");

        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, tasks.StatusCode);
    }

    [Fact]
    public async Task Metrics_Disabled_Is404()
    {
        using var dir = new TempDataDir();
        await using var server = new ServerFixture(dir.Path, settings: new Dictionary<string, string?> { ["Metrics:Enabled"] = "false" });

        var response = await server.Client.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
