using System.Text.Json;
using System.Text.Json.Nodes;
using Dashboard.Core.Ingestion.Sampling;
using Dashboard.Model;
using Dashboard.Tests.Api;
using Dashboard.Tests.Support;
using DuckDB.NET.Data;

namespace Dashboard.Tests.Ingestion;

/// <summary>Parquet input over real HTTP: native batch (flattenSpec, timestamps, nulls), EXTERN, a damaged file, the dialog's statement.</summary>
public sealed class ParquetIngestionApiTests(ApiServer server) : ApiTestBase(server)
{
    /// <summary>
    /// Ten rows a minute apart from 2015-09-12T00:00Z in row groups of four: a TIMESTAMP column, a string, a BIGINT with
    /// three nulls (sum 33 over 7 values), a nested struct (meta.user.name u0/u1, meta.user.id 0..9) and a list.
    /// </summary>
    private async Task<string> WriteParquetAsync(string name)
    {
        var file = InputPath(name);
        await using var db = new DuckDBConnection("DataSource=:memory:");
        await db.OpenAsync();
        await using var command = db.CreateCommand();
        command.CommandText = "COPY (SELECT TIMESTAMP '2015-09-12 00:00:00' + INTERVAL (i) MINUTE AS ts, 'page' || (i % 3) AS page, " +
                              "CASE WHEN i % 4 = 0 THEN NULL ELSE i END AS added, {'user': {'name': 'u' || (i % 2), 'id': i}} AS meta, ['a', 'b'] AS tags " +
                              $"FROM range(10) t(i)) TO '{file}' (FORMAT parquet, ROW_GROUP_SIZE 4)";
        await command.ExecuteNonQueryAsync();
        return file;
    }

    private static string ParquetIndexTask(string ds, string file, JsonObject? flattenSpec = null, int maxSavedParseExceptions = 0) =>
        IngestionHelpers.IndexTask(ds, IngestionHelpers.LocalFiles(file), new JsonObject { ["type"] = "parquet", ["flattenSpec"] = flattenSpec }, spec =>
        {
            spec["dataSchema"]!["timestampSpec"] = new JsonObject { ["column"] = "ts", ["format"] = "auto" };
            spec["dataSchema"]!["dimensionsSpec"] = new JsonObject();
            spec["tuningConfig"]!["maxSavedParseExceptions"] = maxSavedParseExceptions;
        });

    private async Task<(JsonObject Status, JsonObject Report)> IngestAsync(string task)
    {
        var id = await SubmitAsync(task);
        var status = await Eventually.WaitForAsync(() => StatusAsync(id), s => s["statusCode"]!.GetValue<string>() is "SUCCESS" or "FAILED",
            TimeSpan.FromSeconds(60), $"{id} to complete");
        var report = JsonNode.Parse(await Http.GetStringAsync($"{V1}/task/{id}/reports"))!["ingestionStatsAndErrors"]!["payload"]!.AsObject();
        return (status, report);
    }

    private async Task<List<string[]>> QueryAsync(string ds, string sql)
    {
        var status = await RunSqlTaskAsync(sql.Replace("{ds}", ds));
        Assert.True(status["statusCode"]!.GetValue<string>() == "SUCCESS", status.ToJsonString());
        var report = JsonNode.Parse(await Http.GetStringAsync($"{V1}/task/{status["id"]!.GetValue<string>()}/reports"))!;
        return report["multiStageQuery"]!["payload"]!["results"]!["results"]!.AsArray()
            .Select(r => r!.AsArray().Select(v => v is null ? "null" : v.ToJsonString().Trim('"')).ToArray()).ToList();
    }

    [Fact]
    public async Task NativeParquet_FlattenSpecTimestampsAndNulls_IngestsEveryRowExactly()
    {
        var ds = Unique("pq_native");
        var file = await WriteParquetAsync($"{ds}.parquet");
        var flatten = new JsonObject
        {
            ["useFieldDiscovery"] = true,
            ["fields"] = new JsonArray(
                new JsonObject { ["type"] = "path", ["name"] = "userName", ["expr"] = "$.meta.user.name" },
                new JsonObject { ["type"] = "path", ["name"] = "userId", ["expr"] = "$['meta']['user']['id']" },
                new JsonObject { ["type"] = "jq", ["name"] = "firstTag", ["expr"] = ".tags[0]" }),
        };

        var (status, report) = await IngestAsync(ParquetIndexTask(ds, file, flatten));

        Assert.True(status["statusCode"]!.GetValue<string>() == "SUCCESS", status.ToJsonString());
        Assert.Equal(10, report["rowStats"]!["buildSegments"]!["processed"]!.GetValue<long>());
        Assert.Equal(0, report["rowStats"]!["buildSegments"]!["unparseable"]!.GetValue<long>());
        var rows = await QueryAsync(ds, "SELECT COUNT(*), COUNT(added), SUM(added), COUNT(DISTINCT userName), SUM(userId), MIN(firstTag), " +
                                        "MIN(__time), MAX(__time), COUNT(DISTINCT page) FROM {ds}");
        Assert.Equal(["10", "7", "33", "2", "45", "a", "2015-09-12T00:00:00.000Z", "2015-09-12T00:09:00.000Z", "3"], rows[0]);
        var log = await Http.GetStringAsync($"{V1}/task/{status["id"]!.GetValue<string>()}/log");
        Assert.Contains("1 input file(s) (about 10 rows)", log);
    }

