using Dashboard.Api;
using Dashboard.Components;
using Dashboard.Core;
using Dashboard.Core.Cluster;
using Dashboard.Core.Overlord;
using Dashboard.Core.Tasks;
using Dashboard.Core.Security;
using Dashboard.Core.Storage;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Dashboard.Hubs;
using Dashboard.Security;
using Dashboard.Model;
using Dashboard.Model.Wall;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration.Memory;
using MudBlazor.Services;

namespace Dashboard.Hosting;

/// <summary>The one place where the dashboard's services and HTTP pipeline are put together.</summary>
public static class DashboardHostingExtensions
{
    /// <summary>Druid's quickstart port; <c>--urls</c> or ASPNETCORE_URLS override it.</summary>
    public const string DefaultUrl = "http://localhost:8888";

    public static WebApplicationBuilder AddDashboard(this WebApplicationBuilder builder)
    {
        // Lowest precedence, so appsettings, ASPNETCORE_URLS, --urls and test hosts all override it.
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = [new("urls", DefaultUrl)] });

        // Static web assets of packages (BlazorMonaco's _content/...) are served from build output in every environment,
        // not only Development; a published build has no manifest and serves them from wwwroot, so this does nothing there.
        builder.WebHost.UseStaticWebAssets();
        builder.Services.AddExceptionBoundary();
        builder.Services.AddOptions<RequestLimitsOptions>().Bind(builder.Configuration.GetSection(RequestLimitsOptions.Section))
            .Validate(o => o.MaxRequestBodyBytes > 0, "Overlord:MaxRequestBodyBytes must be a positive number of bytes.").ValidateOnStart();

        if (ClusterServiceCollectionExtensions.IsClusterMode(builder.Configuration))
        {
            // Cluster mode: a Druid cluster runs the tasks; the in-process overlord (queue, store, data dir) is not started.
            builder.Services.AddDruidCluster(builder.Configuration);
            builder.Services.AddSingleton(sp => DashboardMode.Cluster(sp.GetRequiredService<DruidClusterOptions>()));
        }
        else
        {
            builder.Services.AddEmbeddedOverlord(builder.Configuration);
            builder.Services.AddSingleton(DashboardMode.Embedded);

            // Session cookies and antiforgery tokens stay valid across restarts: their keys live in the data folder.
            builder.Services.AddDataProtection();
            builder.Services.AddOptions<KeyManagementOptions>().Configure<DataDirectory, ILoggerFactory>((options, dir, logs) =>
                options.XmlRepository = new FileSystemXmlRepository(new DirectoryInfo(dir.PathFor("keys")), logs));

            // Task secrets at rest (http input passwords in stored payloads) are encrypted with the same keys.
            builder.Services.AddSingleton<ISecretProtector, DataProtectionSecretProtector>();
        }

        builder.Services.AddDashboardSecurity(builder.Configuration); // after the modes: their metadata store holds users and audit
        builder.Services.AddSingleton<OperatorAudit>();
        builder.Services.AddScoped<OperatorActions>();
        builder.Services.AddScoped<ReadScope>();
        builder.Services.AddScoped<AdminActions>();

        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices();
        builder.Services.AddTasksHub();
        builder.Services.AddScoped<BrowserFiles>();
        builder.Services.AddSingleton<IngestionActivity>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<IngestionActivity>());
        builder.AddDashboardMetrics();
        builder.Services.AddServicesView();
        return builder;
    }

    public static WebApplication UseDashboard(this WebApplication app)
    {
        StartupGuard.Check(app.Configuration, app.Services, app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Dashboard.Security"));
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionBoundary(); // Development keeps the developer exception page, for a developer who asked for it
        }

        app.UseRequestBodyLimit();
        app.UseSecurityHeaders();
        var mode = app.Services.GetRequiredService<DashboardMode>();
        if (!mode.IsCluster)
        {
            app.Lifetime.ApplicationStarted.Register(() => AdvertiseLocation(app));
        }

        // The styled Not Found page is for people; Druid clients get the API's own bodies, empty 404s included.
        app.UseWhen(context => !IsApiPath(context.Request.Path),
            pages => pages.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true));
        app.UseDashboardSecurity();
        app.UseAntiforgery();
        app.MapLoginEndpoints();
        app.MapStatusApi();
        app.MapDashboardMetrics();
        if (mode.IsCluster)
        {
            app.MapDruidApiSwitchedOff(mode.ClusterHost!);
        }
        else
        {
            app.MapTasksApi();
            app.MapWorkersApi();
            app.MapCoordinatorApi();
            app.MapSqlTaskApi();
            app.MapSqlQueryApi();
            app.MapSqlStatementsApi();
            app.MapCoordinatorStatusApi();
            app.MapBrokerDataSourcesApi();
            app.MapSamplerApi();
        }

        app.MapUsersApi();
        app.MapAuditApi();

        app.MapTasksHub();
        app.MapStaticAssets().AllowAnonymous(); // the login page's styles and scripts
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode(options => options.ContentSecurityFrameAncestorsPolicy = null); // SecurityHeaders sets the whole policy
        return app;
    }

    private static bool IsApiPath(PathString path) => DashboardSchemes.IsApiPath(path) || DashboardSchemes.IsHubPath(path);

    /// <summary>Tasks report this server's host and port as their location, as Druid's peons report theirs.</summary>
    private static void AdvertiseLocation(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var first = addresses.Select(a => Uri.TryCreate(a.Replace("://+", "://localhost").Replace("://*", "://localhost"), UriKind.Absolute, out var u) ? u : null)
            .FirstOrDefault(u => u is not null);
        if (first is null)
        {
            return;
        }

        var options = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<OverlordOptions>>().Value;
        var host = options.AdvertisedHost ?? (first.IsLoopback ? "localhost" : first.Host is "0.0.0.0" or "[::]" ? System.Net.Dns.GetHostName() : first.Host);
        app.Services.GetRequiredService<TaskLocationProvider>().Current = first.Scheme == "https"
            ? new TaskLocation(host, -1, first.Port)
            : new TaskLocation(host, first.Port, -1);
    }
}
