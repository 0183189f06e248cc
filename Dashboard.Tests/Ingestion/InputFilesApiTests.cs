using System.Text.Json.Nodes;
using Dashboard.Tests.Api;
using Dashboard.Tests.Support;
using static Dashboard.Tests.Support.IngestionHelpers;

namespace Dashboard.Tests.Ingestion;

/// <summary>Inputs over real HTTP: gzip told by content rather than name, and CSV over many files that each carry a header.</summary>
public sealed class InputFilesApiTests(ApiServer server) : ApiTestBase(server)
{
    private async Task<(JsonObject Status, JsonObject Report)> IngestAsync(string task)
    {
        var id = await SubmitAsync(task);
        var status = await Eventually.WaitForAsync(() => StatusAsync(id), s => s["statusCode"]!.GetValue<string>() is "SUCCESS" or "FAILED",
            TimeSpan.FromSeconds(60), $"{id} to complete");
        var report = JsonNode.Parse(await Http.GetStringAsync($"{V1}/task/{id}/reports"))!["ingestionStatsAndErrors"]!["payload"]!.AsObject();
        return (status, report);
    }

    private static long Stat(JsonObject report, string name) => report["rowStats"]!["buildSegments"]![name]!.GetValue<long>();

    [Fact]
    public async Task NativeJson_GzipNamedJson_AndTextNamedGz_BothReadByContent()
    {
        var ds = Unique("gz_content");
        string[] rows = ["""{"time":"2015-09-12T01:00:00Z","page":"a"}""", """{"time":"2015-09-12T02:00:00Z","page":"b"}"""];
        var gzipped = WriteLines(InputPath($"{ds}-gzip.json"), rows, gzip: true);
        var plain = WriteLines(InputPath($"{ds}-plain.json.gz"), rows);

        var (status, report) = await IngestAsync(IndexTask(ds, LocalFiles(gzipped, plain), Json()));

        Assert.True(status["statusCode"]!.GetValue<string>() == "SUCCESS", report.ToJsonString());
        Assert.Equal(4, Stat(report, "processed"));
        Assert.Equal(0, Stat(report, "unparseable"));
        Assert.Equal(2 * new FileInfo(plain).Length, Stat(report, "processedBytes"));
    }

    [Fact]
    public async Task ExternJson_GzipNamedJson_IsReadByContent()
    {
        var ds = Unique("gz_sql");
        var file = WriteLines(InputPath($"{ds}.json"), ["""{"time":"2015-09-12T01:00:00Z","page":"a"}""", """{"time":"2015-09-12T02:00:00Z","page":"b"}"""], gzip: true);

        var status = await RunSqlTaskAsync(
            $$"""INSERT INTO {{ds}} SELECT TIME_PARSE("time") AS __time, page FROM TABLE(EXTERN('{"type":"local","files":["{{file}}"]}', '{"type":"json"}', '[{"name":"time","type":"string"},{"name":"page","type":"string"}]')) PARTITIONED BY DAY""");

        Assert.True(status["statusCode"]!.GetValue<string>() == "SUCCESS", status.ToJsonString());
        var report = JsonNode.Parse(await Http.GetStringAsync($"{V1}/task/{status["id"]!.GetValue<string>()}/reports"))!["multiStageQuery"]!["payload"]!;
        Assert.Equal(2, report["counters"]!["0"]!["0"]!["input0"]!["rows"]![0]!.GetValue<long>());
    }

    [Fact]
    public async Task NativeCsv_ManyFilesEachWithItsHeader_ReadsEveryRowByItsOwnHeader()
    {
        var ds = Unique("csv_many");
        var files = Enumerable.Range(0, 3).Select(i => WriteLines(InputPath($"{ds}-{i}.csv"),
            i == 2
                ? ["added,page,time", $"{i}0,p{i},2015-09-12T0{i}:00:00Z", $"{i}1,q{i},2015-09-12T0{i}:30:00Z"]
                : ["time,page,added", $"2015-09-12T0{i}:00:00Z,p{i},{i}0", $"2015-09-12T0{i}:30:00Z,q{i},{i}1"])).ToArray();
        var csv = new JsonObject { ["type"] = "csv", ["findColumnsFromHeader"] = true };

        var (status, report) = await IngestAsync(IndexTask(ds, LocalFiles(files), csv, spec =>
            spec["dataSchema"]!["dimensionsSpec"] = new JsonObject { ["dimensions"] = new JsonArray("page", new JsonObject { ["type"] = "long", ["name"] = "added" }) }));

        Assert.True(status["statusCode"]!.GetValue<string>() == "SUCCESS", report.ToJsonString());
        Assert.Equal(6, Stat(report, "processed"));
        Assert.Equal(0, Stat(report, "unparseable") + Stat(report, "processedWithError"));
        var result = await RunSqlTaskAsync($"SELECT SUM(added) AS s, COUNT(DISTINCT page) AS p FROM {ds}");
        var rows = JsonNode.Parse(await Http.GetStringAsync($"{V1}/task/{result["id"]!.GetValue<string>()}/reports"))!["multiStageQuery"]!["payload"]!["results"]!["results"]![0]!;
        Assert.Equal(0 + 1 + 10 + 11 + 20 + 21, rows[0]!.GetValue<long>());
        Assert.Equal(6, rows[1]!.GetValue<long>());
    }
}
