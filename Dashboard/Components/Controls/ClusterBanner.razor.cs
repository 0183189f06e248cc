using Dashboard.Core.Cluster;
using Microsoft.AspNetCore.Components;

namespace Dashboard.Components.Controls;

/// <summary>
/// Cluster mode: a banner under the app bar while the Druid cluster cannot be reached, with the poller's error and when
/// it tries again. Renders nothing in embedded mode or while the cluster answers.
/// </summary>
public sealed partial class ClusterBanner : IDisposable
{
    private ClusterState? _state;
    private ClusterHealth? _health;
    private PeriodicTimer? _timer;
    private readonly CancellationTokenSource _stop = new();

    [Inject] private IServiceProvider Services { get; set; } = default!;
    [Inject] private TimeProvider Time { get; set; } = default!;

    private string RetryText
    {
        get
        {
            var seconds = _health?.NextAttempt is { } next ? Math.Ceiling((next - Time.GetUtcNow()).TotalSeconds) : 0;
            return seconds >= 1 ? $"in {seconds:F0} s" : "now";
        }
    }

    /// <summary>The poller's error without the host the banner already names.</summary>
    private string Reason
    {
        get
        {
            var error = _health?.Error ?? "";
            var prefix = $"Cannot reach the Druid cluster at {_health?.Host}: ";
            return error.StartsWith(prefix, StringComparison.Ordinal) ? error[prefix.Length..] : error;
        }
    }

    private string AttemptsText => _health?.FailedAttempts == 1 ? "1 failed attempt" : $"{_health?.FailedAttempts} failed attempts";

    private string SinceText => _health?.Since is { } since ? since.ToUniversalTime().ToString("HH:mm:ss 'UTC'") : "";

    protected override void OnInitialized()
    {
        _state = Services.GetService<ClusterState>();
        if (_state is null)
        {
            return;
        }

        _health = _state.Health;
        if (RendererInfo.IsInteractive)
        {
            _state.Changed += OnChanged;
            _timer = new PeriodicTimer(TimeSpan.FromSeconds(1), Time);
            _ = TickAsync();
        }
    }

    private void OnChanged(ClusterHealth health) => _ = InvokeAsync(() =>
    {
        _health = health;
        StateHasChanged();
    });

    private async Task TickAsync()
    {
        try
        {
            while (await _timer!.WaitForNextTickAsync(_stop.Token))
            {
                if (_health is { Reachable: false })
                {
                    await InvokeAsync(StateHasChanged);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public void Dispose()
    {
        if (_state is not null)
        {
            _state.Changed -= OnChanged;
        }

        _stop.Cancel();
        _timer?.Dispose();
        _stop.Dispose();
    }
}
