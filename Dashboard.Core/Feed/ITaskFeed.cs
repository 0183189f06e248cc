namespace Dashboard.Core.Feed;

/// <summary>
/// The live event stream that the hub, the components and tests subscribe to. Embedded mode publishes from the
/// overlord; cluster mode from one poller per cluster.
/// </summary>
public interface ITaskFeed
{
    /// <summary>Events from now on, in order, until <paramref name="cancellationToken"/> is cancelled.</summary>
    IAsyncEnumerable<FeedEvent> SubscribeAsync(CancellationToken cancellationToken);
}
