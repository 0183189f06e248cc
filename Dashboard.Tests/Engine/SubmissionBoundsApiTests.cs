using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Dashboard.Core.Msq.Execution;
using Dashboard.Tests.Api;
using Dashboard.Tests.Support;
using static Dashboard.Tests.Support.IngestionHelpers;

namespace Dashboard.Tests.Engine;

/// <summary>Sizes a spec or a statement asks for, refused at submission with a 400 before any task exists, over real HTTP.</summary>
public sealed class SubmissionBoundsApiTests(ApiServer server) : ApiTestBase(server)
{
    private const string SqlTask = "/druid/v2/sql/task/";

    private string NativeSpec(string ds, Action<JsonObject> configure) =>
        IndexTask(ds, LocalFiles(WriteLines(InputPath($"{ds}.json"), ["{\"time\":\"2015-09-12T00:00:00Z\",\"page\":\"a\"}"])), Json(), configure);

    private async Task<(HttpStatusCode Status, string Body)> PostAsync(string path, string json)
    {
        var response = await PostJsonAsync(path, json);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task AssertNoTaskAsync(string ds) =>
        Assert.DoesNotContain(await GetArrayAsync($"{V1}/tasks?datasource={ds}"), t => t!["dataSource"]?.GetValue<string>() == ds);

    private static long PeakRssKiB() =>
        long.Parse(File.ReadAllLines("/proc/self/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);

    [Fact]
    public async Task HourChunksOverTenThousandYears_Is400InMilliseconds_WithoutGrowingTheProcess()
    {
        var ds = Unique("eternity");
        var spec = NativeSpec(ds, s => s["dataSchema"]!["granularitySpec"] = new JsonObject
        {
            ["segmentGranularity"] = "hour", ["queryGranularity"] = "none", ["intervals"] = new JsonArray("0001-01-01/9999-01-01"),
        });
        await PostAsync($"{V1}/task", NativeSpec(Unique("warm"), s => s["tuningConfig"]!["maxRowsInMemory"] = 0)); // JIT the refusal path
        var peakBefore = PeakRssKiB();

        var clock = Stopwatch.StartNew();
        var (status, body) = await PostAsync($"{V1}/task", spec);
        clock.Stop();

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var hours = (long)(new DateTime(9999, 1, 1) - new DateTime(1, 1, 1)).TotalHours;
        Assert.Contains($"cover {hours:N0} time chunks at segmentGranularity [hour]; at most 50,000 are allowed (Overlord:MaxTimeChunks)", body);
        Assert.True(clock.ElapsedMilliseconds < 1500, $"took {clock.ElapsedMilliseconds} ms");
        Assert.True(PeakRssKiB() - peakBefore < 200 * 1024, $"peak RSS grew by {(PeakRssKiB() - peakBefore) / 1024} MiB");
        await AssertNoTaskAsync(ds);
    }

    [Fact]
    public async Task NoopLockOverTenThousandYears_IsOneLock_AndSucceeds()
    {
        var id = await SubmitAsync("""{"type":"noop","runTime":0,"dataSource":"eternal_noop","interval":"0001-01-01/9999-01-01"}""");

        Assert.Equal("SUCCESS", (await WaitForStatusAsync(id, "SUCCESS"))["statusCode"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("maxRowsPerSegment", 0, "spec.tuningConfig.maxRowsPerSegment must be at least 1, got 0.")]
    [InlineData("maxRowsPerSegment", 3_000_000_000, "spec.tuningConfig.maxRowsPerSegment must be at most 2,147,483,647 (Druid reads it as a 32-bit integer), got 3,000,000,000.")]
    [InlineData("maxRowsInMemory", -5, "spec.tuningConfig.maxRowsInMemory must be at least 1, got -5.")]
    [InlineData("maxRowsInMemory", 9_000_000_000, "spec.tuningConfig.maxRowsInMemory must be at most 2,147,483,647 (Druid reads it as a 32-bit integer), got 9,000,000,000.")]
    public async Task RowsSettingOutOfRange_Is400NamingTheKeyAndTheLimit(string key, long value, string message)
    {
        var ds = Unique("rows");

        var (status, body) = await PostAsync($"{V1}/task", NativeSpec(ds, s => s["tuningConfig"]![key] = value));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(message, body);
        await AssertNoTaskAsync(ds);
    }

    [Fact]
    public async Task ReplaceOverwritingAYearByHour_Is400WithDruidsTooManyBuckets_BeforeAnyTask()
    {
        var ds = Unique("replace");
        var query = $"REPLACE INTO {ds} OVERWRITE WHERE __time >= TIMESTAMP '2015-01-01' AND __time < TIMESTAMP '2016-01-01' " +
                    "SELECT TIMESTAMP '2015-09-12 00:00:00' AS __time, 'a' AS page PARTITIONED BY HOUR";

        var clock = Stopwatch.StartNew();
        var (status, body) = await PostAsync(SqlTask, new JsonObject { ["query"] = query }.ToJsonString());

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(clock.ElapsedMilliseconds < 1500, $"took {clock.ElapsedMilliseconds} ms");
        Assert.Contains("covers 8,760 time chunks at PARTITIONED BY HOUR. " + MsqFault.TooManyBuckets(5000).Message, body);
        await AssertNoTaskAsync(ds);
    }

    [Theory]
    [InlineData("rowsPerSegment", 0)]
    [InlineData("rowsPerSegment", 5_000_000_000)]
    [InlineData("maxRowsInMemory", 0)]
    public async Task SqlContextRowsOutOfRange_Is400NamingTheKey(string key, long value)
    {
        var ds = Unique("ctx");
        var query = $"INSERT INTO {ds} SELECT TIMESTAMP '2015-09-12 00:00:00' AS __time, 'a' AS page PARTITIONED BY DAY";

        var (status, body) = await PostAsync(SqlTask, new JsonObject { ["query"] = query, ["context"] = new JsonObject { [key] = value } }.ToJsonString());

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains($"Context key [{key}] must be between 1 and 2,147,483,647 (a positive 32-bit integer, as Druid reads it), got [{value}].", body);
        await AssertNoTaskAsync(ds);
    }

    [Fact]
    public async Task SelectOfMoreRowsThanTheReportKeeps_Keeps3000_AndSaysResultsTruncated()
    {
        var file = WriteLines(InputPath($"{Unique("many")}.json"), Enumerable.Range(0, 3500).Select(i => $"{{\"n\":{i}}}"));
        var source = $$"""TABLE(EXTERN('{"type":"local","files":["{{file}}"]}', '{"type":"json"}', '[{"name":"n","type":"long"}]'))""";

        var status = await RunSqlTaskAsync($"SELECT n FROM {source} ORDER BY n");

        Assert.Equal("SUCCESS", status["statusCode"]!.GetValue<string>());
        var results = JsonNode.Parse(await Http.GetStringAsync($"{V1}/task/{status["id"]}/reports"))!["multiStageQuery"]!["payload"]!["results"]!;
        Assert.Equal(MsqControllerTask.MaxSelectResultRows, results["results"]!.AsArray().Count);
        Assert.Equal(2999, results["results"]![2999]![0]!.GetValue<long>());
        Assert.True(results["resultsTruncated"]!.GetValue<bool>());
    }
}
