using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Dashboard.Tests.Support;

namespace Dashboard.Tests.Security;

/// <summary>
/// A server (loopback http inputs allowed by name in Ingestion:AllowedHttpHosts) and an http input that needs a
/// password, with the specs and statements that read it: native batch, and an MSQ INSERT over EXTERN.
/// </summary>
public sealed class SecretsServer : IAsyncLifetime
{
    public const string Secret = "S3cr3t-pw-71c4e";
    private const string V1 = "/druid/indexer/v1";
    private readonly TempDataDir _dir = new();

    public PasswordProtectedInput Input { get; } = new(Secret);

    public ServerFixture Server { get; private set; } = null!;

    public HttpClient Http => Server.Client;

    public Task InitializeAsync()
    {
        Server = new ServerFixture(_dir.Path, workerCapacity: 4, settings: new Dictionary<string, string?>
        {
            ["Ingestion:AllowedHttpHosts:0"] = "127.0.0.1",
            ["Ingestion:AllowedHttpHosts:1"] = "localhost",
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        Input.Dispose();
        _dir.Dispose();
    }

    public static string Unique(string prefix) => $"{prefix}_{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    /// <summary>An index_parallel spec whose http input authenticates with the password in PasswordProvider form.</summary>
    public JsonObject NativeBatchSpec(string dataSource) => Input.NativeBatchSpec(dataSource, Secret);

    /// <summary>An INSERT over EXTERN whose http input has the password in plain form.</summary>
    public string ExternInsertSql(string dataSource)
    {
        var source = $$"""{"type":"http","uris":["{{Input.Uri}}"],"httpAuthenticationUsername":"{{PasswordProtectedInput.User}}","httpAuthenticationPassword":"{{Secret}}"}""";
        return $$"""INSERT INTO "{{dataSource}}" SELECT TIME_PARSE("time") AS __time, page, added FROM TABLE(EXTERN('{{source}}', '{"type":"json"}')) EXTEND ("time" VARCHAR, page VARCHAR, added BIGINT) PARTITIONED BY DAY""";
    }

    /// <summary>Holds the exclusive lock on 2026-01-01 of the datasource for a while, so an ingestion into it waits mid-run.</summary>
    public Task<string> HoldChunkAsync(string dataSource, int millis) =>
        SubmitAsync(new JsonObject { ["type"] = "noop", ["runTime"] = millis, ["dataSource"] = dataSource, ["interval"] = "2026-01-01/2026-01-02" });

    public async Task<string> SubmitAsync(JsonObject task)
    {
        using var response = await Http.PostAsync($"{V1}/task", new StringContent(task.ToJsonString(), Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonNode.Parse(body)!["task"]!.GetValue<string>();
    }

    public async Task<string> SubmitSqlAsync(string sql)
    {
        using var response = await Http.PostAsync("/druid/v2/sql/task", new StringContent(new JsonObject { ["query"] = sql }.ToJsonString(), Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, body);
        return JsonNode.Parse(body)!["taskId"]!.GetValue<string>();
    }

    /// <summary>Waits until the task is complete and asserts it succeeded (so it read the input with the real password).</summary>
    public async Task WaitForSuccessAsync(string id)
    {
        var status = await Eventually.WaitForAsync(
            async () => (await Http.GetFromJsonAsync<JsonObject>($"{V1}/task/{id}/status"))!["status"]!.AsObject(),
            s => s["statusCode"]!.GetValue<string>() != "RUNNING", TimeSpan.FromSeconds(60), what: $"{id} to complete");
        Assert.True(status["statusCode"]!.GetValue<string>() == "SUCCESS", status.ToJsonString());
    }
}
