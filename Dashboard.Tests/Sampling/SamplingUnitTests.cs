using System.Text;
using System.Text.Json.Nodes;
using Dashboard.Core.Errors;
using Dashboard.Core.Ingestion.Sampling;
using Dashboard.Core.Msq.Dialect;

namespace Dashboard.Tests.Sampling;

/// <summary>Format detection, time-column candidates, column types and the generated INSERT ... EXTERN statement.</summary>
public class SamplingUnitTests
{
    private static string Detect(string text, string name = "data") =>
        InputFormatDetector.Detect(Encoding.UTF8.GetBytes(text)[..Math.Min(4, text.Length)], Encoding.UTF8.GetBytes(text), name).ToJsonString();

    [Theory]
    [InlineData("{\"a\":1}\n{\"a\":2}\n", """{"type":"json"}""")]
    [InlineData("{\"a\":1}\r\n\r\n{\"a\":2}\r\n", """{"type":"json"}""")]
    [InlineData("a,b\n1,2\n3,4\n", """{"type":"csv","findColumnsFromHeader":true}""")]
    [InlineData("\"x, y\",b\n\"1,5\",2\n", """{"type":"csv","findColumnsFromHeader":true}""")]
    [InlineData("1,2\n3,4\n", """{"type":"csv","columns":["column1","column2"]}""")]
    [InlineData("a\tb,c\n1\t2,3\n", """{"type":"tsv","findColumnsFromHeader":true}""")]
    [InlineData("name;n\nx;1\n", """{"type":"tsv","delimiter":";","findColumnsFromHeader":true}""")]
    [InlineData("2024-01-01T00:00:00Z,a\n2024-01-02T00:00:00Z,b\n", """{"type":"csv","columns":["column1","column2"]}""")]
    [InlineData("a,a\n1,2\n", """{"type":"csv","columns":["column1","column2"]}""")]
    [InlineData("single\nvalue\n", """{"type":"csv","findColumnsFromHeader":true}""")]
    public void Detect_FromContent(string text, string expected) => Assert.Equal(expected, Detect(text));

    [Fact]
    public void Detect_Parquet_ByMagic_AndByName()
    {
        Assert.Equal("""{"type":"parquet"}""", InputFormatDetector.Detect("PAR1"u8, [], "x.bin").ToJsonString());
        Assert.Equal("""{"type":"parquet"}""", InputFormatDetector.Detect([], [], "x.parquet").ToJsonString());
    }

    [Fact]
    public void Detect_ByExtension_WhenContentIsInconclusive()
    {
        Assert.Equal("""{"type":"json"}""", Detect("not quite json\n", "events.json.gz"));
        Assert.Equal("""{"type":"tsv","findColumnsFromHeader":true}""", Detect("single\n", "x.tsv"));
    }

    [Fact]
    public void Detect_Empty_Is400NamingTheInput()
    {
        var error = Assert.Throws<DruidException>(() => Detect("\n\n", "empty.csv"));
        Assert.Equal(400, error.StatusCode);
        Assert.Contains("[empty.csv]", error.Message);
    }

    [Fact]
    public void TimeColumns_IsoAndMillis_PreferredNamesFirst()
    {
        var rows = new List<JsonObject>
        {
            new() { ["created"] = "2024-01-01 10:00:00", ["ts"] = 1704103200000, ["n"] = 5, ["time"] = "2024-01-01T10:00:00.000Z", ["word"] = "x" },
            new() { ["created"] = "2024-01-02", ["ts"] = "1704189600000", ["n"] = 6, ["time"] = "2024-01-02T10:00:00+01:00", ["word"] = "2024-01-01" },
        };

        var found = TimeColumnDetector.Detect(["created", "ts", "n", "time", "word"], rows);

        Assert.Equal([new("time", "iso"), new("ts", "millis"), new("created", "iso")], found);
    }

    [Fact]
    public void ColumnTypes_WidenLongToDouble_AndAnythingElseToString()
    {
        Assert.Equal("LONG", SampleColumnTypes.Infer([JsonValue.Create(1), null, JsonValue.Create("2")]));
        Assert.Equal("DOUBLE", SampleColumnTypes.Infer([JsonValue.Create(1), JsonValue.Create(1.5)]));
        Assert.Equal("STRING", SampleColumnTypes.Infer([JsonValue.Create(1), JsonValue.Create("x")]));
        Assert.Equal("STRING", SampleColumnTypes.Infer([JsonValue.Create(true)]));
        Assert.Equal("STRING", SampleColumnTypes.Infer([new JsonObject { ["a"] = 1 }]));
        Assert.Equal("STRING", SampleColumnTypes.Infer([null, null]));
    }

    private static ExternInsertOptions Options(string ds = "wiki", TimeColumnCandidate? time = null, string partitioning = "DAY", string? clusteredBy = null) =>
        new(ds, new JsonObject { ["type"] = "inline", ["data"] = "{\"it's\":\"a\"}" }, new JsonObject { ["type"] = "json" },
            [new SamplerColumn("time", "string"), new SamplerColumn("it's", "string"), new SamplerColumn("say \"hi\"", "long")],
            time ?? new TimeColumnCandidate("time", "iso"), partitioning, clusteredBy);

