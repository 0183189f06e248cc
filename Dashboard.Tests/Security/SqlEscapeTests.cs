using System.Net;
using System.Text.Json.Nodes;
using Dashboard.Tests.Api;

namespace Dashboard.Tests.Security;

/// <summary>
/// SQL that would reach DuckDB's files, settings or statements is refused over real HTTP: a 400 in Druid's shape naming
/// the function, table or token, no task made, nothing read (no line of /etc/passwd in the answer), nothing written.
/// </summary>
public class SqlEscapeTests(ApiServer server) : ApiTestBase(server)
{
    private const string Sql = "/druid/v2/sql/task";

    public static TheoryData<string, string> Escapes => new()
    {
        // DuckDB table functions in every table position
        { "SELECT * FROM read_csv('/etc/passwd')", "No match found for function signature read_csv(<CHARACTER>)" },
        { "SELECT * FROM read_csv_auto('/etc/passwd')", "No match found for function signature read_csv_auto(" },
        { "SELECT * FROM read_json('/etc/passwd')", "No match found for function signature read_json(" },
        { "SELECT * FROM read_json_auto('/etc/passwd')", "No match found for function signature read_json_auto(" },
        { "SELECT * FROM read_json_objects('/etc/passwd')", "No match found for function signature read_json_objects(" },
        { "SELECT * FROM read_parquet('/etc/passwd')", "No match found for function signature read_parquet(" },
        { "SELECT * FROM parquet_scan('/etc/passwd')", "No match found for function signature parquet_scan(" },
        { "SELECT * FROM read_text('/etc/passwd')", "No match found for function signature read_text(" },
        { "SELECT * FROM read_blob('/etc/passwd')", "No match found for function signature read_blob(" },
        { "SELECT * FROM glob('/*')", "No match found for function signature glob(<CHARACTER>)" },
        { "SELECT * FROM sniff_csv('/etc/passwd')", "No match found for function signature sniff_csv(" },
        { "SELECT * FROM sqlite_scan('/tmp/x.db', 't')", "No match found for function signature sqlite_scan(<CHARACTER>, <CHARACTER>)" },
        { "SELECT * FROM postgres_scan('host=localhost', 'public', 't')", "No match found for function signature postgres_scan(" },
        { "SELECT * FROM iceberg_scan('/tmp/x')", "No match found for function signature iceberg_scan(" },
        { "SELECT * FROM delta_scan('/tmp/x')", "No match found for function signature delta_scan(" },
        { "SELECT * FROM query('SELECT 1')", "No match found for function signature query(" },
        { "SELECT * FROM range(10)", "No match found for function signature range(<NUMERIC>)" },
        { "SELECT * FROM main.read_csv('/etc/passwd')", "No match found for function signature read_csv(" },
        { "SELECT * FROM \"read_csv\"('/etc/passwd')", "No match found for function signature read_csv(" },
        { "SELECT * FROM TABLE(read_csv('/etc/passwd'))", "Received an unexpected token [TABLE]" },
        // settings and environment
        { "SELECT * FROM duckdb_settings()", "No match found for function signature duckdb_settings()" },
        { "SELECT current_setting('TimeZone')", "No match found for function signature current_setting(<CHARACTER>)" },
        { "SELECT getenv('HOME')", "No match found for function signature getenv(" },
        { "SELECT getvariable('x')", "No match found for function signature getvariable(" },
        { "SELECT * FROM duckdb_extensions()", "No match found for function signature duckdb_extensions()" },
        { "SELECT * FROM duckdb_secrets()", "No match found for function signature duckdb_secrets()" },
        { "SELECT * FROM pragma_version()", "No match found for function signature pragma_version()" },
        { "SELECT * FROM pragma_database_list()", "No match found for function signature pragma_database_list()" },
        { "SELECT 'TimeZone'.current_setting()", "No match found for function signature current_setting()" },
        { "SELECT main.current_setting('TimeZone')", "No match found for function signature current_setting(" },
        { "SELECT \"current_setting\"('TimeZone')", "No match found for function signature current_setting(" },
        // files named as tables
        { "SELECT * FROM '/etc/passwd'", "Received an unexpected token ['/etc/passwd'] (line [1], column [15])" },
        { "SELECT * FROM \"/etc/passwd.csv\"", "Table [/etc/passwd.csv] not found" },
        { "SELECT 1from'/etc/passwd'", "Received an unexpected token ['/etc/passwd']" },
        // ... inside CTEs, subqueries, joins, unions, IN, LATERAL
        { "WITH t AS (SELECT * FROM read_csv_auto('/etc/passwd')) SELECT * FROM t", "No match found for function signature read_csv_auto(" },
        { "WITH t AS (SELECT * FROM '/etc/passwd') SELECT * FROM t", "Received an unexpected token ['/etc/passwd']" },
        { "SELECT * FROM (SELECT * FROM read_text('/etc/passwd'))", "No match found for function signature read_text(" },
        { "SELECT * FROM (SELECT 1 AS a) x JOIN read_csv('/etc/passwd') y ON TRUE", "No match found for function signature read_csv(" },
        { "SELECT * FROM (SELECT 1 AS a) x LEFT JOIN '/etc/passwd' y ON TRUE", "Received an unexpected token ['/etc/passwd']" },
        { "SELECT * FROM (SELECT 1 AS a) x, '/etc/passwd'", "Received an unexpected token ['/etc/passwd']" },
        { "SELECT * FROM (SELECT 1 AS a) x, read_blob('/etc/passwd')", "No match found for function signature read_blob(" },
        { "SELECT 1 AS a UNION ALL SELECT * FROM read_csv('/etc/passwd')", "No match found for function signature read_csv(" },
        { "SELECT 1 AS a WHERE 'x' IN (SELECT * FROM glob('/*'))", "No match found for function signature glob(" },
        { "SELECT * FROM (SELECT 1 AS a) x, LATERAL (SELECT * FROM read_text('/etc/passwd'))", "No match found for function signature read_text(" },
        { "SELECT * FROM ((SELECT 1 AS a) x CROSS JOIN '/etc/passwd')", "Received an unexpected token ['/etc/passwd']" },
        { "SELECT * FROM (VALUES (1)) AS t(a), read_csv('/etc/passwd')", "No match found for function signature read_csv(" },
        { "SELECT * FROM (SELECT 1 AS a) AS t(a, current_setting('x'))", "No match found for function signature current_setting(<CHARACTER>)" },
        { "WITH \"/etc/passwd.csv\" AS (SELECT 1) SELECT * FROM \"/etc/passwd.csv\"", "The WITH query name [/etc/passwd.csv]" },
        { "INSERT INTO t SELECT * FROM read_csv('/etc/passwd') PARTITIONED BY ALL", "No match found for function signature read_csv(" },
        { "REPLACE INTO t OVERWRITE ALL SELECT * FROM '/etc/passwd' PARTITIONED BY ALL", "Received an unexpected token ['/etc/passwd']" },
        { "EXPLAIN PLAN FOR SELECT * FROM read_csv('/etc/passwd')", "No match found for function signature read_csv(" },
        // DuckDB-only syntax
        { "SELECT * FROM (FROM '/etc/passwd')", "Received an unexpected token [FROM]" },
        { "WITH t AS (SELECT 1) FROM '/etc/passwd'", "Received an unexpected token [FROM]" },
        { "SELECT 1 AS a UNION FROM '/etc/passwd'", "Received an unexpected token [FROM]" },
        { "SELECT * FROM (SUMMARIZE SELECT 1)", "Received an unexpected token [SUMMARIZE]" },
        { "SELECT * FROM (DESCRIBE SELECT 1)", "Received an unexpected token [DESCRIBE]" },
        { "SELECT * FROM (SHOW TABLES)", "Received an unexpected token [SHOW]" },
        { "SELECT * FROM (SELECT 1 AS a) PIVOT (count(*) FOR a IN (1))", "Received an unexpected token [PIVOT]" },
        { "SELECT * FROM (SELECT 1 AS a) UNPIVOT (v FOR a IN (a))", "Received an unexpected token [UNPIVOT]" },
        { "SELECT 1 WHERE 1 IN (TABLE \"x.csv\")", "Received an unexpected token [TABLE]" },
        { "SELECT COLUMNS('.*') FROM (SELECT 1 AS a)", "Received an unexpected token [COLUMNS]" },
        { "WITH RECURSIVE t AS (SELECT 1) SELECT * FROM t", "Received an unexpected token [RECURSIVE]" },
        { "SELECT {'a': 1}", "Received an unexpected token [{]" },
        { "SELECT $$/etc/passwd$$", "Received an unexpected token [$]" },
        { "SELECT $1", "Received an unexpected token [$]" },
        { "SELECT $name", "Received an unexpected token [$]" },
        { "SELECT E'\\x2f'", "Received an unexpected token [E'\\x2f']" },
        { "SELECT X'41'", "Received an unexpected token [X'41']" },
        // stacked statements, comment tricks, case mixes, look-alikes
        { "SELECT 1; SELECT 2", "Only SET statements can appear before the final statement in a statement list, but found non-SET statement[SELECT 1]" },
        { "SELECT 1; INSTALL httpfs", "Received an unexpected token [INSTALL] (line [1], column [11]), acceptable options: [<EOF>]" },
        { "SELECT 1; LOAD httpfs", "Received an unexpected token [LOAD]" },
        { "SELECT 1; PRAGMA version", "Received an unexpected token [PRAGMA]" },
        { "SELECT 1; SET enable_external_access = true", "Only SET statements can appear before the final statement" },
        { "SELECT 1; CREATE MACRO m(x) AS x", "Received an unexpected token [CREATE]" },
        { "SELECT 1; CREATE TABLE t AS SELECT 1", "Received an unexpected token [CREATE]" },
        { "SELECT 1; EXPORT DATABASE '/tmp/sql-escape-export'", "Received an unexpected token [EXPORT]" },
        { "SELECT 1; CALL pragma_version()", "Received an unexpected token [CALL]" },
        { "SELECT 1 /* ; */; PRAGMA version", "Received an unexpected token [PRAGMA]" },
        { "SELECT 1 -- ;\n; PRAGMA version", "Received an unexpected token [PRAGMA] (line [2], column [3])" },
        { "SELECT '; PRAGMA version'; PRAGMA version", "Received an unexpected token [PRAGMA]" },
        { "SET maxNumTasks = 2; SELECT 1; SET x = 1", "Only SET statements can appear before the final statement" },
        { "SeLeCt * FrOm ReAd_CsV('/etc/passwd')", "No match found for function signature ReAd_CsV(" },
        { "SELECT * FROM ｒｅａｄ_ｃｓｖ('/etc/passwd')", "No match found for function signature ｒｅａｄ_ｃｓｖ(" },
        { "SELECT * FROM re\u0430d_csv('/etc/passwd')", "No match found for function signature re\u0430d_csv(" },
        { "SELECT current_\u017Fetting('TimeZone')", "No match found for function signature current_\u017Fetting(" },
        { "SELECT 'a\u0000'", "a NUL character cannot be part of a statement" },
        { "SELECT * FROM (SELECT 1 AS a) x WHERE a IN (SELECT 1 WHERE (1 FROM '/etc/passwd'))", "Received an unexpected token [FROM]" },
        { "SELECT TIME_FORMAT(CURRENT_TIMESTAMP, 'Asia/Kolkata')", "Joda pattern letter 'A' in [Asia/Kolkata] is not supported." },
        { "SELECT getvariable CONCAT('a', 'b')", "Received an unexpected token [CONCAT]" },
        { "SELECT current_setting CEIL(CURRENT_TIMESTAMP TO DAY)", "Received an unexpected token [CEIL]" },
        { "SELECT \"current_setting\" TIME_SHIFT(CURRENT_TIMESTAMP, 'P1D', 1)", "Received an unexpected token [TIME_SHIFT]" },
        // text that the translator used to copy into its own SQL
        { "SELECT FLOOR(CURRENT_TIMESTAMP TO \"day') , (SELECT 1) --\")", "needs a time unit such as DAY or HOUR" },
        { "SELECT * FROM (SELECT 1 AS a) x (SELECT 1 FROM \"x.csv\")", "Received an unexpected token [SELECT]" },
        { "SELECT * FROM (SELECT 1 AS a) (SELECT 1 FROM \"x.csv\")", "Received an unexpected token [(]" },
        { "SELECT * FROM TABLE(EXTERN('{}', '{}')) (x glob(1))", "No match found for function signature glob(<NUMERIC>)" },
        { "SELECT * FROM (SELECT 1 AS a) x EXTEND (a VARCHAR)", "Received an unexpected token [EXTEND]" },
    };

