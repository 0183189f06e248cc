using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Dashboard.Tests.Support;

namespace Dashboard.Tests.Api;

/// <summary>One server per test class on a real socket; tests use their own ids and data sources.</summary>
public sealed class ApiServer : IAsyncLifetime
{
    private readonly TempDataDir _dir = new();

    public ServerFixture Server { get; private set; } = null!;

    public Task InitializeAsync()
    {
        // The loopback test HTTP servers (TestHttpServer) serve on 127.0.0.1, which ingestion reads only when allowed by name.
        Server = new ServerFixture(_dir.Path, workerCapacity: 2, new Dictionary<string, string?> { ["Ingestion:AllowedHttpHosts:0"] = "127.0.0.1" });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        _dir.Dispose();
    }
}

public abstract class ApiTestBase(ApiServer server) : IClassFixture<ApiServer>
{
    protected const string V1 = "/druid/indexer/v1";

    protected HttpClient Http => server.Server.Client;

    protected ServerFixture Server => server.Server;

    protected static string Unique(string prefix) => $"{prefix}_{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    protected async Task<HttpResponseMessage> PostJsonAsync(string path, string json) =>
        await Http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    protected async Task<string> SubmitAsync(string json)
    {
        var response = await PostJsonAsync($"{V1}/task", json);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["task"]!.GetValue<string>();
    }

    protected async Task<JsonObject> StatusAsync(string id) =>
        (await Http.GetFromJsonAsync<JsonObject>($"{V1}/task/{Uri.EscapeDataString(id)}/status"))!["status"]!.AsObject();

    protected Task<JsonObject> WaitForStatusAsync(string id, string statusCode) =>
        Eventually.WaitForAsync(() => StatusAsync(id), s => s["statusCode"]!.GetValue<string>() == statusCode, what: $"{id} to be {statusCode}");

    protected Task<JsonObject> WaitForRunnerStateAsync(string id, string runnerState) =>
        Eventually.WaitForAsync(async () =>
                (await Http.GetFromJsonAsync<JsonArray>($"{V1}/tasks"))!.OfType<JsonObject>().FirstOrDefault(t => t["id"]!.GetValue<string>() == id) ?? [],
            t => t["runnerStatusCode"]?.GetValue<string>() == runnerState, what: $"{id} to be {runnerState}");

    protected async Task<JsonArray> GetArrayAsync(string path)
    {
        var response = await Http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray();
    }

    /// <summary>A path in the server's input folder (created), where local input sources may read.</summary>
    protected string InputPath(string name)
    {
        var path = Path.Combine(Server.DataDir, "input", name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return path;
    }

    /// <summary>Druid's wikiticker sample, copied once into the input folder.</summary>
    protected string WikitickerInput()
    {
        var path = InputPath("wikiticker-2015-09-12-sampled.json.gz");
        if (!File.Exists(path))
        {
            File.Copy(IngestionHelpers.Wikiticker, path);
        }

        return path;
    }

    /// <summary>Posts SQL to the SQL task endpoint (202 expected) and waits for its controller task to finish.</summary>
    protected async Task<JsonObject> RunSqlTaskAsync(string query, JsonObject? context = null)
    {
        var body = new JsonObject { ["query"] = query, ["context"] = context ?? new JsonObject { ["maxNumTasks"] = 2 } };
        var response = await PostJsonAsync("/druid/v2/sql/task/", body.ToJsonString());
        var submitted = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, submitted.ToJsonString() + "\n" + query);
        var id = submitted["taskId"]!.GetValue<string>();
        return await Eventually.WaitForAsync(() => StatusAsync(id), s => s["statusCode"]!.GetValue<string>() != "RUNNING", TimeSpan.FromSeconds(60), $"{id} to finish");
    }

    protected static IEnumerable<string> Ids(JsonArray tasks) => tasks.Select(t => t!["id"]!.GetValue<string>());

    protected static async Task AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string mediaType, string bodyContains)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(bodyContains, await response.Content.ReadAsStringAsync());
    }
}
