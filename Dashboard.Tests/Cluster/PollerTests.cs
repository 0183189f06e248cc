using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Dashboard.Core.Cluster;
using Dashboard.Core.Feed;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dashboard.Tests.Cluster;

/// <summary>The poller's diffing and report following, one poll at a time against scripted Druid answers.</summary>
public sealed class PollerTests
{
    private const string Controller = "query-4a1b";

    private static string TaskJson(string id, string type, string status, string runner, long duration = -1) => $$"""
        {"id":"{{id}}","groupId":"{{id}}","type":"{{type}}","createdTime":"2026-11-22T10:00:00.000Z","queueInsertionTime":"2026-11-22T10:00:00.000Z",
         "statusCode":"{{status}}","status":"{{status}}","runnerStatusCode":"{{runner}}","duration":{{duration}},
         "location":{"host":"localhost","port":8100,"tlsPort":-1},"dataSource":"wiki","errorMsg":null}
        """;

    private static string Report(string phase) =>
        new JsonObject
        {
            ["multiStageQuery"] = new JsonObject
            {
                ["type"] = "multiStageQuery",
                ["taskId"] = Controller,
                ["payload"] = new JsonObject { ["stages"] = new JsonArray(new JsonObject { ["stageNumber"] = 0, ["phase"] = phase }) },
            },
        }.ToJsonString();

    [Fact]
    public async Task Polls_PublishChangesOnly_AndFollowTheLiveReportsOfRunningQueryTasks()
    {
        var druid = new ScriptedDruid();
        var options = new DruidClusterOptions { Url = "http://druid.test:8888" };
        var client = ContractTests.Create(druid, options);
        var state = new ClusterState(options);
        var source = new ClusterTaskSource(state, options, TimeProvider.System);
        var feed = new TaskFeed(TimeProvider.System);
        var poller = new ClusterTaskPoller(client, source, state, feed, options, TimeProvider.System, NullLogger<ClusterTaskPoller>.Instance);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var events = new List<FeedEvent>();
        var reader = Collect(feed, events, cts.Token);

        druid.Tasks = $"[{TaskJson("noop_1", "noop", "RUNNING", "PENDING")}]";
        await poller.PollOnceAsync(cts.Token);
        Assert.True(source.HasSnapshot);

        druid.Tasks = $"[{TaskJson("noop_1", "noop", "RUNNING", "PENDING")},{TaskJson(Controller, "query_controller", "RUNNING", "RUNNING")}]";
        druid.Report = Report("READING_INPUT");
        await poller.PollOnceAsync(cts.Token);
        druid.Report = Report("READING_INPUT");
        await poller.PollOnceAsync(cts.Token);
        druid.Report = Report("POST_READING");
        await poller.PollOnceAsync(cts.Token);
        druid.Tasks = $"[{TaskJson("noop_1", "noop", "RUNNING", "PENDING")},{TaskJson(Controller, "query_controller", "SUCCESS", "NONE", 1200)}]";
        await poller.PollOnceAsync(cts.Token);
        feed.Publish(new FeedOverflowed(-1));
        await reader.WaitAsync(cts.Token);

        var changes = events.OfType<TaskStatusChanged>().Select(e => (e.Task.Id, e.Task.DisplayStatus)).ToList();
        Assert.Equal([(Controller, "RUNNING"), (Controller, "SUCCESS")], changes);
        var reports = events.OfType<TaskReportUpdated>().Select(r => r.Report["multiStageQuery"]!["payload"]!["stages"]![0]!["phase"]!.GetValue<string>()).ToList();
        Assert.Equal(["READING_INPUT", "POST_READING"], reports);
        Assert.Equal(3, events.OfType<TaskLogAppended>().Count(e => e.TaskId == Controller));
        Assert.DoesNotContain(events.OfType<TaskLogAppended>(), e => e.TaskId == "noop_1");
        Assert.Equal(3, druid.ReportReads);
    }

    [Fact]
    public async Task ActiveTaskThatLeavesTheList_IsAskedFor()
    {
        var druid = new ScriptedDruid();
        var options = new DruidClusterOptions { Url = "http://druid.test:8888" };
        var client = ContractTests.Create(druid, options);
        var state = new ClusterState(options);
        var feed = new TaskFeed(TimeProvider.System);
        var poller = new ClusterTaskPoller(client, new ClusterTaskSource(state, options, TimeProvider.System), state, feed, options,
            TimeProvider.System, NullLogger<ClusterTaskPoller>.Instance);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var events = new List<FeedEvent>();
        var reader = Collect(feed, events, cts.Token);

        druid.Tasks = $"[{TaskJson("noop_gone", "noop", "RUNNING", "RUNNING")}]";
        await poller.PollOnceAsync(cts.Token);
        druid.Tasks = "[]";
        druid.Status = $$"""{"task":"noop_gone","status":{{TaskJson("noop_gone", "noop", "FAILED", "NONE", 50)}}}""";
        await poller.PollOnceAsync(cts.Token);
        feed.Publish(new FeedOverflowed(-1));
        await reader.WaitAsync(cts.Token);

        Assert.Equal("FAILED", Assert.Single(events.OfType<TaskStatusChanged>()).Task.DisplayStatus);
    }

    /// <summary>Reads the feed until the marker event (missed = -1) the test publishes last.</summary>
    private static System.Threading.Tasks.Task Collect(TaskFeed feed, List<FeedEvent> events, CancellationToken cancellationToken)
    {
        var enumerator = feed.SubscribeAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
        var first = enumerator.MoveNextAsync();
        return System.Threading.Tasks.Task.Run(async () =>
        {
            for (var more = await first; more; more = await enumerator.MoveNextAsync())
            {
                if (enumerator.Current is FeedOverflowed { Missed: -1 })
                {
                    break;
                }

                events.Add(enumerator.Current);
            }

            await enumerator.DisposeAsync();
        }, cancellationToken);
    }

    private sealed class ScriptedDruid : HttpMessageHandler
    {
        public string Tasks { get; set; } = "[]";
        public string Report { get; set; } = "{}";
        public string Status { get; set; } = "{}";
        public int ReportReads { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var path = request.RequestUri!.AbsolutePath;
            string body;
            if (path.EndsWith("/reports", StringComparison.Ordinal))
            {
                ReportReads++;
                body = Report;
            }
            else
            {
                body = path.EndsWith("/status", StringComparison.Ordinal) ? Status : Tasks;
            }

            return System.Threading.Tasks.Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
        }
    }
}
