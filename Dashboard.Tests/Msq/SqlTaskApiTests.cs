using System.IO.Compression;
using System.Net;
using System.Text.Json.Nodes;
using Dashboard.Tests.Api;
using Dashboard.Tests.Support;

namespace Dashboard.Tests.Msq;

/// <summary>SQL-based ingestion over real HTTP: statements, planning errors, stages, counters, results, faults.</summary>
public class SqlTaskApiTests(ApiServer server) : ApiTestBase(server)
{
    private const string Sql = "/druid/v2/sql/task";

    private static string ExternJson(string file) =>
        $$"""TABLE(EXTERN('{"type":"local","files":["{{file}}"]}', '{"type":"json"}')) EXTEND ("time" VARCHAR, channel VARCHAR, page VARCHAR, "user" VARCHAR, added BIGINT, deleted BIGINT, delta BIGINT)""";

    private async Task<(HttpStatusCode Status, JsonObject Body)> SubmitSqlAsync(string query, JsonObject? context = null)
    {
        var body = new JsonObject { ["query"] = query, ["context"] = context ?? new JsonObject { ["maxNumTasks"] = 2 } };
        var response = await PostJsonAsync(Sql + "/", body.ToJsonString());
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
    }

    private async Task<(JsonObject Status, JsonObject Report)> RunAsync(string query, JsonObject? context = null)
    {
        var status = await RunSqlTaskAsync(query, context);
        var id = status["id"]!.GetValue<string>();
        Assert.StartsWith("query-", id);
        var report = JsonNode.Parse(await Http.GetStringAsync($"{V1}/task/{id}/reports"))!["multiStageQuery"]!.AsObject();
        return (status, report);
    }

    private async Task<JsonArray> SelectAsync(string query)
    {
        var (status, report) = await RunAsync(query);
        Assert.True(status["statusCode"]!.GetValue<string>() == "SUCCESS", status.ToJsonString());
        return report["payload"]!["results"]!["results"]!.AsArray();
    }

