using Bunit;
using Dashboard.Components.Pages;
using Dashboard.Core.Clients;
using Dashboard.Core.Feed;
using Dashboard.Tests.Support;

namespace Dashboard.Tests.Components;

public sealed class ServicesPageTests : ComponentTestBase
{
    private static WorkerInfo Worker(string host, int capacity, params string[] running) => new(
        new Worker("http", host, "127.0.0.1", capacity, "0", "_default_worker_category"), running.Length, 0, running, running,
        DateTimeOffset.Parse("2026-01-05T10:20:30Z"), null);

    [Fact]
    public void Page_ShowsEachWorker_WithCapacity_UsedSlotsBar_LinkedRunningTasks_LastCompletedAndVersion()
    {
        Overlord.Workers.Add(Worker("localhost:8888", 4, "noop_a", "index_parallel_b"));

        var page = RenderPage<Services>();

        var row = page.Find("[data-testid=worker-row][data-host='localhost:8888']");
        Assert.Equal("4", row.QuerySelector("[data-testid=worker-capacity]")!.TextContent.Trim());
        Assert.Equal("2 of 4 in use", row.QuerySelector("[data-testid=worker-used]")!.TextContent.Trim());
        Assert.Contains("2 of 4 slots in use", row.QuerySelector("[data-testid=worker-slots-bar]")!.OuterHtml);
        var links = row.QuerySelectorAll("[data-testid=worker-tasks] a").Select(a => a.GetAttribute("href")).ToList();
        Assert.Equal(["tasks/noop_a", "tasks/index_parallel_b"], links);
        Assert.NotNull(row.QuerySelector("td[title='2026-01-05 10:20:30']"));
        Assert.Equal("0", row.QuerySelector("[data-testid=worker-version]")!.TextContent.Trim());
        Assert.Contains("1 worker(s) · 2 of 4 task slots in use", page.Find("[data-testid=services-summary]").TextContent);
        Assert.Empty(page.FindAll("[data-testid=servers-table]"));
    }

    [Fact]
    public async Task Page_ReReadsTheWorkers_WhenATaskChangesOnTheFeed()
    {
        Overlord.Workers.Add(Worker("localhost:8888", 2));
        var page = RenderPage<Services>();
        Assert.Equal("0 of 2 in use", page.Find("[data-testid=worker-used]").TextContent.Trim());
        await Eventually.WaitForAsync(() => Task.FromResult(Feed.SubscriberCount), n => n > 0, what: "the page to subscribe to the feed");

        Overlord.Workers[0] = Worker("localhost:8888", 2, "noop_live");
        Feed.Publish(new TaskStatusChanged(FakeOverlordClient.Task("noop_live", "RUNNING")));

        page.WaitForAssertion(() => Assert.Equal("1 of 2 in use", page.Find("[data-testid=worker-used]").TextContent.Trim()));
        Assert.Contains("noop_live", page.Find("[data-testid=worker-tasks]").TextContent);
    }

    [Fact]
    public void Page_WhenTheOverlordCannotBeRead_SaysSo()
    {
        Overlord.Unreachable = new InvalidOperationException("connection refused");

        var page = RenderPage<Services>();

        Assert.Contains("Could not read the workers: connection refused", page.Find("[data-testid=services-error]").TextContent);
    }
}
