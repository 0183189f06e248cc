using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Dashboard.Core.Common;
using Dashboard.Core.Ingestion.Sampling;
using Dashboard.Tests.Api;
using Dashboard.Tests.Support;

namespace Dashboard.Tests.Sampling;

/// <summary><c>POST /druid/indexer/v1/sampler</c> over real HTTP: formats, detection, bounded reads, the input rules, and the INSERT it leads to.</summary>
public class SamplerApiTests(ApiServer server) : ApiTestBase(server)
{
    private const string Sampler = V1 + "/sampler";

    private static JsonObject Local(string file) => new() { ["type"] = "local", ["files"] = new JsonArray(file) };

    private async Task<(HttpStatusCode Status, JsonObject Body)> SampleAsync(JsonObject inputSource, JsonObject? inputFormat = null, int? numRows = null, string? timestampColumn = null)
    {
        var request = SamplerSpec.Request(inputSource, inputFormat, numRows ?? SamplerSpec.DefaultNumRows, timestampColumn);
        var response = await PostJsonAsync(Sampler, request.ToJsonString());
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
    }

    private async Task<JsonObject> SampleOkAsync(JsonObject inputSource, JsonObject? inputFormat = null, int? numRows = null, string? timestampColumn = null)
    {
        var (status, body) = await SampleAsync(inputSource, inputFormat, numRows, timestampColumn);
        Assert.True(status == HttpStatusCode.OK, body.ToJsonString());
        return body;
    }

    private static string[] Names(JsonObject body) => body["logicalSegmentSchema"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()).ToArray();

    private static string TypeOf(JsonObject body, string column) =>
        body["logicalSegmentSchema"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == column)!["type"]!.GetValue<string>();

    [Fact]
    public async Task Wikiticker_Gzip_DetectedAsJson_DruidShape_FirstRowsOnly()
    {
        var body = await SampleOkAsync(Local(WikitickerInput()), numRows: 50);

        Assert.Equal(["numRowsRead", "numRowsIndexed", "logicalDimensions", "physicalDimensions", "logicalSegmentSchema", "data", "inputFormat", "timeColumns", "bytesRead", "truncated"],
            body.Select(p => p.Key));
        Assert.Equal("""{"type":"json"}""", body["inputFormat"]!.ToJsonString());
        Assert.Equal(50, body["numRowsRead"]!.GetValue<int>());
        Assert.Equal(50, body["numRowsIndexed"]!.GetValue<int>());
        Assert.Equal(50, body["data"]!.AsArray().Count);
        Assert.True(body["truncated"]!.GetValue<bool>());
        Assert.Equal(SampleInputReader.MaxSampleBytes, body["bytesRead"]!.GetValue<long>());
        Assert.Equal(["__time", "time", "channel", "cityName", "comment"], Names(body)[..5]);
        Assert.Equal("LONG", TypeOf(body, "__time"));
        Assert.Equal("STRING", TypeOf(body, "channel"));
        Assert.Equal("LONG", TypeOf(body, "added"));
        Assert.Equal("STRING", TypeOf(body, "isRobot"));
        Assert.Equal("time", body["timeColumns"]![0]!["name"]!.GetValue<string>());
        Assert.Equal("iso", body["timeColumns"]![0]!["format"]!.GetValue<string>());

        var first = body["data"]![0]!;
        Assert.Equal("2015-09-12T00:46:58.771Z", first["input"]!["time"]!.GetValue<string>());
        Assert.Equal(0, first["parsed"]!["__time"]!.GetValue<long>());
        Assert.Equal(36, first["parsed"]!["added"]!.GetValue<long>());
        var dimension = body["logicalDimensions"]!.AsArray().Single(d => d!["name"]!.GetValue<string>() == "channel")!;
        Assert.Equal("""{"type":"string","name":"channel","multiValueHandling":"SORTED_ARRAY","createBitmapIndex":true}""", dimension.ToJsonString());
    }

    [Fact]
    public async Task TimestampSpec_ParsesTheTimeIntoParsed()
    {
        var body = await SampleOkAsync(Local(WikitickerInput()), new JsonObject { ["type"] = "json" }, numRows: 3, timestampColumn: "time");

        Assert.Equal(DruidTime.Parse("2015-09-12T00:46:58.771Z").ToUnixTimeMilliseconds(), body["data"]![0]!["parsed"]!["__time"]!.GetValue<long>());
        Assert.DoesNotContain("time", Names(body));
    }

