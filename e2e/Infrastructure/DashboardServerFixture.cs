namespace Dashboard.E2E.Infrastructure;

/// <summary>
/// Runs the real dashboard on Kestrel at a free port on 127.0.0.1, in Development (so static web assets from
/// packages are served from the build output), with its own temporary data directory.
/// </summary>
public class DashboardServerFixture : IAsyncLifetime
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "overlord-e2e-" + Guid.NewGuid().ToString("N"));
    private ServerFactory? _factory;

    /// <summary>Base address of the running server, ending with a slash.</summary>
    public Uri BaseAddress { get; private set; } = default!;

    public string DataDir => _dataDir;

    /// <summary>Extra configuration (e.g. users) for a derived fixture.</summary>
    protected virtual IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>();

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(_dataDir);
        _factory = ServerFactory.Start(new Dictionary<string, string?>(Settings) { ["Overlord:DataDir"] = _dataDir });
        BaseAddress = _factory.ClientOptions.BaseAddress;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
            _factory = null;
        }

        if (Directory.Exists(_dataDir))
        {
            Directory.Delete(_dataDir, recursive: true);
        }
    }
}
