using System.Net;
using Dashboard.Tests.Support;

namespace Dashboard.Tests.Api;

/// <summary>
/// <c>GET /metrics</c>: Prometheus text with Druid's metric names as Druid's Prometheus emitter writes them, each moving by
/// what a task did. Tests use their own data source, so the server's other tests do not move their figures.
/// </summary>
public class MetricsApiTests(ApiServer server) : ApiTestBase(server)
{
    private async Task<IReadOnlyList<PrometheusSample>> ScrapeAsync()
    {
        var response = await Http.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        return PrometheusText.Parse(await response.Content.ReadAsStringAsync(), out _);
    }

    [Fact]
    public async Task Metrics_Text_ParsesAsPrometheusExposition_WithDruidTypesAndAspNetCoreAndRuntimeMeters()
    {
        await SubmitAsync("""{"type":"noop","runTime":0}""");
        // ASP.NET Core records a request's duration after its response is sent: the first scrape may precede it.
        IReadOnlyDictionary<string, string> types = new Dictionary<string, string>();
        var samples = await Eventually.WaitForAsync(async () =>
        {
            var response = await Http.GetAsync("/metrics");
            var parsed = PrometheusText.Parse(await response.Content.ReadAsStringAsync(), out var parsedTypes);
            types = parsedTypes;
            return parsed;
        }, s => s.Any(x => x.Name == "http_server_request_duration_seconds_count"), TimeSpan.FromSeconds(10), "ASP.NET Core's request duration in /metrics");

        Assert.Equal("counter", types["druid_task_success_count_total"]);
        Assert.Equal("histogram", types["druid_task_run_time"]);
        Assert.Equal("gauge", types["druid_task_running_count"]);
        Assert.Equal("gauge", types["druid_taskslot_total_count"]);
        Assert.Equal(2, PrometheusText.Value(samples, "druid_taskslot_total_count", ("category", "_default_worker_category")));
        Assert.Contains(samples, s => s.Name == "http_server_request_duration_seconds_count");
        Assert.Contains(samples, s => s.Name.StartsWith("dotnet_gc_", StringComparison.Ordinal));
        var buckets = samples.Where(s => s.Name == "druid_task_run_time_bucket").Select(s => s.Labels["le"]).Distinct().ToList();
        Assert.Equal(["0.1", "0.25", "0.5", "0.75", "1", "2.5", "5", "7.5", "10", "30", "60", "120", "300", "+Inf"], buckets);
    }

    [Fact]
    public async Task Metrics_AfterNoopTask_SuccessCountAndRunTimeMoveByOne_AndRunningGaugeGoesBackToZero()
    {
        var ds = Unique("metrics_noop");
        var id = await SubmitAsync($$"""{"type":"noop","runTime":1500,"dataSource":"{{ds}}"}""");
        await WaitForRunnerStateAsync(id, "RUNNING");
        var during = await ScrapeAsync();
        Assert.Equal(1, PrometheusText.Value(during, "druid_task_running_count", ("dataSource", ds)));

        await WaitForStatusAsync(id, "SUCCESS");
        var after = await ScrapeAsync();

        Assert.Equal(1, PrometheusText.Value(after, "druid_task_success_count_total", ("dataSource", ds)));
        Assert.Equal(0, PrometheusText.Value(after, "druid_task_failed_count_total", ("dataSource", ds)));
        Assert.Equal(1, PrometheusText.Value(after, "druid_task_run_time_count", ("dataSource", ds), ("taskType", "noop")));
        Assert.InRange(PrometheusText.Value(after, "druid_task_run_time_sum", ("dataSource", ds), ("taskType", "noop")), 1.4, 30);
        Assert.Equal(1, PrometheusText.Value(after, "druid_task_pending_time_count", ("dataSource", ds), ("taskType", "noop")));
        Assert.Equal(0, PrometheusText.Value(after, "druid_task_running_count", ("dataSource", ds)));
        Assert.Equal(0, PrometheusText.Value(after, "druid_ingest_events_processed_total", ("dataSource", ds)));
    }

    [Fact]
    public async Task Metrics_AfterFailedTask_FailedCountMovesByOne_AndSuccessDoesNot()
    {
        var ds = Unique("metrics_fail");
        var id = await SubmitAsync($$"""{"type":"noop","runTime":600000,"dataSource":"{{ds}}"}""");
        await WaitForRunnerStateAsync(id, "RUNNING");
        await PostJsonAsync($"{V1}/task/{id}/shutdown", "{}");
        await WaitForStatusAsync(id, "FAILED");

        var after = await ScrapeAsync();

        Assert.Equal(1, PrometheusText.Value(after, "druid_task_failed_count_total", ("dataSource", ds)));
        Assert.Equal(0, PrometheusText.Value(after, "druid_task_success_count_total", ("dataSource", ds)));
        Assert.Equal(1, PrometheusText.Value(after, "druid_task_run_time_count", ("dataSource", ds), ("taskType", "noop")));
    }

    [Fact]
    public async Task Metrics_AfterWikitickerIngestion_EventsProcessedMoveBy39244_AndSegmentBytesByThePublishedSize()
    {
        var ds = Unique("metrics_wiki");
        var task = IngestionHelpers.IndexTask(ds, IngestionHelpers.LocalFiles(WikitickerInput()), IngestionHelpers.Json());
        var id = await SubmitAsync(task);
        await Eventually.WaitForAsync(() => StatusAsync(id), s => s["statusCode"]!.GetValue<string>() != "RUNNING", TimeSpan.FromSeconds(90));
        Assert.Equal("SUCCESS", (await StatusAsync(id))["statusCode"]!.GetValue<string>());
        var published = (await GetArrayAsync($"{V1}/task/{id}/segments")).Sum(s => s!["size"]!.GetValue<long>());

        var after = await ScrapeAsync();

        Assert.Equal(39244, PrometheusText.Value(after, "druid_ingest_events_processed_total", ("dataSource", ds)));
        Assert.Equal(0, PrometheusText.Value(after, "druid_ingest_events_unparseable_total", ("dataSource", ds)));
        Assert.Equal(0, PrometheusText.Value(after, "druid_ingest_events_thrownaway_total", ("dataSource", ds)));
        Assert.Equal(17106256, PrometheusText.Value(after, "druid_ingest_input_bytes_total", ("dataSource", ds)));
        Assert.Equal(1, PrometheusText.Value(after, "druid_ingest_count_total", ("dataSource", ds), ("taskType", "index_parallel")));
        Assert.True(published > 0);
        Assert.Equal(published, PrometheusText.Value(after, "druid_segment_added_bytes_total", ("dataSource", ds), ("taskType", "index_parallel")));
        Assert.Equal(1, PrometheusText.Value(after, "druid_task_success_count_total", ("dataSource", ds)));
    }

    [Fact]
    public async Task Metrics_AfterSqlIngestion_QueryTimeCountsTheControllerTask()
    {
        var ds = Unique("metrics_sql");
        var status = await RunSqlTaskAsync($"INSERT INTO \"{ds}\" SELECT TIMESTAMP '2015-09-12 00:00:00' AS __time, 'a' AS x PARTITIONED BY DAY");
        Assert.Equal("SUCCESS", status["statusCode"]!.GetValue<string>());

        var after = await ScrapeAsync();

        Assert.Equal(1, PrometheusText.Value(after, "druid_query_time_count", ("dataSource", ds), ("type", "query_controller")));
    }
}
