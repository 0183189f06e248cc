using System.Net;
using System.Text.Json.Nodes;
using Dashboard.Tests.Support;

namespace Dashboard.Tests.Api;

/// <summary>
/// The docs' sample submission and the README's quickstart, over real HTTP. Relative input paths resolve against the
/// server's working directory (here the test's), as they do in Druid, so the inputs are placed there.
/// </summary>
public class QuickstartApiTests(ApiServer server) : ApiTestBase(server)
{
    private static string Tutorial(string file)
    {
        var target = Path.Combine(Environment.CurrentDirectory, "quickstart", "tutorial", file);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        return target;
    }

    [Fact]
    public async Task DocsSample_Verbatim_WithWikitickerInQuickstartTutorial_IngestsExactlyAsTheDocsReport()
    {
        File.Copy(IngestionHelpers.Wikiticker, Tutorial("wikiticker-2015-09-12-sampled.json.gz"), overwrite: true);
        var sample = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Api", "Samples", "docs-index-parallel.json"));

        var id = await SubmitAsync(sample);
        var status = await Eventually.WaitForAsync(() => StatusAsync(id), s => s["statusCode"]!.GetValue<string>() != "RUNNING", TimeSpan.FromSeconds(60));

        Assert.Equal("SUCCESS", status["statusCode"]!.GetValue<string>());
        var report = JsonNode.Parse(await Http.GetStringAsync($"{V1}/task/{id}/reports"))!["ingestionStatsAndErrors"]!;
        Assert.Equal("ingestionStatsAndErrors", report["type"]!.GetValue<string>());
        Assert.Equal(id, report["taskId"]!.GetValue<string>());
        var payload = report["payload"]!.AsObject();
        Assert.Equal(["ingestionState", "unparseableEvents", "rowStats", "errorMsg", "segmentAvailabilityConfirmed", "segmentAvailabilityWaitTimeMs"],
            payload.Select(p => p.Key));
        var build = payload["rowStats"]!["buildSegments"]!;
        Assert.Equal(39244, build["processed"]!.GetValue<long>());
        Assert.Equal(17106256, build["processedBytes"]!.GetValue<long>());
        Assert.Equal(0, build["processedWithError"]!.GetValue<long>() + build["thrownAway"]!.GetValue<long>() + build["unparseable"]!.GetValue<long>());

        var segments = await GetArrayAsync($"{V1}/task/{id}/segments");
        Assert.Equal("2015-09-12T00:00:00.000Z/2015-09-13T00:00:00.000Z", Assert.Single(segments)!["interval"]!.GetValue<string>());
        Assert.Contains("wikipedia_auto", (await GetArrayAsync("/druid/coordinator/v1/datasources")).Select(n => n!.GetValue<string>()));
        var summary = JsonNode.Parse(await Http.GetStringAsync("/druid/coordinator/v1/datasources/wikipedia_auto"))!;
        Assert.Equal(1, summary["segments"]!["count"]!.GetValue<int>());
        Assert.Equal("2015-09-12T00:00:00.000Z", summary["segments"]!["minTime"]!.GetValue<string>());
        var full = await GetArrayAsync("/druid/coordinator/v1/metadata/datasources/wikipedia_auto/segments?full");
        Assert.Equal(segments[0]!["identifier"]!.GetValue<string>(), full[0]!["identifier"]!.GetValue<string>());
        var ids = await GetArrayAsync("/druid/coordinator/v1/metadata/datasources/wikipedia_auto/segments");
        Assert.Equal(segments[0]!["identifier"]!.GetValue<string>(), ids[0]!.GetValue<string>());
    }

    [Fact]
    public async Task ReadmeQuickstart_ProjectSample_Ingests2000Rows()
    {
        var repo = IngestionHelpers.FindRepoRoot();
        File.Copy(Path.Combine(repo, "quickstart", "tutorial", "edits-2015-09-12.json.gz"), Tutorial("edits-2015-09-12.json.gz"), overwrite: true);

        var id = await SubmitAsync(await File.ReadAllTextAsync(Path.Combine(repo, "quickstart", "edits-index.json")));
        var status = await Eventually.WaitForAsync(() => StatusAsync(id), s => s["statusCode"]!.GetValue<string>() != "RUNNING", TimeSpan.FromSeconds(60));

        Assert.Equal("SUCCESS", status["statusCode"]!.GetValue<string>());
        var report = JsonNode.Parse(await Http.GetStringAsync($"{V1}/task/{id}/reports"))!;
        Assert.Equal(2000, report["ingestionStatsAndErrors"]!["payload"]!["rowStats"]!["buildSegments"]!["processed"]!.GetValue<long>());
    }

    [Fact]
    public async Task ReadmeQuickstart_SqlInsert_IngestsTheSample()
    {
        var repo = IngestionHelpers.FindRepoRoot();
        File.Copy(Path.Combine(repo, "quickstart", "tutorial", "edits-2015-09-12.json.gz"), Tutorial("edits-2015-09-12.json.gz"), overwrite: true);

        var response = await PostJsonAsync("/druid/v2/sql/task", await File.ReadAllTextAsync(Path.Combine(repo, "quickstart", "edits-insert-sql.json")));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["taskId"]!.GetValue<string>();
        var status = await Eventually.WaitForAsync(() => StatusAsync(id), s => s["statusCode"]!.GetValue<string>() != "RUNNING", TimeSpan.FromSeconds(60));
        Assert.True(status["statusCode"]!.GetValue<string>() == "SUCCESS", status.ToJsonString());
        var segments = await GetArrayAsync($"{V1}/task/{id}/segments");
        Assert.Equal(2000, Assert.Single(segments)!["totalRows"]!.GetValue<long>());
    }

    [Fact]
    public async Task Coordinator_UnknownDataSource_Is204_AndEmptySegmentList()
    {
        var response = await Http.GetAsync("/druid/coordinator/v1/datasources/no_such_datasource");
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Empty(await GetArrayAsync("/druid/coordinator/v1/metadata/datasources/no_such_datasource/segments?full"));
    }

    [Fact]
    public async Task Submit_LocalInputOutsideAllowedFolders_Is400_NamingTheRule()
    {
        var response = await PostJsonAsync($"{V1}/task",
            """{"type":"index_parallel","spec":{"dataSchema":{"dataSource":"x"},"ioConfig":{"inputSource":{"type":"local","baseDir":"/etc","filter":"passwd"},"inputFormat":{"type":"json"}}}}""");
        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "application/json", "Ingestion:AllowedBaseDirs");
    }
}
