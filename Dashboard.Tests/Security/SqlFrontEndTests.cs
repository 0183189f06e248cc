using Dashboard.Core.Msq.Dialect;
using Dashboard.Security;
using DuckDB.NET.Data;

namespace Dashboard.Tests.Security;

/// <summary>The SQL front end's allow-list and table positions, without a server.</summary>
public class SqlFrontEndTests
{
    private static TranslatedQuery Translate(string sql)
    {
        var statement = DruidSqlParser.Parse(sql);
        return DruidSqlTranslator.Translate(statement.Select, DateTimeOffset.UnixEpoch, statement.TimeZone);
    }

    [Fact]
    public void OfSql_CommaJoinedAndNestedTables_AreAllReadSources()
    {
        var resources = DruidResources.OfSql("SELECT * FROM a, b JOIN c ON TRUE, (SELECT * FROM d, druid.e) s WHERE x IN (SELECT y FROM f, g)");

        Assert.Equal(["a", "b", "c", "d", "e", "f", "g"], resources.Sources.Select(r => r.Name).Order());
    }

    [Fact]
    public void OfSql_RefusedStatement_ReadsNothingAndNeedsState()
    {
        var resources = DruidResources.OfSql("SELECT * FROM a, read_csv('/etc/passwd')");

        Assert.Empty(resources.Sources);
        Assert.Equal(Dashboard.Core.Security.Resource.State, resources.Target);
    }

    [Fact]
    public void Translate_WritesTheAllowListsNames_NotTheUsersText()
    {
        var sql = Translate("SELECT CoUnT(*) AS c, StrLen(x) AS l, regexp_like(x, 'a') AS r FROM t GROUP BY x").Sql;

        Assert.Contains("count(*)", sql);
        Assert.Contains("length(x)", sql);
        Assert.Contains("regexp_matches(x , 'a')", sql);
        Assert.DoesNotContain("CoUnT", sql);
        Assert.Contains("\"__ds_t\"", sql);
    }

    [Fact]
    public void Translate_NonAsciiWord_IsAQuotedName()
    {
        var sql = Translate("SELECT ſelect FROM t").Sql;

        Assert.StartsWith("SELECT \"ſelect\" FROM", sql);
    }

    [Fact]
    public void Translate_CommaJoinedName_IsADataSourceView()
    {
        var translated = Translate("SELECT * FROM a, b AS x, c");

        Assert.Equal(["a", "b", "c"], translated.DataSources);
        Assert.Equal("SELECT * FROM \"__ds_a\" , \"__ds_b\" AS x , \"__ds_c\"", translated.Sql);
    }

    [Fact]
    public async Task PassThroughFunctions_AllExistInTheEmbeddedDuckDb()
    {
        await using var db = new DuckDBConnection("DataSource=:memory:");
        await db.OpenAsync();
        await using var command = db.CreateCommand();
        command.CommandText = "SELECT DISTINCT lower(function_name) FROM duckdb_functions()";
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                names.Add(reader.GetString(0));
            }
        }

        var keywords = new[] { "CAST", "EXTRACT", "position", "coalesce", "grouping" }; // special forms of DuckDB's grammar
        var missing = DruidSqlFunctions.PassThrough.Values.Where(n => !keywords.Contains(n) && !names.Contains(n)).ToList();
        Assert.Empty(missing);
    }

    [Fact]
    public void All_HoldsTheTranslatedAndPassThroughFunctions_AndNoDuckDbOnlyOne()
    {
        Assert.Contains("TIME_FLOOR", DruidSqlFunctions.All);
        Assert.Contains("COUNT", DruidSqlFunctions.All);
        Assert.DoesNotContain("READ_CSV", DruidSqlFunctions.All);
        Assert.False(DruidSqlFunctions.IsAllowed("current_setting"));
        Assert.False(DruidSqlFunctions.IsAllowed("coun\u0442"));
    }
}
