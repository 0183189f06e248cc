using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Dashboard.Core.Ingestion.Sampling;
using Dashboard.Core.Ingestion.Sources;
using Dashboard.Tests.Support;

namespace Dashboard.Tests.Security;

/// <summary>A server whose only allowed http host is <c>localhost</c> (so the loopback test server may be read by that name only).</summary>
public sealed class LocalhostAllowedServer : IAsyncLifetime
{
    private readonly TempDataDir _dir = new();

    public ServerFixture Server { get; private set; } = null!;

    public Task InitializeAsync()
    {
        Server = new ServerFixture(_dir.Path, settings: new Dictionary<string, string?> { ["Ingestion:AllowedHttpHosts:0"] = "localhost" });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        _dir.Dispose();
    }
}

/// <summary>
/// Redirects are followed hop by hop, each hop checked before it is requested: a redirect from an allowed host to a
/// refused one fails the task (native and EXTERN) or the sampler, naming the target and the rule, and the target is
/// never requested; chains within allowed hosts work, up to <see cref="OutboundHttpClient.MaxRedirects"/> hops.
/// </summary>
public sealed class OutboundRedirectApiTests(LocalhostAllowedServer fixture) : IClassFixture<LocalhostAllowedServer>, IDisposable
{
    private const string Rows = "{\"time\":\"2015-09-12T00:00:00Z\",\"a\":1}\n{\"time\":\"2015-09-12T01:00:00Z\",\"a\":2}\n";
    private readonly TestHttpServer _http = new();

    private HttpClient Http => fixture.Server.Client;

    private string Localhost(string path) => $"http://localhost:{_http.Port}/{path}";

    public static TheoryData<string, string> RefusedTargets => new()
    {
        { "http://127.0.0.1:{port}/target.json", "Http input host [127.0.0.1] is not in Ingestion:AllowedHttpHosts [localhost]." },
        { "http://10.0.0.1/target.json", "Http input host [10.0.0.1] is not in Ingestion:AllowedHttpHosts [localhost]." },
        { "http://data.example.invalid/target.json", "Http input host [data.example.invalid] is not in Ingestion:AllowedHttpHosts [localhost]." },
    };

    [Theory]
    [MemberData(nameof(RefusedTargets))]
    public async Task NativeHttpInput_RedirectToRefusedHost_FailsTask_TargetNeverRequested(string target, string rule)
    {
        var location = Target(target);
        _http.Redirect("hop.json", location);

        var id = await SubmitAsync(IngestionHelpers.IndexTask(Unique("redir"), HttpInput(Localhost("hop.json")), IngestionHelpers.Json()));
        var status = await WaitForEndAsync(id);

        Assert.Equal("FAILED", status["statusCode"]!.GetValue<string>());
        Assert.Equal($"Http input [{Localhost("hop.json")}] redirected to [{location}], which is refused: {rule}", await ErrorOfAsync(id));
        Assert.Equal(1, _http.RequestsTo("hop.json"));
        Assert.Equal(0, _http.RequestsTo("target.json"));
    }

    [Fact]
    public async Task ExternHttpInput_RedirectToLoopbackAddress_FailsTask_TargetNeverRequested()
    {
        var location = Target("http://127.0.0.1:{port}/target.json");
        _http.Redirect("hop.json", location);
        var sql = $$"""INSERT INTO {{Unique("redir_sql")}} SELECT TIME_PARSE("time") AS __time, a FROM TABLE(EXTERN('{"type":"http","uris":["{{Localhost("hop.json")}}"]}', '{"type":"json"}')) EXTEND ("time" VARCHAR, a BIGINT) PARTITIONED BY DAY""";

        var response = await Http.PostAsync("/druid/v2/sql/task", Body(new JsonObject { ["query"] = sql }.ToJsonString()));
        var submitted = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, submitted.ToJsonString());
        var status = await WaitForEndAsync(submitted["taskId"]!.GetValue<string>());

