using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Dashboard.Core.Security;

/// <summary>
/// Registers the user directory and the authorizer. The embedded overlord's metadata store is the <see cref="IUserStore"/>
/// when it is registered; cluster mode keeps created users in memory.
/// </summary>
public static class SecurityServiceCollectionExtensions
{
    public static IServiceCollection AddDruidSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        var options = new SecurityOptions();
        configuration.GetSection(SecurityOptions.Section).Bind(options);
        services.AddSingleton(_ => new SecuritySettings(options.AllowAnonymous, Math.Max(1, options.LoginAttemptsPerMinute), Math.Max(1, options.FailedSignInsPerMinute),
            Math.Max(1, options.FailedSignInsPerAddressPerMinute)));
        services.TryAddSingleton<IUserStore, InMemoryUserStore>();
        services.TryAddSingleton<Storage.IAuditLog, Storage.InMemoryAuditLog>();
        services.AddSingleton(sp => new UserDirectory(options, sp.GetRequiredService<IUserStore>()));
        services.AddSingleton<DruidAuthorizer>();
        return services;
    }
}

/// <summary>The security settings besides the users (which only <see cref="UserDirectory"/> holds, hashed).</summary>
public sealed record SecuritySettings(bool AllowAnonymous, int LoginAttemptsPerMinute, int FailedSignInsPerMinute, int FailedSignInsPerAddressPerMinute = 300);
