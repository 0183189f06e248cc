using Dashboard.Core.Cluster;
using Microsoft.AspNetCore.Components;

namespace Dashboard.Components.Controls;

/// <summary>
/// The app bar's live-connection state: the browser's circuit (switched by CSS from Blazor's reconnect events) and, in
/// cluster mode, whether the Druid cluster answers. Either way the page is not live while one of them is down.
/// </summary>
public sealed partial class ConnectionIndicator : IDisposable
{
    private ClusterState? _cluster;

    [Inject] private IServiceProvider Services { get; set; } = default!;

    private bool ClusterDown => _cluster?.Health is { Reachable: false, Unknown: false };

    protected override void OnInitialized()
    {
        _cluster = Services.GetService<ClusterState>();
        if (_cluster is not null && RendererInfo.IsInteractive)
        {
            _cluster.Changed += OnClusterChanged;
        }
    }

    private void OnClusterChanged(ClusterHealth health) => _ = InvokeAsync(StateHasChanged);

    public void Dispose()
    {
        if (_cluster is not null)
        {
            _cluster.Changed -= OnClusterChanged;
        }
    }
}
