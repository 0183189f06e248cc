using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Dashboard.Core.Clients;
using Dashboard.Core.Storage;
using Dashboard.Tests.Support;

namespace Dashboard.Tests.Security;

/// <summary>
/// Cluster mode with security on both sides: a secured embedded server stands in for a Druid cluster with the
/// basic-security extension, and the dashboard in front of it has users of its own. The dashboard's login applies to
/// its own pages and endpoints; its calls to the cluster carry the configured Druid credentials.
/// </summary>
public sealed class ClusterModeSecurityTests : IAsyncLifetime
{
    private readonly TempDataDir _dir = new();
    private HostedServer _druid = null!;
    private HostedServer _dashboard = null!;

    public Task InitializeAsync()
    {
        _druid = new HostedServer(new Dictionary<string, string?>
        {
            ["Overlord:DataDir"] = _dir.Path,
            ["Security:Users:0:Name"] = "druid_system",
            ["Security:Users:0:Password"] = "cluster-Pa55-e1",
            ["Security:Users:0:Role"] = "Operator",
        });
        _dashboard = HostedServer.Cluster(_druid.BaseAddress, new Dictionary<string, string?>
        {
            ["Druid:Username"] = "druid_system",
            ["Druid:Password"] = "cluster-Pa55-e1",
            ["Security:Users:0:Name"] = "ops",
            ["Security:Users:0:Password"] = "dashboard-Pa55-e2",
            ["Security:Users:0:Role"] = "Admin",
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _dashboard.DisposeAsync();
        await _druid.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task TheDashboardsOwnLoginApplies_AndItsClusterCallsCarryTheDruidCredentials()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await _dashboard.Client.GetAsync("/status")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _dashboard.Client.GetAsync("/druid/indexer/v1/tasks")).StatusCode);

        using var signedIn = new HttpRequestMessage(HttpMethod.Get, "/druid/indexer/v1/tasks");
        signedIn.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("ops:dashboard-Pa55-e2")));
        using var switchedOff = await _dashboard.Client.SendAsync(signedIn);
        Assert.Equal(HttpStatusCode.NotFound, switchedOff.StatusCode); // cluster mode: Druid's API is the cluster's

        var id = await _dashboard.Get<IOverlordClient>().SubmitTaskAsync(JsonNode.Parse("""{"type":"noop","dataSource":"clustered"}""")!.AsObject(), default);

        var audit = await _druid.Get<IAuditLog>().GetRecentAsync(100, default);
        Assert.Contains(audit, e => e.Action == "task.submit" && e.Target == id && e.Author == "druid_system");
        Assert.Equal(HttpStatusCode.Unauthorized, (await _druid.Client.GetAsync("/druid/indexer/v1/tasks")).StatusCode);
    }
}
