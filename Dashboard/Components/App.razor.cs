using Dashboard.Components.Layout;
using Dashboard.Hosting;
using Microsoft.AspNetCore.Components;

namespace Dashboard.Components;

/// <summary>The static document around the interactive app; it reads what only the request knows.</summary>
public partial class App
{
    private ShellContext _shell = new();

    [CascadingParameter]
    public HttpContext? HttpContext { get; set; }

    [Inject]
    private DashboardMode Mode { get; set; } = DashboardMode.Embedded;

    protected override void OnInitialized() =>
        _shell = new ShellContext(Mode: Mode.ChipText, DarkMode: ThemeCookie.IsDark(HttpContext));
}
