using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dashboard.Core.Feed;
using Dashboard.Tests.Support;

namespace Dashboard.Tests.Security;

/// <summary>
/// A password an ingestion reads its http input with never leaves the task in clear: not on the feed (pages), not on the
/// hub (other programs), not in the API's payload, status, reports or log; live MSQ stage definitions included.
/// </summary>
public sealed class SecretsLeavingTasksTests(SecretsServer server) : IClassFixture<SecretsServer>
{
    private const string V1 = "/druid/indexer/v1";
    private const string Secret = SecretsServer.Secret;

    [Fact]
    public async Task NativeBatch_HttpPassword_NeverOnTheFeedTheHubOrTheApi()
    {
        await using var live = await LiveRecorder.StartAsync(server.Server);
        var dataSource = SecretsServer.Unique("sec_native");
        await server.HoldChunkAsync(dataSource, 1500);

        var id = await server.SubmitAsync(server.NativeBatchSpec(dataSource));
        await server.WaitForSuccessAsync(id);

        await Eventually.WaitForAsync(() => Task.FromResult(live.Hub.Count(m => m.Json.Contains(id))), n => n > 0, what: "hub messages about the task");
        Assert.Contains(live.Feed, e => e is TaskStatusChanged s && s.Task.Id == id);
        Assert.DoesNotContain(live.FeedTexts(), text => text.Contains(Secret));
        Assert.DoesNotContain(live.Hub, m => m.Json.Contains(Secret));
        Assert.Contains("\"password\":\"<masked>\"", await server.Http.GetStringAsync($"{V1}/task/{id}"));
        await AssertNotInTheApiAsync(live.TaskIds());
    }

    [Fact]
    public async Task MsqInsertOverExtern_LiveStageDefinitions_OnTheFeedAndTheHub_AreMasked()
    {
        await using var live = await LiveRecorder.StartAsync(server.Server);
        var dataSource = SecretsServer.Unique("sec_msq");

        // The INSERT reads its input, then waits for the chunk's lock in its last stage, publishing live reports meanwhile.
        await server.HoldChunkAsync(dataSource, 2500);
        var id = await server.SubmitSqlAsync(server.ExternInsertSql(dataSource));
        await server.WaitForSuccessAsync(id);
        await Eventually.WaitForAsync(() => Task.FromResult(live.HubReports(id).Count), n => n > 0, what: "live reports on the hub");

        var feedReports = live.FeedReports(id);
        Assert.Contains(feedReports, HasMaskedStageInput);
        Assert.Contains(live.HubReports(id), HasMaskedStageInput);
        Assert.DoesNotContain(live.FeedTexts(), text => text.Contains(Secret));
        Assert.DoesNotContain(live.Hub, m => m.Json.Contains(Secret));
        await AssertNotInTheApiAsync(live.TaskIds());
    }

    // The stage definition's input carries the EXTERN input source, with its password masked.
    private static bool HasMaskedStageInput(string report) =>
        report.Contains("\"definition\":{", StringComparison.Ordinal)
        && report.Contains("\"httpAuthenticationPassword\":\"<masked>\"", StringComparison.Ordinal)
        && report.Contains("\"inputSource\":{", StringComparison.Ordinal);

    // Every task seen on the feed (a controller's workers, the lock holder) in every place the API shows a task.
    private async Task AssertNotInTheApiAsync(IReadOnlyList<string> taskIds)
    {
        Assert.NotEmpty(taskIds);
        foreach (var id in taskIds)
        {
            foreach (var path in new[] { $"{V1}/task/{id}", $"{V1}/task/{id}/status", $"{V1}/task/{id}/log", $"{V1}/task/{id}/reports" })
            {
                using var response = await server.Http.GetAsync(path);
                Assert.DoesNotContain(Secret, await response.Content.ReadAsStringAsync());
            }
        }

        var list = await server.Http.GetFromJsonAsync<JsonArray>($"{V1}/tasks");
        Assert.DoesNotContain(Secret, list!.ToJsonString());
    }
}
