using System.Text.Json.Nodes;
using Dashboard.Core.Clients;
using Dashboard.Core.Tasks;
using Dashboard.Tests.Support;
using static Dashboard.Tests.Support.IngestionHelpers;

namespace Dashboard.Tests.Ingestion;

public sealed class NativeBatchTests : IngestionTestBase
{
    [Fact]
    public async Task Wikiticker_DocsSample_ReportsDruidsExactRowStats_AndOneDaySegment()
    {
        var input = Input("wikiticker-2015-09-12-sampled.json.gz");
        Directory.CreateDirectory(Path.GetDirectoryName(input)!);
        File.Copy(Wikiticker, input);
        var (status, report, segments) = await IngestAsync(IndexTask("wikipedia_auto", LocalFiles(input), Json(), spec =>
        {
            spec["dataSchema"]!["granularitySpec"]!["intervals"] = new JsonArray("2015-09-12/2015-09-13");
            spec["tuningConfig"] = new JsonObject { ["type"] = "index_parallel", ["maxRowsPerSegment"] = 5000000, ["maxRowsInMemory"] = 25000 };
        }));

        Assert.Equal(TaskState.SUCCESS, status.StatusCode);
        Assert.Equal("COMPLETED", report["ingestionState"]!.GetValue<string>());
        Assert.Equal(39244, Stat(report, "processed"));
        Assert.Equal(17106256, Stat(report, "processedBytes"));
        Assert.Equal(0, Stat(report, "processedWithError") + Stat(report, "thrownAway") + Stat(report, "unparseable"));
        Assert.Empty(report["unparseableEvents"]!.AsObject());
        var segment = Assert.Single(segments);
        Assert.Equal("2015-09-12T00:00:00.000Z/2015-09-13T00:00:00.000Z", segment.Interval.ToString());
        Assert.Equal(39244, segment.TotalRows);
        Assert.Contains("channel", segment.Dimensions.Split(','));
        var rows = await QuerySegmentsAsync(segments, "SELECT count(*), sum(added), count(DISTINCT channel) FROM ds");
        Assert.Equal(["39244", "9385573", "51"], rows[0]);
        Assert.Empty(Debris());
    }

    [Fact]
    public async Task Segment_RowsAreSortedByTimeThenDimensions_AndTypedBySchemaDiscovery()
    {
        var file = WriteLines(Input("typed.json"), [
            """{"time":"2015-09-12T10:00:00Z","dim":"b","n":5,"x":1.5,"flag":true,"obj":{"a":1}}""",
            """{"time":"2015-09-12T09:00:00Z","dim":"z","n":7,"x":2.5,"flag":false,"obj":{"a":2}}""",
            """{"time":"2015-09-12T10:00:00Z","dim":"a","n":6,"x":3.5,"flag":true,"obj":null}""",
        ]);

        var (_, _, segments) = await IngestAsync(IndexTask("typed", LocalFiles(file), Json()));

        var rows = await QuerySegmentsAsync(segments, "SELECT dim, n, x, flag FROM ds");
        Assert.Equal(["z", "a", "b"], rows.Select(r => r[0]));
        var types = await QuerySegmentsAsync(segments, "SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM ds)");
        var typeOf = types.ToDictionary(r => r[0], r => r[1]);
        Assert.Equal("TIMESTAMP", typeOf["__time"]);
        Assert.Equal("BIGINT", typeOf["n"]);
        Assert.Equal("DOUBLE", typeOf["x"]);
        Assert.Equal("BIGINT", typeOf["flag"]);
        Assert.Equal("VARCHAR", typeOf["dim"]);
    }

