using System.Text;
using System.Text.Json.Nodes;
using Dashboard.Core.Clients;
using Dashboard.Core.Cluster;
using Dashboard.Core.Common;
using Dashboard.Core.Errors;
using Dashboard.Core.Tasks;
using Dashboard.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Tests.Cluster;

/// <summary>An embedded server standing in for Druid (it speaks the same API) on a real socket, and the cluster client.</summary>
public sealed class EmbeddedDruid : IAsyncLifetime
{
    private readonly TempDataDir _dir = new();
    private ServiceProvider? _services;

    public HostedServer Server { get; private set; } = null!;

    public string DataDir => _dir.Path;

    /// <summary>The embedded overlord's own client: what Druid-shaped answers must equal.</summary>
    public IOverlordClient InProcess => Server.Get<IOverlordClient>();

    public DruidHttpOverlordClient Http { get; private set; } = null!;

    public Task InitializeAsync()
    {
        Server = HostedServer.Embedded(_dir.Path);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Druid:Url"] = Server.BaseAddress.ToString() }).Build();
        _services = new ServiceCollection().AddLogging().AddDruidCluster(configuration).BuildServiceProvider();
        Http = _services.GetRequiredService<DruidHttpOverlordClient>();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }

        await Server.DisposeAsync();
        _dir.Dispose();
    }
}

