using System.Text.Json.Nodes;
using Dashboard.Core.Clients;
using Dashboard.Core.Errors;
using Dashboard.Core.Feed;
using Dashboard.Core.Segments;
using Dashboard.Core.Storage;
using Dashboard.Core.Tasks;
using Dashboard.Tests.Support;
using static Dashboard.Tests.Support.IngestionHelpers;

namespace Dashboard.Tests.Ingestion;

public sealed class IngestionLifecycleTests : IngestionTestBase
{
    private static Action<JsonObject> Day(string interval = "2015-09-12/2015-09-13", bool append = false, bool drop = false) => spec =>
    {
        spec["dataSchema"]!["granularitySpec"]!["intervals"] = new JsonArray(interval);
        spec["ioConfig"]!["appendToExisting"] = append;
        spec["ioConfig"]!["dropExisting"] = drop;
    };

    private string Rows(string name, params string[] values) =>
        WriteLines(Input(name), values.Select((v, i) => $$"""{"time":"2015-09-12T00:00:{{i:00}}Z","v":"{{v}}"}"""));

    private async Task<IReadOnlyList<DataSegment>> VisibleAsync(string dataSource) =>
        SegmentTimeline.Visible(await Overlord.Get<ICoordinatorClient>().GetUsedSegmentsAsync(dataSource, default));

    [Fact]
    public async Task Overwrite_NewVersionOvershadowsTheOld_AndAppendAddsPartitionsToTheVisibleVersion()
    {
        var (_, _, first) = await IngestAsync(IndexTask("wiki", LocalFiles(Rows("a.json", "a1", "a2")), Json(), Day()));
        var (_, _, second) = await IngestAsync(IndexTask("wiki", LocalFiles(Rows("b.json", "b1")), Json(), Day()));

        Assert.True(string.CompareOrdinal(second[0].Version, first[0].Version) > 0);
        var visible = await VisibleAsync("wiki");
        Assert.Equal([second[0].Identifier], visible.Select(s => s.Identifier));
        Assert.Equal([["b1"]], await QuerySegmentsAsync(visible, "SELECT v FROM ds"));

        var (_, _, appended) = await IngestAsync(IndexTask("wiki", LocalFiles(Rows("c.json", "c1")), Json(), Day(append: true)));

        Assert.Equal(second[0].Version, appended[0].Version);
        Assert.Equal(1, appended[0].PartitionNum);
        visible = await VisibleAsync("wiki");
        Assert.Equal(2, visible.Count);
        Assert.Equal([["b1"], ["c1"]], await QuerySegmentsAsync(visible, "SELECT v FROM ds ORDER BY v"));
        var summary = await Overlord.Get<ICoordinatorClient>().GetDataSourceAsync("wiki", default);
        Assert.Equal(2, summary!.SegmentCount);
        Assert.Equal(2, summary.Rows);
    }

    [Fact]
    public async Task DropExisting_MarksOlderSegmentsInTheIntervalsUnused_EvenWhereNoNewDataLands()
    {
        var twoDays = WriteLines(Input("two-days.json"), ["""{"time":"2015-09-12T00:00:00Z","v":"old12"}""", """{"time":"2015-09-13T00:00:00Z","v":"old13"}"""]);
        await IngestAsync(IndexTask("drop", LocalFiles(twoDays), Json(), Day("2015-09-12/2015-09-14")));

        await IngestAsync(IndexTask("drop", LocalFiles(Rows("new.json", "new12")), Json(), Day("2015-09-12/2015-09-14", drop: true)));

        Assert.Equal([["new12"]], await QuerySegmentsAsync(await VisibleAsync("drop"), "SELECT v FROM ds"));
    }

