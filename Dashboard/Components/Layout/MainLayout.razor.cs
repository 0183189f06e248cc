using Microsoft.AspNetCore.Components;

namespace Dashboard.Components.Layout;

/// <summary>The shell around every page: theme, app bar, navigation drawer and MudBlazor's providers.</summary>
public partial class MainLayout
{
    private bool _darkMode;
    private bool _drawerOpen = true;

    [CascadingParameter]
    public ShellContext Shell { get; set; } = new();

    protected override void OnInitialized() => _darkMode = Shell.DarkMode;

    private void ToggleDrawer() => _drawerOpen = !_drawerOpen;
}
