using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Dashboard.E2E.Infrastructure;

/// <summary>
/// Runs the real dashboard on Kestrel at a free port on 127.0.0.1, in Development (so static web assets from
/// packages are served from the build output), with its own temporary data directory.
/// </summary>
public class DashboardServerFixture : IAsyncLifetime
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "overlord-e2e-" + Guid.NewGuid().ToString("N"));
    private DashboardFactory? _factory;

    /// <summary>Base address of the running server, ending with a slash.</summary>
    public Uri BaseAddress { get; private set; } = default!;

    public string DataDir => _dataDir;

    /// <summary>Extra configuration (e.g. users) for a derived fixture.</summary>
    protected virtual IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>();

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(_dataDir);
        _factory = new DashboardFactory(_dataDir, Settings);
        _factory.UseKestrel(0);
        _factory.StartServer();
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

    private sealed class DashboardFactory(string dataDir, IReadOnlyDictionary<string, string?> settings) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Development");
            builder.UseSetting("urls", "http://127.0.0.1:0");
            builder.UseSetting("Overlord:DataDir", dataDir);
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }

            builder.ConfigureServices(services =>
                services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(2)));
        }
    }
}
