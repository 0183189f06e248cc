using Dashboard.Core.Msq.Dialect;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace Dashboard.Components.Controls;

/// <summary>
/// The workbench's Monaco editor with the Druid SQL language of wwwroot/js/sqleditor.js: highlighting, completion of
/// datasources, columns, functions, keywords and snippets, Ctrl+Enter to run, and a marker for a server error.
/// </summary>
public sealed partial class SqlEditor : IAsyncDisposable
{
    private static int _instances;
    private readonly string _id = "sql-editor-" + Interlocked.Increment(ref _instances);
    private ElementReference _host;
    private IJSObjectReference? _module;
    private DotNetObjectReference<SqlEditor>? _self;
    private bool? _appliedDark;

    [Inject] private IJSRuntime JS { get; set; } = default!;

    /// <summary>The text the editor starts with.</summary>
    [Parameter] public string InitialText { get; set; } = "";

    [Parameter] public string? CssClass { get; set; }

    /// <summary>Ctrl+Enter in the editor.</summary>
    [Parameter] public EventCallback OnRun { get; set; }

    /// <summary>The text after an edit (debounced in the browser).</summary>
    [Parameter] public EventCallback<string> OnTextChanged { get; set; }

    [Parameter] public EventCallback OnReady { get; set; }

    [CascadingParameter(Name = "DarkMode")] public bool DarkMode { get; set; }

    public bool IsReady { get; private set; }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        try
        {
            if (firstRender)
            {
                _self = DotNetObjectReference.Create(this);
                _module = await JS.InvokeAsync<IJSObjectReference>("import", "./js/sqleditor.js");
                await _module.InvokeVoidAsync("create", _host, _id, InitialText, DarkMode, _self, DruidSqlFunctions.All);
                _appliedDark = DarkMode;
                IsReady = true;
                StateHasChanged();
                await OnReady.InvokeAsync();
            }
            else if (IsReady && _appliedDark != DarkMode && _module is not null)
            {
                _appliedDark = DarkMode;
                await _module.InvokeVoidAsync("setTheme", DarkMode);
            }
        }
        catch (JSDisconnectedException)
        {
        }
    }

    [JSInvokable]
    public Task RunFromEditor() => InvokeAsync(() => OnRun.InvokeAsync());

    [JSInvokable]
    public Task TextChanged(string text) => InvokeAsync(() => OnTextChanged.InvokeAsync(text));

    public async Task<string> GetValueAsync() =>
        _module is not null && IsReady ? await _module.InvokeAsync<string>("getValue", _id) : InitialText;

    public async Task SetValueAsync(string text)
    {
        if (_module is not null && IsReady)
        {
            await _module.InvokeVoidAsync("setValue", _id, text);
        }
    }

    /// <summary>Replaces the selection (or inserts at the cursor) with <paramref name="text"/>, as one edit the user can undo.</summary>
    public async Task InsertTextAsync(string text)
    {
        if (_module is not null && IsReady)
        {
            await _module.InvokeVoidAsync("insertText", _id, text);
        }
    }

    /// <summary>Marks line/column (1-based) with <paramref name="message"/>; a null message clears the marker.</summary>
    public async Task SetMarkerAsync(int line, int column, string? message)
    {
        if (_module is not null && IsReady)
        {
            await _module.InvokeVoidAsync("setMarker", _id, line, column, message);
        }
    }

    /// <summary>Datasources and their columns for completion.</summary>
    public async Task SetSchemaAsync(IReadOnlyList<string> tables, IReadOnlyDictionary<string, IReadOnlyList<string>> columns)
    {
        if (_module is not null)
        {
            await _module.InvokeVoidAsync("setSchema", tables, columns);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_module is not null)
            {
                await _module.InvokeVoidAsync("dispose", _id);
                await _module.DisposeAsync();
            }
        }
        catch (JSDisconnectedException)
        {
        }

        _self?.Dispose();
    }
}