    [Theory]
    [InlineData("iso", "2015-09-12T10:11:12.345Z")]
    [InlineData("auto", "2015-09-12T10:11:12.345Z")]
    [InlineData("auto", "1442052672345")]
    [InlineData("millis", "1442052672345")]
    [InlineData("posix", "1442052672.345")]
    [InlineData("nano", "1442052672345000000")]
    [InlineData("yyyy-MM-dd HH:mm:ss.SSS", "2015-09-12 10:11:12.345")]
    [InlineData("dd/MM/yyyy HH:mm:ss", "12/09/2015 10:11:12")]
    public async Task TimestampFormats_AreParsedToUtcMillis(string format, string value)
    {
        var file = WriteLines(Input($"ts-{Guid.NewGuid():N}.json"), [$$"""{"t":"{{value}}","d":"x"}"""]);
        var (status, report, segments) = await IngestAsync(IndexTask("ts", LocalFiles(file), Json(), spec =>
            spec["dataSchema"]!["timestampSpec"] = new JsonObject { ["column"] = "t", ["format"] = format }));

        Assert.Equal(TaskState.SUCCESS, status.StatusCode);
        Assert.Equal(1, Stat(report, "processed"));
        var rows = await QuerySegmentsAsync(segments, "SELECT strftime(__time, '%Y-%m-%dT%H:%M:%S.%g') FROM ds");
        Assert.StartsWith("2015-09-12T10:11:12", rows[0][0]);
        if (!format.Contains("ss\"") && value.Contains("345"))
        {
            Assert.Equal("2015-09-12T10:11:12.345", rows[0][0]);
        }
    }

    [Fact]
    public async Task MissingTimestamp_UsesMissingValue()
    {
        var file = WriteLines(Input("missing.json"), ["""{"d":"x"}"""]);
        var (_, report, segments) = await IngestAsync(IndexTask("missing", LocalFiles(file), Json(), spec =>
            spec["dataSchema"]!["timestampSpec"] = new JsonObject { ["column"] = "t", ["missingValue"] = "2010-01-01T00:00:00Z" }));

        Assert.Equal(1, Stat(report, "processed"));
        Assert.Equal("2010-01-01T00:00:00.000Z/2010-01-02T00:00:00.000Z", Assert.Single(segments).Interval.ToString());
    }

    [Fact]
    public async Task Csv_WithHeader_AndTsv_WithColumns_AreIngested()
    {
        var csv = WriteLines(Input("rows.csv"), ["time,page,added", "2015-09-12T01:00:00Z,Alpha,10", "2015-09-12T02:00:00Z,\"Beta, quoted\",20"]);
        var tsv = WriteLines(Input("rows.tsv"), ["2015-09-12T01:00:00Z\tGamma\t30"]);

        var (_, csvReport, csvSegments) = await IngestAsync(IndexTask("csv", LocalFiles(csv),
            new JsonObject { ["type"] = "csv", ["findColumnsFromHeader"] = true }, spec =>
                spec["dataSchema"]!["dimensionsSpec"] = new JsonObject { ["dimensions"] = new JsonArray("page", new JsonObject { ["name"] = "added", ["type"] = "long" }) }));
        var (_, tsvReport, tsvSegments) = await IngestAsync(IndexTask("tsv", LocalFiles(tsv),
            new JsonObject { ["type"] = "tsv", ["columns"] = new JsonArray("time", "page", "added") }));

        Assert.Equal(2, Stat(csvReport, "processed"));
        Assert.Equal([["Alpha", "10"], ["Beta, quoted", "20"]], await QuerySegmentsAsync(csvSegments, "SELECT page, added FROM ds ORDER BY __time"));
        Assert.Equal(1, Stat(tsvReport, "processed"));
        Assert.Equal(["Gamma", "30"], (await QuerySegmentsAsync(tsvSegments, "SELECT page, added FROM ds"))[0]);
    }

    [Fact]
    public async Task Csv_ListDelimiter_MakesMultiValueDimensions()
    {
        var csv = WriteLines(Input("multi.csv"), ["2015-09-12T01:00:00Z,a|b|c,1", "2015-09-12T02:00:00Z,solo,2"]);

        var (_, report, segments) = await IngestAsync(IndexTask("multi", LocalFiles(csv),
            new JsonObject { ["type"] = "csv", ["columns"] = new JsonArray("time", "tags", "n"), ["listDelimiter"] = "|" }, spec =>
                spec["dataSchema"]!["dimensionsSpec"] = new JsonObject { ["dimensions"] = new JsonArray("tags") }));

        Assert.Equal(2, Stat(report, "processed"));
        Assert.Equal([["3", "a"], ["1", "solo"]], await QuerySegmentsAsync(segments, "SELECT len(tags), tags[1] FROM ds ORDER BY __time"));
    }

