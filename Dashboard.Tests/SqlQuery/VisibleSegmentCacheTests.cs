using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Dashboard.Tests.Support;

namespace Dashboard.Tests.SqlQuery;

/// <summary>
/// The interactive path keeps each datasource's visible segments in memory: a query right after an ingestion finished
/// must see what it published (an append) or what it replaced (an overwrite), never the cached list from before.
/// </summary>
public sealed class VisibleSegmentCacheTests : IAsyncLifetime
{
    private const string DataSource = "cached";
    private readonly TempDataDir _dir = new();
    private ServerFixture _server = null!;

    public Task InitializeAsync()
    {
        _server = new ServerFixture(_dir.Path, workerCapacity: 2);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task Query_AfterAppendThenOverwrite_SeesEachNewSegmentSetAtOnce()
    {
        await IngestAsync(append: false, """{"time":"2015-09-12T01:00:00Z","page":"A","added":1}""");
        Assert.Equal(1, await CountAsync());
        Assert.Equal(1, await CountAsync());

        await IngestAsync(append: true, """{"time":"2015-09-12T02:00:00Z","page":"B","added":2}""");
        Assert.Equal(2, await CountAsync());

        await IngestAsync(append: false, """{"time":"2015-09-12T03:00:00Z","page":"C","added":3}""",
            """{"time":"2015-09-12T04:00:00Z","page":"D","added":4}""", """{"time":"2015-09-12T05:00:00Z","page":"E","added":5}""");
        Assert.Equal(3, await CountAsync());
        Assert.Equal(12, await ScalarAsync("SELECT SUM(added) AS s FROM cached", "s"));
    }

    private Task<long> CountAsync() => ScalarAsync("SELECT COUNT(*) AS n FROM cached", "n");

    private async Task<long> ScalarAsync(string sql, string column)
    {
        using var response = await _server.Client.PostAsync("/druid/v2/sql",
            new StringContent(new JsonObject { ["query"] = sql }.ToJsonString(), Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonNode.Parse(body)![0]![column]!.GetValue<long>();
    }

    private async Task IngestAsync(bool append, params string[] rows)
    {
        var task = IngestionHelpers.IndexTask(DataSource, new JsonObject { ["type"] = "inline", ["data"] = string.Join("\n", rows) }, IngestionHelpers.Json(),
            spec => spec["ioConfig"]!["appendToExisting"] = append);
        using var response = await _server.Client.PostAsync("/druid/indexer/v1/task", new StringContent(task, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonObject>())!["task"]!.GetValue<string>();
        var status = await Eventually.WaitForAsync(async () => (await _server.Client.GetFromJsonAsync<JsonObject>($"/druid/indexer/v1/task/{id}/status"))!["status"]!,
            s => s["statusCode"]!.GetValue<string>() != "RUNNING", TimeSpan.FromSeconds(60), "the ingestion into " + DataSource);
        Assert.Equal("SUCCESS", status["statusCode"]!.GetValue<string>());
    }
}
