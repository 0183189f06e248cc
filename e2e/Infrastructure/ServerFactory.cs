using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Dashboard.E2E.Infrastructure;

/// <summary>
/// The real server on Kestrel at 127.0.0.1 (port 0: any free one), in Development (so static web assets from packages
/// are served from the build output), with the given settings and a short shutdown. Every e2e fixture starts it here.
/// </summary>
public sealed class ServerFactory(IReadOnlyDictionary<string, string?> settings, int port) : WebApplicationFactory<Program>
{
    public static ServerFactory Start(IReadOnlyDictionary<string, string?> settings, int port = 0)
    {
        var factory = new ServerFactory(settings, port);
        factory.UseKestrel(port);
        factory.StartServer();
        return factory;
    }

    /// <summary>A port free now, for a server that must come back on the same port after a restart.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production"); // as users run it (the README's command)
        builder.UseSetting("urls", $"http://127.0.0.1:{port}");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(services =>
            services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(2)));
    }
}