    [Theory]
    [MemberData(nameof(Escapes))]
    public async Task EscapeAttempt_Is400NamingIt_NoTaskAndNothingRead(string query, string message)
    {
        var before = (await GetArrayAsync($"{V1}/tasks")).Count;

        var response = await PostJsonAsync(Sql, new JsonObject { ["query"] = query }.ToJsonString());
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = JsonNode.Parse(text)!;
        Assert.Equal("FAILED", body["state"]!.GetValue<string>());
        Assert.Equal("invalidInput", body["error"]!["errorCode"]!.GetValue<string>());
        Assert.Contains(message, body["error"]!["errorMessage"]!.GetValue<string>());
        Assert.DoesNotContain("root:", text);
        Assert.Equal(before, (await GetArrayAsync($"{V1}/tasks")).Count);
    }

    [Theory]
    [InlineData("SELECT 1; COPY (SELECT 42) TO '{0}'", "COPY")]
    [InlineData("SELECT 1; ATTACH '{0}' AS y; CREATE TABLE y.t AS SELECT 1", "ATTACH")]
    [InlineData("EXPLAIN PLAN FOR SELECT 1; COPY (SELECT 42) TO '{0}'", "COPY")]
    [InlineData("SELECT 1 /* ; */ ; COPY (SELECT 42) TO '{0}'", "COPY")]
    public async Task StackedWrite_Is400_AndTheTargetFileIsNotCreated(string template, string token)
    {
        var target = Path.Combine(Path.GetTempPath(), $"sql-escape-{Guid.NewGuid():N}.db");
        var before = (await GetArrayAsync($"{V1}/tasks")).Count;

        var response = await PostJsonAsync(Sql, new JsonObject { ["query"] = string.Format(template, target) }.ToJsonString());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;
        Assert.StartsWith($"Received an unexpected token [{token}]", error["errorMessage"]!.GetValue<string>());
        Assert.NotNull(error["context"]!["line"]);
        Assert.False(File.Exists(target));
        Assert.Equal(before, (await GetArrayAsync($"{V1}/tasks")).Count);
    }

