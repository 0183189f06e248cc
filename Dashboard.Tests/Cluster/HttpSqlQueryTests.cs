using System.Text.Json.Nodes;
using Dashboard.Core.Cluster;
using Dashboard.Core.Errors;
using Dashboard.Core.Query;

namespace Dashboard.Tests.Cluster;

/// <summary>The cluster client's interactive query: Druid's request shape, and the same rows and errors as in process.</summary>
public sealed class HttpSqlQueryTests(EmbeddedDruid druid) : IClassFixture<EmbeddedDruid>
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public void SqlQueryBody_IsDruidsArrayFormatWithHeader()
    {
        var request = new SqlQueryRequest("SELECT ?", new JsonObject { ["sqlQueryId"] = "q1" }, [new JsonObject { ["type"] = "INTEGER", ["value"] = 1 }]);

        var body = DruidHttpOverlordClient.SqlQueryBody(request);

        Assert.Equal("""{"query":"SELECT ?","resultFormat":"array","header":true,"context":{"sqlQueryId":"q1"},"parameters":[{"type":"INTEGER","value":1}]}""",
            body.ToJsonString());
    }

    [Fact]
    public async Task QuerySql_OverHttp_EqualsTheInProcessAnswerAndCarriesTheQueryId()
    {
        var id = $"wb-{Guid.NewGuid():N}";
        var request = new SqlQueryRequest("SELECT 1 AS one, 'a' AS s", new JsonObject { ["sqlQueryId"] = id }, null);

        var http = await druid.Http.QuerySqlAsync(request, None);
        var inProcess = await druid.InProcess.QuerySqlAsync(request with { Context = new JsonObject() }, None);

        Assert.Equal(id, http.SqlQueryId);
        Assert.Equal(["one", "s"], http.Columns);
        Assert.Equal(inProcess.Columns, http.Columns);
        Assert.Equal(inProcess.Rows.Select(r => r.ToJsonString()), http.Rows.Select(r => r.ToJsonString()));
        Assert.False(http.Truncated);
    }

    [Fact]
    public async Task QuerySql_BadQuery_ComesBackAsTheSame400()
    {
        var bad = new SqlQueryRequest("SELECT * FROM no_such_table_wb", new JsonObject(), null);

        var expected = await Assert.ThrowsAsync<DruidException>(() => druid.InProcess.QuerySqlAsync(bad, None));
        var actual = await Assert.ThrowsAsync<DruidException>(() => druid.Http.QuerySqlAsync(bad, None));

        Assert.Equal(400, actual.StatusCode);
        Assert.Equal((expected.StatusCode, expected.Message), (actual.StatusCode, actual.Message));
    }
}
