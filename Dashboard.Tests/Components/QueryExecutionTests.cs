using System.Text.Json.Nodes;
using Bunit;
using Dashboard.Components.Controls;
using Dashboard.Core.Feed;
using Dashboard.Model;
using Dashboard.Tests.Support;

namespace Dashboard.Tests.Components;

/// <summary>The execution view and its chart options, from the Druid docs' sample report, a live report and a failed one.</summary>
public sealed class QueryExecutionTests : ComponentTestBase
{
    private const string SampleId = "query-a6b65442-f77e-44e4-af28-ab3b711a27ac";

    private static JsonObject SampleReport() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Components", "Data", "msq-sample-report.json")))!.AsObject();

    /// <summary>A report shaped like the controller's while stage 0 reads (two workers, one of two files each done).</summary>
    private static JsonObject LiveReport(long rows0, long rows1, string stage0Phase = "READING_INPUT", long duration = 1300) => JsonNode.Parse($$"""
        {"multiStageQuery":{"taskId":"query-live","payload":{
          "status":{"status":"RUNNING","startTime":"2026-11-22T10:00:00.000Z","durationMs":1500,"pendingTasks":0,"runningTasks":3},
          "stages":[
            {"stageNumber":0,"definition":{"processor":{"type":"scan"} },"phase":"{{stage0Phase}}","workerCount":2,"partitionCount":2,
             "startTime":"2026-11-22T10:00:00.200Z","duration":{{duration}}},
            {"stageNumber":1,"definition":{"processor":{"type":"segmentGenerator"} },"phase":"NEW"}],
          "counters":{"0":{
            "0":{"input0":{"type":"channel","rows":[{{rows0}}],"bytes":[1000],"files":[1],"totalFiles":[2]},"output":{"type":"channel","rows":[{{rows0}}],"bytes":[500],"frames":[1]} },
            "1":{"input0":{"type":"channel","rows":[{{rows1}}],"bytes":[3000],"files":[1],"totalFiles":[2]} } } } } } }
        """)!.AsObject();

    [Fact]
    public void SampleReport_ParsesStagesCountersAndStatus()
    {
        var report = MsqReportView.From(SampleReport())!;

        Assert.Equal("SUCCESS", report.Status);
        Assert.Equal(116516, report.DurationMs);
        Assert.True(report.IsIngestion);
        Assert.Equal(465346, report.IngestedRows);
        Assert.Equal(1.0, report.OverallProgress);
        var scan = report.Stages[0];
        Assert.Equal(("scan", "FINISHED", 1, 1), (scan.Processor, scan.Phase, scan.Workers, scan.Partitions!.Value));
        Assert.Equal((465346L, 1L, 1L), (scan.InputRows, scan.InputFiles, scan.TotalFiles));
        Assert.Equal((465346L, 267146161L, 42L), (scan.OutputRows, scan.OutputBytes, scan.OutputFrames));
        Assert.Equal(1.0, scan.SortProgress);
        Assert.Equal(62837, scan.DurationMs);
        Assert.Equal(("segmentGenerator", 465346L, 265300383L), (report.Stages[1].Processor, report.Stages[1].InputRows, report.Stages[1].InputBytes));
    }

