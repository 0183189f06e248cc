using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Dashboard.Tests.SqlQuery;

/// <summary>Druid's system tables and INFORMATION_SCHEMA through <c>POST /druid/v2/sql</c>, as the console and dsql read them.</summary>
public sealed class SystemTablesApiTests(SqlQueryServer server) : IClassFixture<SqlQueryServer>
{
    private async Task<JsonArray> RowsAsync(string sql, string format = "object")
    {
        using var response = await server.Http.PostAsJsonAsync("/druid/v2/sql", new JsonObject { ["query"] = sql, ["resultFormat"] = format });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonNode.Parse(text)!.AsArray();
    }

    [Fact]
    public async Task SysSegments_ListsEachSegment_WithDruidsColumnsInOrder()
    {
        var header = await RowsAsync("SELECT * FROM sys.segments WHERE datasource = 'edits' LIMIT 1", "array");
        var rows = await RowsAsync("SELECT segment_id, \"start\", num_rows, is_active, is_overshadowed FROM sys.segments WHERE datasource = 'edits' ORDER BY \"start\"");

        Assert.Equal(2, rows.Count);
        Assert.Equal("2015-09-12T00:00:00.000Z", rows[0]!["start"]!.GetValue<string>());
        Assert.Equal(3, rows[0]!["num_rows"]!.GetValue<long>());
        Assert.Equal(1, rows[0]!["is_active"]!.GetValue<long>());
        Assert.Equal(0, rows[0]!["is_overshadowed"]!.GetValue<long>());
        Assert.Single(header);
    }

    [Fact]
    public async Task SysTasks_HoldTheIngestion_AndServersTheOneServer()
    {
        var tasks = await RowsAsync("SELECT task_id, type, datasource, status FROM sys.tasks WHERE datasource = 'edits'");
        var servers = await RowsAsync("SELECT server, server_type, is_leader FROM sys.servers");
        var supervisors = await RowsAsync("SELECT * FROM sys.supervisors");

        Assert.Contains(tasks, t => t!["type"]!.GetValue<string>() == "index_parallel" && t["status"]!.GetValue<string>() == "SUCCESS");
        Assert.Equal(1, Assert.Single(servers)!["is_leader"]!.GetValue<long>());
        Assert.Empty(supervisors);
    }

    [Fact]
    public async Task InformationSchema_TablesAndColumns_AsDsqlAndTheConsoleRead()
    {
        var tables = await RowsAsync("SELECT TABLE_SCHEMA, TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = 'druid'");
        var columns = await RowsAsync("SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME, DATA_TYPE FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME = 'edits' ORDER BY ORDINAL_POSITION");

        Assert.Contains(tables, t => t!["TABLE_NAME"]!.GetValue<string>() == "edits");
        Assert.Equal("__time", columns[0]!["COLUMN_NAME"]!.GetValue<string>());
        Assert.Equal("TIMESTAMP", columns[0]!["DATA_TYPE"]!.GetValue<string>());
        Assert.Contains(columns, c => c!["COLUMN_NAME"]!.GetValue<string>() == "page" && c["DATA_TYPE"]!.GetValue<string>() == "VARCHAR");
    }

    [Fact]
    public async Task UnknownSystemTable_Is400NamingIt()
    {
        using var response = await server.Http.PostAsJsonAsync("/druid/v2/sql", new JsonObject { ["query"] = "SELECT * FROM sys.nope" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("sys.nope", await response.Content.ReadAsStringAsync());
    }
}
