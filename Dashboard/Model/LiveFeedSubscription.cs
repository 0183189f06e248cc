using Dashboard.Core.Feed;

namespace Dashboard.Model;

/// <summary>
/// A component's subscription to the feed: events it wants are collected and handed over in batches, at most one batch
/// per <see cref="Interval"/> (the first event after a quiet spell goes out at once). The component applies a batch and
/// renders once, so a burst of events costs one render per interval. Dispose it with the component (the circuit).
/// </summary>
public sealed class LiveFeedSubscription : IAsyncDisposable
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(100);

    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _signal = new(0, 1);
    private readonly object _gate = new();
    private readonly Func<FeedEvent, bool> _wants;
    private readonly Func<IReadOnlyList<FeedEvent>, Task> _deliver;
    private List<FeedEvent> _pending = [];
    private readonly Task _pump;
    private readonly Task _delivery;

    private LiveFeedSubscription(ITaskFeed feed, Func<FeedEvent, bool> wants, Func<IReadOnlyList<FeedEvent>, Task> deliver, TimeSpan interval)
    {
        _wants = wants;
        _deliver = deliver;
        Interval = interval;
        _pump = Task.Run(() => PumpAsync(feed, _stop.Token));
        _delivery = Task.Run(() => DeliverAsync(_stop.Token));
    }

    public TimeSpan Interval { get; }

    /// <summary>
    /// Subscribes now. <paramref name="deliver"/> runs on the thread pool; a component wraps its work in
    /// <c>InvokeAsync</c>. <see cref="FeedOverflowed"/> always passes <paramref name="wants"/>.
    /// </summary>
    public static LiveFeedSubscription Start(ITaskFeed feed, Func<FeedEvent, bool> wants, Func<IReadOnlyList<FeedEvent>, Task> deliver,
        TimeSpan? interval = null) => new(feed, wants, deliver, interval ?? DefaultInterval);

    private async Task PumpAsync(ITaskFeed feed, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var feedEvent in feed.SubscribeAsync(cancellationToken).ConfigureAwait(false))
            {
                if (feedEvent is not FeedOverflowed && !_wants(feedEvent))
                {
                    continue;
                }

                lock (_gate)
                {
                    _pending.Add(feedEvent);
                }

                if (_signal.CurrentCount == 0)
                {
                    try
                    {
                        _signal.Release();
                    }
                    catch (SemaphoreFullException)
                    {
                        // Already signalled: the delivery loop will take this event with the others.
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task DeliverAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await _signal.WaitAsync(cancellationToken).ConfigureAwait(false);
                List<FeedEvent> batch;
                lock (_gate)
                {
                    batch = _pending;
                    _pending = [];
                }

                if (batch.Count > 0)
                {
                    await _deliver(batch).ConfigureAwait(false);
                    await Task.Delay(Interval, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
            // The component's renderer is gone (circuit closed).
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_pump, _delivery).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
        _signal.Dispose();
    }
}
