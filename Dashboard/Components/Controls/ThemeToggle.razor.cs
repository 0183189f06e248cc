using Dashboard.Components.Layout;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace Dashboard.Components.Controls;

/// <summary>Light/dark switch; the choice is remembered per browser by wwwroot/js/theme.js.</summary>
public sealed partial class ThemeToggle : IAsyncDisposable
{
    private IJSObjectReference? _module;

    [Inject]
    private IJSRuntime JS { get; set; } = default!;

    [Parameter]
    public bool DarkMode { get; set; }

    [Parameter]
    public EventCallback<bool> DarkModeChanged { get; set; }

    private string Label => DarkMode ? "Switch to light theme" : "Switch to dark theme";

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender)
        {
            return;
        }

        _module = await JS.InvokeAsync<IJSObjectReference>("import", "./" + Assets["js/theme.js"]);
        var stored = await _module.InvokeAsync<string?>("load");
        if (stored is ThemeCookie.Dark or ThemeCookie.Light && (stored == ThemeCookie.Dark) != DarkMode)
        {
            await DarkModeChanged.InvokeAsync(stored == ThemeCookie.Dark);
        }
    }

    private async Task ToggleAsync()
    {
        var dark = !DarkMode;
        await DarkModeChanged.InvokeAsync(dark);
        if (_module is not null)
        {
            await _module.InvokeVoidAsync("save", dark ? ThemeCookie.Dark : ThemeCookie.Light);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_module is null)
        {
            return;
        }

        try
        {
            await _module.DisposeAsync();
        }
        catch (JSDisconnectedException)
        {
            // The circuit is gone, and the module with it.
        }
    }
}