    [Fact]
    public async Task SecondTaskOnTheSameChunk_WaitsForTheFirstsLock()
    {
        using var http = new TestHttpServer();
        var stalled = IndexTask("locked", new JsonObject { ["type"] = "http", ["uris"] = new JsonArray(http.Stall("slow.json")) }, Json(), Day(), id: "holder");
        await Overlord.SubmitAsync(stalled);
        await http.StalledRequestArrived.Task.WaitAsync(TimeSpan.FromSeconds(10));

        var waiter = await Overlord.SubmitAsync(IndexTask("locked", LocalFiles(Rows("w.json", "w")), Json(), Day(), id: "waiter"));

        Assert.Equal("WAITING", (await Overlord.StatusAsync(waiter)).DisplayStatus);
        await Overlord.Client.ShutdownTaskAsync("holder", default);
        await Overlord.WaitForAsync(waiter, "SUCCESS");
    }

    [Fact]
    public async Task TaskWithoutIntervals_TakesLocksOnTheChunksItFinds_AndWaitsForThem()
    {
        await Overlord.SubmitAsync("""{"type":"controlled","id":"holds-day","dataSource":"dyn","interval":"2015-09-12/2015-09-13"}""");
        await Overlord.WaitForAsync("holds-day", "RUNNING");

        var id = await Overlord.SubmitAsync(IndexTask("dyn", LocalFiles(Rows("dyn.json", "x")), Json()));
        await Overlord.WaitForAsync(id, "RUNNING");
        var log = await Eventually.WaitForAsync(async () => System.Text.Encoding.UTF8.GetString(await Overlord.Client.GetTaskLogAsync(id, 0, default)),
            l => l.Contains("held by task [holds-day]"), what: "the task to wait for the lock");

        Assert.Contains("Waiting for the exclusive lock on dyn 2015-09-12T00:00:00.000Z/2015-09-13T00:00:00.000Z", log);
        Overlord.Controlled.Succeed("holds-day");
        await Overlord.WaitForAsync(id, "SUCCESS");
        Assert.Single(await VisibleAsync("dyn"));
    }

    [Fact]
    public async Task ParallelSubtasks_AppearInTheTasksApi_WithTheParentAsGroup_AndThePublishIsAtomic()
    {
        var files = Enumerable.Range(0, 4).Select(i => WriteLines(Input($"part-{i}.json"),
            Enumerable.Range(0, 100).Select(j => $$"""{"time":"2015-09-12T{{i:00}}:00:{{j % 60:00}}Z","f":{{i}},"j":{{j}}}"""))).ToArray();

        var (status, report, segments) = await IngestAsync(IndexTask("parallel", LocalFiles(files), Json(), spec =>
        {
            Day()(spec);
            spec["tuningConfig"] = new JsonObject { ["maxNumConcurrentSubTasks"] = 2 };
        }));

        Assert.True(status.StatusCode == TaskState.SUCCESS, status.ErrorMsg);
        Assert.Equal(400, Stat(report, "processed"));
        var subtasks = (await Overlord.Client.GetTasksAsync(new TaskListQuery(Type: "single_phase_sub_task"), default)).ToList();
        Assert.Equal(2, subtasks.Count);
        Assert.All(subtasks, s => Assert.Equal(status.Id, s.GroupId));
        Assert.All(subtasks, s => Assert.Equal(TaskState.SUCCESS, s.StatusCode));
        Assert.Equal(2, segments.Count);
        Assert.Equal([0, 1], segments.Select(s => s.PartitionNum).Order());
        Assert.Equal([["400", "4"]], await QuerySegmentsAsync(await VisibleAsync("parallel"), "SELECT count(*), count(DISTINCT f) FROM ds"));
        Assert.Equal(0, await Overlord.Get<ISegmentMetadataStore>().CountPendingSegmentsAsync("parallel", default));
        Assert.Empty(Debris());
    }