    [Fact]
    public async Task SchemaDiscovery_LeavesOutDimensionExclusions_TheTimestampAndMetricInputs()
    {
        var file = WriteLines(Input("exclude.json"), ["""{"time":"2015-09-12T00:00:00Z","keep":"k","secret":"s","added":3}"""]);

        var (_, _, segments) = await IngestAsync(IndexTask("exclude", LocalFiles(file), Json(), spec =>
        {
            spec["dataSchema"]!["dimensionsSpec"] = new JsonObject { ["useSchemaDiscovery"] = true, ["dimensionExclusions"] = new JsonArray("secret") };
            spec["dataSchema"]!["metricsSpec"] = new JsonArray(new JsonObject { ["type"] = "longSum", ["name"] = "sumAdded", ["fieldName"] = "added" });
        }));

        Assert.Equal("keep", Assert.Single(segments).Dimensions);
        Assert.Equal([["k", "3"]], await QuerySegmentsAsync(segments, "SELECT keep, sumAdded FROM ds"));
    }

    [Fact]
    public async Task Rollup_GroupsByTruncatedTimeAndDimensions_AndAggregatesMetrics()
    {
        var file = WriteLines(Input("rollup.json"), [
            """{"time":"2015-09-12T10:01:00Z","page":"A","added":1,"delta":1.5}""",
            """{"time":"2015-09-12T10:59:00Z","page":"A","added":2,"delta":-3.0}""",
            """{"time":"2015-09-12T10:30:00Z","page":"B","added":5,"delta":0}""",
            """{"time":"2015-09-12T11:00:00Z","page":"A","added":7,"delta":2}""",
        ]);

        var (_, report, segments) = await IngestAsync(IndexTask("rollup", LocalFiles(file), Json(), spec =>
        {
            var schema = spec["dataSchema"]!.AsObject();
            schema["dimensionsSpec"] = new JsonObject { ["dimensions"] = new JsonArray("page") };
            schema["metricsSpec"] = new JsonArray(
                new JsonObject { ["type"] = "count", ["name"] = "count" },
                new JsonObject { ["type"] = "longSum", ["name"] = "added", ["fieldName"] = "added" },
                new JsonObject { ["type"] = "doubleMin", ["name"] = "minDelta", ["fieldName"] = "delta" },
                new JsonObject { ["type"] = "longMax", ["name"] = "maxAdded", ["fieldName"] = "added" });
            schema["granularitySpec"] = new JsonObject { ["segmentGranularity"] = "day", ["queryGranularity"] = "hour", ["rollup"] = true };
        }));

        Assert.Equal(4, Stat(report, "processed"));
        var rows = await QuerySegmentsAsync(segments, "SELECT strftime(__time, '%H'), page, count, added, minDelta, maxAdded FROM ds");
        Assert.Equal([["10", "A", "2", "3", "-3", "2"], ["10", "B", "1", "5", "0", "5"], ["11", "A", "1", "7", "2", "7"]], rows);
        Assert.Equal("count,added,minDelta,maxAdded", Assert.Single(segments).Metrics);
    }

