using Dashboard.Components.Layout;
using Dashboard.Hosting;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.AspNetCore.Components.Routing;

namespace Dashboard.Components;

/// <summary>The static document around the interactive app; it reads what only the request knows.</summary>
public partial class App
{
    private ShellContext _shell = new();

    [CascadingParameter]
    public HttpContext? HttpContext { get; set; }

    [Inject]
    private DashboardMode Mode { get; set; } = DashboardMode.Embedded;

    /// <summary>The Content-Security-Policy nonce that lets the import map's inline script run.</summary>
    private string? Nonce => SecurityHeaders.NonceFor(HttpContext);

    /// <summary>Interactive everywhere except the pages marked [ExcludeFromInteractiveRouting] (the login form is a plain POST).</summary>
    private IComponentRenderMode? PageRenderMode =>
        HttpContext?.AcceptsInteractiveRouting() == false ? null : RenderMode.InteractiveServer;

    protected override void OnInitialized() =>
        _shell = new ShellContext(Mode: Mode.ChipText, DarkMode: ThemeCookie.IsDark(HttpContext),
            RemoteAddress: HttpContext?.Connection.RemoteIpAddress?.ToString());
}
