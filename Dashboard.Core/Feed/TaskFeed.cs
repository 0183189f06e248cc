using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Dashboard.Core.Feed;

/// <summary>
/// In-process fan-out of overlord events. Each subscriber has a bounded buffer; publishing never blocks, and a
/// subscriber that falls behind gets a <see cref="FeedOverflowed"/> event instead of the events it missed.
/// </summary>
public sealed class TaskFeed(TimeProvider time) : ITaskFeed
{
    public const int DefaultBufferSize = 4096;

    private readonly object _gate = new();
    private readonly List<Subscriber> _subscribers = [];
    private long _sequence;

    public int SubscriberCount
    {
        get
        {
            lock (_gate)
            {
                return _subscribers.Count;
            }
        }
    }

    /// <summary>Numbers the event and hands it to every subscriber, in one global order.</summary>
    public void Publish(FeedEvent feedEvent)
    {
        lock (_gate)
        {
            var numbered = feedEvent with { Sequence = ++_sequence, Time = time.GetUtcNow() };
            foreach (var subscriber in _subscribers)
            {
                subscriber.Offer(numbered);
            }
        }
    }

    public IAsyncEnumerable<FeedEvent> SubscribeAsync(CancellationToken cancellationToken) => SubscribeAsync(DefaultBufferSize, cancellationToken);

    public async IAsyncEnumerable<FeedEvent> SubscribeAsync(int bufferSize, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var subscriber = new Subscriber(bufferSize);
        lock (_gate)
        {
            _subscribers.Add(subscriber);
        }

        try
        {
            while (true)
            {
                FeedEvent next;
                try
                {
                    next = await subscriber.ReadAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    yield break;
                }

                yield return next;
            }
        }
        finally
        {
            lock (_gate)
            {
                _subscribers.Remove(subscriber);
            }
        }
    }

    private sealed class Subscriber(int bufferSize)
    {
        private readonly Channel<FeedEvent> _channel = Channel.CreateBounded<FeedEvent>(new BoundedChannelOptions(bufferSize)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });

        private long _missed;

        public void Offer(FeedEvent feedEvent)
        {
            if (!_channel.Writer.TryWrite(feedEvent))
            {
                Interlocked.Increment(ref _missed);
            }
        }

        public async ValueTask<FeedEvent> ReadAsync(CancellationToken cancellationToken)
        {
            var missed = Interlocked.Exchange(ref _missed, 0);
            if (missed > 0)
            {
                // The buffered events are older than the dropped ones; the subscriber re-reads state instead.
                while (_channel.Reader.TryRead(out _))
                {
                    missed++;
                }

                return new FeedOverflowed(missed);
            }

            return await _channel.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
