using System.Net;
using System.Text.Json.Nodes;
using Dashboard.Core.Clients;
using Dashboard.Core.Cluster;
using Dashboard.Core.Feed;
using Dashboard.Core.Tasks;
using Dashboard.Hosting;
using Dashboard.Tests.Support;

namespace Dashboard.Tests.Cluster;

/// <summary>Two servers: an embedded one standing in for Druid, and one in cluster mode pointed at it.</summary>
public sealed class ClusterModeTests : IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly TempDataDir _dir = new();
    private int _port;
    private HostedServer _druid = null!;
    private HostedServer _dashboard = null!;

    public Task InitializeAsync()
    {
        _port = HostedServer.FreePort();
        _druid = HostedServer.Embedded(_dir.Path, _port);
        _dashboard = HostedServer.Cluster(_druid.BaseAddress, new Dictionary<string, string?>
        {
            ["Druid:Username"] = "operator", ["Druid:Password"] = "never-shown-pw",
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _dashboard.DisposeAsync();
        await _druid.DisposeAsync();
        _dir.Dispose();
    }

    private IOverlordClient Druid => _druid.Get<IOverlordClient>();

    private IOverlordClient Dashboard => _dashboard.Get<IOverlordClient>();

    [Fact]
    public async Task ClusterMode_UsesTheHttpClient_AndStartsNoOverlord()
    {
        Assert.IsType<DruidHttpOverlordClient>(Dashboard);
        Assert.IsType<DruidHttpCoordinatorClient>(_dashboard.Get<ICoordinatorClient>());
        Assert.Null(_dashboard.Services.GetService(typeof(Dashboard.Core.Overlord.TaskQueue)));
        Assert.Equal("Cluster: 127.0.0.1:" + _port, _dashboard.Get<DashboardMode>().ChipText);
    }

    [Fact]
    public async Task Feed_TurnsTheClustersChangesIntoEvents_InOrder()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var events = new List<TaskStatusChanged>();
        var ds = "feed_" + Guid.NewGuid().ToString("N")[..8];
        var feed = _dashboard.Get<ITaskFeed>();
        var source = _dashboard.Get<ClusterTaskSource>();
        await Eventually.WaitForAsync(() => Task.FromResult(source.HasSnapshot), ok => ok, what: "first poll");
        await using var enumerator = feed.SubscribeAsync(cts.Token).GetAsyncEnumerator(cts.Token);
        var id = await Druid.SubmitTaskAsync(new JsonObject { ["type"] = "noop", ["runTime"] = 1500, ["dataSource"] = ds }, None);
        while (await enumerator.MoveNextAsync())
        {
            if (enumerator.Current is TaskStatusChanged { Task.DataSource: var d } changed && d == ds)
            {
                events.Add(changed);
                if (!changed.Task.IsActive)
                {
                    break;
                }
            }
        }

        Assert.All(events, e => Assert.Equal(id, e.Task.Id));
        Assert.Contains(events, e => e.Task.DisplayStatus == "RUNNING");
        Assert.Equal("SUCCESS", events[^1].Task.DisplayStatus);
        Assert.Equal(events.Select(e => e.Sequence).Order(), events.Select(e => e.Sequence));
    }

    [Fact]
    public async Task Paging_ServesTheClustersTasks_AndShutdownReachesTheCluster()
    {
        var ds = "page_" + Guid.NewGuid().ToString("N")[..8];
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await Druid.SubmitTaskAsync(new JsonObject { ["type"] = "noop", ["runTime"] = 600000, ["dataSource"] = ds }, None));
        }

        var query = new TaskPageQuery { DataSource = ds, Sort = TaskSortField.Id, Descending = false, Limit = 2, Offset = 2 };
        var page = await Eventually.WaitForAsync(() => Dashboard.QueryTasksAsync(query, None), p => p.TotalCount == 5, what: "5 tasks");
        Assert.Equal(ids.Order(StringComparer.Ordinal).Skip(2).Take(2), page.Rows.Select(r => r.Id));
        Assert.Equal(5, DisplayStatus.Active.Sum(page.CountOf));

        await Dashboard.ShutdownTaskAsync(ids[0], None);
        Assert.Equal("CANCELED", (await Druid.GetTaskStatusAsync(ids[0], None)).DisplayStatus);
        await Eventually.WaitForAsync(() => Dashboard.QueryTasksAsync(query, None), p => p.CountOf("CANCELED") == 1, what: "CANCELED count");
        await Dashboard.ShutdownAllTasksAsync(ds, None);
    }

    [Fact]
    public async Task SqlTask_SubmittedThroughTheDashboard_RunsOnTheCluster_AndItsStagesAreRead()
    {
        var source = _dashboard.Get<ClusterTaskSource>();
        await Eventually.WaitForAsync(() => Task.FromResult(source.HasSnapshot), ok => ok, what: "first poll");
        var ds = "sqlfeed_" + Guid.NewGuid().ToString("N")[..8];
        var file = Path.Combine(_dir.Path, ds + ".json.gz");
        File.Copy(IngestionHelpers.Wikiticker, file);
        var sql = $$$"""INSERT INTO {{{ds}}} SELECT TIME_PARSE("time") AS __time, channel, page, added FROM TABLE(EXTERN('{"type":"local","files":["{{{file}}}"]}', '{"type":"json"}')) EXTEND ("time" VARCHAR, channel VARCHAR, page VARCHAR, added BIGINT) PARTITIONED BY DAY""";

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var enumerator = _dashboard.Get<ITaskFeed>().SubscribeAsync(cts.Token).GetAsyncEnumerator(cts.Token);
        var first = enumerator.MoveNextAsync();
        var submission = await Dashboard.SubmitSqlTaskAsync(new SqlTaskRequest(sql, []), None);
        var id = submission.Status!.TaskId;
        TaskStatusPlus? last = null;
        for (var more = await first; more; more = await enumerator.MoveNextAsync())
        {
            if (enumerator.Current is TaskStatusChanged { Task: var t } && t.Id == id && !t.IsActive)
            {
                last = t;
                break;
            }
        }

        Assert.Equal("SUCCESS", last!.DisplayStatus);
        Assert.Equal("query_controller", last.Type);
        var final = await Dashboard.GetTaskReportsAsync(id, None);
        Assert.All(final["multiStageQuery"]!["payload"]!["stages"]!.AsArray(), s => Assert.Equal("FINISHED", s!["phase"]!.GetValue<string>()));
    }

    [Fact]
    public async Task OwnDruidApi_IsSwitchedOff_WithAMessageNamingTheCluster_AndCredentialsAreNeverShown()
    {
        var response = await _dashboard.Client.GetAsync("/druid/indexer/v1/tasks");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Contains($"127.0.0.1:{_port}", body["error"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await _dashboard.Client.GetAsync("/status/health")).StatusCode);

        var html = await _dashboard.Client.GetStringAsync("/tasks");
        Assert.Contains($"Cluster: 127.0.0.1:{_port}", html);
        Assert.DoesNotContain("never-shown-pw", html);
        Assert.DoesNotContain("operator", html);
    }

    [Fact]
    public async Task UnreachableCluster_IsReported_AndWhenItIsBackTheFeedIsLiveAgain()
    {
        var state = _dashboard.Get<ClusterState>();
        var source = _dashboard.Get<ClusterTaskSource>();
        await Eventually.WaitForAsync(() => Task.FromResult(source.HasSnapshot), ok => ok, what: "first poll");
        Assert.True(state.Health.Reachable);

        await _druid.DisposeAsync();
        var down = await Eventually.WaitForAsync(() => Task.FromResult(state.Health), h => !h.Reachable, TimeSpan.FromSeconds(20), "unreachable");
        Assert.Contains($"127.0.0.1:{_port}", down.Error);
        await Eventually.WaitForAsync(() => Task.FromResult(state.Health), h => h.FailedAttempts >= 3, TimeSpan.FromSeconds(20), "backoff retries");
        Assert.True(state.Health.NextAttempt > state.Health.Since);

        // Reads while it is down fail with the cluster's 503, never with a crash; the last list of the default view is
        // still paged, and a wider view (older complete tasks, which need a request) fails with the 503.
        await Assert.ThrowsAsync<Dashboard.Core.Errors.DruidException>(() => Dashboard.GetLeaderAsync(None));
        await Dashboard.QueryTasksAsync(new TaskPageQuery { CompleteCreatedFrom = DateTimeOffset.UtcNow.AddHours(-24) }, None);
        var wide = await Assert.ThrowsAsync<Dashboard.Core.Errors.DruidException>(() => Dashboard.QueryTasksAsync(new TaskPageQuery(), None));
        Assert.Equal(503, wide.StatusCode);

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var enumerator = _dashboard.Get<ITaskFeed>().SubscribeAsync(cts.Token).GetAsyncEnumerator(cts.Token);
        var first = enumerator.MoveNextAsync();
        _druid = HostedServer.Embedded(_dir.Path, _port);
        await Eventually.WaitForAsync(() => Task.FromResult(state.Health), h => h.Reachable, TimeSpan.FromSeconds(20), "reachable again");

        var ds = "back_" + Guid.NewGuid().ToString("N")[..8];
        await Druid.SubmitTaskAsync(new JsonObject { ["type"] = "noop", ["runTime"] = 100, ["dataSource"] = ds }, None);
        var sawOverflow = false;
        var more = await first;
        for (; more; more = await enumerator.MoveNextAsync())
        {
            sawOverflow |= enumerator.Current is FeedOverflowed;
            if (enumerator.Current is TaskStatusChanged { Task.DataSource: var d } && d == ds)
            {
                break;
            }
        }

        Assert.True(sawOverflow, "Subscribers are told to re-read once the cluster is back.");
    }
}
