using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Dashboard.Tests.Api;
using FsCheck;
using FsCheck.Fluent;

namespace Dashboard.Tests.Security.Fuzz;

/// <summary>
/// Mutated SQL statements and task specs posted to the running server (FsCheck): never a 5xx, never over 5 s, and a
/// refused one (4xx) leaves the task list as it was. A failure prints FsCheck's replay seed and the input.
/// </summary>
public class ApiFuzzTests(ApiServer server) : ApiTestBase(server)
{
    [Fact]
    public void MutatedSqlStatements_NeverA5xxOrAHang_AndARefusalCreatesNoTask() =>
        Prop.ForAll(FuzzInputs.MutatedSql(), sql => Holds("/druid/v2/sql/task", new JsonObject { ["query"] = sql }.ToJsonString(), sql))
            .Check(FuzzInputs.Config(300));

    [Fact]
    public void MutatedSpecs_NeverA5xxOrAHang_AndARefusalCreatesNoTask() =>
        Prop.ForAll(SpecInputs.MutatedSpec(), spec => Holds($"{V1}/task", spec.ToJsonString(), spec.ToJsonString()))
            .Check(FuzzInputs.Config(200));

    private bool Holds(string path, string body, string shown)
    {
        var before = TopLevelTaskIds();
        var watch = Stopwatch.StartNew();
        using var response = Http.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json")).GetAwaiter().GetResult();
        var text = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
        var elapsed = watch.Elapsed;
        var input = FuzzInputs.Show(shown);
        // Druid answers a body that is not JSON (here: nested deeper than 64) with a 500 {"error"} (SubmitAndPayloadApiTests).
        var unparseable = response.StatusCode == HttpStatusCode.InternalServerError && text.Contains("The request body is not valid JSON", StringComparison.Ordinal);
        if (((int)response.StatusCode >= 500 && !unparseable) || elapsed > TimeSpan.FromSeconds(5))
        {
            throw new InvalidOperationException($"{(int)response.StatusCode} after {elapsed} for [{input}]: {text}");
        }

        if ((int)response.StatusCode >= 400 && !TopLevelTaskIds().SetEquals(before))
        {
            throw new InvalidOperationException($"{(int)response.StatusCode} but the task list changed for [{input}]: {text}");
        }

        return true;
    }

    /// <summary>The ids of tasks submitted from outside (a controller's workers and a parent's subtasks are left out).</summary>
    private HashSet<string> TopLevelTaskIds()
    {
        var tasks = JsonNode.Parse(Http.GetStringAsync($"{V1}/tasks").GetAwaiter().GetResult())!.AsArray();
        return tasks.OfType<JsonObject>()
            .Where(t => t["groupId"]?.GetValue<string>() is not { } group || group == t["id"]!.GetValue<string>())
            .Select(t => t["id"]!.GetValue<string>())
            .ToHashSet(StringComparer.Ordinal);
    }
}