    [Fact]
    public async Task LiveReport_CountsRowsWhileTheTaskRuns_AndTheFeedPublishesIt()
    {
        // The task counts its rows, then waits for a chunk lock held by another task: its live report must show the
        // counted rows while it is still running, through the API and on the feed.
        await Overlord.SubmitAsync("""{"type":"controlled","id":"holds-live","dataSource":"live","interval":"2015-09-12/2015-09-13"}""");
        await Overlord.WaitForAsync("holds-live", "RUNNING");
        var file = WriteLines(Input("live.json"), Enumerable.Range(0, 20_000).Select(i => $$"""{"time":"2015-09-12T{{i % 24:00}}:00:00Z","page":"p{{i % 50}}"}"""));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var reports = new List<TaskReportUpdated>();
        var sawCounts = new TaskCompletionSource();
        var listening = Task.Run(async () =>
        {
            await foreach (var e in Overlord.Feed.SubscribeAsync(cts.Token))
            {
                if (e is TaskReportUpdated r && r.DataSource == "live")
                {
                    reports.Add(r);
                    if (r.Report["ingestionStatsAndErrors"]!["payload"]!["rowStats"]!["buildSegments"]!["processed"]!.GetValue<long>() == 20_000)
                    {
                        sawCounts.TrySetResult();
                        return;
                    }
                }
            }
        });
        await Eventually.WaitForAsync(() => Task.FromResult(Overlord.Feed.SubscriberCount), n => n == 1);

        var id = await Overlord.SubmitAsync(IndexTask("live", LocalFiles(file), Json()));
        await sawCounts.Task.WaitAsync(cts.Token);

        var live = await Overlord.Client.GetTaskReportsAsync(id, default);
        var payload = live["ingestionStatsAndErrors"]!["payload"]!;
        Assert.Equal("BUILD_SEGMENTS", payload["ingestionState"]!.GetValue<string>());
        Assert.Equal(20_000, payload["rowStats"]!["buildSegments"]!["processed"]!.GetValue<long>());
        Assert.Equal(20_000, payload["estimatedTotalRows"]!.GetValue<long>());
        Assert.Equal("RUNNING", (await Overlord.StatusAsync(id)).DisplayStatus);
        Assert.All(reports, r => Assert.Equal(id, r.TaskId));

        Overlord.Controlled.Succeed("holds-live");
        await Overlord.WaitForAsync(id, "SUCCESS");
        var final = await Overlord.Client.GetTaskReportsAsync(id, default);
        Assert.Equal("COMPLETED", final["ingestionStatsAndErrors"]!["payload"]!["ingestionState"]!.GetValue<string>());
        Assert.Null(final["ingestionStatsAndErrors"]!["payload"]!["estimatedTotalRows"]);
        await listening;
    }

    [Fact]
    public async Task Shutdown_MidIngestion_PublishesNothing_AndLeavesNoStagingDebris()
    {
        // The ingestion reads and parses everything, then finds its chunk locked by another task and waits there:
        // a known point in the middle of its work at which to shut it down.
        await Overlord.SubmitAsync("""{"type":"controlled","id":"blocker","dataSource":"cancelled","interval":"2015-09-12/2015-09-13"}""");
        await Overlord.WaitForAsync("blocker", "RUNNING");
        var big = WriteLines(Input("cancel.json"), Enumerable.Range(0, 50_000).Select(i => $$"""{"time":"2015-09-12T00:00:00Z","page":"p{{i}}","added":{{i}}}"""));
        var id = await Overlord.SubmitAsync(IndexTask("cancelled", LocalFiles(big), Json()));
        await Eventually.WaitForAsync(async () => System.Text.Encoding.UTF8.GetString(await Overlord.Client.GetTaskLogAsync(id, 0, default)),
            log => log.Contains("held by task [blocker]"), TimeSpan.FromSeconds(30), "the ingestion to reach its lock wait");
        Assert.NotEmpty(Directory.EnumerateFileSystemEntries(Path.Combine(DataDir, "task-work")));

        await Overlord.Client.ShutdownTaskAsync(id, default);

        Assert.Equal("CANCELED", (await Overlord.StatusAsync(id)).DisplayStatus);
        await Eventually.WaitForAsync(() => Task.FromResult(Debris().Count()), n => n == 0, TimeSpan.FromSeconds(30), "staging and work folders to be cleaned");
        Assert.Empty(await Overlord.Client.GetTaskSegmentsAsync(id, default));
        Assert.Empty(await VisibleAsync("cancelled"));
        Assert.Equal(0, await Overlord.Get<ISegmentMetadataStore>().CountPendingSegmentsAsync("cancelled", default));
        Overlord.Controlled.Succeed("blocker");
    }

