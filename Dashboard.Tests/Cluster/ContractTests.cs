using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Dashboard.Core.Cluster;
using Dashboard.Core.Clients;
using Dashboard.Core.Common;
using Dashboard.Core.Tasks;

namespace Dashboard.Tests.Cluster;

/// <summary>
/// Contract: each sample response of Druid's Tasks API docs page, served as Druid would serve it, is read by the HTTP
/// client into the model and written back as this server writes it, with every field and value kept.
/// </summary>
public sealed class ContractTests
{
    public static TheoryData<string> ListSamples => new()
    {
        "Get an array of tasks", "Get an array of complete tasks", "Get an array of running tasks", "Get an array of waiting tasks",
        "Get an array of pending tasks",
    };

    [Fact]
    public void DocsPage_HasTheSamplesTheseTestsRead()
    {
        string[] expected =
        [
            "Get an array of tasks", "Get an array of complete tasks", "Get an array of running tasks", "Get an array of waiting tasks",
            "Get an array of pending tasks", "Get task payload", "Get task status", "Get task completion report", "Submit a task",
            "Shut down a task", "Shut down all tasks for a datasource", "Retrieve status objects for tasks",
            "Clean up pending segments for a datasource",
        ];
        Assert.All(expected, title => Assert.Contains(title, DocsSamples.Titles));
    }

    [Fact]
    public void Normalise_TurnsPythonLiteralsIntoJson_OutsideStringsOnly()
    {
        Assert.Contains("'errorMsg': None", DocsSamples.Raw("Get task status"));
        var node = JsonNode.Parse(DocsSamples.Normalise("{'a': None, 'b': \"None's\", 'c': 'it\"s', 'd': True}"))!;
        Assert.Null(node["a"]);
        Assert.Equal("None's", node["b"]!.GetValue<string>());
        Assert.Equal("it\"s", node["c"]!.GetValue<string>());
        Assert.True(node["d"]!.GetValue<bool>());
    }

    [Theory]
    [MemberData(nameof(ListSamples))]
    public async Task TaskLists_RoundTripWithoutLoss(string title)
    {
        var client = Client(title, out _);
        var tasks = await client.GetTasksAsync(new TaskListQuery(), CancellationToken.None);
        Assert.NotEmpty(tasks);
        AssertSame(DocsSamples.Node(title), DruidJson.ToNode(tasks));
    }

    [Fact]
    public async Task TaskStatus_RoundTripsWithoutLoss()
    {
        const string title = "Get task status";
        var client = Client(title, out _);
        var sample = DocsSamples.Node(title);
        var status = await client.GetTaskStatusAsync(sample["task"]!.GetValue<string>(), CancellationToken.None);
        Assert.Equal(TaskState.RUNNING, status.StatusCode);
        Assert.Equal("RUNNING", status.DisplayStatus);
        AssertSame(sample, new JsonObject { ["task"] = status.Id, ["status"] = DruidJson.ToNode(status) });
    }

    [Fact]
    public async Task Payload_RoundTripsWithoutLoss()
    {
        const string title = "Get task payload";
        var client = Client(title, out _);
        var sample = DocsSamples.Node(title);
        var payload = await client.GetTaskPayloadAsync(sample["task"]!.GetValue<string>(), CancellationToken.None);
        AssertSame(sample, new JsonObject { ["task"] = sample["task"]!.GetValue<string>(), ["payload"] = payload.DeepClone() });
    }

    [Fact]
    public async Task Reports_RoundTripWithoutLoss()
    {
        const string title = "Get task completion report";
        var client = Client(title, out _);
        var report = await client.GetTaskReportsAsync("query-52a8aafe-7265-4427-89fe-dc51275cc470", CancellationToken.None);
        AssertSame(DocsSamples.Node(title), report);
    }

    [Fact]
    public async Task TaskStatuses_RoundTripWithoutLoss()
    {
        const string title = "Retrieve status objects for tasks";
        var client = Client(title, out var requests);
        var sample = DocsSamples.Node(title).AsObject();
        var statuses = await client.GetTaskStatusesAsync(sample.Select(p => p.Key).ToList(), CancellationToken.None);
        Assert.All(statuses.Values, s => Assert.Equal(TaskState.SUCCESS, s.Status));
        AssertSame(sample, DruidJson.ToNode(statuses));
        Assert.Equal(HttpMethod.Post, requests.Single().Method);
    }

