using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Dashboard.Tests.Support;

/// <summary>The whole server on a real Kestrel socket (127.0.0.1, dynamic port) with its own data dir.</summary>
public sealed class ServerFixture : IAsyncDisposable
{
    private readonly WebApplicationFactory<Program> _factory;

    /// <param name="services">Replaces the server's registrations (e.g. its TimeProvider) after the app's own.</param>
    public ServerFixture(string dataDir, int workerCapacity = 2, IReadOnlyDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null)
    {
        DataDir = dataDir;
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Production"); // as users run it (the README's command); Development shows stack traces
            builder.UseSetting("urls", "http://127.0.0.1:0");
            builder.UseSetting("Overlord:DataDir", dataDir);
            builder.UseSetting("Overlord:WorkerCapacity", workerCapacity.ToString());
            foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            {
                builder.UseSetting(key, value);
            }

            builder.ConfigureLogging(logging => logging.AddProvider(Logs));
            if (services is not null)
            {
                builder.ConfigureTestServices(services);
            }
        });
        _factory.UseKestrel(0);
        _factory.StartServer();
        Client = _factory.CreateClient();
    }

    public string DataDir { get; }

    /// <summary>Every line the server has logged so far.</summary>
    public LogCapture Logs { get; } = new();

    public HttpClient Client { get; }

    public Uri BaseAddress => _factory.ClientOptions.BaseAddress;

    public IServiceProvider Services => _factory.Services;

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _factory.DisposeAsync();
    }
}
