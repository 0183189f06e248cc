using Dashboard.Components;
using MudBlazor.Services;

namespace Dashboard.Hosting;

/// <summary>The one place where the dashboard's services and HTTP pipeline are put together.</summary>
public static class DashboardHostingExtensions
{
    /// <summary>Druid's quickstart port; <c>--urls</c> or ASPNETCORE_URLS override it.</summary>
    public const string DefaultUrl = "http://localhost:8888";

    public static WebApplicationBuilder AddDashboard(this WebApplicationBuilder builder)
    {
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices();
        return builder;
    }

    public static WebApplication UseDashboard(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/Error", createScopeForErrors: true);
        }

        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
