using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace Dashboard.Components;

/// <summary>
/// The browser helpers of <c>wwwroot/js/files.js</c> (remembered preferences, downloads, the clipboard, scrolling), one
/// module per circuit, imported on first use. Call it only once the component has rendered interactively.
/// </summary>
public sealed class BrowserFiles(IJSRuntime js) : IAsyncDisposable
{
    private Task<IJSObjectReference>? _module;

    public async Task<string?> LoadPreferenceAsync(string key) => await (await ModuleAsync()).InvokeAsync<string?>("loadPreference", key);

    public async Task SavePreferenceAsync(string key, string value) => await (await ModuleAsync()).InvokeVoidAsync("savePreference", key, value);

    public async Task DownloadAsync(string fileName, string contentType, string text) =>
        await (await ModuleAsync()).InvokeVoidAsync("download", fileName, contentType, text);

    /// <summary>False when the browser refused (no clipboard permission, or not a secure context).</summary>
    public async Task<bool> CopyTextAsync(string text) => await (await ModuleAsync()).InvokeAsync<bool>("copyText", text);

    public async Task ScrollToEndAsync(ElementReference element) => await (await ModuleAsync()).InvokeVoidAsync("scrollToEnd", element);

    private Task<IJSObjectReference> ModuleAsync() => _module ??= js.InvokeAsync<IJSObjectReference>("import", "./js/files.js").AsTask();

    public async ValueTask DisposeAsync()
    {
        if (_module is { IsCompletedSuccessfully: true })
        {
            try
            {
                await _module.Result.DisposeAsync();
            }
            catch (JSDisconnectedException)
            {
                // The circuit is gone, and the browser's module with it.
            }
        }
    }
}
