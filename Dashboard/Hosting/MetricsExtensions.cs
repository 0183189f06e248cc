using Dashboard.Core.Metrics;
using Dashboard.Core.Security;
using Dashboard.Security;
using OpenTelemetry.Metrics;

namespace Dashboard.Hosting;

/// <summary>The <c>Metrics</c> configuration section.</summary>
public sealed class MetricsOptions
{
    public const string Section = "Metrics";

    /// <summary>Serves <c>GET /metrics</c> and records for it; off, no exporter listens and the endpoint is 404.</summary>
    public bool Enabled { get; set; } = true;
}

/// <summary>The switch of the <c>Security</c> section that opens the scrape endpoint; bound on its own, beside the security options.</summary>
public sealed class MetricsAccessOptions
{
    /// <summary>Lets scrapers read <c>/metrics</c> without signing in (a private network); off, it needs READ on STATE.</summary>
    public bool MetricsAnonymous { get; set; }
}

/// <summary>
/// Prometheus metrics: Druid's own (<see cref="DruidMetrics"/>, recorded in the core), ASP.NET Core's and the runtime's
/// meters, exported in Prometheus text format by OpenTelemetry at <see cref="DashboardSchemes.MetricsPath"/>.
/// </summary>
public static class MetricsExtensions
{
    /// <summary>The runtime's built-in meter (GC, heap, thread pool, exceptions), .NET 9 and later.</summary>
    public const string RuntimeMeter = "System.Runtime";

    public static WebApplicationBuilder AddDashboardMetrics(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(MetricsOptions.Section).Get<MetricsOptions>() ?? new MetricsOptions();
        builder.Services.AddSingleton(options);
        builder.Services.AddOptions<MetricsAccessOptions>().Bind(builder.Configuration.GetSection(SecurityOptions.Section));
        if (options.Enabled)
        {
            builder.Services.AddOpenTelemetry().WithMetrics(metrics =>
            {
                metrics.AddMeter(RuntimeMeter)
                    .AddAspNetCoreInstrumentation()
                    .AddPrometheusExporter(exporter => exporter.ScrapeResponseCacheDurationMilliseconds = 0);
                ((IDeferredMeterProviderBuilder)metrics).Configure((sp, b) =>
                {
                    if (sp.GetService<DruidMetrics>() is { } druid)
                    {
                        b.AddMeter(druid.Name); // embedded mode only: in cluster mode the tasks' metrics are the cluster's
                    }
                });
            });
        }

        return builder;
    }

    public static WebApplication MapDashboardMetrics(this WebApplication app)
    {
        if (!app.Services.GetRequiredService<MetricsOptions>().Enabled)
        {
            return app;
        }

        var anonymous = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<MetricsAccessOptions>>().Value.MetricsAnonymous;
        app.MapPrometheusScrapingEndpoint(DashboardSchemes.MetricsPath)
            .RequireDruidAccess(anonymous ? DruidAccess.Unsecured : DruidAccess.State(DruidAction.READ));
        return app;
    }
}
