using Dashboard.Core.Clients;
using Dashboard.Core.Cluster;
using Dashboard.Tests.Support;

namespace Dashboard.Tests.Cluster;

/// <summary>The Services view in cluster mode, against a second embedded server standing in for Druid.</summary>
public sealed class ServicesClusterTests : IAsyncLifetime
{
    private readonly TempDataDir _dir = new();
    private HostedServer _druid = null!;
    private HostedServer _dashboard = null!;

    public Task InitializeAsync()
    {
        _druid = HostedServer.Embedded(_dir.Path, HostedServer.FreePort());
        _dashboard = HostedServer.Cluster(_druid.BaseAddress);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _dashboard.DisposeAsync();
        await _druid.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task ClusterMode_ThePollerReadsTheClustersWorkers_AndFollowsTheirRunningTasks()
    {
        var source = _dashboard.Get<ClusterServicesSource>();
        var first = await Eventually.WaitForAsync(() => Task.FromResult(source.Latest), s => s.Workers.Count > 0, TimeSpan.FromSeconds(15), "the poller to read the workers");

        var worker = Assert.Single(first.Workers);
        Assert.Equal($"localhost:{_druid.BaseAddress.Port}", worker.Worker.Host);
        Assert.Equal(4, worker.Worker.Capacity);
        Assert.Empty(first.Servers);
        Assert.Null(first.Error);

        var changed = 0;
        source.Changed += () => Interlocked.Increment(ref changed);
        var id = await _druid.Get<IOverlordClient>().SubmitTaskAsync(System.Text.Json.Nodes.JsonNode.Parse("""{"type":"noop","runTime":600000}""")!.AsObject(), CancellationToken.None);

        var running = await Eventually.WaitForAsync(() => Task.FromResult(source.Latest), s => s.Workers[0].RunningTasks.Contains(id), TimeSpan.FromSeconds(15),
            "the running task to show on the worker");
        Assert.Equal(1, running.Used);
        Assert.True(Volatile.Read(ref changed) > 0);
        await _druid.Get<IOverlordClient>().ShutdownTaskAsync(id, CancellationToken.None);
    }
}
