using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Dashboard.Core.Query;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Tests.SqlQuery;

/// <summary>Druid's SQL query API over real HTTP: SELECTs at once with no task, each result format, headers and errors.</summary>
public sealed class SqlQueryApiTests(SqlQueryServer server) : IClassFixture<SqlQueryServer>
{
    private HttpClient Http => server.Http;

    private async Task<HttpResponseMessage> QueryAsync(JsonObject body, string path = "/druid/v2/sql") =>
        await Http.PostAsync(path, new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));

    private async Task<int> TaskCountAsync() => JsonNode.Parse(await Http.GetStringAsync("/druid/indexer/v1/tasks"))!.AsArray().Count;

    [Theory]
    [InlineData("/druid/v2/sql")]
    [InlineData("/druid/v2/sql/")]
    public async Task Query_GroupByOrderBy_ReturnsObjectRowsAtOnce_WithQueryIdHeader_AndNoTask(string path)
    {
        var tasks = await TaskCountAsync();

        using var response = await QueryAsync(new JsonObject
        {
            ["query"] = "SELECT channel, COUNT(*) AS edits, SUM(added) AS added FROM edits GROUP BY channel ORDER BY channel",
        }, path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.True(Guid.TryParse(response.Headers.GetValues("X-Druid-SQL-Query-Id").Single(), out _));
        var rows = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray();
        Assert.Equal("""[{"channel":"#en","edits":2,"added":15},{"channel":"#fr","edits":2,"added":8}]""", rows.ToJsonString());
        Assert.Equal(tasks, await TaskCountAsync());
    }

    [Fact]
    public async Task Query_Timestamps_AreIsoInSqlTimeZone_AndSqlQueryIdIsEchoed()
    {
        using var response = await QueryAsync(new JsonObject
        {
            ["query"] = "SELECT __time, page FROM edits WHERE page = 'Alpha'",
            ["context"] = new JsonObject { ["sqlQueryId"] = "my-query-1", ["sqlTimeZone"] = "America/Los_Angeles" },
        });

        Assert.Equal("my-query-1", response.Headers.GetValues("X-Druid-SQL-Query-Id").Single());
        var row = JsonNode.Parse(await response.Content.ReadAsStringAsync())![0]!;
        Assert.Equal("2015-09-11T18:00:00.000-07:00", row["__time"]!.GetValue<string>());
    }

    [Fact]
    public async Task Query_ArrayWithAllHeaders_WritesNamesNativeTypesAndSqlTypes_AndSaysHeaderIncluded()
    {
        using var response = await QueryAsync(new JsonObject
        {
            ["query"] = "SELECT __time, page, added FROM edits WHERE added = 10",
            ["resultFormat"] = "array", ["header"] = true, ["typesHeader"] = true, ["sqlTypesHeader"] = true,
        });

        Assert.Equal("yes", response.Headers.GetValues("X-Druid-SQL-Header-Included").Single());
        Assert.Equal("""[["__time","page","added"],["LONG","STRING","LONG"],["TIMESTAMP","VARCHAR","BIGINT"],["2015-09-12T01:00:00.000Z","Alpha",10]]""",
            JsonNode.Parse(await response.Content.ReadAsStringAsync())!.ToJsonString());
    }

    [Fact]
    public async Task Query_ObjectWithTypesHeader_FirstObjectCarriesTypes()
    {
        using var response = await QueryAsync(new JsonObject
        {
            ["query"] = "SELECT page FROM edits WHERE added = 10", ["header"] = true, ["typesHeader"] = true, ["sqlTypesHeader"] = true,
        });

        Assert.Equal("""[{"page":{"type":"STRING","sqlType":"VARCHAR"}},{"page":"Alpha"}]""", JsonNode.Parse(await response.Content.ReadAsStringAsync())!.ToJsonString());
    }

    [Theory]
    [InlineData("objectLines", "text/plain", "{\"page\":\"Alpha\",\"added\":10}\n{\"page\":\"Gamma\",\"added\":7}\n\n")]
    [InlineData("arrayLines", "text/plain", "[\"Alpha\",10]\n[\"Gamma\",7]\n\n")]
    [InlineData("csv", "text/csv", "Alpha,10\nGamma,7\n\n")]
    public async Task Query_LineFormats_OneRowPerLine_EndWithABlankLine(string format, string mediaType, string expected)
    {
        using var response = await QueryAsync(new JsonObject
        {
            ["query"] = "SELECT page, added FROM edits WHERE added > 6 ORDER BY added DESC", ["resultFormat"] = format,
        });

        Assert.Equal(mediaType, response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(expected, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Query_CsvWithHeader_QuotesValuesWithCommas()
    {
        using var response = await QueryAsync(new JsonObject
        {
            ["query"] = "SELECT page, added FROM edits WHERE added = 5", ["resultFormat"] = "csv", ["header"] = true, ["typesHeader"] = true,
        });

        Assert.Equal("page,added\nSTRING,LONG\n\"Beta, with comma\",5\n\n", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Query_DynamicParameters_AreBoundAsLiterals()
    {
        using var response = await QueryAsync(new JsonObject
        {
            ["query"] = "SELECT COUNT(*) AS c FROM edits WHERE channel = ? AND added > ?",
            ["parameters"] = new JsonArray(new JsonObject { ["type"] = "VARCHAR", ["value"] = "#en" }, new JsonObject { ["type"] = "BIGINT", ["value"] = 6 }),
        });

        Assert.Equal("""[{"c":1}]""", JsonNode.Parse(await response.Content.ReadAsStringAsync())!.ToJsonString());
    }

    [Fact]
    public async Task Query_TimeFilter_ReadsOnlyTheVisibleSegmentsItNeeds()
    {
        using var all = await QueryAsync(new JsonObject { ["query"] = "SELECT COUNT(*) AS c FROM edits", ["context"] = new JsonObject { ["sqlQueryId"] = "all-of-it" } });
        Assert.Equal("""[{"c":4}]""", JsonNode.Parse(await all.Content.ReadAsStringAsync())!.ToJsonString());
        Assert.Equal(2, server.QuerySessions.Last().Count);

        using var oneDay = await QueryAsync(new JsonObject { ["query"] = "SELECT COUNT(*) AS c FROM edits WHERE __time >= TIMESTAMP '2015-09-13 00:00:00'" });

        Assert.Equal("""[{"c":1}]""", JsonNode.Parse(await oneDay.Content.ReadAsStringAsync())!.ToJsonString());
        var files = server.QuerySessions.Last();
        Assert.Contains("2015-09-13", Assert.Single(files));
    }

    [Fact]
    public async Task Query_UnknownColumn_Is400InvalidSqlInput_NamingTheColumn()
    {
        using var response = await QueryAsync(new JsonObject { ["query"] = "SELECT no_such_column FROM edits" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("druidException", error["error"]!.GetValue<string>());
        Assert.Equal("INVALID_INPUT", error["category"]!.GetValue<string>());
        Assert.Contains("no_such_column", error["errorMessage"]!.GetValue<string>());
    }

    [Fact]
    public async Task Query_UnknownTable_Is400_NamingTheTable()
    {
        using var response = await QueryAsync(new JsonObject { ["query"] = "SELECT COUNT(*) FROM no_such_table" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("[no_such_table]", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errorMessage"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("INSERT INTO edits_copy SELECT * FROM edits PARTITIONED BY DAY", "INSERT operations are not supported by requested SQL engine [native]")]
    [InlineData("REPLACE INTO edits OVERWRITE ALL SELECT * FROM edits PARTITIONED BY DAY", "REPLACE operations are not supported by requested SQL engine [native]")]
    public async Task Query_IngestStatement_Is400PointingToTheTaskEngine_AndMakesNoTask(string sql, string message)
    {
        var tasks = await TaskCountAsync();

        using var response = await QueryAsync(new JsonObject { ["query"] = sql });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var text = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errorMessage"]!.GetValue<string>();
        Assert.StartsWith(message, text);
        Assert.Contains("/druid/v2/sql/task", text);
        Assert.Equal(tasks, await TaskCountAsync());
    }

    [Fact]
    public async Task Query_Extern_Is400_AndReadsNoFile()
    {
        var file = Path.Combine(server.Server.DataDir, "..", "secret.json");
        var before = server.QuerySessions.Count;

        using var response = await QueryAsync(new JsonObject
        {
            ["query"] = $$"""SELECT * FROM TABLE(EXTERN('{"type":"local","files":["{{file}}"]}', '{"type":"json"}')) EXTEND (x VARCHAR)""",
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("EXTERN", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errorMessage"]!.GetValue<string>());
        Assert.Equal(before, server.QuerySessions.Count);
    }

    [Theory]
    [InlineData("""{"query":"SELECT 1","resultFormat":"xml"}""", "resultFormat [xml]")]
    [InlineData("""{"resultFormat":"array"}""", "no query")]
    [InlineData("""{"query":"SELECT 1","header":"yes"}""", "header must be true or false")]
    [InlineData("""{"query":"SELECT 1","context":{"timeout":"soon"}}""", "[timeout]")]
    public async Task Query_BadRequestFields_Are400NamingTheField(string body, string message)
    {
        using var response = await Http.PostAsync("/druid/v2/sql", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Query_TimeoutExceeded_Is504QueryTimeout()
    {
        using var response = await QueryAsync(new JsonObject
        {
            // 4^12 rows to count: slow enough that the 1 ms timeout fires even with the planning inputs cached.
            ["query"] = "SELECT COUNT(*) FROM " + string.Join(" CROSS JOIN ", Enumerable.Range(0, 12).Select(i => $"edits t{i}")), ["context"] = new JsonObject { ["timeout"] = 1, ["sqlQueryId"] = "slow-1" },
        });

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("Query timeout", error["error"]!.GetValue<string>());
        Assert.Equal("org.apache.druid.query.QueryTimeoutException", error["errorClass"]!.GetValue<string>());
        Assert.Contains("[slow-1]", error["errorMessage"]!.GetValue<string>());
    }

    [Fact]
    public async Task Query_AllSlotsTaken_Is429WithTheCapacity_ThenRunsOnceASlotIsFree()
    {
        var engine = server.Server.Services.GetRequiredService<InteractiveSqlEngine>();
        var held = new List<SqlQueryCursor>();
        try
        {
            for (var i = 0; i < engine.Capacity; i++)
            {
                held.Add(await engine.StartAsync(new SqlQueryRequest("SELECT page FROM edits", new JsonObject(), null), default));
            }

            using var refused = await QueryAsync(new JsonObject { ["query"] = "SELECT COUNT(*) FROM edits" });

            Assert.Equal((HttpStatusCode)429, refused.StatusCode);
            var error = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!;
            Assert.Equal("Query capacity exceeded", error["error"]!.GetValue<string>());
            Assert.Contains($"total query capacity of {engine.Capacity} exceeded", error["errorMessage"]!.GetValue<string>());
        }
        finally
        {
            foreach (var cursor in held)
            {
                await cursor.DisposeAsync();
            }
        }

        using var accepted = await QueryAsync(new JsonObject { ["query"] = "SELECT COUNT(*) AS c FROM edits" });
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    [Fact]
    public async Task Cancel_RunningQuery_Is202AndStopsIt_UnknownIdIs404()
    {
        var engine = server.Server.Services.GetRequiredService<InteractiveSqlEngine>();
        await using var cursor = await engine.StartAsync(new SqlQueryRequest("SELECT page FROM edits", new JsonObject { ["sqlQueryId"] = "to-cancel" }, null), default);

        using var canceled = await Http.DeleteAsync("/druid/v2/sql/to-cancel");

        Assert.Equal(HttpStatusCode.Accepted, canceled.StatusCode);
        var stopped = await Assert.ThrowsAsync<SqlQueryException>(async () => { while (await cursor.ReadAsync()) { } });
        Assert.Equal("Query cancelled", stopped.ErrorCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Http.DeleteAsync("/druid/v2/sql/no-such-query")).StatusCode);
    }
}