    [Fact]
    public async Task Crash_MidIngestion_AfterRestart_TaskIsFailed_NothingIsVisible_AndDebrisIsSwept()
    {
        using var http = new TestHttpServer();
        await Overlord.SubmitAsync(IndexTask("crashed", new JsonObject { ["type"] = "http", ["uris"] = new JsonArray(http.Stall("slow.json")) }, Json(), Day(), id: "doomed"));
        await http.StalledRequestArrived.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var staging = Directory.CreateDirectory(Path.Combine(DataDir, "staging", "doomed")).FullName;
        await File.WriteAllTextAsync(Path.Combine(staging, "half-written.parquet"), "partial");
        var orphan = Path.Combine(DataDir, "segments", "crashed", "chunk", "v", "0.parquet");
        Directory.CreateDirectory(Path.GetDirectoryName(orphan)!);
        await File.WriteAllTextAsync(orphan, "moved but never committed");

        await Overlord.SimulateCrashAsync();
        await InitializeAsync();

        var status = await Overlord.StatusAsync("doomed");
        Assert.Equal(TaskState.FAILED, status.StatusCode);
        Assert.Equal(TaskMessages.OverlordRestarted, status.ErrorMsg);
        Assert.Empty(await VisibleAsync("crashed"));
        Assert.Empty(Debris());
        Assert.False(File.Exists(orphan));
    }

    [Theory]
    [InlineData("""{"type":"local","baseDir":"/etc","filter":"*.conf"}""", "outside the folders ingestion may read")]
    [InlineData("""{"type":"local","files":["../../../../../../etc/passwd"]}""", "outside the folders ingestion may read")]
    [InlineData("""{"type":"http","uris":["file:///etc/passwd"]}""", "protocols are allowed for http input sources")]
    [InlineData("""{"type":"http","uris":["ftp://example.org/data.json"]}""", "uses [ftp]")]
    [InlineData("""{"type":"s3","uris":["s3://bucket/key"]}""", "[s3] is not supported")]
    public async Task InputRules_AreEnforcedAtSubmission_With400(string inputSource, string message)
    {
        var task = IndexTask("rules", JsonNode.Parse(inputSource)!.AsObject(), Json());

        var ex = await Assert.ThrowsAsync<DruidException>(() => Overlord.SubmitAsync(task));

        Assert.Equal(400, ex.StatusCode);
        Assert.Contains(message, ex.Message);
        Assert.Empty(await Overlord.Client.GetTasksAsync(new TaskListQuery(), default));
    }

    [Theory]
    [InlineData("dataSchema", """{"timestampSpec":{}}""", "spec.dataSchema.dataSource is required")]
    [InlineData("ioConfig", """{"inputSource":{"type":"inline","data":"x"}}""", "spec.ioConfig.inputFormat is required")]
    [InlineData("tuningConfig", """{"maxRowsPerSegment":0}""", "spec.tuningConfig.maxRowsPerSegment must be at least 1")]
    [InlineData("tuningConfig", """{"partitionsSpec":{"type":"hashed"}}""", "partitionsSpec.type [hashed] is not supported")]
    public async Task InvalidSpec_Is400_NamingTheField(string part, string json, string message)
    {
        var task = JsonNode.Parse(IndexTask("invalid", new JsonObject { ["type"] = "inline", ["data"] = "{}" }, Json()))!.AsObject();
        task["spec"]![part] = JsonNode.Parse(json);

        var ex = await Assert.ThrowsAsync<DruidException>(() => Overlord.SubmitAsync(task.ToJsonString()));

        Assert.Equal(400, ex.StatusCode);
        Assert.Contains(message, ex.Message);
    }
}
