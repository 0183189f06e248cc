using System.Text.Json.Nodes;
using Bunit;
using Dashboard.Components.Pages;
using Dashboard.Core.Clients;
using Dashboard.Core.Common;
using Dashboard.Core.Feed;
using Dashboard.Core.Segments;
using Dashboard.Model;
using Dashboard.Tests.Support;

namespace Dashboard.Tests.Components;

public sealed class DatasourcesTests : ComponentTestBase
{
    [Fact]
    public void TimelineChartOptions_AreAHorizontalRangeBarOverTime_OvershadowedGrey_SegmentsLinkedToTheirTasks()
    {
        var options = SegmentTimelineChart.Options(dark: false, versions: 2);
        Assert.Equal("rangeBar", options["chart"]!["type"]!.GetValue<string>());
        Assert.True(options["plotOptions"]!["bar"]!["horizontal"]!.GetValue<bool>());
        Assert.True(options["plotOptions"]!["bar"]!["rangeBarGroupRows"]!.GetValue<bool>());
        Assert.Equal("datetime", options["xaxis"]!["type"]!.GetValue<string>());
        Assert.False(options["chart"]!["animations"]!["enabled"]!.GetValue<bool>());
        Assert.Equal(SegmentTimelineChart.OvershadowedColor, options["colors"]![1]!.GetValue<string>());

        var series = SegmentTimelineChart.Series([Entry("v1", 0, "task_a", overshadowed: true), Entry("v2", 0, "task_b"), Entry("v1", 1, null)]);
        Assert.Equal([SegmentTimelineChart.VisibleSeries, SegmentTimelineChart.OvershadowedSeries], series.Select(s => s!["name"]!.GetValue<string>()));
        var visible = series[0]!["data"]!.AsArray();
        Assert.Equal(["v2", "v1"], visible.Select(p => p!["x"]!.GetValue<string>()));
        Assert.Equal("/tasks/task_b", visible[0]!["link"]!.GetValue<string>());
        Assert.Null(visible[1]!["link"]);
        Assert.Equal(
            $"[{DateTimeOffset.Parse("2026-01-05T00:00Z").ToUnixTimeMilliseconds()},{DateTimeOffset.Parse("2026-01-05T01:00Z").ToUnixTimeMilliseconds()}]",
            visible[0]!["y"]!.ToJsonString());
        var overshadowed = Assert.Single(series[1]!["data"]!.AsArray());
        Assert.Equal("/tasks/task_a", overshadowed!["link"]!.GetValue<string>());
    }

    [Fact]
    public async Task List_ShowsSummaries_AndActiveTasksOfDatasourcesWithoutSegmentsYet_UpdatingFromTheFeed()
    {
        Coordinator.Overviews.Add(new DataSourceOverview(
            new DataSourceSummary("wikipedia", 3, 3 * 1024 * 1024, 39_244, DateTimeOffset.Parse("2015-09-12T00:00Z"), DateTimeOffset.Parse("2015-09-13T00:00Z")),
            DateTimeOffset.UtcNow.AddMinutes(-3), "index_parallel_wikipedia_x"));
        var page = RenderPage<Datasources>();

        var row = page.Find("[data-testid=datasource-row][data-datasource=wikipedia]");
        Assert.Equal("3", row.QuerySelector("[data-testid=ds-segments]")!.TextContent);
        Assert.Equal("39,244", row.QuerySelector("[data-testid=ds-rows]")!.TextContent);
        Assert.Contains("3.0 MiB", row.TextContent);
        Assert.Contains("2015-09-12 00:00:00 – 2015-09-13 00:00:00", row.TextContent);
        Assert.Equal("0", row.QuerySelector("[data-testid=ds-active]")!.TextContent.Trim());

        await Eventually.WaitForAsync(() => Task.FromResult(Feed.SubscriberCount), n => n > 0, what: "the page to subscribe to the feed");
        var task = FakeOverlordClient.Task("noop_new", "RUNNING", dataSource: "fresh");
        Overlord.Tasks.Add(task);
        Feed.Publish(new TaskStatusChanged(task));

        page.WaitForAssertion(() =>
        {
            var fresh = page.Find("[data-testid=datasource-row][data-datasource=fresh]");
            Assert.Contains("no segments yet", fresh.TextContent);
            Assert.Contains("1", fresh.QuerySelector("[data-testid=ds-active]")!.TextContent);
        }, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void Detail_ShowsSummarySegmentsSchemaAndTheWorkbenchLink()
    {
        Coordinator.Overviews.Add(new DataSourceOverview(
            new DataSourceSummary("wikipedia", 2, 2048, 20, DateTimeOffset.Parse("2026-01-05T00:00Z"), DateTimeOffset.Parse("2026-01-05T01:00Z")), null, null));
        Coordinator.Segments.AddRange([Entry("v1", 0, "task_a", overshadowed: true), Entry("v2", 0, "task_b")]);
        Coordinator.Schema.AddRange([new DataSourceColumn("__time", "TIMESTAMP"), new DataSourceColumn("channel", "VARCHAR")]);

        var page = RenderPage<DatasourceDetail>(p => p.Add(d => d.Name, "wikipedia"));

        Assert.Contains("2 visible segments (1 overshadowed) · 20 rows",
            System.Text.RegularExpressions.Regex.Replace(page.Find("[data-testid=datasource-summary]").TextContent, @"\s+", " "));
        Assert.Equal(2, page.FindAll("[data-testid=schema-row]").Count);
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=segment-state]").Count));
        Assert.Contains("overshadowed", page.FindAll("[data-testid=segment-state]")[0].TextContent);
        Assert.Equal("tasks/task_a", page.FindAll("[data-testid=segment-task]")[0].GetAttribute("href"));
        Assert.Equal("query?sql=SELECT%20%2A%20FROM%20%22wikipedia%22", page.Find("[data-testid=open-workbench]").GetAttribute("href"));
        Assert.True(page.Find("[data-testid=shutdown-datasource-tasks]").HasAttribute("disabled"));
    }

    private static SegmentEntry Entry(string version, int partition, string? task, bool overshadowed = false) =>
        new(new DataSegment("wikipedia", new Interval(DateTimeOffset.Parse("2026-01-05T00:00Z"), DateTimeOffset.Parse("2026-01-05T01:00Z")), version,
                new JsonObject { ["type"] = "local", ["path"] = "/nowhere.parquet" }, "channel", "added",
                new JsonObject { ["type"] = "numbered", ["partitionNum"] = partition }, 9, 1024, 10),
            task, DateTimeOffset.UtcNow, overshadowed);
}
