namespace Dashboard.E2E.Infrastructure;

/// <summary>
/// A dashboard server that a test can stop and start again on the same port and data dir, as an operator restarts one.
/// </summary>
public sealed class RestartableServer : IAsyncDisposable
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "overlord-e2e-" + Guid.NewGuid().ToString("N"));
    private readonly int _port = ServerFactory.FreePort();
    private ServerFactory? _factory;

    public Uri BaseAddress => new($"http://127.0.0.1:{_port}/");

    public string DataDir => _dataDir;

    public void Start()
    {
        Directory.CreateDirectory(_dataDir);
        _factory = ServerFactory.Start(new Dictionary<string, string?> { ["Overlord:DataDir"] = _dataDir }, _port);
    }

    public async Task StopAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
            _factory = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (Directory.Exists(_dataDir))
        {
            Directory.Delete(_dataDir, recursive: true);
        }
    }
}
