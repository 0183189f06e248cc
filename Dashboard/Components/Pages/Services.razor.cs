using Dashboard.Core.Clients;
using Dashboard.Core.Feed;
using Dashboard.Model;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Dashboard.Components.Pages;

/// <summary>
/// The Services view (Druid's console has one): each worker with its capacity, used slots as a bar, running tasks
/// linked to their pages, last completed task and version. Live: task changes on the feed re-read it (at most every
/// 250 ms; embedded that is an in-process read), and in cluster mode a new list from the poller does too.
/// </summary>
public sealed partial class Services : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private ServicesSnapshot? _snapshot;
    private string? _error;
    private DateTimeOffset _now;
    private LiveFeedSubscription? _subscription;
    private CoalescingRefresher? _refresher;

    [Inject] private ServicesView View { get; set; } = default!;
    [Inject] private Security.ReadScope Scope { get; set; } = default!;
    [Inject] private TimeProvider Time { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        if (RendererInfo.IsInteractive)
        {
            _refresher = new CoalescingRefresher(() => InvokeAsync(async () =>
            {
                await LoadAsync();
                StateHasChanged();
            }), TimeSpan.FromMilliseconds(250));
            _subscription = LiveFeedSubscription.Start(Scope.Feed, e => e is TaskStatusChanged, _ =>
            {
                _refresher.Request();
                return Task.CompletedTask;
            });
            View.Changed += OnViewChanged;
        }

        await LoadAsync();
    }

    private void OnViewChanged() => _refresher?.Request();

    private async Task LoadAsync()
    {
        try
        {
            _snapshot = await View.ReadAsync(_stop.Token);
            _error = _snapshot.Error;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _error = "Could not read the workers: " + ex.Message;
        }

        _now = Time.GetUtcNow();
    }

    private static double SlotPercent(WorkerInfo w) => w.Worker.Capacity <= 0 ? 0 : Math.Min(100, 100.0 * w.CurrCapacityUsed / w.Worker.Capacity);

    private static Color SlotColor(WorkerInfo w) => w.FreeSlots == 0 ? Color.Warning : Color.Primary;

    public async ValueTask DisposeAsync()
    {
        View.Changed -= OnViewChanged;
        await _stop.CancelAsync();
        _refresher?.Dispose();
        if (_subscription is not null)
        {
            await _subscription.DisposeAsync();
        }

        _stop.Dispose();
    }
}
