namespace Dashboard.E2E.Infrastructure;

/// <summary>
/// Two instances of the server: an embedded one on a fixed free port standing in for an Apache Druid cluster (it speaks
/// the same API), and a dashboard in cluster mode (<c>Druid:Url</c>) pointed at it. The stand-in can be stopped and
/// started again on the same port to play an unreachable cluster that comes back.
/// </summary>
public sealed class ClusterServers : IAsyncLifetime
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "overlord-e2e-druid-" + Guid.NewGuid().ToString("N"));
    private ServerFactory? _druid;
    private ServerFactory? _dashboard;

    public int DruidPort { get; private set; }

    /// <summary>The stand-in's data folder, where a local input source may read files.</summary>
    public string DruidDataDir => _dataDir;

    public Uri DruidAddress => new($"http://127.0.0.1:{DruidPort}/");

    /// <summary>The cluster-mode dashboard the browser opens.</summary>
    public Uri BaseAddress { get; private set; } = default!;

    public bool DruidRunning => _druid is not null;

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(_dataDir);
        DruidPort = ServerFactory.FreePort();

        StartDruid();
        _dashboard = ServerFactory.Start(new Dictionary<string, string?>
        {
            ["Druid:Url"] = DruidAddress.ToString(),
            ["Druid:Username"] = "e2e-operator",
            ["Druid:Password"] = "e2e-secret-password",
            ["Druid:ActivePollInterval"] = "00:00:00.500",
            ["Druid:IdlePollInterval"] = "00:00:01",
            ["Druid:MaxBackoff"] = "00:00:02",
            ["Druid:RequestTimeout"] = "00:00:03",
        });
        BaseAddress = _dashboard.ClientOptions.BaseAddress;
        return Task.CompletedTask;
    }

    public void StartDruid()
    {
        _druid = ServerFactory.Start(new Dictionary<string, string?> { ["Overlord:DataDir"] = _dataDir }, DruidPort);
    }

    public async Task StopDruidAsync()
    {
        if (_druid is not null)
        {
            await _druid.DisposeAsync();
            _druid = null;
        }
    }

    public async Task DisposeAsync()
    {
        if (_dashboard is not null)
        {
            await _dashboard.DisposeAsync();
        }

        await StopDruidAsync();
        if (Directory.Exists(_dataDir))
        {
            Directory.Delete(_dataDir, recursive: true);
        }
    }
}

/// <summary>Cluster-mode tests share the two servers and a browser, one test at a time.</summary>
[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterServers>, ICollectionFixture<BrowserFixture>
{
    public const string Name = "Cluster";
}
