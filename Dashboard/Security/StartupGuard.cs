using System.Net;
using Dashboard.Core.Security;

namespace Dashboard.Security;

/// <summary>Thrown when the server must not start; the one line saying why has been logged.</summary>
public sealed class StartupRefusedException(string message) : Exception(message);

/// <summary>
/// Safe default: without users the server runs only on loopback (as Druid's quickstart), unless
/// <c>Security:AllowAnonymous=true</c> says otherwise explicitly.
/// </summary>
public static class StartupGuard
{
    public static void Check(IConfiguration configuration, IServiceProvider services, ILogger logger)
    {
        UserDirectory users;
        try
        {
            users = services.GetRequiredService<UserDirectory>();
        }
        catch (SecurityConfigurationException ex)
        {
            var invalid = $"Refusing to start: {ex.Message}";
            logger.LogCritical("{Message}", invalid);
            throw new StartupRefusedException(invalid);
        }

        if (services.GetService<Dashboard.Core.Engine.TaskBudget>()?.Problem is { } budget)
        {
            logger.LogCritical("{Message}", budget);
            throw new StartupRefusedException(budget);
        }

        var settings = services.GetRequiredService<SecuritySettings>();
        if (users.HasUsers || settings.AllowAnonymous)
        {
            return;
        }

        var exposed = ListenAddresses(configuration).FirstOrDefault(a => !IsLoopback(a));
        if (exposed is null)
        {
            return;
        }

        var message = $"Refusing to start: listening on {exposed} with no users configured. Add Security:Users or set Security:AllowAnonymous=true.";
        logger.LogCritical("{Message}", message);
        throw new StartupRefusedException(message);
    }

    /// <summary>Where Kestrel will listen: <c>urls</c> (ASPNETCORE_URLS, --urls), <c>http_ports</c>/<c>https_ports</c> (all interfaces) and Kestrel endpoints.</summary>
    public static IEnumerable<string> ListenAddresses(IConfiguration configuration)
    {
        foreach (var url in (configuration["urls"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            yield return url;
        }

        foreach (var key in new[] { "http_ports", "https_ports" })
        {
            foreach (var port in (configuration[key] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                yield return $"{(key == "http_ports" ? "http" : "https")}://*:{port}";
            }
        }

        foreach (var endpoint in configuration.GetSection("Kestrel:Endpoints").GetChildren())
        {
            if (endpoint["Url"] is { Length: > 0 } url)
            {
                yield return url;
            }
        }
    }

    public static bool IsLoopback(string url)
    {
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        var rest = schemeEnd < 0 ? url : url[(schemeEnd + 3)..];
        var hostEnd = rest.StartsWith('[') ? rest.IndexOf(']') + 1 : rest.IndexOfAny([':', '/']);
        var host = hostEnd <= 0 ? rest : rest[..hostEnd];
        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
    }
}