    [Fact]
    public void Sql_IsTheConsolesShape_WithQuotesEscaped()
    {
        var sql = ExternInsertSql.Build(Options(clusteredBy: "it's"));

        Assert.Equal(""""
            INSERT INTO "wiki"
            WITH "ext" AS (
              SELECT *
              FROM TABLE(
                EXTERN(
                  '{"type":"inline","data":"{\"it''s\":\"a\"}"}',
                  '{"type":"json"}',
                  '[{"name":"time","type":"string"},{"name":"it''s","type":"string"},{"name":"say \"hi\"","type":"long"}]'
                )
              )
            )
            SELECT
              TIME_PARSE("time") AS "__time",
              "it's",
              "say ""hi"""
            FROM "ext"
            PARTITIONED BY DAY
            CLUSTERED BY "it's"
            """".ReplaceLineEndings("\n"), sql);
    }

    [Fact]
    public void Sql_IsAcceptedByTheDialectParser_WithTheExternArgumentsIntact()
    {
        var options = Options(partitioning: "ALL");
        var statement = DruidSqlParser.Parse(ExternInsertSql.Build(options));

        Assert.Equal("wiki", statement.Target);
        var translated = DruidSqlTranslator.Translate(statement.Select, DateTimeOffset.UnixEpoch, statement.TimeZone);
        var extern_ = Assert.Single(translated.Externs);
        Assert.Equal(options.InputSource.ToJsonString(), extern_.InputSource.ToJsonString());
        Assert.Equal(["time", "it's", "say \"hi\""], extern_.Signature.Select(c => c.Name));
    }

    [Theory]
    [InlineData(null, "TIMESTAMP '1970-01-01 00:00:00'")]
    [InlineData("iso", "TIME_PARSE(\"t\")")]
    [InlineData("millis", "MILLIS_TO_TIMESTAMP(\"t\")")]
    public void TimeExpression_ByFormat(string? format, string expected) =>
        Assert.Equal(expected, ExternInsertSql.TimeExpression(format is null ? null : new TimeColumnCandidate("t", format)));

    [Theory]
    [InlineData("/data/wikiticker-2015-09-12-sampled.json.gz", "wikiticker-2015-09-12-sampled")]
    [InlineData("https://example.com/exports/kttm 2019.csv?x=1", "kttm_2019")]
    [InlineData("C:\\data\\.hidden", "hidden")]
    [InlineData("", "external_data")]
    public void SuggestDataSource_FromFileName(string path, string expected) => Assert.Equal(expected, ExternInsertSql.SuggestDataSource(path));

    [Theory]
    [InlineData("", "Give the datasource a name.")]
    [InlineData("a/b", "cannot contain '/'")]
    [InlineData(".x", "cannot start with '.'")]
    public void ValidateDataSource_NamesTheProblem(string name, string expected) => Assert.Contains(expected, ExternInsertSql.ValidateDataSource(name));

    [Fact]
    public void Build_RefusesAnUnknownPartitioning() =>
        Assert.Throws<ArgumentException>(() => ExternInsertSql.Build(Options(partitioning: "WEEKLY")));

    [Fact]
    public void DruidsOwnAnswer_IsRead_AndTimeColumnsAreDetectedFromItsRows()
    {
        // A real Druid answer has none of this server's additions, and unparseable rows carry only input and error.
        const string answer = """
            {"numRowsRead":3,"numRowsIndexed":2,
             "logicalDimensions":[{"type":"string","name":"channel","multiValueHandling":"SORTED_ARRAY","createBitmapIndex":true},
                                  {"type":"long","name":"added","multiValueHandling":"SORTED_ARRAY","createBitmapIndex":false}],
             "physicalDimensions":[{"type":"auto","name":"channel"}],
             "logicalSegmentSchema":[{"name":"__time","type":"LONG"},{"name":"timestamp","type":"STRING"},{"name":"channel","type":"STRING"},{"name":"added","type":"LONG"}],
             "data":[{"input":{"timestamp":"2015-09-12T00:46:58.771Z","channel":"#en","added":36},"parsed":{"__time":0,"timestamp":"2015-09-12T00:46:58.771Z","channel":"#en","added":36}},
                     {"input":{"timestamp":"2015-09-12T00:47:00.496Z","channel":"#ca","added":17},"parsed":{"__time":0,"timestamp":"2015-09-12T00:47:00.496Z","channel":"#ca","added":17}},
                     {"input":{"raw":"x"},"unparseable":true,"error":"Unable to parse row [x]"}]}
            """;

        var response = System.Text.Json.JsonSerializer.Deserialize<SamplerResponse>(answer, Dashboard.Core.Common.DruidJson.Options)!;

        Assert.Equal(3, response.Data.Count);
        Assert.True(response.Data[2].Unparseable);
        Assert.Null(response.InputFormat);
        Assert.Equal([new SamplerColumn("timestamp", "string"), new SamplerColumn("channel", "string"), new SamplerColumn("added", "long")], response.InputSignature());
        Assert.Equal([new TimeColumnCandidate("timestamp", "iso")], response.TimeColumnsOrDetected());
    }
}
