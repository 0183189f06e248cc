using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Dashboard.E2E.Infrastructure;

/// <summary>
/// A dashboard server that a test can stop and start again on the same port and data dir, as an operator restarts one.
/// </summary>
public sealed class RestartableServer : IAsyncDisposable
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "overlord-e2e-" + Guid.NewGuid().ToString("N"));
    private readonly int _port = FreePort();
    private Factory? _factory;

    public Uri BaseAddress => new($"http://127.0.0.1:{_port}/");

    public string DataDir => _dataDir;

    public void Start()
    {
        Directory.CreateDirectory(_dataDir);
        _factory = new Factory(_dataDir, _port);
        _factory.UseKestrel(_port);
        _factory.StartServer();
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

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class Factory(string dataDir, int port) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Development");
            builder.UseSetting("urls", $"http://127.0.0.1:{port}");
            builder.UseSetting("Overlord:DataDir", dataDir);
            builder.ConfigureServices(services =>
                services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(2)));
        }
    }
}