    [Fact]
    public async Task TransformsAndFilter_ComputeFields_AndRejectedRowsCountAsThrownAway()
    {
        var file = WriteLines(Input("transform.json"), [
            """{"time":"2015-09-12T10:00:00Z","page":"Alpha","added":10,"deleted":3,"country":"AU"}""",
            """{"time":"2015-09-12T11:00:00Z","page":"beta","added":2,"deleted":1,"country":"NZ"}""",
            """{"time":"2015-09-12T12:00:00Z","page":"Gamma","added":50,"deleted":0,"country":"US"}""",
            """{"time":"2015-09-12T13:00:00Z","page":"Delta","added":70,"deleted":0,"country":"AU"}""",
        ]);

        var (_, report, segments) = await IngestAsync(IndexTask("transform", LocalFiles(file), Json(), spec =>
        {
            var schema = spec["dataSchema"]!.AsObject();
            schema["dimensionsSpec"] = new JsonObject { ["dimensions"] = new JsonArray("pageUpper", new JsonObject { ["name"] = "net", ["type"] = "long" }, "country") };
            schema["transformSpec"] = new JsonObject
            {
                ["transforms"] = new JsonArray(
                    new JsonObject { ["type"] = "expression", ["name"] = "pageUpper", ["expression"] = "upper(concat(page, '!'))" },
                    new JsonObject { ["type"] = "expression", ["name"] = "net", ["expression"] = "added - deleted" }),
                ["filter"] = new JsonObject
                {
                    ["type"] = "and",
                    ["fields"] = new JsonArray(
                        new JsonObject { ["type"] = "in", ["dimension"] = "country", ["values"] = new JsonArray("AU", "US") },
                        new JsonObject { ["type"] = "not", ["field"] = new JsonObject { ["type"] = "selector", ["dimension"] = "page", ["value"] = "Delta" } },
                        new JsonObject { ["type"] = "bound", ["dimension"] = "added", ["lower"] = "5", ["upper"] = "60", ["ordering"] = "numeric" }),
                },
            };
        }));

        Assert.Equal(2, Stat(report, "processed"));
        Assert.Equal(2, Stat(report, "thrownAway"));
        Assert.Equal([["ALPHA!", "7", "AU"], ["GAMMA!", "50", "US"]], await QuerySegmentsAsync(segments, "SELECT pageUpper, net, country FROM ds ORDER BY __time"));
    }

    [Fact]
    public async Task RowsOutsideIntervals_AreThrownAway()
    {
        var file = WriteLines(Input("intervals.json"), [
            """{"time":"2015-09-11T23:59:59Z","d":"before"}""", """{"time":"2015-09-12T00:00:00Z","d":"in"}""", """{"time":"2015-09-13T00:00:00Z","d":"after"}""",
        ]);

        var (_, report, segments) = await IngestAsync(IndexTask("intervals", LocalFiles(file), Json(), spec =>
            spec["dataSchema"]!["granularitySpec"]!["intervals"] = new JsonArray("2015-09-12/2015-09-13")));

        Assert.Equal(1, Stat(report, "processed"));
        Assert.Equal(2, Stat(report, "thrownAway"));
        Assert.Equal([["in"]], await QuerySegmentsAsync(segments, "SELECT d FROM ds"));
    }

    [Fact]
    public async Task ParseExceptions_AreCountedAndSaved_WithFileAndLine()
    {
        var file = WriteLines(Input("bad.json"), [
            """{"time":"2015-09-12T00:00:00Z","d":"ok","n":1}""",
            """{"time":"2015-09-12T00:00:00Z","d":"ok" broken""",
            """{"time":"not a time","d":"x"}""",
            "",
            """{"time":"2015-09-12T01:00:00Z","d":"typed","n":"seven"}""",
        ]);

        var (status, report, _) = await IngestAsync(IndexTask("bad", LocalFiles(file), Json(), spec =>
        {
            spec["dataSchema"]!["dimensionsSpec"] = new JsonObject { ["dimensions"] = new JsonArray("d", new JsonObject { ["name"] = "n", ["type"] = "long" }) };
            spec["tuningConfig"] = new JsonObject { ["maxSavedParseExceptions"] = 10, ["logParseExceptions"] = true };
        }));

        Assert.True(status.StatusCode == TaskState.SUCCESS, status.ErrorMsg + " " + report["errorMsg"]);
        Assert.Equal(1, Stat(report, "processed"));
        Assert.Equal(1, Stat(report, "processedWithError"));
        Assert.Equal(2, Stat(report, "unparseable"));
        var saved = report["unparseableEvents"]!["buildSegments"]!.AsArray().Select(e => e!["details"]![0]!.GetValue<string>()).ToList();
        Assert.Equal(3, saved.Count);
        Assert.Contains(saved, m => m.StartsWith("Unable to parse row [{\"time\":\"2015-09-12T00:00:00Z\",\"d\":\"ok\" broken]") && m.EndsWith($"(Path: {file}, Record: 2, Line: 2)"));
        Assert.Contains(saved, m => m.StartsWith("Timestamp[not a time] is unparseable!") && m.Contains("Line: 3)"));
        Assert.Contains(saved, m => m.Contains("n[seven]") && m.Contains("Record: 4, Line: 5)"));
        var log = System.Text.Encoding.UTF8.GetString(await Overlord.Client.GetTaskLogAsync(status.Id, 0, default));
        Assert.Contains("Parse exception: Timestamp[not a time] is unparseable!", log);
    }

