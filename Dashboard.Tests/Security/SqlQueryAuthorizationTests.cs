using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Dashboard.Tests.Security;

/// <summary>
/// The interactive SQL endpoint and the coordinator's list reads go through the one authorization point: READ on every
/// datasource a SELECT reads, and lists without the datasources the caller may not read.
/// </summary>
public sealed class SqlQueryAuthorizationTests(SecuredServer secured) : IClassFixture<SecuredServer>
{
    [Theory]
    [InlineData("SELECT COUNT(*) FROM billing", HttpStatusCode.Forbidden)]
    [InlineData("SELECT w.x FROM wiki_none w JOIN billing b ON w.x = b.x", HttpStatusCode.Forbidden)]
    [InlineData("SELECT COUNT(*) FROM wiki_none", HttpStatusCode.BadRequest)]
    [InlineData("SELECT 1337 AS x", HttpStatusCode.OK)]
    public async Task Query_NeedsReadOnEveryDataSourceItReads(string query, HttpStatusCode expected)
    {
        using var response = await secured.Limited.PostAsJsonAsync("/druid/v2/sql", new JsonObject { ["query"] = query });

        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.Forbidden)
        {
            Assert.Equal("""{"Access-Check-Result":"Unauthorized"}""", await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task Query_Anonymous_Is401()
    {
        using var response = await secured.Anonymous.PostAsJsonAsync("/druid/v2/sql", new JsonObject { ["query"] = "SELECT 1" });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("SELECT datasource FROM sys.segments")]
    [InlineData("SELECT datasource FROM sys.tasks")]
    [InlineData("SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES")]
    public async Task SystemTables_LeaveOutRowsOfDataSourcesTheCallerMayNotRead(string query)
    {
        await IngestBillingAsync();

        var admin = await (await secured.Admin.PostAsJsonAsync("/druid/v2/sql", new JsonObject { ["query"] = query })).Content.ReadAsStringAsync();
        using var limited = await secured.Limited.PostAsJsonAsync("/druid/v2/sql", new JsonObject { ["query"] = query });

        Assert.Contains("billing", admin);
        Assert.Equal(HttpStatusCode.OK, limited.StatusCode);
        Assert.DoesNotContain("billing", await limited.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/druid/coordinator/v1/loadstatus")]
    [InlineData("/druid/coordinator/v1/datasources?simple")]
    [InlineData("/druid/v2/datasources")]
    public async Task Lists_LeaveOutDataSourcesTheCallerMayNotRead(string path)
    {
        await IngestBillingAsync();

        var admin = await secured.Admin.GetStringAsync(path);
        var limited = await secured.Limited.GetAsync(path);

        Assert.Contains("billing", admin);
        Assert.Equal(HttpStatusCode.OK, limited.StatusCode);
        Assert.DoesNotContain("billing", await limited.Content.ReadAsStringAsync());
    }

    private async Task IngestBillingAsync()
    {
        using var task = await secured.Admin.PostAsJsonAsync("/druid/indexer/v1/task", JsonNode.Parse(
            """{"type":"index_parallel","spec":{"dataSchema":{"dataSource":"billing","timestampSpec":{"column":"time","format":"iso"},"dimensionsSpec":{"useSchemaDiscovery":true},"granularitySpec":{"segmentGranularity":"day","queryGranularity":"none","rollup":false}},"ioConfig":{"type":"index_parallel","inputSource":{"type":"inline","data":"{\"time\":\"2020-01-01T00:00:00Z\",\"x\":1}"},"inputFormat":{"type":"json"}},"tuningConfig":{"type":"index_parallel"}}}"""));
        var id = JsonNode.Parse(await task.Content.ReadAsStringAsync())!["task"]!.GetValue<string>();
        await Support.Eventually.WaitForAsync(async () => (await secured.Admin.GetFromJsonAsync<JsonObject>($"/druid/indexer/v1/task/{id}/status"))!["status"]!["statusCode"]!.GetValue<string>(),
            s => s != "RUNNING", TimeSpan.FromSeconds(60), "billing ingestion");
    }
}
