using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Dashboard.Tests.Support;

/// <summary>
/// The whole server on a real socket with any settings: an embedded one standing in for a Druid cluster, or one in
/// cluster mode (<c>Druid:Url</c>). A fixed port lets a test stop a server and start another on the same address.
/// </summary>
public sealed class HostedServer : IAsyncDisposable
{
    private readonly WebApplicationFactory<Program> _factory;

    public HostedServer(IReadOnlyDictionary<string, string?> settings, int port = 0)
    {
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseEnvironment("Production"); // as users run it (the README's command)
            builder.UseSetting("urls", $"http://127.0.0.1:{port}");
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }

            builder.ConfigureServices(services => services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2)));
        });
        _factory.UseKestrel(port);
        _factory.StartServer();
        Client = _factory.CreateClient();
    }

    public static HostedServer Embedded(string dataDir, int port = 0) =>
        new(new Dictionary<string, string?> { ["Overlord:DataDir"] = dataDir, ["Overlord:WorkerCapacity"] = "4" }, port);

    public static HostedServer Cluster(Uri druid, IReadOnlyDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Druid:Url"] = druid.ToString(),
            ["Druid:ActivePollInterval"] = "00:00:00.200",
            ["Druid:IdlePollInterval"] = "00:00:00.500",
            ["Druid:MaxBackoff"] = "00:00:01",
            ["Druid:RequestTimeout"] = "00:00:03",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return new HostedServer(settings);
    }

    public HttpClient Client { get; }

    public Uri BaseAddress => _factory.ClientOptions.BaseAddress;

    public IServiceProvider Services => _factory.Services;

    public T Get<T>() where T : notnull => _factory.Services.GetRequiredService<T>();

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _factory.DisposeAsync();
    }
}