    [Fact]
    public async Task Csv_WithHeader_Detected_NumbersTyped()
    {
        var file = InputPath(Unique("sales") + ".csv");
        await File.WriteAllTextAsync(file, "ts,city,amount,price\n2024-01-01T10:00:00Z,\"Paris, FR\",3,9.5\n2024-01-02T11:00:00Z,Oslo,4,10\n");

        var body = await SampleOkAsync(Local(file));

        Assert.Equal("""{"type":"csv","findColumnsFromHeader":true}""", body["inputFormat"]!.ToJsonString());
        Assert.Equal(["__time", "ts", "city", "amount", "price"], Names(body));
        Assert.Equal(("LONG", "DOUBLE", "STRING"), (TypeOf(body, "amount"), TypeOf(body, "price"), TypeOf(body, "city")));
        Assert.Equal("Paris, FR", body["data"]![0]!["parsed"]!["city"]!.GetValue<string>());
        Assert.Equal(9.5, body["data"]![0]!["parsed"]!["price"]!.GetValue<double>());
        Assert.Equal("ts", body["timeColumns"]![0]!["name"]!.GetValue<string>());
        Assert.False(body["truncated"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Tsv_WithoutHeader_GetsColumnNames_AndEpochMillisIsATimeCandidate()
    {
        var file = InputPath(Unique("events") + ".tsv");
        await File.WriteAllTextAsync(file, "1442016000000\tfoo\t1\n1442016060000\tbar\t2\n");

        var body = await SampleOkAsync(Local(file));

        Assert.Equal("""{"type":"tsv","columns":["column1","column2","column3"]}""", body["inputFormat"]!.ToJsonString());
        Assert.Equal(["__time", "column1", "column2", "column3"], Names(body));
        Assert.Equal("""{"name":"column1","format":"millis"}""", body["timeColumns"]![0]!.ToJsonString());
    }

    [Fact]
    public async Task Inline_PipeDelimited_DetectedAsTsvWithDelimiter()
    {
        var body = await SampleOkAsync(new JsonObject { ["type"] = "inline", ["data"] = "time|name|n\n2024-01-01|a|1\n2024-01-02|b|2\n" });

        Assert.Equal("""{"type":"tsv","delimiter":"|","findColumnsFromHeader":true}""", body["inputFormat"]!.ToJsonString());
        Assert.Equal(2, body["numRowsRead"]!.GetValue<int>());
        Assert.Equal("b", body["data"]![1]!["input"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task GivenFormat_IsUsed_AndBadRowsAreUnparseable()
    {
        var body = await SampleOkAsync(new JsonObject { ["type"] = "inline", ["data"] = "{\"a\":1}\nnot json\n{\"a\":2}\n" }, new JsonObject { ["type"] = "json" });

        Assert.Equal(3, body["numRowsRead"]!.GetValue<int>());
        Assert.Equal(2, body["numRowsIndexed"]!.GetValue<int>());
        Assert.True(body["data"]![1]!["unparseable"]!.GetValue<bool>());
        Assert.StartsWith("Unable to parse row [not json]", body["data"]![1]!["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task Parquet_DetectedByMagic_AndSampled()
    {
        var file = InputPath(Unique("pq") + ".data");
        await using (var db = new DuckDB.NET.Data.DuckDBConnection("DataSource=:memory:"))
        {
            await db.OpenAsync();
            await using var command = db.CreateCommand();
            command.CommandText = $"COPY (SELECT TIMESTAMP '2024-01-01 00:00:00' + INTERVAL (i) HOUR AS ts, 'k' || i AS k, i AS n FROM range(10) t(i)) TO '{file}' (FORMAT parquet)";
            await command.ExecuteNonQueryAsync();
        }

        var body = await SampleOkAsync(Local(file), numRows: 4);

        Assert.Equal("""{"type":"parquet"}""", body["inputFormat"]!.ToJsonString());
        Assert.Equal(4, body["numRowsRead"]!.GetValue<int>());
        Assert.Equal("LONG", TypeOf(body, "n"));
        Assert.Equal("2024-01-01T01:00:00.000Z", body["data"]![1]!["input"]!["ts"]!.GetValue<string>());
    }

    [Fact]
    public async Task LargeFile_OnlyTheBoundedSampleIsRead()
    {
        // ~64 MiB of JSON lines: reading it whole would take far longer than the bound and show in bytesRead.
        var file = InputPath(Unique("large") + ".json");
        var line = Encoding.UTF8.GetBytes("{\"time\":\"2015-09-12T00:00:00Z\",\"pad\":\"" + new string('x', 950) + "\"}\n");
        await using (var stream = File.Create(file))
        {
            for (var i = 0; i < 64 * 1024; i++)
            {
                stream.Write(line);
            }
        }

        var watch = Stopwatch.StartNew();
        var body = await SampleOkAsync(Local(file), numRows: 10);
        watch.Stop();

        Assert.Equal(10, body["numRowsRead"]!.GetValue<int>());
        Assert.True(body["truncated"]!.GetValue<bool>());
        Assert.Equal(SampleInputReader.MaxSampleBytes, body["bytesRead"]!.GetValue<long>());
        Assert.True(watch.ElapsedMilliseconds < 2000, $"sampling took {watch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task Http_StalledStream_AnswersWithWhatArrivedWithinTimeout()
    {
        using var http = new TestHttpServer();
        var request = SamplerSpec.Request(new JsonObject { ["type"] = "http", ["uris"] = new JsonArray(http.Stall("events.json")) }, null);
        request["samplerConfig"]!["timeoutMs"] = 700;

        var watch = Stopwatch.StartNew();
        var response = await PostJsonAsync(Sampler, request.ToJsonString());
        watch.Stop();

        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToJsonString());
        Assert.Equal(1, body["numRowsRead"]!.GetValue<int>());
        Assert.True(body["truncated"]!.GetValue<bool>());
        Assert.InRange(watch.ElapsedMilliseconds, 600, 5000);
    }

    [Fact]
    public async Task Http_GzipServed_IsSampled()
    {
        using var http = new TestHttpServer();
        var url = http.Serve("w.json.gz", await File.ReadAllBytesAsync(IngestionHelpers.Wikiticker));

        var body = await SampleOkAsync(new JsonObject { ["type"] = "http", ["uris"] = new JsonArray(url) }, numRows: 5);

        Assert.Equal("""{"type":"json"}""", body["inputFormat"]!.ToJsonString());
        Assert.Equal(5, body["numRowsRead"]!.GetValue<int>());
    }

    [Fact]
    public async Task PathOutsideAllowedFolders_Is400NamingThePathAndTheRule()
    {
        var (status, body) = await SampleAsync(Local("/etc/passwd"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var error = body["error"]!.GetValue<string>();
        Assert.Contains("[/etc/passwd]", error);
        Assert.Contains("outside the folders ingestion may read", error);
        Assert.Contains(Server.DataDir, error);
        Assert.Contains("Ingestion:AllowedBaseDirs", error);
    }

    [Fact]
    public async Task MissingFile_And_BadUrl_And_BadProtocol_Are400s()
    {
        var (missing, missingBody) = await SampleAsync(Local(InputPath("nope.json")));
        Assert.Equal(HttpStatusCode.BadRequest, missing);
        Assert.Contains("nope.json", missingBody["error"]!.GetValue<string>());

        var (relative, relativeBody) = await SampleAsync(new JsonObject { ["type"] = "http", ["uris"] = new JsonArray("not a url") });
        Assert.Equal(HttpStatusCode.BadRequest, relative);
        Assert.Contains("is not an absolute URI", relativeBody["error"]!.GetValue<string>());

        var (ftp, ftpBody) = await SampleAsync(new JsonObject { ["type"] = "http", ["uris"] = new JsonArray("ftp://example.com/x.json") });
        Assert.Equal(HttpStatusCode.BadRequest, ftp);
        Assert.Contains("Ingestion:AllowedHttpProtocols", ftpBody["error"]!.GetValue<string>());

        using var http = new TestHttpServer();
        var (notFound, notFoundBody) = await SampleAsync(new JsonObject { ["type"] = "http", ["uris"] = new JsonArray(http.BaseUrl + "missing.json") });
        Assert.Equal(HttpStatusCode.BadRequest, notFound);
        Assert.Contains("answered 404", notFoundBody["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task BadRequests_Are400_AndCreateNoTask()
    {
        var before = (await GetArrayAsync($"{V1}/tasks")).Count;

        var noSpec = await PostJsonAsync(Sampler, "{\"type\":\"index_parallel\"}");
        Assert.Equal(HttpStatusCode.BadRequest, noSpec.StatusCode);
        Assert.Contains("spec", (await noSpec.Content.ReadAsStringAsync()));

        var (badFormat, badFormatBody) = await SampleAsync(new JsonObject { ["type"] = "inline", ["data"] = "x" }, new JsonObject { ["type"] = "avro" });
        Assert.Equal(HttpStatusCode.BadRequest, badFormat);
        Assert.Contains("avro", badFormatBody["error"]!.GetValue<string>());

        Assert.Equal(before, (await GetArrayAsync($"{V1}/tasks")).Count);
    }

    [Fact]
    public async Task GeneratedInsert_FromTheSample_IngestsWikiticker()
    {
        var file = WikitickerInput();
        var source = Local(file);
        var body = await SampleOkAsync(source);
        var response = System.Text.Json.JsonSerializer.Deserialize<SamplerResponse>(body.ToJsonString(), DruidJson.Options)!;
        var ds = Unique("it's"); // a quote in the name: the statement must escape it
        var sql = ExternInsertSql.Build(new ExternInsertOptions(ds, source, response.InputFormat!, response.InputSignature(),
            response.TimeColumnsOrDetected()[0], "DAY", "channel"));

        var status = await RunSqlTaskAsync(sql);
        Assert.True(status["statusCode"]!.GetValue<string>() == "SUCCESS", status.ToJsonString() + "\n" + sql);
        var id = status["id"]!.GetValue<string>();

        var segments = await GetArrayAsync($"{V1}/task/{id}/segments");
        Assert.Equal("2015-09-12T00:00:00.000Z/2015-09-13T00:00:00.000Z", Assert.Single(segments)!["interval"]!.GetValue<string>());
        var rows = await IngestionHelpers.QuerySegmentsAsync(
            System.Text.Json.JsonSerializer.Deserialize<List<Dashboard.Core.Segments.DataSegment>>(segments.ToJsonString(), DruidJson.Options)!,
            "SELECT COUNT(*), epoch_ms(MIN(__time)), COUNT(DISTINCT channel) FROM ds");
        Assert.Equal("39244", rows[0][0]);
        Assert.Equal(DruidTime.Parse("2015-09-12T00:46:58.771Z").ToUnixTimeMilliseconds().ToString(), rows[0][1]);
    }

    [Fact]
    public async Task GeneratedInsert_FromInlineCsv_WithoutATimeColumn_IngestsAtTheEpoch()
    {
        var source = new JsonObject { ["type"] = "inline", ["data"] = "name,score,ratio\nann,3,0.5\nbob's,4,1.25\n" };
        var body = await SampleOkAsync(source);
        var response = System.Text.Json.JsonSerializer.Deserialize<SamplerResponse>(body.ToJsonString(), DruidJson.Options)!;
        Assert.Empty(response.TimeColumnsOrDetected());
        var ds = Unique("no_time");
        var sql = ExternInsertSql.Build(new ExternInsertOptions(ds, source, response.InputFormat!, response.InputSignature(), null, "ALL"));

        var status = await RunSqlTaskAsync(sql);
        Assert.True(status["statusCode"]!.GetValue<string>() == "SUCCESS", status.ToJsonString() + "\n" + sql);
        var id = status["id"]!.GetValue<string>();

        var segments = System.Text.Json.JsonSerializer.Deserialize<List<Dashboard.Core.Segments.DataSegment>>((await GetArrayAsync($"{V1}/task/{id}/segments")).ToJsonString(), DruidJson.Options)!;
        var rows = await IngestionHelpers.QuerySegmentsAsync(segments, "SELECT epoch_ms(__time), name, score, ratio FROM ds ORDER BY name");
        Assert.Equal([["0", "ann", "3", "0.5"], ["0", "bob's", "4", "1.25"]], rows);
    }
}
