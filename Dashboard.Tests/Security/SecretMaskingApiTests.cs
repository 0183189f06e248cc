using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Dashboard.Core.Storage;
using Dashboard.Tests.Api;
using Dashboard.Tests.Support;

namespace Dashboard.Tests.Security;

/// <summary>
/// A password in a submitted spec is used to read the input but never comes back: not in the payload, status, lists,
/// reports or task log, and not in the server's own log or the audit trail.
/// </summary>
public sealed class SecretMaskingApiTests(ApiServer server) : ApiTestBase(server), IDisposable
{
    private const string Secret = "Pa55-w0rd-9f3a";
    private const string User = PasswordProtectedInput.User;
    private readonly PasswordProtectedInput _input = new(Secret);

    private int Port => _input.Port;

    public void Dispose() => _input.Dispose();

    [Fact]
    public async Task NativeBatch_HttpPassword_IsUsed_ButNeverReturnedOrLogged()
    {
        var dataSource = Unique("masked");
        var spec = _input.NativeBatchSpec(dataSource, Secret);

        var id = await SubmitAsync(spec.ToJsonString());
        var status = await Eventually.WaitForAsync(() => StatusAsync(id), s => s["statusCode"]!.GetValue<string>() != "RUNNING", TimeSpan.FromSeconds(60));

        Assert.True(status["statusCode"]!.GetValue<string>() == "SUCCESS", status.ToJsonString());
        var payload = await Http.GetStringAsync($"{V1}/task/{id}");
        Assert.Contains("\"password\":\"<masked>\"", payload);
        await AssertNowhereAsync(id);
    }

    [Fact]
    public async Task SqlIngestion_ExternHttpPassword_IsUsed_ButNeverReturnedOrLogged()
    {
        var dataSource = Unique("masked_sql");
        var source = $$"""{"type":"http","uris":["http://127.0.0.1:{{Port}}/rows.json"],"httpAuthenticationUsername":"{{User}}","httpAuthenticationPassword":"{{Secret}}"}""";
        var sql = $$"""INSERT INTO "{{dataSource}}" SELECT TIME_PARSE("time") AS __time, page, added FROM TABLE(EXTERN('{{source}}', '{"type":"json"}')) EXTEND ("time" VARCHAR, page VARCHAR, added BIGINT) PARTITIONED BY DAY""";

        var response = await PostJsonAsync("/druid/v2/sql/task", new JsonObject { ["query"] = sql }.ToJsonString());
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, body);
        Assert.DoesNotContain(Secret, body);
        var id = JsonNode.Parse(body)!["taskId"]!.GetValue<string>();
        var status = await Eventually.WaitForAsync(() => StatusAsync(id), s => s["statusCode"]!.GetValue<string>() != "RUNNING", TimeSpan.FromSeconds(60));

        Assert.True(status["statusCode"]!.GetValue<string>() == "SUCCESS", status.ToJsonString());
        Assert.Contains("\"httpAuthenticationPassword\\\":\\\"<masked>\\\"", await Http.GetStringAsync($"{V1}/task/{id}"));
        await AssertNowhereAsync(id);
    }

    private async Task AssertNowhereAsync(string id)
    {
        foreach (var path in new[]
                 {
                     $"{V1}/task/{id}", $"{V1}/task/{id}/status", $"{V1}/task/{id}/reports", $"{V1}/task/{id}/log",
                     $"{V1}/tasks", $"{V1}/completeTasks", $"{V1}/taskStatus",
                 })
        {
            var response = path.EndsWith("taskStatus")
                ? await PostJsonAsync(path, new JsonArray(id).ToJsonString())
                : await Http.GetAsync(path);
            Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode}");
            Assert.DoesNotContain(Secret, await response.Content.ReadAsStringAsync());
        }

        foreach (var log in Directory.EnumerateFiles(Path.Combine(Server.DataDir, "task-logs"), "*", SearchOption.AllDirectories))
        {
            Assert.DoesNotContain(Secret, await File.ReadAllTextAsync(log));
        }

        Assert.DoesNotContain(Server.Logs.Lines, line => line.Contains(Secret));
        var audit = await Server.Services.GetRequiredService<IAuditLog>().GetRecentAsync(1000, CancellationToken.None);
        Assert.Contains(audit, entry => entry.Target == id);
        Assert.DoesNotContain(audit, entry => $"{entry.Detail}".Contains(Secret));
    }
}
