using System.Text.Json.Nodes;
using Dashboard.Core.Clients;
using Dashboard.Core.Feed;
using Dashboard.Core.Tasks;
using Dashboard.Tests.Support;

namespace Dashboard.Tests.Msq;

public sealed class MsqLiveReportTests : IAsyncLifetime
{
    private readonly TempDataDir _dir = new();
    private CoreHarness _overlord = null!;

    public async Task InitializeAsync() => _overlord = await CoreHarness.StartAsync(_dir.Path, workerCapacity: 4);

    public async Task DisposeAsync()
    {
        await _overlord.DisposeAsync();
        _dir.Dispose();
    }

    private async Task<JsonObject?> TryReportAsync(string id)
    {
        try
        {
            return await _overlord.Client.GetTaskReportsAsync(id, default);
        }
        catch (Dashboard.Core.Errors.DruidException ex) when (ex.StatusCode == 404)
        {
            return null;
        }
    }

    [Fact]
    public async Task LiveReport_ShowsMeasuredStageCountersWhileTheQueryRuns_AndTheFeedPublishesIt()
    {
        // The INSERT reads its input in stage 0, then finds its chunk locked by another task and waits in its last stage:
        // a known moment, mid-query, at which to read the live report.
        await _overlord.SubmitAsync("""{"type":"controlled","id":"holder","dataSource":"live_sql","interval":"2015-09-12/2015-09-13"}""");
        await _overlord.WaitForAsync("holder", "RUNNING");
        var file = IngestionHelpers.WriteLines(Path.Combine(_dir.Path, "input", "live.json"),
            Enumerable.Range(0, 3000).Select(i => $$"""{"time":"2015-09-12T{{i % 24:00}}:00:00Z","page":"p{{i % 40}}"}"""));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var updates = new List<TaskReportUpdated>();
        var listening = Task.Run(async () =>
        {
            await foreach (var e in _overlord.Feed.SubscribeAsync(cts.Token))
            {
                if (e is TaskReportUpdated { DataSource: "live_sql" } update)
                {
                    lock (updates)
                    {
                        updates.Add(update);
                    }
                }
            }
        });
        await Eventually.WaitForAsync(() => Task.FromResult(_overlord.Feed.SubscriberCount), n => n == 1);

        var query = $$"""INSERT INTO live_sql SELECT TIME_PARSE("time") AS __time, page FROM TABLE(EXTERN('{"type":"local","files":["{{file}}"]}', '{"type":"json"}', '[{"name":"time","type":"string"},{"name":"page","type":"string"}]')) PARTITIONED BY DAY""";
        var submission = await _overlord.Client.SubmitSqlTaskAsync(new SqlTaskRequest(query, new JsonObject { ["maxNumTasks"] = 2 }), default);
        var id = submission.Status!.TaskId;

        var live = await Eventually.WaitForAsync(() => TryReportAsync(id),
            r => r?["multiStageQuery"]?["payload"]?["stages"]?[0]?["phase"]?.GetValue<string>() == "FINISHED" &&
                 r["multiStageQuery"]!["payload"]!["stages"]![1]!["phase"]?.GetValue<string>() == "READING_INPUT",
            TimeSpan.FromSeconds(30), "stage 0 to finish while the last stage waits for its lock");
        var payload = live!["multiStageQuery"]!["payload"]!;

        Assert.Equal("RUNNING", payload["status"]!["status"]!.GetValue<string>());
        Assert.Equal(3000, payload["counters"]!["0"]!["0"]!["input0"]!["rows"]![0]!.GetValue<long>());
        Assert.Equal(3000, payload["counters"]!["0"]!["0"]!["output"]!["rows"]![0]!.GetValue<long>());
        Assert.Equal("RUNNING", (await _overlord.StatusAsync(id)).DisplayStatus);
        await Eventually.WaitForAsync(() => Task.FromResult(updates.Count(u => u.TaskId == id)), n => n >= 2, what: "report updates on the feed");

        _overlord.Controlled.Succeed("holder");
        var done = await _overlord.WaitForAsync(id, "SUCCESS");
        Assert.Equal(TaskState.SUCCESS, done.StatusCode);
        var final = await _overlord.Client.GetTaskReportsAsync(id, default);
        Assert.Equal("SUCCESS", final["multiStageQuery"]!["payload"]!["status"]!["status"]!.GetValue<string>());
        await cts.CancelAsync();
        await listening;
    }
}