    [Fact]
    public void SampleReport_ChartOptions_LaneAndRangePerStageAndRowsPerStage()
    {
        var report = MsqReportView.From(SampleReport())!;

        var timeline = StageChartOptions.Timeline(report, DateTimeOffset.UtcNow);
        Assert.Equal("rangeBar", timeline["chart"]!["type"]!.GetValue<string>());
        var data = timeline["series"]![0]!["data"]!.AsArray();
        Assert.Equal(["S0 · w0", "S1 · w0"], data.Select(d => d!["x"]!.GetValue<string>()));
        // Stage 0 started 3,253 ms after the query (20:09:39.915 → 20:09:43.168) and ran 62,837 ms.
        Assert.Equal([3253L, 3253L + 62837], data[0]!["y"]!.AsArray().Select(v => v!.GetValue<long>()));
        Assert.Equal([65925L, 65925L + 50590], data[1]!["y"]!.AsArray().Select(v => v!.GetValue<long>()));

        var counters = StageChartOptions.Counters(report);
        Assert.Equal(["S0 scan", "S1 segmentGenerator"], counters["xaxis"]!["categories"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Equal([465346L, 465346L], counters["series"]![0]!["data"]!.AsArray().Select(v => v!.GetValue<long>()));
        Assert.Equal([465346L, 0L], counters["series"]![1]!["data"]!.AsArray().Select(v => v!.GetValue<long>()));
    }

    [Fact]
    public void SampleReport_RendersTheStageTableAndIngestionSummary()
    {
        Overlord.Tasks.Add(FakeOverlordClient.Task(SampleId, "SUCCESS", dataSource: "kttm_simple", type: "query_controller"));
        Overlord.Reports[SampleId] = SampleReport();

        var view = RenderPage<QueryExecution>(p => p.Add(e => e.TaskId, SampleId));

        view.WaitForAssertion(() => Assert.Equal(2, view.FindAll("[data-testid=stage-row]").Count));
        var rows = view.FindAll("[data-testid=stage-row]");
        Assert.Contains("scan", rows[0].TextContent);
        Assert.Equal("465,346", rows[0].QuerySelector("[data-testid=stage-input-rows]")!.TextContent);
        Assert.Equal("1/1 files", rows[0].QuerySelector("[data-testid=stage-input-detail]")!.TextContent);
        Assert.Equal("255 MiB · 42 frames", rows[0].QuerySelector("[data-testid=stage-output-detail]")!.TextContent);
        Assert.Contains("100%", rows[0].TextContent);
        Assert.Contains("segmentGenerator", rows[1].TextContent);
        var summary = view.Find("[data-testid=ingestion-summary]");
        Assert.Contains("465,346 rows into kttm_simple", summary.TextContent);
        Assert.Equal("query?sql=" + Uri.EscapeDataString("SELECT * FROM \"kttm_simple\" LIMIT 100"),
            view.Find("[data-testid=open-datasource]").GetAttribute("href"));
        Assert.Empty(view.FindAll("[data-testid=execution-cancel]"));
    }

    [Fact]
    public void LiveReport_FromTheFeed_UpdatesCountersAndProgressInPlace()
    {
        Overlord.Tasks.Add(FakeOverlordClient.Task("query-live", "RUNNING", dataSource: "live_ds", type: "query_controller"));
        Overlord.Reports["query-live"] = LiveReport(10, 20);
        var view = RenderPage<QueryExecution>(p => p.Add(e => e.TaskId, "query-live"));
        view.WaitForAssertion(() => Assert.Equal("30", view.Find("[data-stage='0'] [data-testid=stage-input-rows]").TextContent));
        Assert.Equal("3.9 KiB · 2/4 files", view.Find("[data-stage='0'] [data-testid=stage-input-detail]").TextContent);
        Assert.Contains("Stage 0 (scan) · 50%", view.Markup);
        Assert.Single(view.FindAll("[data-testid=execution-cancel]"));
        view.WaitForAssertion(() => Assert.True(Feed.SubscriberCount > 0));

        Feed.Publish(new TaskReportUpdated("query-live", "live_ds", LiveReport(1500, 2500)));

        view.WaitForAssertion(() => Assert.Equal("4,000", view.Find("[data-stage='0'] [data-testid=stage-input-rows]").TextContent));
        var options = StageChartOptions.Timeline(MsqReportView.From(LiveReport(1500, 2500))!, DateTimeOffset.Parse("2026-11-22T10:00:02Z"));
        var lanes = options["series"]![0]!["data"]!.AsArray();
        Assert.Equal(["S0 · w0", "S0 · w1"], lanes.Select(d => d!["x"]!.GetValue<string>()));
        Assert.Equal([200L, 2000L], lanes[0]!["y"]!.AsArray().Select(v => v!.GetValue<long>()));

        view.WaitForAssertion(() => Assert.Single(view.FindAll("[data-testid=execution-cancel]")));
        view.Find("[data-testid=execution-cancel]").Click();
        view.WaitForAssertion(() => Assert.Equal(["query-live"], Overlord.ShutDown));
    }

    [Fact]
    public void LiveReports_SkewMarksTheStragglerAndRatesFollowTheCounters()
    {
        var running = MsqReportView.From(LiveReport(10, 20))!;
        var skew = StageChartOptions.Skew(running)["series"]![0]!["data"]!.AsArray();
        Assert.Equal(["S0 · w0", "S0 · w1"], skew.Select(d => d!["x"]!.GetValue<string>()));
        Assert.Equal(0, StageChartOptions.Straggler(running.Stages[0]));
        Assert.Equal("#fb8c00", skew[0]!["fillColor"]!.GetValue<string>());
        Assert.Equal("min 10 · median 15 · max 20", skew[0]!["stats"]!.GetValue<string>());
        Assert.Equal(1, StageChartOptions.Straggler(MsqReportView.From(LiveReport(10, 20, "FINISHED"))!.Stages[0]));
        Assert.Null(StageChartOptions.Straggler(MsqReportView.From(LiveReport(20, 20))!.Stages[0]));

        var history = new StageRateHistory();
        history.Add(MsqReportView.From(LiveReport(0, 0, duration: 1000))!);
        history.Add(MsqReportView.From(LiveReport(1000, 1000, duration: 2000))!);
        history.Add(MsqReportView.From(LiveReport(1500, 1500, duration: 2500))!);
        Assert.Equal([(1200L, 0.0), (2200L, 2000.0), (2700L, 2000.0)], history.Points[0]);
        var rates = StageChartOptions.Rates(MsqReportView.From(LiveReport(1500, 1500))!, history);
        Assert.Equal("S0 scan", rates["series"]![0]!["name"]!.GetValue<string>());
        Assert.Equal(3, rates["series"]![0]!["data"]!.AsArray().Count);
    }

    [Fact]
    public void FailedReport_ShowsCodeMessageTaskHostStageAndTheFoldedStackTrace()
    {
        Overlord.Tasks.Add(FakeOverlordClient.Task("query-failed", "FAILED", dataSource: "bad", type: "query_controller", errorMsg: "TooManyWarnings"));
        Overlord.Reports["query-failed"] = JsonNode.Parse("""
            {"multiStageQuery":{"taskId":"query-failed","payload":{
              "status":{"status":"FAILED","startTime":"2026-11-22T10:00:00.000Z","durationMs":900,
                "errorReport":{"taskId":"query-failed-worker0_0","host":"localhost:8101","stageNumber":0,
                  "error":{"errorCode":"TooManyWarnings","maxWarnings":0,"rootErrorCode":"CannotParseExternalData",
                           "errorMessage":"Too many warnings of type CannotParseExternalData generated (max = 0)"},
                  "exceptionStackTrace":"org.apache.druid.msq.MSQException: TooManyWarnings\n\tat Worker.run"},
                "warningReports":[{"error":{"errorCode":"CannotParseExternalData"}},{"error":{"errorCode":"CannotParseExternalData"}}]},
              "stages":[{"stageNumber":0,"definition":{"processor":{"type":"scan"}},"phase":"FAILED","workerCount":1,
                         "startTime":"2026-11-22T10:00:00.100Z","duration":700}],
              "counters":{}}}}
            """)!.AsObject();

        var view = RenderPage<QueryExecution>(p => p.Add(e => e.TaskId, "query-failed"));

        view.WaitForAssertion(() => Assert.Equal("TooManyWarnings", view.Find("[data-testid=execution-error-code]").TextContent));
        var error = view.Find("[data-testid=execution-error]");
        Assert.Contains("Too many warnings of type CannotParseExternalData generated (max = 0)", error.TextContent);
        Assert.Contains("task query-failed-worker0_0 · host localhost:8101 · stage 0", error.TextContent);
        Assert.Contains("at Worker.run", error.QuerySelector("details pre")!.TextContent);
        Assert.Null(error.QuerySelector("details")!.GetAttribute("open"));
        Assert.Equal("CannotParseExternalData × 2", view.Find("[data-testid=execution-warning]").TextContent.Trim());
        Assert.Equal("FAILED", view.Find("[data-stage='0']").GetAttribute("data-phase"));
        Assert.Empty(view.FindAll("[data-testid=results-grid]"));
    }

    [Fact]
    public void SelectResults_RenderAsAGridAndDownloadAsCsvAndTsv()
    {
        Overlord.Tasks.Add(FakeOverlordClient.Task("query-select", "SUCCESS", dataSource: "__query_select", type: "query_controller"));
        Overlord.Reports["query-select"] = JsonNode.Parse("""
            {"multiStageQuery":{"payload":{"status":{"status":"SUCCESS","durationMs":40},
              "stages":[{"stageNumber":0,"definition":{"processor":{"type":"scan"}},"phase":"FINISHED","workerCount":1}],
              "counters":{},
              "results":{"signature":[{"name":"channel","type":"STRING"},{"name":"edits","type":"LONG"}],"sqlTypeNames":["VARCHAR","BIGINT"],
                         "results":[["#en, \"main\"",12],["#de",null]],"resultsTruncated":false}}}}
            """)!.AsObject();

        var view = RenderPage<QueryExecution>(p => p.Add(e => e.TaskId, "query-select"));

        view.WaitForAssertion(() => Assert.Equal(2, view.FindAll("[data-testid=result-row]").Count));
        Assert.Equal(["channel", "edits"], view.FindAll("[data-testid=results-grid] th").Select(t => t.TextContent));
        Assert.Equal("null", view.FindAll("[data-testid=result-row]")[1].QuerySelectorAll("td")[1].TextContent);
        var results = MsqReportView.From(Overlord.Reports["query-select"])!.Results!;
        Assert.Equal("channel,edits\n\"#en, \"\"main\"\"\",12\n#de,\n", QueryExecution.Delimited(results, ','));
        Assert.Equal("channel\tedits\n#en, \"main\"\t12\n#de\t\n", QueryExecution.Delimited(results, '\t'));
    }
}