    [Fact]
    public async Task NativeParquet_NullTimestamp_CountsTheRowUnparseable_WithItsRowNumber()
    {
        var ds = Unique("pq_nullts");
        var file = InputPath($"{ds}.parquet");
        await using (var db = new DuckDBConnection("DataSource=:memory:"))
        {
            await db.OpenAsync();
            await using var command = db.CreateCommand();
            command.CommandText = "COPY (SELECT CASE WHEN i = 2 THEN NULL ELSE TIMESTAMP '2015-09-12 00:00:00' + INTERVAL (i) MINUTE END AS ts, 'p' || i AS page " +
                                  $"FROM range(5) t(i)) TO '{file}' (FORMAT parquet)";
            await command.ExecuteNonQueryAsync();
        }

        var (status, report) = await IngestAsync(ParquetIndexTask(ds, file, maxSavedParseExceptions: 5));

        Assert.True(status["statusCode"]!.GetValue<string>() == "SUCCESS", report.ToJsonString());
        Assert.Equal(4, report["rowStats"]!["buildSegments"]!["processed"]!.GetValue<long>());
        Assert.Equal(1, report["rowStats"]!["buildSegments"]!["unparseable"]!.GetValue<long>());
        var saved = report["unparseableEvents"]!["buildSegments"]!.AsArray();
        Assert.Contains($"Path: {file}, Record: 3, Line: 3", Assert.Single(saved)!["details"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task NativeParquet_CorruptFile_FailsNamingTheFile_AndWritesNothing()
    {
        var ds = Unique("pq_broken");
        var file = InputPath($"{ds}.parquet");
        await File.WriteAllBytesAsync(file, [.. "PAR1"u8, .. new byte[100], .. "not a footer"u8]);

        var (status, report) = await IngestAsync(ParquetIndexTask(ds, file));

        Assert.Equal("FAILED", status["statusCode"]!.GetValue<string>());
        var message = report["errorMsg"]!.GetValue<string>();
        Assert.Contains(file, message);
        Assert.Contains("not a readable Parquet file", message);
        var datasources = await Http.GetStringAsync("/druid/coordinator/v1/datasources");
        Assert.DoesNotContain(ds, datasources);
    }

    [Fact]
    public async Task NativeParquet_FlattenPathWithWildcard_Is400AtSubmission()
    {
        var ds = Unique("pq_bad_path");
        var flatten = new JsonObject { ["fields"] = new JsonArray(new JsonObject { ["type"] = "path", ["name"] = "x", ["expr"] = "$.meta[*].name" }) };

        var response = await PostJsonAsync($"{V1}/task", ParquetIndexTask(ds, InputPath($"{ds}.parquet"), flatten));

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("$.meta[*].name", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ExternParquet_Insert_ReadsTimestampsAsMillisAndNulls_RowCountsAndEstimateExact()
    {
        var ds = Unique("pq_sql");
        var file = await WriteParquetAsync($"{ds}.parquet");
        var signature = """[{"name":"ts","type":"long"},{"name":"page","type":"string"},{"name":"added","type":"long"}]""";

        var status = await RunSqlTaskAsync(
            $$"""INSERT INTO {{ds}} SELECT MILLIS_TO_TIMESTAMP(ts) AS __time, page, added FROM TABLE(EXTERN('{"type":"local","files":["{{file}}"]}', '{"type":"parquet"}', '{{signature}}')) PARTITIONED BY DAY""");

        Assert.True(status["statusCode"]!.GetValue<string>() == "SUCCESS", status.ToJsonString());
        var report = JsonNode.Parse(await Http.GetStringAsync($"{V1}/task/{status["id"]!.GetValue<string>()}/reports"))!["multiStageQuery"]!["payload"]!;
        Assert.Equal(10, report["counters"]!["0"]!["0"]!["input0"]!["rows"]![0]!.GetValue<long>());
        var rows = await QueryAsync(ds, "SELECT COUNT(*), COUNT(added), SUM(added), MIN(__time), MAX(__time) FROM {ds}");
        Assert.Equal(["10", "7", "33", "2015-09-12T00:00:00.000Z", "2015-09-12T00:09:00.000Z"], rows[0]);
        var log = await Http.GetStringAsync($"{V1}/task/{status["id"]!.GetValue<string>()}/log");
        Assert.Contains("1 input file(s) (about 10 rows)", log);
    }

    [Fact]
    public async Task ConnectExternalDataDialog_ParquetFile_WritesAStatementThatIngests()
    {
        var ds = Unique("pq_dialog");
        var file = await WriteParquetAsync($"{ds}.parquet");
        var form = new ExternalDataForm { Kind = ExternalSourceKind.LocalFile, LocalPath = file };
        var sampled = await PostJsonAsync($"{V1}/sampler", form.SamplerRequest().ToJsonString());
        var sample = JsonSerializer.Deserialize<SamplerResponse>(await sampled.Content.ReadAsStringAsync(), JsonSerializerOptions.Web)!;
        form.Apply(form.InputSource(), sample);
        form.DataSource = ds;

        Assert.Null(form.InsertProblem);
        var sql = form.BuildSql();
        Assert.Contains("'{\"type\":\"parquet\"}'", sql);
        Assert.Contains("TIME_PARSE(\"ts\") AS \"__time\"", sql);
        var status = await RunSqlTaskAsync(sql);

        Assert.True(status["statusCode"]!.GetValue<string>() == "SUCCESS", status.ToJsonString() + "\n" + sql);
        var rows = await QueryAsync(ds, "SELECT COUNT(*), SUM(added), MIN(__time) FROM {ds}");
        Assert.Equal(["10", "33", "2015-09-12T00:00:00.000Z"], rows[0]);
    }
}