        Assert.Equal("FAILED", status["statusCode"]!.GetValue<string>());
        var report = await Http.GetFromJsonAsync<JsonObject>($"/druid/indexer/v1/task/{submitted["taskId"]}/reports");
        Assert.Equal($"Http input [{Localhost("hop.json")}] redirected to [{location}], which is refused: " +
            "Http input host [127.0.0.1] is not in Ingestion:AllowedHttpHosts [localhost].",
            IngestionHelpers.At(report!, "multiStageQuery.payload.status.errorReport.error.errorMessage")!.GetValue<string>());
        Assert.Equal(0, _http.RequestsTo("target.json"));
    }

    [Fact]
    public async Task Sampler_RedirectToLoopbackAddress_Is400_TargetNeverRequested()
    {
        var location = Target("http://127.0.0.1:{port}/target.json");
        _http.Redirect("hop.json", location);

        var response = await Http.PostAsync("/druid/indexer/v1/sampler", Body(SamplerSpec.Request(HttpInput(Localhost("hop.json")), null).ToJsonString()));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal($"Http input [{Localhost("hop.json")}] redirected to [{location}], which is refused: Http input host [127.0.0.1] is not in Ingestion:AllowedHttpHosts [localhost].",
            (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!.GetValue<string>());
        Assert.Equal(0, _http.RequestsTo("target.json"));
    }

    [Fact]
    public async Task NativeHttpInput_RedirectChainWithinAllowedHost_IngestsTheFinalBody()
    {
        ServeChain(hops: OutboundHttpClient.MaxRedirects);

        var id = await SubmitAsync(IngestionHelpers.IndexTask(Unique("chain"), HttpInput(Localhost("hop0.json")), IngestionHelpers.Json()));
        var status = await WaitForEndAsync(id);

        Assert.True(status["statusCode"]!.GetValue<string>() == "SUCCESS", status.ToJsonString());
        var report = await Http.GetFromJsonAsync<JsonObject>($"/druid/indexer/v1/task/{id}/reports");
        Assert.Equal(2, IngestionHelpers.At(report!, "ingestionStatsAndErrors.payload.rowStats.buildSegments.processed")!.GetValue<long>());
        Assert.Equal(1, _http.RequestsTo("data.json"));
    }

    [Fact]
    public async Task Sampler_RedirectChainWithinAllowedHost_SamplesTheFinalBody()
    {
        ServeChain(hops: 2);

        var response = await Http.PostAsync("/druid/indexer/v1/sampler", Body(SamplerSpec.Request(HttpInput(Localhost("hop0.json")), null).ToJsonString()));
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;

        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToJsonString());
        Assert.Equal(2, body["numRowsRead"]!.GetValue<int>());
    }

    [Fact]
    public async Task NativeHttpInput_MoreRedirectsThanTheLimit_FailsTask_LastTargetNeverRequested()
    {
        ServeChain(hops: OutboundHttpClient.MaxRedirects + 1);

        var id = await SubmitAsync(IngestionHelpers.IndexTask(Unique("loop"), HttpInput(Localhost("hop0.json")), IngestionHelpers.Json()));
        var status = await WaitForEndAsync(id);

        Assert.Equal("FAILED", status["statusCode"]!.GetValue<string>());
        Assert.Equal($"Http input [{Localhost("hop0.json")}] redirected more than 5 times (the last to [{Localhost("data.json")}]); " +
            "ingestion follows at most 5 redirects. Give the final URI in the spec.", await ErrorOfAsync(id));
        Assert.Equal(0, _http.RequestsTo("data.json"));
    }

    /// <summary>hop0 → hop1 → ... → data.json, <paramref name="hops"/> redirects in all, every one on localhost.</summary>
    private void ServeChain(int hops)
    {
        for (var i = 0; i < hops; i++)
        {
            _http.Redirect($"hop{i}.json", i + 1 < hops ? Localhost($"hop{i + 1}.json") : Localhost("data.json"));
        }

        _http.Serve("data.json", Encoding.UTF8.GetBytes(Rows));
    }

    private string Target(string target) => target.Replace("{port}", _http.Port.ToString());

    private static JsonObject HttpInput(string uri) => new() { ["type"] = "http", ["uris"] = new JsonArray(uri) };

    private async Task<string> SubmitAsync(string task)
    {
        var response = await Http.PostAsync("/druid/indexer/v1/task", Body(task));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonNode.Parse(body)!["task"]!.GetValue<string>();
    }

    private Task<JsonObject> WaitForEndAsync(string id) => Eventually.WaitForAsync(
        async () => (await Http.GetFromJsonAsync<JsonObject>($"/druid/indexer/v1/task/{id}/status"))!["status"]!.AsObject(),
        s => s["statusCode"]!.GetValue<string>() != "RUNNING", TimeSpan.FromSeconds(60), $"{id} to finish");

    /// <summary>The whole failure message of a native task (its status cuts errorMsg at 100 characters, as Druid's does).</summary>
    private async Task<string> ErrorOfAsync(string id) =>
        IngestionHelpers.At((await Http.GetFromJsonAsync<JsonObject>($"/druid/indexer/v1/task/{id}/reports"))!, "ingestionStatsAndErrors.payload.errorMsg")!.GetValue<string>();

    private static StringContent Body(string json) => new(json, Encoding.UTF8, "application/json");

    private static string Unique(string prefix) => $"{prefix}_{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    public void Dispose() => _http.Dispose();
}