/// <summary>The HTTP client against a real embedded instance: every answer equals what the in-process client returns.</summary>
public sealed class HttpClientTests(EmbeddedDruid druid) : IClassFixture<EmbeddedDruid>
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static string Unique(string prefix) => $"{prefix}_{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    [Fact]
    public async Task TaskLifecycle_OverHttp_EqualsTheInProcessAnswers()
    {
        var ds = Unique("http");
        var id = await druid.Http.SubmitTaskAsync(new JsonObject { ["type"] = "noop", ["runTime"] = 200, ["dataSource"] = ds }, None);
        var done = await Eventually.WaitForAsync(() => druid.Http.GetTaskStatusAsync(id, None), s => s.StatusCode == TaskState.SUCCESS, what: "SUCCESS");

        Assert.Equal(await druid.InProcess.GetTaskStatusAsync(id, None), done);
        Assert.True(JsonNode.DeepEquals(await druid.InProcess.GetTaskPayloadAsync(id, None), await druid.Http.GetTaskPayloadAsync(id, None)));
        Assert.True(JsonNode.DeepEquals(await druid.InProcess.GetTaskReportsAsync(id, None), await druid.Http.GetTaskReportsAsync(id, None)));
        Assert.Equal(await druid.InProcess.GetTaskLogAsync(id, 0, None), await druid.Http.GetTaskLogAsync(id, 0, None));
        Assert.Equal(await druid.InProcess.GetTaskLogAsync(id, -20, None), await druid.Http.GetTaskLogAsync(id, -20, None));
        Assert.Empty(await druid.Http.GetTaskSegmentsAsync(id, None));

        var query = new TaskListQuery(TaskListState.Complete, ds);
        Assert.Equal(await druid.InProcess.GetTasksAsync(query, None), await druid.Http.GetTasksAsync(query, None));
        var statuses = await druid.Http.GetTaskStatusesAsync([id, "no_such_task"], None);
        Assert.Equal(DruidJson.Serialize(await druid.InProcess.GetTaskStatusesAsync([id, "no_such_task"], None)), DruidJson.Serialize(statuses));
        Assert.Equal(await druid.InProcess.GetLeaderAsync(None), await druid.Http.GetLeaderAsync(None));
        Assert.Equal(0, await druid.Http.CleanPendingSegmentsAsync(ds, Interval.Parse("2015-09-12/2015-09-13"), None));
    }

    [Fact]
    public async Task Shutdown_OverHttp_EndsTheTaskCanceled()
    {
        var ds = Unique("shut");
        var id = await druid.Http.SubmitTaskAsync(new JsonObject { ["type"] = "noop", ["runTime"] = 600000, ["dataSource"] = ds }, None);
        await Eventually.WaitForAsync(() => druid.Http.GetTaskStatusAsync(id, None), s => s.RunnerStatusCode == RunnerTaskState.RUNNING, what: "RUNNING");
        await druid.Http.ShutdownTaskAsync(id, None);
        var status = await druid.Http.GetTaskStatusAsync(id, None);
        Assert.Equal("CANCELED", status.DisplayStatus);

        var other = await druid.Http.SubmitTaskAsync(new JsonObject { ["type"] = "noop", ["runTime"] = 600000, ["dataSource"] = ds }, None);
        await druid.Http.ShutdownAllTasksAsync(ds, None);
        Assert.Equal("CANCELED", (await druid.Http.GetTaskStatusAsync(other, None)).DisplayStatus);
    }

    [Fact]
    public async Task SqlTask_OverHttp_RunsAndItsStagesAreInTheReport_AndPlanningErrorsKeepTheirShape()
    {
        var ds = Unique("sql");
        var file = Path.Combine(druid.DataDir, ds + ".json");
        await File.WriteAllLinesAsync(file, ["""{"time":"2015-09-12T01:00:00Z","page":"a"}""", """{"time":"2015-09-12T02:00:00Z","page":"b"}"""]);
        var sql = $$$"""INSERT INTO {{{ds}}} SELECT TIME_PARSE("time") AS __time, page FROM TABLE(EXTERN('{"type":"local","files":["{{{file}}}"]}', '{"type":"json"}', '[{"name":"time","type":"string"},{"name":"page","type":"string"}]')) PARTITIONED BY DAY""";

        var submission = await druid.Http.SubmitSqlTaskAsync(new SqlTaskRequest(sql, []), None);
        var taskId = submission.Status!.TaskId;
        Assert.Equal("RUNNING", submission.Status.State);
        var done = await Eventually.WaitForAsync(() => druid.Http.GetTaskStatusAsync(taskId, None), s => !s.IsActive, TimeSpan.FromSeconds(60), "SQL task end");
        Assert.Equal("query_controller", done.Type);
        Assert.Equal(TaskState.SUCCESS, done.StatusCode);
        var report = await druid.Http.GetTaskReportsAsync(taskId, None);
        Assert.True(JsonNode.DeepEquals(await druid.InProcess.GetTaskReportsAsync(taskId, None), report));
        Assert.NotEmpty(report["multiStageQuery"]!["payload"]!["stages"]!.AsArray());

        var explain = await druid.Http.SubmitSqlTaskAsync(new SqlTaskRequest("EXPLAIN PLAN FOR " + sql, []), None);
        Assert.NotNull(explain.ExplainRow!["PLAN"]);

        var bad = new SqlTaskRequest("INSERT INTO x SELECT * FROM no_such_table PARTITIONED BY DAY", []);
        var expected = await Assert.ThrowsAsync<DruidException>(() => druid.InProcess.SubmitSqlTaskAsync(bad, None));
        var actual = await Assert.ThrowsAsync<DruidException>(() => druid.Http.SubmitSqlTaskAsync(bad, None));
        Assert.Equal((expected.StatusCode, expected.Message), (actual.StatusCode, actual.Message));
        Assert.Equal(ErrorBodyShape.ErrorResponse, actual.Shape);
    }

    public static TheoryData<string> ErrorCases => new()
    {
        "unknown task", "invalid path id", "no ids", "duplicate id", "no active task", "unknown type", "no report", "pending in use",
    };

    /// <summary>Each of Druid's error shapes comes back as the same DruidException the embedded overlord throws.</summary>
    [Theory]
    [MemberData(nameof(ErrorCases))]
    public async Task Errors_ComeBackWithTheirStatusShapeAndMessage(string error)
    {
        var ds = Unique("err");
        var running = error is "duplicate id" or "pending in use" or "no report"
            ? await druid.InProcess.SubmitTaskAsync(new JsonObject { ["type"] = "noop", ["runTime"] = 600000, ["dataSource"] = ds }, None)
            : null;
        Func<IOverlordClient, Task> call = error switch
        {
            "unknown task" => c => c.GetTaskStatusAsync("no_such_task_" + ds, None),
            "invalid path id" => c => c.GetTaskPayloadAsync(".x", None),
            "no ids" => c => c.GetTaskStatusesAsync([], None),
            "duplicate id" => c => c.SubmitTaskAsync(new JsonObject { ["type"] = "noop", ["id"] = running, ["dataSource"] = ds }, None),
            "no active task" => c => c.ShutdownAllTasksAsync("nothing_" + ds, None),
            "unknown type" => c => c.SubmitTaskAsync(new JsonObject { ["type"] = "no_such_type" }, None),
            "no report" => c => c.GetTaskReportsAsync("no_such_task_" + ds, None),
            _ => c => c.CleanPendingSegmentsAsync(ds, null, None),
        };

        var expected = await Assert.ThrowsAsync<DruidException>(() => call(druid.InProcess));
        var actual = await Assert.ThrowsAsync<DruidException>(() => call(druid.Http));

        Assert.Equal(expected.StatusCode, actual.StatusCode);
        Assert.Equal(expected.Shape, actual.Shape);
        if (expected.Shape != ErrorBodyShape.Empty)
        {
            Assert.Equal(expected.Message, actual.Message);
        }

        if (expected.Shape == ErrorBodyShape.ErrorResponse)
        {
            Assert.Equal(DruidJson.Serialize(expected.ToErrorResponse()), DruidJson.Serialize(actual.ToErrorResponse()));
        }

        if (running is not null)
        {
            await druid.InProcess.ShutdownTaskAsync(running, None);
        }
    }

    [Fact]
    public void ErrorParser_ReadsEachShape()
    {
        var response = DruidErrors.FromResponse(400, "application/json",
            """{"error":"druidException","errorCode":"invalidInput","persona":"USER","category":"INVALID_INPUT","errorMessage":"bad","context":{"a":"b"}}""");
        Assert.Equal((ErrorBodyShape.ErrorResponse, "bad", "invalidInput", "INVALID_INPUT", "b"),
            (response.Shape, response.Message, response.ErrorCode, response.Category, response.Context["a"]));
        Assert.Equal(ErrorBodyShape.ErrorMap, DruidErrors.FromResponse(500, "application/json", """{"error":"boom"}""").Shape);
        Assert.Equal(ErrorBodyShape.PlainText, DruidErrors.FromResponse(404, "text/plain", "Cannot find").Shape);
        Assert.Equal(ErrorBodyShape.PlainTextLabelledJson, DruidErrors.FromResponse(400, "application/json", "No Task IDs provided.").Shape);
        Assert.Equal(ErrorBodyShape.PlainTextLabelledJson, DruidErrors.FromResponse(400, "application/json", """{"error":"x","other":1}""").Shape);
        Assert.Equal(ErrorBodyShape.Empty, DruidErrors.FromResponse(404, null, "").Shape);
    }

    [Fact]
    public async Task UnreachableCluster_Is503NamingTheHost()
    {
        var port = HostedServer.FreePort();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Druid:Url"] = $"http://127.0.0.1:{port}", ["Druid:Password"] = "hidden-pw", ["Druid:Username"] = "u",
        }).Build();
        await using var services = new ServiceCollection().AddLogging().AddDruidCluster(configuration).BuildServiceProvider();
        var client = services.GetRequiredService<IOverlordClient>();

        var error = await Assert.ThrowsAsync<DruidException>(() => client.GetLeaderAsync(None));
        Assert.Equal(503, error.StatusCode);
        Assert.True(DruidErrors.IsUnreachable(error));
        Assert.Contains($"127.0.0.1:{port}", error.Message);
        Assert.DoesNotContain("hidden-pw", error.Message);
    }

    [Fact]
    public async Task Sampler_OverHttp_EqualsTheInProcessAnswer_AndItsErrorsComeBackAsDruidSent()
    {
        var file = Path.Combine(druid.DataDir, "input", Unique("sample") + ".csv");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await File.WriteAllTextAsync(file, "time,name,n\n2024-01-01T00:00:00Z,a,1\n2024-01-02T00:00:00Z,b,2.5\n");
        var request = Dashboard.Core.Ingestion.Sampling.SamplerSpec.Request(new JsonObject { ["type"] = "local", ["files"] = new JsonArray(file) }, null);

        var overHttp = await druid.Http.SampleAsync(request, None);
        var inProcess = await druid.InProcess.SampleAsync(request, None);

        Assert.Equal(DruidJson.Serialize(inProcess), DruidJson.Serialize(overHttp));
        Assert.Equal("DOUBLE", overHttp.LogicalSegmentSchema.Single(c => c.Name == "n").Type);

        var bad = Dashboard.Core.Ingestion.Sampling.SamplerSpec.Request(new JsonObject { ["type"] = "local", ["files"] = new JsonArray("/etc/passwd") }, null);
        var error = await Assert.ThrowsAsync<DruidException>(() => druid.Http.SampleAsync(bad, None));
        Assert.Equal(400, error.StatusCode);
        Assert.Equal(ErrorBodyShape.ErrorMap, error.Shape);
        Assert.Contains("outside the folders ingestion may read", error.Message);
    }
}