    [Fact]
    public async Task CommaJoinedName_IsADatasource_AndAnUnknownOneIsTableNotFound()
    {
        var response = await PostJsonAsync(Sql, new JsonObject { ["query"] = "SELECT * FROM (SELECT 1 AS a) x, missing_ds" }.ToJsonString());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var message = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["errorMessage"]!.GetValue<string>();
        Assert.StartsWith("Table [missing_ds] not found", message);
    }

    [Fact]
    public async Task AllowedFunctionsAndSyntax_StillRun()
    {
        var status = await RunSqlTaskAsync(
            "WITH t (a, b) AS (SELECT 1, 'x') SELECT UPPER(b) AS u, COALESCE(NULLIF(a, 2), 0) AS c, CONCAT(b, 'y') AS s, CAST(a AS VARCHAR) AS v, "
            + "REGEXP_LIKE(b, 'x') AS r, x.a::BIGINT AS n FROM t AS x, (VALUES (3)) AS v2(z) WHERE a IN (SELECT 1) AND EXISTS (SELECT 1) AND b IS NOT DISTINCT FROM 'x' "
            + "AND EXTRACT(YEAR FROM TIMESTAMP '2000-01-01') = 2000 AND TRIM(BOTH ' ' FROM ' x ') = 'x'");

        Assert.Equal("SUCCESS", status["statusCode"]!.GetValue<string>());
        var id = status["id"]!.GetValue<string>();
        var results = JsonNode.Parse(await Http.GetStringAsync($"{V1}/task/{id}/reports"))!["multiStageQuery"]!["payload"]!["results"]!["results"]!;
        Assert.Equal("""[["X",1,"xy","1",1,1]]""", results.ToJsonString());
    }
}
