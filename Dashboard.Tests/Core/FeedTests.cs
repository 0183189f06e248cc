using Dashboard.Core.Feed;
using Dashboard.Core.Tasks;
using Dashboard.Tests.Support;

namespace Dashboard.Tests.Core;

public sealed class FeedTests : IDisposable
{
    private readonly TempDataDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Feed_CarriesEveryTransitionOfEveryTask_InOrder()
    {
        await using var overlord = await CoreHarness.StartAsync(_dir.Path, workerCapacity: 1);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var seen = new List<TaskStatusChanged>();
        var subscribed = new TaskCompletionSource();
        var reader = Task.Run(async () =>
        {
            var enumerator = overlord.Feed.SubscribeAsync(cts.Token).GetAsyncEnumerator(cts.Token);
            var next = enumerator.MoveNextAsync();
            subscribed.SetResult();
            while (await next)
            {
                if (enumerator.Current is TaskStatusChanged change)
                {
                    seen.Add(change);
                    if (seen.Count(c => c.Task.StatusCode == TaskState.SUCCESS) == 2)
                    {
                        return;
                    }
                }

                next = enumerator.MoveNextAsync();
            }
        });
        await subscribed.Task;
        await Eventually.WaitForAsync(() => Task.FromResult(overlord.Feed.SubscriberCount), n => n == 1);

        await overlord.SubmitAsync("""{"type":"noop","id":"a","runTime":50}""");
        await overlord.SubmitAsync("""{"type":"noop","id":"b","runTime":0}""");
        await reader.WaitAsync(cts.Token);

        Assert.Equal(["WAITING", "PENDING", "RUNNING", "SUCCESS"], seen.Where(c => c.Task.Id == "b").Select(c => c.Task.DisplayStatus));
        Assert.Equal(["WAITING", "RUNNING", "SUCCESS"], seen.Where(c => c.Task.Id == "a").Select(c => c.Task.DisplayStatus));
        Assert.Equal(seen.Select(c => c.Sequence).Order(), seen.Select(c => c.Sequence));
        var aDone = seen.FindIndex(c => c.Task.Id == "a" && c.Task.StatusCode == TaskState.SUCCESS);
        var bRunning = seen.FindIndex(c => c.Task.Id == "b" && c.Task.DisplayStatus == "RUNNING");
        Assert.True(aDone < bRunning, "with one slot, b may only run after a completed");
    }

    [Fact]
    public async Task Feed_SlowSubscriber_NeverBlocksPublishing_AndIsToldItMissedEvents()
    {
        var feed = new TaskFeed(TimeProvider.System);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var enumerator = feed.SubscribeAsync(bufferSize: 4, cts.Token).GetAsyncEnumerator(cts.Token);
        var first = enumerator.MoveNextAsync();
        await Eventually.WaitForAsync(() => Task.FromResult(feed.SubscriberCount), n => n == 1);

        for (var i = 0; i < 100; i++)
        {
            feed.Publish(new TaskReportUpdated("t", "ds", []));
        }

        Assert.True(await first);
        var events = new List<FeedEvent> { enumerator.Current };
        Assert.True(await enumerator.MoveNextAsync());
        events.Add(enumerator.Current);
        var overflow = Assert.Single(events.OfType<FeedOverflowed>());
        Assert.True(overflow.Missed >= 95);
        await enumerator.DisposeAsync();
        Assert.Equal(0, feed.SubscriberCount);
    }
}