    [Fact]
    public async Task GzipInput_WithParseErrors_ReportsTheSameCountsAndMessages_NamingTheGzipFile()
    {
        // The engine reads a decompressed copy of a .gz input: counts, bytes and messages must still be the original file's.
        string[] lines =
        [
            """{"time":"2015-09-12T00:00:00Z","d":"ok","n":1}""",
            """{"time":"2015-09-12T00:00:00Z","d":"ok" broken""",
            """{"time":"not a time","d":"x"}""",
            "",
            """{"time":"2015-09-12T01:00:00Z","d":"typed","n":"seven"}""",
        ];
        var file = WriteLines(Input("bad.json.gz"), lines, gzip: true);

        var (status, report, segments) = await IngestAsync(IndexTask("badgz", LocalFiles(file), Json(), spec =>
        {
            spec["dataSchema"]!["dimensionsSpec"] = new JsonObject { ["dimensions"] = new JsonArray("d", new JsonObject { ["name"] = "n", ["type"] = "long" }) };
            spec["tuningConfig"] = new JsonObject { ["maxSavedParseExceptions"] = 10 };
        }));

        Assert.Equal(TaskState.SUCCESS, status.StatusCode);
        Assert.Equal(1, Stat(report, "processed"));
        Assert.Equal(1, Stat(report, "processedWithError"));
        Assert.Equal(2, Stat(report, "unparseable"));
        Assert.Equal(lines.Sum(l => System.Text.Encoding.UTF8.GetByteCount(l) + 1), Stat(report, "processedBytes"));
        var saved = report["unparseableEvents"]!["buildSegments"]!.AsArray().Select(e => e!["details"]![0]!.GetValue<string>()).ToList();
        Assert.Equal(3, saved.Count);
        Assert.Contains(saved, m => m.StartsWith("Unable to parse row [{\"time\":\"2015-09-12T00:00:00Z\",\"d\":\"ok\" broken]") && m.EndsWith($"(Path: {file}, Record: 2, Line: 2)"));
        Assert.Contains(saved, m => m.StartsWith("Timestamp[not a time] is unparseable! Event: {\"time\":\"not a time\",\"d\":\"x\"}") && m.EndsWith($"(Path: {file}, Record: 3, Line: 3)"));
        Assert.Contains(saved, m => m.Contains("n[seven]") && m.EndsWith($"(Path: {file}, Record: 4, Line: 5)"));
        Assert.Equal([["ok", "1"], ["typed", "null"]], await QuerySegmentsAsync(segments, "SELECT d, CAST(n AS VARCHAR) FROM ds ORDER BY __time"));
    }

