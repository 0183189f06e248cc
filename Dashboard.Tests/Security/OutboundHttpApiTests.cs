using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Dashboard.Core.Ingestion.Sampling;
using Dashboard.Tests.Support;

namespace Dashboard.Tests.Security;

/// <summary>A server with the default ingestion rules (no Ingestion:AllowedHttpHosts): the server's own network is refused.</summary>
public sealed class DefaultRulesServer : IAsyncLifetime
{
    private readonly TempDataDir _dir = new();

    public ServerFixture Server { get; private set; } = null!;

    public Task InitializeAsync()
    {
        Server = new ServerFixture(_dir.Path);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        _dir.Dispose();
    }
}

/// <summary>
/// Http inputs of native tasks, EXTERN and the sampler that point into the server's own network (loopback, link-local,
/// private, multicast, unspecified, in any spelling) are refused with a 400 at submission that names the host, the
/// address and the rule; no task is created and, for the loopback server that exists, no request reaches it.
/// </summary>
public sealed class OutboundHttpApiTests(DefaultRulesServer fixture) : IClassFixture<DefaultRulesServer>, IDisposable
{
    /// <summary>Rows that a refused request would read, on a loopback server that counts its requests.</summary>
    private readonly TestHttpServer _loopback = ServingRows();

    private HttpClient Http => fixture.Server.Client;

    public static TheoryData<string, string, string> OwnNetwork => new()
    {
        { "http://127.0.0.1:{port}/rows.json", "127.0.0.1", "loopback address [127.0.0.1]" },
        { "http://localhost:{port}/rows.json", "localhost", "loopback address" },
        { "http://[::1]:{port}/rows.json", "::1", "loopback address [::1]" },
        { "http://169.254.169.254/latest/meta-data/", "169.254.169.254", "link-local address [169.254.169.254]" },
        { "http://10.0.0.1/rows.json", "10.0.0.1", "private address [10.0.0.1]" },
        { "http://192.168.1.1/rows.json", "192.168.1.1", "private address [192.168.1.1]" },
        { "http://100.64.0.1/rows.json", "100.64.0.1", "private (carrier-grade NAT) address [100.64.0.1]" },
        { "http://[fd00::1]/rows.json", "fd00::1", "private (unique-local) address [fd00::1]" },
        { "http://0.0.0.0:{port}/rows.json", "0.0.0.0", "unspecified address [0.0.0.0]" },
        { "http://224.0.0.1/rows.json", "224.0.0.1", "multicast address [224.0.0.1]" },
        { "http://2130706433:{port}/rows.json", "127.0.0.1", "loopback address [127.0.0.1]" },
        { "http://0x7f.1:{port}/rows.json", "127.0.0.1", "loopback address [127.0.0.1]" },
        { "http://0177.0.0.1:{port}/rows.json", "127.0.0.1", "loopback address [127.0.0.1]" },
        { "http://[::ffff:127.0.0.1]:{port}/rows.json", "::ffff:127.0.0.1", "loopback address [::ffff:127.0.0.1]" },
        { "http://[::ffff:a9fe:a9fe]/latest/meta-data/", "::ffff:169.254.169.254", "link-local address [::ffff:169.254.169.254]" },
    };

    [Theory]
    [MemberData(nameof(OwnNetwork))]
    public async Task NativeHttpInput_IntoTheServersOwnNetwork_Is400AtSubmission_NoTaskCreated(string uri, string host, string rule)
    {
        var dataSource = Unique("ssrf_native");
        var task = IngestionHelpers.IndexTask(dataSource, HttpInput(uri), IngestionHelpers.Json());

        var response = await Http.PostAsync("/druid/indexer/v1/task", Body(task));

        await AssertRefusedAsync(response, host, rule);
        Assert.Empty(await TasksOfAsync(dataSource));
    }

    [Theory]
    [MemberData(nameof(OwnNetwork))]
    public async Task ExternHttpInput_IntoTheServersOwnNetwork_Is400AtSubmission_NoTaskCreated(string uri, string host, string rule)
    {
        var dataSource = Unique("ssrf_extern");
        var source = HttpInput(uri).ToJsonString().Replace("'", "''");
        var sql = $$"""INSERT INTO {{dataSource}} SELECT TIME_PARSE("time") AS __time, a FROM TABLE(EXTERN('{{source}}', '{"type":"json"}')) EXTEND ("time" VARCHAR, a BIGINT) PARTITIONED BY DAY""";

        var response = await Http.PostAsync("/druid/v2/sql/task", Body(new JsonObject { ["query"] = sql }.ToJsonString()));

        await AssertRefusedAsync(response, host, rule);
        Assert.Empty(await TasksOfAsync(dataSource));
    }

    [Theory]
    [MemberData(nameof(OwnNetwork))]
    public async Task SamplerHttpInput_IntoTheServersOwnNetwork_Is400(string uri, string host, string rule)
    {
        var request = SamplerSpec.Request(HttpInput(uri), null);

        var response = await Http.PostAsync("/druid/indexer/v1/sampler", Body(request.ToJsonString()));

        await AssertRefusedAsync(response, host, rule);
    }

    private static TestHttpServer ServingRows()
    {
        var server = new TestHttpServer();
        server.Serve("rows.json", """{"time":"2015-09-12T00:00:00Z","a":1}"""u8.ToArray());
        return server;
    }

    private JsonObject HttpInput(string uri) =>
        new() { ["type"] = "http", ["uris"] = new JsonArray(uri.Replace("{port}", _loopback.Port.ToString())) };

    private async Task AssertRefusedAsync(HttpResponseMessage response, string host, string rule)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {body}");
        // Druid's shapes: {"error": message} for tasks and the sampler, {"state": "FAILED", "error": {"errorMessage": ...}} for SQL.
        var error = JsonNode.Parse(body)!["error"] is JsonObject sql ? sql["errorMessage"]!.GetValue<string>() : JsonNode.Parse(body)!["error"]!.GetValue<string>();
        Assert.Contains($"Http input host [{host}] resolves to {rule}", error);
        Assert.Contains("Ingestion:AllowedHttpHosts names the hosts that may be private", error);
        Assert.Equal(0, _loopback.RequestsTo("rows.json"));
    }

    private async Task<JsonArray> TasksOfAsync(string dataSource) =>
        JsonNode.Parse(await Http.GetStringAsync($"/druid/indexer/v1/tasks?datasource={dataSource}"))!.AsArray();

    private static StringContent Body(string json) => new(json, Encoding.UTF8, "application/json");

    private static string Unique(string prefix) => $"{prefix}_{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    public void Dispose() => _loopback.Dispose();
}