    [Fact]
    public async Task Submit_Shutdown_CleanPendingSegments_ReadTheirAnswers()
    {
        var submit = Client("Submit a task", out var submitted);
        var id = await submit.SubmitTaskAsync(new JsonObject { ["type"] = "noop" }, CancellationToken.None);
        AssertSame(DocsSamples.Node("Submit a task"), new JsonObject { ["task"] = id });
        Assert.Equal("/druid/indexer/v1/task", submitted.Single().Path);

        var shutdown = Client("Shut down a task", out var shut);
        await shutdown.ShutdownTaskAsync("query-577a83dd-a14e-4380-bd01-c942b781236b", CancellationToken.None);
        Assert.Equal("/druid/indexer/v1/task/query-577a83dd-a14e-4380-bd01-c942b781236b/shutdown", shut.Single().Path);

        var all = Client("Shut down all tasks for a datasource", out var allRequests);
        await all.ShutdownAllTasksAsync("wikipedia_api", CancellationToken.None);
        Assert.Equal("/druid/indexer/v1/datasources/wikipedia_api/shutdownAllTasks", allRequests.Single().Path);

        var clean = Client("Clean up pending segments for a datasource", out _);
        var deleted = await clean.CleanPendingSegmentsAsync("wikipedia_api", null, CancellationToken.None);
        AssertSame(DocsSamples.Node("Clean up pending segments for a datasource"), new JsonObject { ["numDeleted"] = deleted });
    }

    [Fact]
    public async Task Credentials_AreSentAsBasicAuth_AndNeverInTheOptionsText()
    {
        var options = new DruidClusterOptions { Url = "https://druid.example.com:9088", Username = "admin", Password = "s3cret-pa55" };
        var handler = new SampleHandler("[]");
        var client = Create(handler, options);
        await client.GetTasksAsync(new TaskListQuery(TaskListState.Running, "wiki"), CancellationToken.None);

        var request = handler.Requests.Single();
        Assert.Equal("Basic", request.Authorization?.Scheme);
        Assert.Equal("admin:s3cret-pa55", Encoding.UTF8.GetString(Convert.FromBase64String(request.Authorization!.Parameter!)));
        Assert.Equal("/druid/indexer/v1/tasks?state=running&datasource=wiki", request.PathAndQuery);
        Assert.DoesNotContain("s3cret", options.ToString());
        Assert.Equal("druid.example.com:9088", options.DisplayHost());
    }

    private static DruidHttpOverlordClient Client(string title, out List<SeenRequest> requests)
    {
        var handler = new SampleHandler(DocsSamples.Json(title));
        requests = handler.Requests;
        return Create(handler, new DruidClusterOptions { Url = "http://druid.test:8888" });
    }

    internal static DruidHttpOverlordClient Create(HttpMessageHandler handler, DruidClusterOptions options)
    {
        var http = new HttpClient(handler) { BaseAddress = options.BaseUri() };
        if (options.HasCredentials)
        {
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.Username}:{options.Password}")));
        }

        var source = new ClusterTaskSource(new ClusterState(options), options, TimeProvider.System);
        return new DruidHttpOverlordClient(http, options, new ClusterTaskPages(source, TimeProvider.System));
    }

    /// <summary>Equal as JSON: same keys (in any order), same values, nothing lost or added.</summary>
    private static void AssertSame(JsonNode expected, JsonNode? actual) =>
        Assert.True(JsonNode.DeepEquals(expected, actual), $"Expected\n{expected.ToJsonString()}\nbut got\n{actual?.ToJsonString()}");

    internal sealed record SeenRequest(HttpMethod Method, string Path, string PathAndQuery, System.Net.Http.Headers.AuthenticationHeaderValue? Authorization);

    private sealed class SampleHandler(string body) : HttpMessageHandler
    {
        public List<SeenRequest> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(new SeenRequest(request.Method, request.RequestUri!.AbsolutePath, request.RequestUri.PathAndQuery, request.Headers.Authorization));
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
        }
    }
}
