using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Dashboard.Tests.Support;

namespace Dashboard.Tests.SqlQuery;

/// <summary>
/// The SQL statements API over real HTTP, replaying the web console's workbench flow: submit with executionMode
/// ASYNC, poll the statement (and the task's reports) until SUCCESS, read the details and a page of results, cancel.
/// </summary>
public sealed class SqlStatementsApiTests(SqlQueryServer server) : IClassFixture<SqlQueryServer>
{
    private const string Statements = "/druid/v2/sql/statements";

    private HttpClient Http => server.Http;

    private async Task<JsonObject> SubmitAsync(string query)
    {
        using var response = await Http.PostAsJsonAsync(Statements, new JsonObject
        {
            ["query"] = query, ["context"] = new JsonObject { ["executionMode"] = "async", ["maxNumTasks"] = 2 }, ["resultFormat"] = "array",
        });
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToJsonString());
        return body;
    }

    private Task<JsonObject> WaitForFinishAsync(string queryId) =>
        Eventually.WaitForAsync(async () => (await Http.GetFromJsonAsync<JsonObject>($"{Statements}/{queryId}"))!,
            s => s["state"]!.GetValue<string>() is "SUCCESS" or "FAILED", TimeSpan.FromSeconds(60), $"{queryId} to finish");

    [Fact]
    public async Task ConsoleFlow_SelectAsync_PollsToSuccess_ThenDetailAndResultsPage()
    {
        var submitted = await SubmitAsync("SELECT channel, COUNT(*) AS edits FROM edits GROUP BY channel ORDER BY channel");
        var queryId = submitted["queryId"]!.GetValue<string>();
        Assert.StartsWith("query-", queryId);
        Assert.Contains(submitted["state"]!.GetValue<string>(), new[] { "ACCEPTED", "RUNNING", "SUCCESS" });
        Assert.NotNull(submitted["createdAt"]);

        var done = await WaitForFinishAsync(queryId);
        Assert.Equal("SUCCESS", done["state"]!.GetValue<string>());
        Assert.Equal("""[{"name":"channel","type":"VARCHAR","nativeType":"STRING"},{"name":"edits","type":"BIGINT","nativeType":"LONG"}]""", done["schema"]!.ToJsonString());
        var result = done["result"]!;
        Assert.Equal(2, result["numTotalRows"]!.GetValue<int>());
        Assert.Equal("__query_select", result["dataSource"]!.GetValue<string>());
        Assert.Equal(0, Assert.Single(result["pages"]!.AsArray())!["id"]!.GetValue<int>());
        Assert.Null(done["stages"]);

        // The console also reads the task's reports and status.
        Assert.NotNull(JsonNode.Parse(await Http.GetStringAsync($"/druid/indexer/v1/task/{queryId}/reports"))!["multiStageQuery"]);
        var detail = (await Http.GetFromJsonAsync<JsonObject>($"{Statements}/{queryId}?detail=true"))!;
        Assert.NotEmpty(detail["stages"]!.AsArray());
        Assert.NotNull(detail["counters"]);
        Assert.NotNull(detail["warnings"]);

        var objects = await Http.GetStringAsync($"{Statements}/{queryId}/results?page=0");
        Assert.Equal("""[{"channel":"#en","edits":2},{"channel":"#fr","edits":2}]""", JsonNode.Parse(objects)!.ToJsonString());
        var arrays = await Http.GetStringAsync($"{Statements}/{queryId}/results?page=0&resultFormat=array");
        Assert.Equal("""[["#en",2],["#fr",2]]""", JsonNode.Parse(arrays)!.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, (await Http.DeleteAsync($"{Statements}/{queryId}")).StatusCode);
    }

    [Fact]
    public async Task Insert_RunsAsTask_ResultsAreEmpty()
    {
        var submitted = await SubmitAsync("INSERT INTO edits_copy SELECT __time, page FROM edits PARTITIONED BY DAY");

        var done = await WaitForFinishAsync(submitted["queryId"]!.GetValue<string>());

        Assert.Equal("SUCCESS", done["state"]!.GetValue<string>());
        Assert.Equal("edits_copy", done["result"]!["dataSource"]!.GetValue<string>());
        using var results = await Http.GetAsync($"{Statements}/{submitted["queryId"]}/results");
        Assert.Equal(HttpStatusCode.OK, results.StatusCode);
        Assert.Equal("", await results.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("""{"query":"SELECT 1"}""", "Execution mode is not provided to the sql statement api")]
    [InlineData("""{"query":"SELECT 1","context":{"executionMode":"SYNC"}}""", "does not support the provided execution mode [SYNC]")]
    [InlineData("""{"query":"SELECT nope FROM edits","context":{"executionMode":"ASYNC"}}""", "nope")]
    public async Task Submit_BadRequest_Is400ErrorResponse_AndMakesNoTask(string body, string message)
    {
        var before = (await Http.GetFromJsonAsync<JsonArray>("/druid/indexer/v1/tasks"))!.Count;

        using var response = await Http.PostAsync(Statements, new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("druidException", error["error"]!.GetValue<string>());
        Assert.Contains(message, error["errorMessage"]!.GetValue<string>());
        Assert.Equal(before, (await Http.GetFromJsonAsync<JsonArray>("/druid/indexer/v1/tasks"))!.Count);
    }

    [Fact]
    public async Task UnknownQuery_Is404NotFound_OnGetResultsAndDelete()
    {
        foreach (var response in new[]
                 {
                     await Http.GetAsync($"{Statements}/query-nope"), await Http.GetAsync($"{Statements}/query-nope/results"), await Http.DeleteAsync($"{Statements}/query-nope"),
                 })
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Contains("Query [query-nope] was not found", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errorMessage"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Results_NegativePage_Is400()
    {
        var done = await WaitForFinishAsync((await SubmitAsync("SELECT COUNT(*) AS c FROM edits"))["queryId"]!.GetValue<string>());

        using var response = await Http.GetAsync($"{Statements}/{done["queryId"]}/results?page=-1");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Page cannot be negative", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Enabled_AnswersTrue()
    {
        Assert.True((await Http.GetFromJsonAsync<JsonObject>($"{Statements}/enabled"))!["enabled"]!.GetValue<bool>());
    }
}
