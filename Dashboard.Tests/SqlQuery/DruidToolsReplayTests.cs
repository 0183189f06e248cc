using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Dashboard.Tests.Support;

namespace Dashboard.Tests.SqlQuery;

/// <summary>
/// Druid's own tools' calls, replayed as they make them: the quickstart's <c>bin/post-index-task</c> (submit, poll the
/// status, poll the coordinator's load status until 100.0), <c>bin/dsql</c> (POST /druid/v2/sql/, object rows) and
/// the web console's coordinator and broker reads.
/// </summary>
public sealed class DruidToolsReplayTests(SqlQueryServer server) : IClassFixture<SqlQueryServer>
{
    private HttpClient Http => server.Http;

    [Fact]
    public async Task PostIndexTask_SubmitPollStatusThenLoadStatus_ReachesOneHundred()
    {
        var rows = """{"time":"2016-06-27T00:00:11Z","page":"Kiwi","added":3}""";
        var spec = IngestionHelpers.IndexTask("post_index_task", new JsonObject { ["type"] = "inline", ["data"] = rows }, IngestionHelpers.Json());

        // post_task: POST /druid/indexer/v1/task, reads ["task"]
        using var posted = await Http.PostAsync("/druid/indexer/v1/task", new StringContent(spec, Encoding.UTF8, "application/json"));
        var taskId = JsonNode.Parse(await posted.Content.ReadAsStringAsync())!["task"]!.GetValue<string>();

        // await_task_completion: GET /task/{id}/status until status.statusCode is SUCCESS or FAILED
        var statusCode = await Eventually.WaitForAsync(
            async () => JsonNode.Parse(await Http.GetStringAsync($"/druid/indexer/v1/task/{taskId}/status"))!["status"]!["statusCode"]!.GetValue<string>(),
            s => s is "SUCCESS" or "FAILED", TimeSpan.FromSeconds(60), "the task to finish");
        Assert.Equal("SUCCESS", statusCode);

        // await_load_completion: GET /druid/coordinator/v1/loadstatus, response.get(datasource, 0.0) >= 100.0
        using var load = await Http.GetAsync("/druid/coordinator/v1/loadstatus");
        Assert.Equal(HttpStatusCode.OK, load.StatusCode);
        Assert.Equal("application/json", load.Content.Headers.ContentType!.MediaType);
        Assert.Equal(100.0, JsonNode.Parse(await load.Content.ReadAsStringAsync())!["post_index_task"]!.GetValue<double>());
    }

    [Fact]
    public async Task LoadStatus_SimpleAndFull_CountSegmentsLeftToLoad_PerDataSourceAndTier()
    {
        var simple = JsonNode.Parse(await Http.GetStringAsync("/druid/coordinator/v1/loadstatus?simple"))!;
        var full = JsonNode.Parse(await Http.GetStringAsync("/druid/coordinator/v1/loadstatus?full"))!;

        Assert.Equal(0, simple[SqlQueryServer.DataSource]!.GetValue<int>());
        Assert.Equal(0, full["_default_tier"]![SqlQueryServer.DataSource]!.GetValue<int>());
    }

    [Fact]
    public async Task Dsql_PostsToTrailingSlash_ObjectRows_AndA500CarriesErrorErrorClassAndHost()
    {
        // dsql: url = host + '/druid/v2/sql/', body {"query", "resultFormat": "object", "header": ..., "context"}
        using var response = await Http.PostAsJsonAsync("/druid/v2/sql/", new JsonObject
        {
            ["query"] = "SELECT page, added FROM edits WHERE added > 6 ORDER BY added DESC", ["resultFormat"] = "object", ["header"] = false, ["context"] = new JsonObject(),
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var rows = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray();
        Assert.Equal(["Alpha", "Gamma"], rows.Select(r => r!["page"]!.GetValue<string>()));

        using var failed = await Http.PostAsJsonAsync("/druid/v2/sql/", new JsonObject
        {
            ["query"] = "SELECT CAST(page AS BIGINT) FROM edits", ["resultFormat"] = "object", ["context"] = new JsonObject(),
        });
        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        var error = JsonNode.Parse(await failed.Content.ReadAsStringAsync())!.AsObject();
        Assert.Equal(["error", "errorMessage", "errorClass", "host"], error.Select(p => p.Key));
        // DuckDB names the first value that fails the cast; which row that is depends on its parallel scan.
        Assert.Contains(["Alpha", "Beta, with comma", "Gamma", "Delta"], page => error["errorMessage"]!.GetValue<string>().Contains(page, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Console_IsLeaderAndLeader_AnswerAsTheCoordinator()
    {
        Assert.True(JsonNode.Parse(await Http.GetStringAsync("/druid/coordinator/v1/isLeader"))!["leader"]!.GetValue<bool>());
        Assert.StartsWith("http://", await Http.GetStringAsync("/druid/coordinator/v1/leader"));
    }

    [Fact]
    public async Task Datasources_SimpleHasPropertiesAndFullHasSegments_AsDruid()
    {
        var simple = (await Http.GetFromJsonAsync<JsonArray>("/druid/coordinator/v1/datasources?simple"))!.Single(d => d!["name"]!.GetValue<string>() == SqlQueryServer.DataSource)!;
        var full = (await Http.GetFromJsonAsync<JsonArray>("/druid/coordinator/v1/datasources?full"))!.Single(d => d!["name"]!.GetValue<string>() == SqlQueryServer.DataSource)!;
        var names = await Http.GetFromJsonAsync<JsonArray>("/druid/coordinator/v1/datasources");

        Assert.Equal(2, simple["properties"]!["segments"]!["count"]!.GetValue<int>());
        Assert.Equal(2, simple["properties"]!["tiers"]!["_default_tier"]!["segmentCount"]!.GetValue<int>());
        Assert.Equal("2015-09-12T00:00:00.000Z", simple["properties"]!["segments"]!["minTime"]!.GetValue<string>());
        Assert.NotNull(full["properties"]!["created"]);
        Assert.All(full["segments"]!.AsArray(), s => Assert.Equal(SqlQueryServer.DataSource, s!["dataSource"]!.GetValue<string>()));
        Assert.Equal(2, full["segments"]!.AsArray().Count);
        Assert.Contains(SqlQueryServer.DataSource, names!.Select(n => n!.GetValue<string>()));
    }

    [Fact]
    public async Task Broker_Datasources_ListsQueryableDataSources()
    {
        var names = await Http.GetFromJsonAsync<JsonArray>("/druid/v2/datasources");

        Assert.Contains(SqlQueryServer.DataSource, names!.Select(n => n!.GetValue<string>()));
    }

    [Fact]
    public async Task Console_CapabilityProbe_Select1337_AnswersOneRow()
    {
        using var response = await Http.PostAsJsonAsync("/druid/v2/sql?capabilities", new JsonObject { ["query"] = "SELECT 1337", ["context"] = new JsonObject { ["timeout"] = 5000 } });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1337, JsonNode.Parse(await response.Content.ReadAsStringAsync())![0]!.AsObject().Single().Value!.GetValue<int>());
    }
}