    [Fact]
    public async Task NumericFieldWithNulls_OnlyAValueThatDoesNotConvert_IsProcessedWithError()
    {
        // n is the only numeric field and is often null or missing: nulls are not errors, "seven" is.
        var clean = WriteLines(Input("nulls.json"), [
            """{"time":"2015-09-12T00:00:00Z","d":"a","n":1}""", """{"time":"2015-09-12T00:00:01Z","d":"b","n":null}""", """{"time":"2015-09-12T00:00:02Z","d":"c"}""",
        ]);
        var bad = WriteLines(Input("nulls-bad.json"), [
            """{"time":"2015-09-12T00:00:00Z","d":"a","n":1}""", """{"time":"2015-09-12T00:00:01Z","d":"b","n":null}""", """{"time":"2015-09-12T00:00:02Z","d":"c","n":"seven"}""",
        ]);
        Action<JsonObject> dims = spec =>
        {
            spec["dataSchema"]!["dimensionsSpec"] = new JsonObject { ["dimensions"] = new JsonArray("d", new JsonObject { ["name"] = "n", ["type"] = "long" }) };
            spec["tuningConfig"] = new JsonObject { ["maxSavedParseExceptions"] = 10 };
        };

        var (_, cleanReport, _) = await IngestAsync(IndexTask("nulls", LocalFiles(clean), Json(), dims));
        var (_, badReport, _) = await IngestAsync(IndexTask("nullsbad", LocalFiles(bad), Json(), dims));

        Assert.Equal(3, Stat(cleanReport, "processed"));
        Assert.Equal(0, Stat(cleanReport, "processedWithError"));
        Assert.Empty(cleanReport["unparseableEvents"]!.AsObject());
        Assert.Equal(2, Stat(badReport, "processed"));
        Assert.Equal(1, Stat(badReport, "processedWithError"));
        var saved = Assert.Single(badReport["unparseableEvents"]!["buildSegments"]!.AsArray());
        Assert.Equal($"Unable to parse value(s) for field(s) n[seven] (Path: {bad}, Record: 3, Line: 3)", saved!["details"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task LongFieldBeyond64Bits_IsAParseError_NotACrash()
    {
        var file = WriteLines(Input("huge-long.json"), [
            """{"time":"2015-09-12T00:00:00Z","n":1}""", """{"time":"2015-09-12T00:00:01Z","n":99999999999999999999}""", """{"time":"2015-09-12T00:00:02Z","n":3}""",
        ]);

        var (status, report, _) = await IngestAsync(IndexTask("hugelong", LocalFiles(file), Json(), spec =>
        {
            spec["dataSchema"]!["dimensionsSpec"] = new JsonObject { ["dimensions"] = new JsonArray(new JsonObject { ["name"] = "n", ["type"] = "long" }) };
            spec["tuningConfig"]!["maxParseExceptions"] = 10;
            spec["tuningConfig"]!["maxSavedParseExceptions"] = 10;
        }));

        Assert.True(status.StatusCode == TaskState.SUCCESS, status.ErrorMsg);
        Assert.Equal(2, Stat(report, "processed"));
        Assert.Equal(1, Stat(report, "processedWithError"));
        var saved = Assert.Single(report["unparseableEvents"]!["buildSegments"]!.AsArray());
        Assert.StartsWith("Unable to parse value(s) for field(s) n[99999999999999999999]", saved!["details"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task DoubleFieldWithoutNulls_IsStillCheckedForValuesThatDoNotConvert_WhenAnotherFieldHasNulls()
    {
        // x never reads as null (read_json types true as 1.0) but the text "true" is not a double: with nulls in m the
        // rows are checked as text, and the boolean counts as an error, as it always has.
        var file = WriteLines(Input("bool-double.json"), [
            """{"time":"2015-09-12T00:00:00Z","m":null,"x":1.5}""", """{"time":"2015-09-12T00:00:01Z","m":2,"x":true}""",
        ]);

        var (_, report, _) = await IngestAsync(IndexTask("booldouble", LocalFiles(file), Json(), spec =>
            spec["dataSchema"]!["dimensionsSpec"] = new JsonObject
            {
                ["dimensions"] = new JsonArray(new JsonObject { ["name"] = "m", ["type"] = "long" }, new JsonObject { ["name"] = "x", ["type"] = "double" }),
            }));

        Assert.Equal(1, Stat(report, "processed"));
        Assert.Equal(1, Stat(report, "processedWithError"));
    }

    [Fact]
    public async Task SchemaDiscovery_FindsAFieldThatFirstAppearsLateInALargeFile()
    {
        // 30,000 rows; "late" first appears at row 20,001, the last stretch of DuckDB's 20,480-row detection sample.
        var file = WriteLines(Input("late.json.gz"), Enumerable.Range(0, 30_000).Select(i => i < 20_000
            ? $$"""{"time":"2015-09-12T00:00:{{i % 60:00}}Z","d":"x{{i % 7}}"}"""
            : $$"""{"time":"2015-09-12T00:00:{{i % 60:00}}Z","d":"x{{i % 7}}","late":{{i}}}"""), gzip: true);

        var (status, report, segments) = await IngestAsync(IndexTask("late", LocalFiles(file), Json()));

        Assert.Equal(TaskState.SUCCESS, status.StatusCode);
        Assert.Equal(30_000, Stat(report, "processed"));
        Assert.Equal(["d", "late"], Assert.Single(segments).Dimensions.Split(','));
        Assert.Equal([["10000", "20000", "29999"]], await QuerySegmentsAsync(segments, "SELECT count(late), min(late), max(late) FROM ds"));
        var types = await QuerySegmentsAsync(segments, "SELECT column_type FROM (DESCRIBE SELECT late FROM ds)");
        Assert.Equal("BIGINT", types[0][0]);
    }

    [Fact]
    public async Task SchemaDiscovery_FindsAFieldFirstSeenAfterDuckDbsDetectionSample_AsAString()
    {
        // "rare" first appears at row 29,001, past DuckDB's 20,480-row detection sample: Druid discovers it, so must we.
        var file = WriteLines(Input("rare.json"), Enumerable.Range(0, 30_000).Select(i => i < 29_000
            ? $$"""{"time":"2015-09-12T00:00:{{i % 60:00}}Z","d":"x{{i % 7}}"}"""
            : $$"""{"time":"2015-09-12T00:00:{{i % 60:00}}Z","d":"x{{i % 7}}","rare":"r{{i}}"}"""));

        var (status, report, segments) = await IngestAsync(IndexTask("rare", LocalFiles(file), Json()));

        Assert.Equal(TaskState.SUCCESS, status.StatusCode);
        Assert.Equal(30_000, Stat(report, "processed"));
        Assert.Equal(["d", "rare"], Assert.Single(segments).Dimensions.Split(','));
        Assert.Equal([["1000", "r29000", "r29999"]], await QuerySegmentsAsync(segments, "SELECT count(rare), min(rare), max(rare) FROM ds"));
    }

    [Fact]
    public async Task TooManyParseExceptions_FailsTheTask_NamingTheLastFileAndLine_AndPublishesNothing()
    {
        var file = WriteLines(Input("mostly-bad.json"), ["""{"time":"2015-09-12T00:00:00Z"}""", "{oops", "{also bad"]);

        var (status, report, segments) = await IngestAsync(IndexTask("strict", LocalFiles(file), Json(), spec =>
            spec["tuningConfig"] = new JsonObject { ["maxParseExceptions"] = 1 }));

        Assert.Equal(TaskState.FAILED, status.StatusCode);
        Assert.StartsWith("Max parse exceptions [1] exceeded", status.ErrorMsg);
        Assert.Contains($"(Path: {file}, Record: 3, Line: 3)", report["errorMsg"]!.GetValue<string>());
        Assert.Empty(segments);
        Assert.Empty(await Overlord.Get<ICoordinatorClient>().GetDataSourcesAsync(default));
        Assert.Empty(Debris());
    }

    [Fact]
    public async Task GzipInput_AndBaseDirWithFilterGlob_AreRead()
    {
        WriteLines(Input(Path.Combine("glob", "a.json.gz")), ["""{"time":"2015-09-12T00:00:00Z","d":"a"}"""], gzip: true);
        WriteLines(Input(Path.Combine("glob", "nested", "b.json.gz")), ["""{"time":"2015-09-12T00:00:00Z","d":"b"}"""], gzip: true);
        WriteLines(Input(Path.Combine("glob", "c.txt")), ["""{"time":"2015-09-12T00:00:00Z","d":"c"}"""]);

        var (_, report, segments) = await IngestAsync(IndexTask("glob",
            new JsonObject { ["type"] = "local", ["baseDir"] = Input("glob"), ["filter"] = "*.json.gz" }, Json()));

        Assert.Equal(2, Stat(report, "processed"));
        Assert.Equal([["a"], ["b"]], await QuerySegmentsAsync(segments, "SELECT d FROM ds ORDER BY d"));
    }

    [Theory]
    [InlineData(10)]
    [InlineData(-40_000)]
    public async Task CorruptGzipInput_FailsTheTask_AndPublishesNothing(int at)
    {
        // Corrupted near the start (inside the row estimate's sample, which gives up quietly) or past the first MiB of text.
        var good = WriteLines(Input("whole.json.gz"), Enumerable.Range(0, 60_000).Select(i => $$"""{"time":"2015-09-12T00:00:00Z","i":{{i}},"pad":"{{Guid.NewGuid()}}"}"""), gzip: true);
        var bytes = File.ReadAllBytes(good);
        var cut = at >= 0 ? at : bytes.Length + at;
        var file = Input("corrupt.json.gz");
        File.WriteAllBytes(file, [.. bytes[..cut], .. Enumerable.Repeat((byte)0xFF, 64), .. bytes[cut..]]);

        var (status, _, segments) = await IngestAsync(IndexTask("corrupt", LocalFiles(file), Json()));

        Assert.Equal(TaskState.FAILED, status.StatusCode);
        Assert.StartsWith($"Could not decompress {file}:", status.ErrorMsg);

        Assert.Empty(segments);
        Assert.Empty(await Overlord.Get<ICoordinatorClient>().GetDataSourcesAsync(default));
        Assert.Empty(Debris());
    }

    [Fact]
    public async Task InlineAndHttpInputSources_AreIngested()
    {
        using var http = new TestHttpServer();
        var url = http.Serve("data/rows.json", "{\"time\":\"2015-09-12T00:00:00Z\",\"d\":\"remote\"}\n"u8.ToArray());

        var (_, inlineReport, _) = await IngestAsync(IndexTask("inline",
            new JsonObject { ["type"] = "inline", ["data"] = "{\"time\":\"2015-09-12T00:00:00Z\",\"d\":\"x\"}\n{\"time\":\"2015-09-12T00:00:01Z\",\"d\":\"y\"}" }, Json()));
        var (status, httpReport, segments) = await IngestAsync(IndexTask("remote", new JsonObject { ["type"] = "http", ["uris"] = new JsonArray(url) }, Json()));

        Assert.True(Stat(inlineReport, "processed") == 2, inlineReport.ToJsonString());
        Assert.Equal(TaskState.SUCCESS, status.StatusCode);
        Assert.Equal(1, Stat(httpReport, "processed"));
        Assert.Equal([["remote"]], await QuerySegmentsAsync(segments, "SELECT d FROM ds"));
    }

    [Fact]
    public async Task MaxRowsPerSegment_SplitsAChunkIntoSortedPartitions()
    {
        var file = WriteLines(Input("split.json"), Enumerable.Range(0, 25).Select(i => $$"""{"time":"2015-09-12T00:00:{{i:00}}Z","i":{{i}}}"""));

        var (_, _, segments) = await IngestAsync(IndexTask("split", LocalFiles(file), Json(), spec =>
            spec["tuningConfig"] = new JsonObject { ["partitionsSpec"] = new JsonObject { ["type"] = "dynamic", ["maxRowsPerSegment"] = 10 } }));

        Assert.Equal([0, 1, 2], segments.Select(s => s.PartitionNum));
        Assert.Equal([10L, 10L, 5L], segments.Select(s => s.TotalRows));
        Assert.Equal([["0", "9"]], await QuerySegmentsAsync([segments[0]], "SELECT min(i), max(i) FROM ds"));
        Assert.Equal([["20", "24"]], await QuerySegmentsAsync([segments[2]], "SELECT min(i), max(i) FROM ds"));
    }
}
