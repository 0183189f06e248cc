using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace Dashboard.Components.Controls;

/// <summary>
/// An ApexCharts chart, created once after the first render. A new <see cref="Series"/> object replaces the series in
/// place (no re-creation, no flicker); a new <see cref="Options"/> object updates the options. Options and series are
/// ApexCharts' own JSON shapes.
/// </summary>
public sealed partial class ApexChart : IAsyncDisposable
{
    private ElementReference _element;
    private IJSObjectReference? _module;
    private IJSObjectReference? _chart;
    private JsonObject? _renderedOptions;
    private JsonArray? _renderedSeries;

    [Inject] private IJSRuntime JS { get; set; } = default!;

    /// <summary>ApexCharts options without <c>series</c>.</summary>
    [Parameter, EditorRequired] public JsonObject Options { get; set; } = new();

    [Parameter, EditorRequired] public JsonArray Series { get; set; } = [];

    [Parameter] public string? Class { get; set; }

    [Parameter] public string? TestId { get; set; }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (firstRender)
        {
            _module = await JS.InvokeAsync<IJSObjectReference>("import", "./js/charts.js");
            var options = (JsonObject)Options.DeepClone();
            options["series"] = Series.DeepClone();
            _chart = await _module.InvokeAsync<IJSObjectReference>("create", _element, options);
            _renderedOptions = Options;
            _renderedSeries = Series;
            StateHasChanged();
            return;
        }

        if (_chart is null)
        {
            return;
        }

        if (!ReferenceEquals(_renderedOptions, Options))
        {
            _renderedOptions = Options;
            await _chart.InvokeVoidAsync("updateOptions", Options);
        }

        if (!ReferenceEquals(_renderedSeries, Series))
        {
            _renderedSeries = Series;
            await _chart.InvokeVoidAsync("updateSeries", Series);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_chart is not null)
            {
                await _chart.InvokeVoidAsync("destroy");
                await _chart.DisposeAsync();
            }

            if (_module is not null)
            {
                await _module.DisposeAsync();
            }
        }
        catch (JSDisconnectedException)
        {
            // The circuit is gone; so is the chart.
        }
    }
}
