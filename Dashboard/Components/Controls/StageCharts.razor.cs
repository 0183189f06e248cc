using Dashboard.Model;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace Dashboard.Components.Controls;

/// <summary>
/// The execution view's charts (ApexCharts via wwwroot/js/stagecharts.js): the stage timeline, rows per stage, rows/s
/// over time and worker skew. Each
/// render after the first only hands the charts new series, so they move in place while the query runs.
/// </summary>
public sealed partial class StageCharts : IAsyncDisposable
{
    private static int _instances;
    private readonly string _key = "stage-charts-" + Interlocked.Increment(ref _instances);
    private ElementReference _timeline;
    private ElementReference _counters;
    private ElementReference _rates;
    private ElementReference _skew;
    private IJSObjectReference? _module;

    [Inject] private IJSRuntime JS { get; set; } = default!;

    [Parameter, EditorRequired] public MsqReportView Report { get; set; } = default!;

    [Parameter] public DateTimeOffset Now { get; set; }

    [Parameter] public StageRateHistory History { get; set; } = new();

    private bool HasRates => History.Points.Values.Any(p => p.Count > 1);

    [CascadingParameter(Name = "DarkMode")] public bool DarkMode { get; set; }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        try
        {
            _module ??= await JS.InvokeAsync<IJSObjectReference>("import", "./js/stagecharts.js");
            await _module.InvokeVoidAsync("render", _timeline, _key + "-timeline", StageChartOptions.Timeline(Report, Now), DarkMode);
            await _module.InvokeVoidAsync("render", _counters, _key + "-counters", StageChartOptions.Counters(Report), DarkMode);
            if (HasRates)
            {
                await _module.InvokeVoidAsync("render", _rates, _key + "-rates", StageChartOptions.Rates(Report, History), DarkMode);
            }

            await _module.InvokeVoidAsync("render", _skew, _key + "-skew", StageChartOptions.Skew(Report), DarkMode);
        }
        catch (JSDisconnectedException)
        {
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
            await _module.InvokeVoidAsync("dispose", _key + "-timeline");
            await _module.InvokeVoidAsync("dispose", _key + "-counters");
            await _module.InvokeVoidAsync("dispose", _key + "-rates");
            await _module.InvokeVoidAsync("dispose", _key + "-skew");
            await _module.DisposeAsync();
        }
        catch (JSDisconnectedException)
        {
        }
    }
}