    [Fact]
    public async Task Enabled_AnswersTrue()
    {
        Assert.True(JsonNode.Parse(await Http.GetStringAsync(Sql + "/enabled"))!["enabled"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Insert_Wikiticker_ThenCount_Gives39244InOneDayChunk_WithControllerAndWorkerTasks()
    {
        var ds = Unique("wiki");
        var (status, report) = await RunAsync(
            $"INSERT INTO {ds} SELECT TIME_PARSE(\"time\") AS __time, channel, page, \"user\", added, deleted, delta FROM {ExternJson(WikitickerInput())} PARTITIONED BY DAY",
            new JsonObject { ["maxNumTasks"] = 3 });

        Assert.Equal("SUCCESS", status["statusCode"]!.GetValue<string>());
        Assert.Equal("query_controller", status["type"]!.GetValue<string>());
        var payload = report["payload"]!;
        Assert.Equal("SUCCESS", payload["status"]!["status"]!.GetValue<string>());
        Assert.Equal(["scan", "segmentGenerator"], payload["stages"]!.AsArray().Select(s => s!["definition"]!["processor"]!["type"]!.GetValue<string>()));
        Assert.All(payload["stages"]!.AsArray(), s => Assert.Equal("FINISHED", s!["phase"]!.GetValue<string>()));
        var input = payload["counters"]!["0"]!["0"]!["input0"]!;
        Assert.Equal(39244, input["rows"]![0]!.GetValue<long>());
        Assert.Equal(17106256, input["bytes"]![0]!.GetValue<long>());
        Assert.Equal(39244, payload["counters"]!["1"]!["0"]!["segmentGenerationProgress"]!["rowsPushed"]!.GetValue<long>());

        var controller = status["id"]!.GetValue<string>();
        var worker = (await GetArrayAsync($"{V1}/tasks?type=query_worker")).Single(t => t!["groupId"]!.GetValue<string>() == controller)!;
        Assert.Equal($"{controller}-worker0_0", worker["id"]!.GetValue<string>());
        Assert.Equal(ds, worker["dataSource"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync($"{V1}/task/{controller}-worker0_0/reports")).StatusCode);
        var log = await Http.GetStringAsync($"{V1}/task/{controller}/log");
        var estimate = long.Parse(System.Text.RegularExpressions.Regex.Match(log, @"1 input file\(s\) \(about ([0-9,]+) rows\)").Groups[1].Value.Replace(",", ""));
        Assert.InRange(estimate, 39_244 * 0.98, 39_244 * 1.02);
        Assert.Null(payload["estimatedTotalRows"]);

        var segments = await GetArrayAsync($"{V1}/task/{controller}/segments");
        Assert.Equal("2015-09-12T00:00:00.000Z/2015-09-13T00:00:00.000Z", Assert.Single(segments)!["interval"]!.GetValue<string>());
        var count = await SelectAsync($"SELECT COUNT(*) AS c FROM {ds}");
        Assert.Equal(39244, count[0]![0]!.GetValue<long>());

        var payloadJson = JsonNode.Parse(await Http.GetStringAsync($"{V1}/task/{controller}"))!["payload"]!;
        Assert.Equal(ds, payloadJson["spec"]!["destination"]!["dataSource"]!.GetValue<string>());
        Assert.Contains("INSERT INTO", payloadJson["sqlQuery"]!.GetValue<string>());
    }

    [Fact]
    public async Task GroupByChannel_EqualsAnIndependentComputation()
    {
        var ds = Unique("grouped");
        await RunAsync($"INSERT INTO {ds} SELECT TIME_PARSE(\"time\") AS __time, channel, added FROM {ExternJson(WikitickerInput())} PARTITIONED BY DAY");

        var rows = await SelectAsync($"SELECT channel, COUNT(*) AS cnt, SUM(added) AS added FROM {ds} GROUP BY channel");

        var expected = new Dictionary<string, (long Count, long Added)>();
        using (var reader = new StreamReader(new GZipStream(File.OpenRead(IngestionHelpers.Wikiticker), CompressionMode.Decompress)))
        {
            while (reader.ReadLine() is { } line)
            {
                var row = JsonNode.Parse(line)!;
                var channel = row["channel"]!.GetValue<string>();
                var (c, a) = expected.GetValueOrDefault(channel);
                expected[channel] = (c + 1, a + row["added"]!.GetValue<long>());
            }
        }

        Assert.Equal(expected.Count, rows.Count);
        foreach (var row in rows)
        {
            Assert.Equal(expected[row![0]!.GetValue<string>()], (row[1]!.GetValue<long>(), row[2]!.GetValue<long>()));
        }
    }

    [Fact]
    public async Task Replace_OverwritesTheRange_WithANewVersion()
    {
        var ds = Unique("replaced");
        var file = InputPath($"{ds}.json");
        await File.WriteAllLinesAsync(file, ["""{"time":"2015-09-12T01:00:00Z","v":"old"}""", """{"time":"2015-09-13T01:00:00Z","v":"other day"}"""]);
        var source = $$"""TABLE(EXTERN('{"type":"local","files":["{{file}}"]}', '{"type":"json"}', '[{"name":"time","type":"string"},{"name":"v","type":"string"}]'))""";
        await RunAsync($"INSERT INTO {ds} SELECT TIME_PARSE(\"time\") AS __time, v FROM {source} PARTITIONED BY DAY");

        var (status, report) = await RunAsync(
            $"REPLACE INTO {ds} OVERWRITE WHERE __time >= TIMESTAMP '2015-09-12' AND __time < TIMESTAMP '2015-09-13' " +
            $"SELECT TIMESTAMP '2015-09-12 05:00:00' AS __time, 'new' AS v FROM {source} PARTITIONED BY DAY");

        Assert.True(status["statusCode"]!.GetValue<string>() == "SUCCESS", report.ToJsonString());
        var rows = await SelectAsync($"SELECT v, COUNT(*) FROM {ds} GROUP BY v ORDER BY v");
        Assert.Equal(["new=2", "other day=1"], rows.Select(r => $"{r![0]!.GetValue<string>()}={r[1]!.GetValue<long>()}"));
    }

    [Fact]
    public async Task Replace_RowOutsideOverwriteRange_FailsWithInsertTimeOutOfBounds()
    {
        var ds = Unique("bounds");
        var (status, report) = await RunAsync(
            $"REPLACE INTO {ds} OVERWRITE WHERE __time >= TIMESTAMP '2015-09-12' AND __time < TIMESTAMP '2015-09-13' " +
            $"SELECT TIMESTAMP '2015-09-14 05:00:00' AS __time, 'x' AS v FROM {ExternJson(WikitickerInput())} PARTITIONED BY DAY");

        Assert.Equal("FAILED", status["statusCode"]!.GetValue<string>());
        Assert.StartsWith("InsertTimeOutOfBounds: ", status["errorMsg"]!.GetValue<string>());
        Assert.Equal("InsertTimeOutOfBounds", report["payload"]!["status"]!["errorReport"]!["error"]!["errorCode"]!.GetValue<string>());
        Assert.Empty(await GetArrayAsync($"/druid/coordinator/v1/metadata/datasources/{ds}/segments"));
    }

    [Fact]
    public async Task MalformedInputRows_FailTheQuery_UnlessMaxParseExceptionsAllowsThem()
    {
        var file = InputPath($"{Unique("bad")}.json");
        await File.WriteAllLinesAsync(file, ["""{"time":"2015-09-12T01:00:00Z","v":"ok"}""", "{not json", """{"time":"2015-09-12T02:00:00Z","v":"ok"}"""]);
        var source = $$"""TABLE(EXTERN('{"type":"local","files":["{{file}}"]}', '{"type":"json"}', '[{"name":"time","type":"string"},{"name":"v","type":"string"}]'))""";
        var query = $"INSERT INTO {Unique("strict")} SELECT TIME_PARSE(\"time\") AS __time, v FROM {source} PARTITIONED BY DAY";

        var (strict, strictReport) = await RunAsync(query);
        var (lenient, lenientReport) = await RunAsync(query, new JsonObject { ["maxNumTasks"] = 2, ["maxParseExceptions"] = -1 });

        Assert.Equal("FAILED", strict["statusCode"]!.GetValue<string>());
        Assert.StartsWith("TooManyWarnings: Too many warnings of type CannotParseExternalData generated (max = 0)", strict["errorMsg"]!.GetValue<string>());
        Assert.Equal("TooManyWarnings", strictReport["payload"]!["status"]!["errorReport"]!["error"]!["errorCode"]!.GetValue<string>());
        Assert.Equal("SUCCESS", lenient["statusCode"]!.GetValue<string>());
        Assert.Equal(1, lenientReport["payload"]!["counters"]!["0"]!["0"]!["warnings"]!["CannotParseExternalData"]!.GetValue<long>());
    }

    [Fact]
    public async Task EmptyInsert_SucceedsWithNothing_OrFailsWithFailOnEmptyInsert()
    {
        var filter = $"SELECT TIME_PARSE(\"time\") AS __time, channel FROM {ExternJson(WikitickerInput())} WHERE channel = 'no such channel'";

        var (quiet, _) = await RunAsync($"INSERT INTO {Unique("empty")} {filter} PARTITIONED BY DAY");
        var (loud, report) = await RunAsync($"INSERT INTO {Unique("empty")} {filter} PARTITIONED BY DAY",
            new JsonObject { ["maxNumTasks"] = 2, ["failOnEmptyInsert"] = true });

        Assert.Equal("SUCCESS", quiet["statusCode"]!.GetValue<string>());
        Assert.StartsWith("InsertCannotBeEmpty", loud["errorMsg"]!.GetValue<string>());
        Assert.Equal("InsertCannotBeEmpty", report["payload"]!["status"]!["errorReport"]!["error"]!["errorCode"]!.GetValue<string>());
    }

    [Fact]
    public async Task MoreThan5000TimeChunks_FailsWithTooManyBuckets()
    {
        var file = InputPath($"{Unique("buckets")}.json");
        await File.WriteAllLinesAsync(file, Enumerable.Range(0, 5001).Select(h => $$"""{"time":"{{new DateTime(2015, 1, 1).AddHours(h):yyyy-MM-ddTHH}}:00:00Z"}"""));
        var source = $$"""TABLE(EXTERN('{"type":"local","files":["{{file}}"]}', '{"type":"json"}', '[{"name":"time","type":"string"}]'))""";

        var (status, report) = await RunAsync($"INSERT INTO {Unique("buckets")} SELECT TIME_PARSE(\"time\") AS __time FROM {source} PARTITIONED BY HOUR");

        Assert.StartsWith("TooManyBuckets: ", status["errorMsg"]!.GetValue<string>());
        Assert.Equal(5000, report["payload"]!["status"]!["errorReport"]!["error"]!["maxBuckets"]!.GetValue<long>());
    }

    [Fact]
    public async Task ReplaceOverwriteAll_ReplacesEveryChunk()
    {
        var ds = Unique("all");
        var file = InputPath($"{ds}.json");
        await File.WriteAllLinesAsync(file, ["""{"time":"2015-09-12T01:00:00Z","v":"a"}""", """{"time":"2015-09-20T01:00:00Z","v":"b"}"""]);
        var source = $$"""TABLE(EXTERN('{"type":"local","files":["{{file}}"]}', '{"type":"json"}', '[{"name":"time","type":"string"},{"name":"v","type":"string"}]'))""";
        await RunAsync($"INSERT INTO {ds} SELECT TIME_PARSE(\"time\") AS __time, v FROM {source} PARTITIONED BY DAY");

        var (status, _) = await RunAsync($"REPLACE INTO {ds} OVERWRITE ALL SELECT TIMESTAMP '2015-09-15 00:00:00' AS __time, 'only' AS v PARTITIONED BY DAY");

        Assert.Equal("SUCCESS", status["statusCode"]!.GetValue<string>());
        var rows = await SelectAsync($"SELECT v FROM {ds}");
        Assert.Equal(["only"], rows.Select(r => r![0]!.GetValue<string>()));
    }

    [Fact]
    public async Task RowsPerSegment_SplitsPartitions_AndClusteredBy_OrdersRowsInEachSegment()
    {
        var ds = Unique("clustered");
        var file = InputPath($"{ds}.json");
        await File.WriteAllLinesAsync(file, Enumerable.Range(0, 25).Select(i => $$"""{"time":"2015-09-12T00:00:00Z","page":"p{{24 - i:00}}"}"""));
        var source = $$"""TABLE(EXTERN('{"type":"local","files":["{{file}}"]}', '{"type":"json"}', '[{"name":"time","type":"string"},{"name":"page","type":"string"}]'))""";

        var (status, report) = await RunAsync($"INSERT INTO {ds} SELECT TIME_PARSE(\"time\") AS __time, page FROM {source} PARTITIONED BY DAY CLUSTERED BY page",
            new JsonObject { ["maxNumTasks"] = 2, ["rowsPerSegment"] = 10 });

        Assert.Equal("SUCCESS", status["statusCode"]!.GetValue<string>());
        var sortProgress = report["payload"]!["counters"]!["1"]!["0"]!["sortProgress"]!;
        Assert.Equal(1.0, sortProgress["progressDigest"]!.GetValue<double>());
        Assert.Equal(3, sortProgress["levelToTotalBatches"]!["0"]!.GetValue<int>());
        Assert.Equal(3, sortProgress["levelToMergedBatches"]!["0"]!.GetValue<int>());
        var segments = await GetArrayAsync($"{V1}/task/{status["id"]!.GetValue<string>()}/segments");
        Assert.Equal([10L, 10L, 5L], segments.Select(s => s!["totalRows"]!.GetValue<long>()));
        var first = await IngestionHelpers.QuerySegmentsAsync([Dashboard.Core.Common.DruidJson.Deserialize<Dashboard.Core.Segments.DataSegment>(segments[0]!.ToJsonString())!],
            "SELECT min(page), max(page) FROM ds");
        Assert.Equal(["p00", "p09"], first[0]);
    }

    [Fact]
    public async Task SqlTimeZone_Unknown_Is400NamingIt()
    {
        var (code, body) = await SubmitSqlAsync("SELECT 1", new JsonObject { ["maxNumTasks"] = 2, ["sqlTimeZone"] = "Mars/Olympus_Mons" });

        Assert.Equal(HttpStatusCode.BadRequest, code);
        Assert.Contains("[sqlTimeZone] = [Mars/Olympus_Mons] is not a time zone", body["error"]!["errorMessage"]!.GetValue<string>());
    }

    [Fact]
    public async Task SqlTimeZone_FunctionsAndLiterals_AreWallClockTimeInTheZone()
    {
        var (status, report) = await RunAsync(
            "SELECT TIME_PARSE('2015-09-12T10:00:00') AS local_parse, TIME_PARSE('2015-09-12T10:00:00Z') AS utc_parse, " +
            "TIME_FORMAT(TIMESTAMP '2015-09-12 10:00:00') AS formatted, TIME_EXTRACT(TIMESTAMP '2015-09-12 10:00:00', 'HOUR') AS hour, " +
            "TIMESTAMP_TO_MILLIS(TIME_FLOOR(TIMESTAMP '2015-09-12 10:00:00', 'P1D')) AS day_start, " +
            "TIME_FORMAT(TIMESTAMP '2015-09-12 10:00:00', 'HH:mm', 'Asia/Kolkata') AS kolkata, " +
            "TIMESTAMP_TO_MILLIS(FLOOR(TIMESTAMP '2015-09-12 10:00:00' TO DAY)) AS floor_day",
            new JsonObject { ["maxNumTasks"] = 2, ["sqlTimeZone"] = "America/Los_Angeles" });

        Assert.Equal("SUCCESS", status["statusCode"]!.GetValue<string>());
        var row = report["payload"]!["results"]!["results"]![0]!.AsArray();
        Assert.Equal("2015-09-12T10:00:00.000-07:00", row[0]!.GetValue<string>());
        Assert.Equal("2015-09-12T03:00:00.000-07:00", row[1]!.GetValue<string>());
        Assert.Equal("2015-09-12T10:00:00.000-07:00", row[2]!.GetValue<string>());
        Assert.Equal(10, row[3]!.GetValue<long>());
        Assert.Equal(new DateTimeOffset(2015, 9, 12, 7, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(), row[4]!.GetValue<long>());
        Assert.Equal("22:30", row[5]!.GetValue<string>());
        Assert.Equal(row[4]!.GetValue<long>(), row[6]!.GetValue<long>());
        var controller = JsonNode.Parse(await Http.GetStringAsync($"{V1}/task/{status["id"]!.GetValue<string>()}"))!["payload"]!;
        Assert.Equal("America/Los_Angeles", controller["sqlResultsContext"]!["timeZone"]!.GetValue<string>());
    }

    [Fact]
    public async Task SqlTimeZone_BucketsAndFilters_MatchAnIndependentComputation()
    {
        var ds = Unique("zoned");
        await RunAsync($"INSERT INTO {ds} SELECT TIME_PARSE(\"time\") AS __time, channel FROM {ExternJson(WikitickerInput())} PARTITIONED BY DAY");
        var localMidnight = new DateTimeOffset(2015, 9, 12, 7, 0, 0, TimeSpan.Zero);
        long before = 0, after = 0;
        using (var reader = new StreamReader(new GZipStream(File.OpenRead(IngestionHelpers.Wikiticker), CompressionMode.Decompress)))
        {
            while (reader.ReadLine() is { } line)
            {
                var time = DateTimeOffset.Parse(JsonNode.Parse(line)!["time"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
                _ = time < localMidnight ? before++ : after++;
            }
        }

        var zone = new JsonObject { ["maxNumTasks"] = 2, ["sqlTimeZone"] = "America/Los_Angeles" };
        var (_, buckets) = await RunAsync($"SELECT TIME_FLOOR(__time, 'P1D') AS d, COUNT(*) AS c FROM {ds} GROUP BY 1 ORDER BY 1", zone);
        var (_, filtered) = await RunAsync($"SELECT COUNT(*) AS c FROM {ds} WHERE __time >= TIMESTAMP '2015-09-12 00:00:00'", (JsonObject)zone.DeepClone());

        var rows = buckets["payload"]!["results"]!["results"]!.AsArray();
        Assert.Equal(2, rows.Count);
        Assert.Equal(["2015-09-11T00:00:00.000-07:00", before.ToString()], new[] { rows[0]![0]!.GetValue<string>(), rows[0]![1]!.ToJsonString() });
        Assert.Equal(["2015-09-12T00:00:00.000-07:00", after.ToString()], new[] { rows[1]![0]!.GetValue<string>(), rows[1]![1]!.ToJsonString() });
        Assert.Equal(after, filtered["payload"]!["results"]!["results"]![0]![0]!.GetValue<long>());
    }

    [Fact]
    public async Task SqlTimeZone_SetInTheStatement_AppliesToOverwriteWhere()
    {
        var ds = Unique("zonereplace");
        await RunAsync($"INSERT INTO {ds} SELECT TIME_PARSE(\"time\") AS __time, channel FROM {ExternJson(WikitickerInput())} PARTITIONED BY DAY");

        var (code, body) = await PostRawAsync(
            $"SET sqlTimeZone = '+05:30'; EXPLAIN PLAN FOR REPLACE INTO {ds} OVERWRITE WHERE __time >= TIMESTAMP '2015-09-12 05:30:00' AND __time < TIMESTAMP '2015-09-13 05:30:00' " +
            $"SELECT __time, channel FROM {ds} PARTITIONED BY DAY");

        Assert.True(code == HttpStatusCode.OK, body);
        Assert.Contains("2015-09-12T00:00:00.000Z/2015-09-13T00:00:00.000Z", JsonNode.Parse(body)![0]!["ATTRIBUTES"]!.GetValue<string>());
    }

    [Fact]
    public async Task FinalizeAggregationsFalse_WritesRolledUpSegments_WithAggregatesAsMetrics()
    {
        var ds = Unique("rollup");
        var (status, _) = await RunAsync(
            $"INSERT INTO {ds} SELECT TIME_FLOOR(TIME_PARSE(\"time\"), 'PT1H') AS __time, channel, COUNT(*) AS edits, SUM(added) AS added " +
            $"FROM {ExternJson(WikitickerInput())} GROUP BY 1, 2 PARTITIONED BY DAY",
            new JsonObject { ["maxNumTasks"] = 2, ["finalizeAggregations"] = false });

        Assert.Equal("SUCCESS", status["statusCode"]!.GetValue<string>());
        var segment = (await GetArrayAsync($"/druid/coordinator/v1/metadata/datasources/{ds}/segments?full"))[0]!;
        Assert.Equal("channel", segment["dimensions"]!.GetValue<string>());
        Assert.Equal("edits,added", segment["metrics"]!.GetValue<string>());
        var total = await SelectAsync($"SELECT SUM(edits) FROM {ds}");
        Assert.Equal(39244, total[0]![0]!.GetValue<long>());
    }

    [Theory]
    [InlineData("LATEST(channel)", "LATEST")]
    [InlineData("COUNT(DISTINCT channel)", "COUNT(DISTINCT)")]
    [InlineData("AVG(added)", "AVG")]
    public async Task FinalizeAggregationsFalse_WithAnAggregationThatHasNoStoredForm_Is400(string aggregation, string name)
    {
        var (code, body) = await SubmitSqlAsync(
            $"INSERT INTO {Unique("unfinal")} SELECT TIME_PARSE(\"time\") AS __time, {aggregation} AS v FROM {ExternJson(WikitickerInput())} GROUP BY 1 PARTITIONED BY DAY",
            new JsonObject { ["maxNumTasks"] = 2, ["finalizeAggregations"] = false });

        Assert.Equal(HttpStatusCode.BadRequest, code);
        Assert.StartsWith($"Aggregation [{name}] cannot be stored unfinalized", body["error"]!["errorMessage"]!.GetValue<string>());
    }

    [Fact]
    public async Task ReservedOutputColumn_FailsWithColumnNameRestricted()
    {
        var (status, report) = await RunAsync($"INSERT INTO {Unique("restricted")} SELECT TIME_PARSE(\"time\") AS __time, channel AS __bucket FROM {ExternJson(WikitickerInput())} PARTITIONED BY DAY");

        Assert.StartsWith("ColumnNameRestricted: [__bucket] column name is reserved", status["errorMsg"]!.GetValue<string>());
        var error = report["payload"]!["status"]!["errorReport"]!["error"]!;
        Assert.Equal("__bucket", error["columnName"]!.GetValue<string>());
        Assert.Equal("[__bucket] column name is reserved for MSQ's internal purpose. Please retry the query after renaming the column.", error["errorMessage"]!.GetValue<string>());
    }

    [Fact]
    public async Task ClusteredBy_AnExpressionOrOrdinal_OrdersRowsInEachSegment()
    {
        var ds = Unique("clusterexpr");
        var file = InputPath($"{ds}.json");
        await File.WriteAllLinesAsync(file, Enumerable.Range(0, 25).Select(i => $$"""{"time":"2015-09-12T00:00:00Z","page":"p{{i:00}}","n":{{i}}}"""));
        var source = $$"""TABLE(EXTERN('{"type":"local","files":["{{file}}"]}', '{"type":"json"}', '[{"name":"time","type":"string"},{"name":"page","type":"string"},{"name":"n","type":"long"}]'))""";
        var context = new JsonObject { ["maxNumTasks"] = 2, ["rowsPerSegment"] = 10 };

        var (byExpression, _) = await RunAsync($"INSERT INTO {ds} SELECT TIME_PARSE(\"time\") AS __time, page, n FROM {source} PARTITIONED BY DAY CLUSTERED BY 100 - n", context);
        var (byOrdinal, _) = await RunAsync($"REPLACE INTO {ds}_2 OVERWRITE ALL SELECT TIME_PARSE(\"time\") AS __time, n, page FROM {source} PARTITIONED BY DAY CLUSTERED BY 3", (JsonObject)context.DeepClone());

        async Task<string[]> FirstSegmentRange(JsonObject status)
        {
            Assert.True(status["statusCode"]!.GetValue<string>() == "SUCCESS", status.ToJsonString());
            var segments = await GetArrayAsync($"{V1}/task/{status["id"]!.GetValue<string>()}/segments");
            var first = segments.Single(s => s!["shardSpec"]!["partitionNum"]!.GetValue<int>() == 0)!;
            return (await IngestionHelpers.QuerySegmentsAsync([Dashboard.Core.Common.DruidJson.Deserialize<Dashboard.Core.Segments.DataSegment>(first.ToJsonString())!],
                "SELECT min(page), max(page), count(*) FROM ds"))[0];
        }

        Assert.Equal(["p15", "p24", "10"], await FirstSegmentRange(byExpression));
        Assert.Equal(["p00", "p09", "10"], await FirstSegmentRange(byOrdinal));
    }

    [Theory]
    [InlineData("CLUSTERED BY nope", "Invalid CLUSTERED BY clause [nope]: [nope] is not a column of the SELECT")]
    [InlineData("CLUSTERED BY LOWER(nope)", "Invalid CLUSTERED BY clause [LOWER ( nope )]:")]
    [InlineData("CLUSTERED BY 9", "Invalid CLUSTERED BY clause [9]: ordinal out of range, the SELECT has 2 column(s).")]
    public async Task ClusteredBy_NotResolvable_Is400(string clause, string message)
    {
        var (code, body) = await SubmitSqlAsync($"INSERT INTO {Unique("badcluster")} SELECT TIME_PARSE(\"time\") AS __time, channel FROM {ExternJson(WikitickerInput())} PARTITIONED BY DAY {clause}");

        Assert.Equal(HttpStatusCode.BadRequest, code);
        Assert.StartsWith(message, body["error"]!["errorMessage"]!.GetValue<string>());
    }

    [Fact]
    public async Task NullTime_FailsWithInsertTimeNull()
    {
        var (status, _) = await RunAsync($"INSERT INTO {Unique("nulltime")} SELECT TIME_PARSE(page) AS __time, channel FROM {ExternJson(WikitickerInput())} PARTITIONED BY DAY");
        Assert.Equal("InsertTimeNull: Null timestamp (__time) encountered during INSERT or REPLACE.", status["errorMsg"]!.GetValue<string>());
    }

    [Fact]
    public async Task TimeFilter_PrunesSegmentsBeforeReading()
    {
        var ds = Unique("pruned");
        var file = InputPath($"{ds}.json");
        await File.WriteAllLinesAsync(file, new[] { "12", "13", "14" }.SelectMany(day => Enumerable.Range(0, 10).Select(i => $$"""{"time":"2015-09-{{day}}T0{{i}}:00:00Z","day":"{{day}}"}""")));
        await RunAsync($$"""INSERT INTO {{ds}} SELECT TIME_PARSE("time") AS __time, "day" FROM TABLE(EXTERN('{"type":"local","files":["{{file}}"]}', '{"type":"json"}', '[{"name":"time","type":"string"},{"name":"day","type":"string"}]')) PARTITIONED BY DAY""");

        var (status, report) = await RunAsync($"SELECT COUNT(*) AS c FROM {ds} WHERE __time >= TIMESTAMP '2015-09-13' AND __time < TIMESTAMP '2015-09-14'");

        Assert.Equal("SUCCESS", status["statusCode"]!.GetValue<string>());
        Assert.Equal(10, report["payload"]!["results"]!["results"]![0]![0]!.GetValue<long>());
        Assert.Equal(1, report["payload"]!["counters"]!["0"]!["0"]!["input0"]!["files"]![0]!.GetValue<long>());
        Assert.Equal(10, report["payload"]!["counters"]!["0"]!["0"]!["input0"]!["rows"]![0]!.GetValue<long>());
    }

    [Fact]
    public async Task DruidTimeFunctions_AreTranslated()
    {
        var ds = Unique("times");
        await RunAsync($"INSERT INTO {ds} SELECT TIME_PARSE(\"time\") AS __time, channel, added FROM {ExternJson(WikitickerInput())} PARTITIONED BY DAY");

        var rows = await SelectAsync(
            $"SELECT TIME_FORMAT(TIME_FLOOR(__time, 'PT1H'), 'yyyy-MM-dd HH:mm') AS hour, FLOOR(__time TO DAY) AS day, " +
            $"TIMESTAMP_TO_MILLIS(MILLIS_TO_TIMESTAMP(1442016000000)) AS millis, APPROX_COUNT_DISTINCT(channel) AS channels, LATEST(channel) AS last " +
            $"FROM {ds} GROUP BY 1, 2 ORDER BY 1 LIMIT 1");

        Assert.Equal("2015-09-12 00:00", rows[0]![0]!.GetValue<string>());
        Assert.Equal("2015-09-12T00:00:00.000Z", rows[0]![1]!.GetValue<string>());
        Assert.Equal(1442016000000, rows[0]![2]!.GetValue<long>());
        Assert.True(rows[0]![3]!.GetValue<long>() > 1);
    }

    [Theory]
    [InlineData("INSERT INTO t SELECT * FROM u", "Operation [INSERT] requires a PARTITIONED BY to be explicitly defined, but none was found.")]
    [InlineData("REPLACE INTO t SELECT * FROM u PARTITIONED BY DAY", "Missing time chunk information in OVERWRITE clause for REPLACE. Use OVERWRITE WHERE <__time based condition> or OVERWRITE ALL to overwrite the entire table.")]
    [InlineData("INSERT INTO t SELECT * FROM u CLUSTERED BY a PARTITIONED BY DAY", "CLUSTERED BY found before PARTITIONED BY, CLUSTERED BY must come after the PARTITIONED BY clause")]
    [InlineData("INSERT INTO t SELECT * FROM u ORDER BY a PARTITIONED BY DAY", "Cannot use an ORDER BY clause on a Query of type [INSERT], use CLUSTERED BY instead")]
    [InlineData("INSERT INTO t SELECT * FROM u LIMIT 10 PARTITIONED BY DAY", "INSERT and REPLACE queries cannot have a LIMIT unless PARTITIONED BY is \"ALL\"")]
    [InlineData("INSERT INTO t SELECT * FROM u OFFSET 10 PARTITIONED BY ALL", "INSERT and REPLACE queries cannot have an OFFSET")]
    [InlineData("INSERT INTO t SELECT * FROM u PARTITIONED BY DAY CLUSTERED BY dim1 DESC", "Invalid CLUSTERED BY clause [`dim1` DESC]: cannot sort in descending order.")]
    [InlineData("INSERT INTO t SELECT * FROM u PARTITIONED BY 'bogus'", "Invalid granularity['bogus'] specified after PARTITIONED BY clause.")]
    [InlineData("INSERT INTO \"in/valid\" SELECT * FROM u PARTITIONED BY DAY", "Invalid value for field [table]: Value [in/valid] cannot contain '/'.")]
    [InlineData("INSERT INTO t SELECT * FROM sys.segments PARTITIONED BY DAY", "Cannot query table(s) [sys.segments] with SQL engine [msq-task]")]
    [InlineData("REPLACE INTO INFORMATION_SCHEMA.COLUMNS OVERWRITE ALL SELECT * FROM u PARTITIONED BY DAY", "Table [INFORMATION_SCHEMA.COLUMNS] does not support operation [REPLACE] because it is not a Druid datasource")]
    [InlineData("REPLACE INTO dst (foo, bar) OVERWRITE ALL SELECT * FROM u PARTITIONED BY DAY", "Operation [REPLACE] cannot be run with a target column list, given [dst (`foo`, `bar`)]")]
    [InlineData("REPLACE INTO t OVERWRITE WHERE TRUE SELECT * FROM u PARTITIONED BY DAY", "Invalid OVERWRITE WHERE clause [TRUE]: expected clause including AND, OR, NOT, >, <, >=, <= OR BETWEEN operators")]
    [InlineData("REPLACE INTO t OVERWRITE WHERE __time LIKE '20__-02-01' SELECT * FROM u PARTITIONED BY DAY", "Invalid OVERWRITE WHERE clause [`__time` LIKE '20__-02-01']: Unsupported operation [LIKE] in OVERWRITE WHERE clause.")]
    [InlineData("REPLACE INTO t OVERWRITE WHERE dim1 > TIMESTAMP '2000-01-01' SELECT * FROM u PARTITIONED BY DAY", "OVERWRITE WHERE clause only supports filtering on the __time column")]
    [InlineData("REPLACE INTO t OVERWRITE WHERE __time >= TIMESTAMP '2000-01-05' AND __time <= TIMESTAMP '2000-01-06' SELECT * FROM u PARTITIONED BY DAY", "OVERWRITE WHERE clause identified interval [2000-01-05T00:00:00.000Z/2000-01-06T00:00:00.001Z] which is not aligned with PARTITIONED BY granularity [day]")]
    [InlineData("SELECT * FROM no_such_table", "Table [no_such_table] not found")]
    public async Task PlanningErrors_Are400_WithDruidsMessage_InSqlTaskStatus(string query, string message)
    {
        var (code, body) = await SubmitSqlAsync(query);

        Assert.Equal(HttpStatusCode.BadRequest, code);
        Assert.Equal("FAILED", body["state"]!.GetValue<string>());
        Assert.False(body["taskId"]!.GetValue<string>().StartsWith("query-"));
        Assert.Equal("invalidInput", body["error"]!["errorCode"]!.GetValue<string>());
        Assert.StartsWith(message, body["error"]!["errorMessage"]!.GetValue<string>());
    }

    [Fact]
    public async Task ParseError_CarriesLineAndColumn()
    {
        var (code, body) = await SubmitSqlAsync("INSERT INTO t\nSELEC * FROM u");
        Assert.Equal(HttpStatusCode.BadRequest, code);
        Assert.Equal("2", body["error"]!["context"]!["line"]!.GetValue<string>());
        Assert.Equal("1", body["error"]!["context"]!["column"]!.GetValue<string>());
    }

    [Fact]
    public async Task Identifiers_AreCaseSensitive_AsInDruid()
    {
        var (code, body) = await SubmitSqlAsync($"SELECT CHANNEL FROM {ExternJson(WikitickerInput())}");

        Assert.Equal(HttpStatusCode.BadRequest, code);
        Assert.StartsWith("Column 'CHANNEL' not found in any table", body["error"]!["errorMessage"]!.GetValue<string>());
        Assert.Contains("did you mean 'channel'", body["error"]!["errorMessage"]!.GetValue<string>());
    }

    [Fact]
    public async Task DynamicParameters_AreBound()
    {
        var body = new JsonObject
        {
            ["query"] = $"SELECT COUNT(*) AS c FROM {ExternJson(WikitickerInput())} WHERE channel = ? AND added > ?",
            ["parameters"] = new JsonArray(new JsonObject { ["type"] = "VARCHAR", ["value"] = "#en.wikipedia" }, new JsonObject { ["type"] = "BIGINT", ["value"] = 100 }),
        };
        var response = await PostJsonAsync(Sql, body.ToJsonString());
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["taskId"]!.GetValue<string>();
        await Eventually.WaitForAsync(() => StatusAsync(id), s => s["statusCode"]!.GetValue<string>() == "SUCCESS", TimeSpan.FromSeconds(60));
        var results = JsonNode.Parse(await Http.GetStringAsync($"{V1}/task/{id}/reports"))!["multiStageQuery"]!["payload"]!["results"]!["results"]!;
        Assert.True(results[0]![0]!.GetValue<long>() > 0);

        var missing = await PostJsonAsync(Sql, new JsonObject { ["query"] = "SELECT ? AS x" }.ToJsonString());
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
    }

    [Fact]
    public async Task MaxNumTasksBelowTwo_Is400()
    {
        var (code, body) = await SubmitSqlAsync("SELECT 1", new JsonObject { ["maxNumTasks"] = 1 });
        Assert.Equal(HttpStatusCode.BadRequest, code);
        Assert.Equal("MSQ context maxNumTasks [1] cannot be less than 2, since at least 1 controller and 1 worker is necessary", body["error"]!["errorMessage"]!.GetValue<string>());
    }

    [Fact]
    public async Task SetStatements_AndSqlQueryId_SetTheContext()
    {
        var (code, body) = await SubmitSqlAsync("SET sqlQueryId = 'my-query-id'; SET maxNumTasks = 2; SELECT 1 AS one");
        Assert.Equal(HttpStatusCode.Accepted, code);
        Assert.Equal("query-my-query-id", body["taskId"]!.GetValue<string>());
        await Eventually.WaitForAsync(() => StatusAsync("query-my-query-id"), s => s["statusCode"]!.GetValue<string>() == "SUCCESS");
    }

    [Fact]
    public async Task Explain_Is200_WithPlanResourcesAndAttributes()
    {
        var (code, body) = await PostRawAsync($"EXPLAIN PLAN FOR INSERT INTO explained SELECT TIME_PARSE(\"time\") AS __time, channel FROM {ExternJson(WikitickerInput())} PARTITIONED BY DAY");

        Assert.Equal(HttpStatusCode.OK, code);
        var row = JsonNode.Parse(body)!.AsArray()[0]!;
        Assert.NotNull(JsonNode.Parse(row["PLAN"]!.GetValue<string>()));
        Assert.Contains("explained", row["RESOURCES"]!.GetValue<string>());
        var attributes = JsonNode.Parse(row["ATTRIBUTES"]!.GetValue<string>())!;
        Assert.Equal("INSERT", attributes["statementType"]!.GetValue<string>());
        Assert.Equal("explained", attributes["targetDataSource"]!.GetValue<string>());
        Assert.Empty(await GetArrayAsync($"{V1}/tasks?datasource=explained"));
    }

    private async Task<(HttpStatusCode, string)> PostRawAsync(string query)
    {
        var response = await PostJsonAsync(Sql, new JsonObject { ["query"] = query }.ToJsonString());
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}

public class SqlTaskLifecycleTests(ApiServer server) : ApiTestBase(server)
{
    [Fact]
    public async Task Shutdown_OfTheController_PublishesNothing_AndTheReportSaysCanceled()
    {
        using var http = new TestHttpServer();
        var ds = Unique("canceled");
        var query = $$"""INSERT INTO {{ds}} SELECT TIME_PARSE("time") AS __time FROM TABLE(EXTERN('{"type":"http","uris":["{{http.Stall("slow.json")}}"]}', '{"type":"json"}', '[{"name":"time","type":"string"}]')) PARTITIONED BY DAY""";
        var submitted = await PostJsonAsync("/druid/v2/sql/task", new JsonObject { ["query"] = query }.ToJsonString());
        var id = JsonNode.Parse(await submitted.Content.ReadAsStringAsync())!["taskId"]!.GetValue<string>();
        await http.StalledRequestArrived.Task.WaitAsync(TimeSpan.FromSeconds(10));

        await Http.PostAsync($"{V1}/task/{id}/shutdown", null);

        var status = await StatusAsync(id);
        Assert.Equal("FAILED", status["statusCode"]!.GetValue<string>());
        Assert.Equal("Shutdown request from user", status["errorMsg"]!.GetValue<string>());
        var report = JsonNode.Parse(await Http.GetStringAsync($"{V1}/task/{id}/reports"))!["multiStageQuery"]!["payload"]!;
        Assert.Equal("FAILED", report["status"]!["status"]!.GetValue<string>());
        var error = report["status"]!["errorReport"]!["error"]!;
        Assert.Equal("Canceled", error["errorCode"]!.GetValue<string>());
        Assert.Equal("TASK_SHUTDOWN", error["reason"]!.GetValue<string>());
        Assert.Empty(await GetArrayAsync($"/druid/coordinator/v1/metadata/datasources/{ds}/segments"));
    }

    [Fact]
    public async Task ConcurrentInserts_IntoTheSameChunk_WaitOnLocks_AndBothLand()
    {
        var ds = Unique("concurrent");
        var file = Path.Combine(Server.DataDir, "input", $"{ds}.json");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await File.WriteAllLinesAsync(file, Enumerable.Range(0, 500).Select(i => $$"""{"time":"2015-09-12T00:{{i % 60:00}}:00Z","i":{{i}}}"""));
        var query = $$"""INSERT INTO {{ds}} SELECT TIME_PARSE("time") AS __time, i FROM TABLE(EXTERN('{"type":"local","files":["{{file}}"]}', '{"type":"json"}', '[{"name":"time","type":"string"},{"name":"i","type":"long"}]')) PARTITIONED BY DAY""";

        var submissions = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => PostJsonAsync("/druid/v2/sql/task", new JsonObject { ["query"] = query }.ToJsonString())));
        var ids = new List<string>();
        foreach (var s in submissions)
        {
            ids.Add(JsonNode.Parse(await s.Content.ReadAsStringAsync())!["taskId"]!.GetValue<string>());
        }

        foreach (var id in ids)
        {
            var status = await Eventually.WaitForAsync(() => StatusAsync(id), s => s["statusCode"]!.GetValue<string>() != "RUNNING", TimeSpan.FromSeconds(60));
            Assert.Equal("SUCCESS", status["statusCode"]!.GetValue<string>());
        }

        var segments = await GetArrayAsync($"/druid/coordinator/v1/metadata/datasources/{ds}/segments?full");
        Assert.Equal(2, segments.Count);
        Assert.Equal(1000, segments.Sum(s => s!["totalRows"]!.GetValue<long>()));
    }

    [Fact]
    public async Task DocsInsertExample_WithItsHttpInputPointedAtALocalServer_Ingests()
    {
        using var http = new TestHttpServer();
        var rows = Enumerable.Range(0, 50).Select(i =>
            $$"""{"timestamp":"2016-06-27T00:00:{{i:00}}Z","added":{{i}},"channel":"#en.wikipedia","cityName":null,"comment":"c","commentLength":1,"countryIsoCode":null,"countryName":null,"deleted":0,"delta":{{i}},"deltaBucket":"0","diffUrl":"u","flags":"f","isAnonymous":"false","isMinor":"false","isNew":"false","isRobot":"false","isUnpatrolled":"false","metroCode":null,"namespace":"Main","page":"P{{i}}","regionIsoCode":null,"regionName":null,"user":"u{{i}}"}""");
        using var gz = new MemoryStream();
        await using (var zip = new GZipStream(gz, CompressionLevel.Fastest, leaveOpen: true))
        await using (var writer = new StreamWriter(zip))
        {
            foreach (var row in rows)
            {
                await writer.WriteLineAsync(row);
            }
        }

        var url = http.Serve("data/wikipedia.json.gz", gz.ToArray());
        var docs = "INSERT INTO wikipedia\nSELECT\n  TIME_PARSE(\"timestamp\") AS __time,\n  *\nFROM TABLE(\n  EXTERN(\n    '{\"type\": \"http\", \"uris\": [\"https://static.imply.io/data/wikipedia.json.gz\"]}',\n    '{\"type\": \"json\"}',\n    '[{\"name\": \"added\", \"type\": \"long\"}, {\"name\": \"channel\", \"type\": \"string\"}, {\"name\": \"cityName\", \"type\": \"string\"}, {\"name\": \"comment\", \"type\": \"string\"}, {\"name\": \"commentLength\", \"type\": \"long\"}, {\"name\": \"countryIsoCode\", \"type\": \"string\"}, {\"name\": \"countryName\", \"type\": \"string\"}, {\"name\": \"deleted\", \"type\": \"long\"}, {\"name\": \"delta\", \"type\": \"long\"}, {\"name\": \"deltaBucket\", \"type\": \"string\"}, {\"name\": \"diffUrl\", \"type\": \"string\"}, {\"name\": \"flags\", \"type\": \"string\"}, {\"name\": \"isAnonymous\", \"type\": \"string\"}, {\"name\": \"isMinor\", \"type\": \"string\"}, {\"name\": \"isNew\", \"type\": \"string\"}, {\"name\": \"isRobot\", \"type\": \"string\"}, {\"name\": \"isUnpatrolled\", \"type\": \"string\"}, {\"name\": \"metroCode\", \"type\": \"string\"}, {\"name\": \"namespace\", \"type\": \"string\"}, {\"name\": \"page\", \"type\": \"string\"}, {\"name\": \"regionIsoCode\", \"type\": \"string\"}, {\"name\": \"regionName\", \"type\": \"string\"}, {\"name\": \"timestamp\", \"type\": \"string\"}, {\"name\": \"user\", \"type\": \"string\"}]'\n  )\n)\nPARTITIONED BY DAY";
        var body = new JsonObject { ["query"] = docs.Replace("https://static.imply.io/data/wikipedia.json.gz", url), ["context"] = new JsonObject { ["maxNumTasks"] = 3 } };

        var response = await PostJsonAsync("/druid/v2/sql/task/", body.ToJsonString());

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["taskId"]!.GetValue<string>();
        var status = await Eventually.WaitForAsync(() => StatusAsync(id), s => s["statusCode"]!.GetValue<string>() != "RUNNING", TimeSpan.FromSeconds(60));
        Assert.True(status["statusCode"]!.GetValue<string>() == "SUCCESS", status.ToJsonString());
        var segments = await GetArrayAsync($"{V1}/task/{id}/segments");
        Assert.Equal(50, Assert.Single(segments)!["totalRows"]!.GetValue<long>());
        Assert.Contains("timestamp", segments[0]!["dimensions"]!.GetValue<string>().Split(','));
    }
}
