using BlazorMonaco.Editor;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace Dashboard.Components.Controls;

/// <summary>
/// A Monaco JSON editor (BlazorMonaco) with folding. Monaco's scripts load on first use (wwwroot/js/monaco.js), so pages
/// without an editor never download them. Follows the dashboard's light or dark theme.
/// </summary>
public sealed partial class JsonEditor : IAsyncDisposable
{
    private static int _instances;
    private StandaloneCodeEditor? _editor;
    private IJSObjectReference? _module;
    private bool _loaded;
    private bool? _appliedDark;

    [Inject] private IJSRuntime JS { get; set; } = default!;

    [Parameter] public string Value { get; set; } = "";

    [Parameter] public bool ReadOnly { get; set; }

    [Parameter] public string? CssClass { get; set; }

    [Parameter] public string Id { get; set; } = "json-editor-" + Interlocked.Increment(ref _instances);

    [CascadingParameter(Name = "DarkMode")] public bool DarkMode { get; set; }

    /// <summary>Raised once the editor is ready (tests and callers that need its content).</summary>
    [Parameter] public EventCallback OnReady { get; set; }

    public bool IsReady { get; private set; }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender)
        {
            try
            {
                _module = await JS.InvokeAsync<IJSObjectReference>("import", "./js/monaco.js");
                await _module.InvokeVoidAsync("ensureLoaded");
                _loaded = true;
                StateHasChanged();
            }
            catch (JSDisconnectedException)
            {
            }

            return;
        }

        if (IsReady && _appliedDark != DarkMode)
        {
            await ApplyThemeAsync();
        }
    }

    protected override async Task OnParametersSetAsync()
    {
        if (IsReady && _editor is not null && ReadOnly && await _editor.GetValue() != Value)
        {
            await _editor.SetValue(Value);
        }
    }

    private StandaloneEditorConstructionOptions Options(StandaloneCodeEditor editor) => new()
    {
        Language = "json",
        Value = Value,
        ReadOnly = ReadOnly,
        AutomaticLayout = true,
        Folding = true,
        ShowFoldingControls = "always",
        Minimap = new EditorMinimapOptions { Enabled = false },
        ScrollBeyondLastLine = false,
        WordWrap = "on",
        TabSize = 2,
        FontSize = 13,
        Theme = DarkMode ? "vs-dark" : "vs",
    };

    private async Task OnEditorReadyAsync()
    {
        IsReady = true;
        await ApplyThemeAsync();
        await OnReady.InvokeAsync();
    }

    private async Task ApplyThemeAsync()
    {
        _appliedDark = DarkMode;
        if (_module is not null)
        {
            await _module.InvokeVoidAsync("setTheme", DarkMode);
        }
    }

    /// <summary>The editor's current text.</summary>
    public async Task<string> GetValueAsync() => _editor is not null && IsReady ? await _editor.GetValue() : Value;

    public async Task FoldAllAsync(bool fold)
    {
        if (_module is not null && IsReady)
        {
            await _module.InvokeVoidAsync("foldAll", Id, fold);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_editor is not null)
            {
                await _editor.DisposeEditor();
            }

            if (_module is not null)
            {
                await _module.DisposeAsync();
            }
        }
        catch (JSDisconnectedException)
        {
        }
    }
}
