using System.Text.Json.Nodes;
using Bunit;
using Dashboard.Components.Pages;
using Dashboard.Core.Clients;
using Dashboard.Core.Feed;
using Dashboard.Core.Ingestion;
using Dashboard.Core.Ingestion.Engine;
using Dashboard.Model.Wall;
using Dashboard.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Tests.Components;

public sealed class WallTests : ComponentTestBase
{
    private readonly ManualTime _time;

    public WallTests()
        : this(new ManualTime(DateTimeOffset.UtcNow))
    {
    }

    private WallTests(ManualTime time)
        : base(time) => _time = time;

    private IngestionActivity Activity => Context.Services.GetRequiredService<IngestionActivity>();

    [Fact]
    public void Tiles_ShowCountsOfTheLastHour_SlotsAndTheMeasuredRate()
    {
        var now = _time.GetUtcNow();
        Overlord.Tasks.AddRange(
        [
            FakeOverlordClient.Task("r1", "RUNNING", type: "index_parallel"), FakeOverlordClient.Task("r2", "RUNNING"),
            FakeOverlordClient.Task("p1", "PENDING"), FakeOverlordClient.Task("w1", "WAITING"),
            FakeOverlordClient.Task("s1", "SUCCESS"), FakeOverlordClient.Task("s2", "SUCCESS"), FakeOverlordClient.Task("s3", "SUCCESS"),
            FakeOverlordClient.Task("f1", "FAILED", errorMsg: "Max parse exceptions [0] exceeded"),
            FakeOverlordClient.Task("f-old", "FAILED", created: now.AddHours(-2), errorMsg: "old"),
            FakeOverlordClient.Task("c1", "CANCELED"),
        ]);
        Overlord.Capacity = new TotalWorkerCapacity(4, 2);
        Activity.Apply(new TaskStatusChanged(Overlord.Tasks[0]));
        Activity.Apply(Report("r1", 0));
        _time.Advance(TimeSpan.FromSeconds(5));
        Activity.Apply(Report("r1", 50_000));

        var wall = RenderPage<Wall>();

        Assert.Equal("2", Value(wall, "running"));
        Assert.Equal("1", Value(wall, "pending"));
        Assert.Equal("1", Value(wall, "waiting"));
        Assert.Equal("3", Value(wall, "succeeded"));
        Assert.Equal("1", Value(wall, "failed"));
        Assert.Equal("2/4", Value(wall, "slots"));
        Assert.Equal("10k", Value(wall, "rate"));
        Assert.Contains("wall-tone-failed", wall.Find("[data-testid=tile-failed]").ClassList);
        var failure = Assert.Single(wall.FindAll("[data-testid=failure-row]"));
        Assert.Equal("f1", failure.GetAttribute("data-task-id"));
        Assert.Contains("Max parse exceptions", failure.TextContent);
        var running = wall.Find("[data-testid=running-row][data-task-id=r1]");
        Assert.Contains("50k rows so far · 10k rows/s", running.TextContent);
        Assert.Contains("no ETA", running.TextContent);
        Assert.Empty(wall.FindAll("[data-testid=wall-stale]"));
    }

    [Fact]
    public void RunningIngestion_WithAnEstimatedTotal_ShowsAProgressBarAndEta()
    {
        Overlord.Tasks.Add(FakeOverlordClient.Task("r1", "RUNNING", type: "index_parallel"));
        Activity.Apply(new TaskStatusChanged(Overlord.Tasks[0]));
        Activity.Apply(Report("r1", 0, estimatedTotal: 200_000));
        _time.Advance(TimeSpan.FromSeconds(5));
        Activity.Apply(Report("r1", 50_000, estimatedTotal: 200_000));

        var wall = RenderPage<Wall>();

        var running = wall.Find("[data-testid=running-row][data-task-id=r1]");
        Assert.Contains("50k of ≈200k rows · 10k rows/s · ETA 15s", running.TextContent);
        Assert.Equal("25", running.QuerySelector("[data-testid=running-progress]")!.GetAttribute("aria-valuenow"));
    }

    [Fact]
    public async Task Stale_WhenNoReadSucceedsForFifteenSeconds_AndClearsWhenTheOverlordAnswersAgain()
    {
        var wall = RenderPage<Wall>();
        Assert.Equal("false", wall.Find("[data-testid=wall]").GetAttribute("data-stale"));

        Overlord.Unreachable = new HttpRequestException("Connection refused");
        _time.Advance(TimeSpan.FromSeconds(10));
        await wall.InvokeAsync(wall.Instance.TickAsync);
        wall.Render();
        Assert.Empty(wall.FindAll("[data-testid=wall-stale]"));

        _time.Advance(TimeSpan.FromSeconds(10));
        await wall.InvokeAsync(wall.Instance.TickAsync);
        wall.Render();
        Assert.Equal("true", wall.Find("[data-testid=wall]").GetAttribute("data-stale"));
        Assert.Contains("no update for 20s", wall.Find("[data-testid=wall-stale]").TextContent);

        Overlord.Unreachable = null;
        _time.Advance(TimeSpan.FromSeconds(5));
        await wall.InvokeAsync(wall.Instance.TickAsync);
        wall.Render();
        Assert.Empty(wall.FindAll("[data-testid=wall-stale]"));
        Assert.Equal("false", wall.Find("[data-testid=wall]").GetAttribute("data-stale"));
    }

    [Fact]
    public void CapacityTile_OnlyWithCapacityParameter_ShowsTheShareOfSlotsInUse_RedWhenFull()
    {
        Overlord.Capacity = new TotalWorkerCapacity(4, 4);
        Assert.False(WallOptions.FromUri("http://x/wall").Capacity);

        Context.Services.GetRequiredService<NavigationManager>().NavigateTo("/wall?capacity=1");
        var wall = RenderPage<Wall>();

        Assert.Equal("100%", Value(wall, "capacity"));
        Assert.Contains("Slots in use, 4 of 4", wall.Find("[data-testid=tile-capacity]").TextContent);
        Assert.Contains("wall-tone-failed", wall.Find("[data-testid=tile-capacity]").ClassList);
    }

    [Fact]
    public void UrlParameters_ChooseTheDatasourceThemeAndRotation()
    {
        Context.Services.GetRequiredService<NavigationManager>().NavigateTo("/wall?ds=wikipedia&theme=light&rotate=20&panels=failures,activity");
        Overlord.Tasks.AddRange([FakeOverlordClient.Task("a", "RUNNING", dataSource: "wikipedia"), FakeOverlordClient.Task("b", "RUNNING", dataSource: "other")]);

        var wall = RenderPage<Wall>();

        Assert.Equal("wikipedia", wall.Find("[data-testid=wall-scope]").TextContent);
        Assert.Contains("wall-light", wall.Find("[data-testid=wall]").ClassList);
        Assert.Equal("1", Value(wall, "running"));
        Assert.Single(wall.FindAll("[data-testid=panel-failures]"));
        Assert.Empty(wall.FindAll("[data-testid=panel-activity]"));

        var options = WallOptions.FromUri("http://x/wall?ds=wikipedia&theme=light&rotate=20&panels=failures,activity");
        Assert.Equal(["activity"], options.PanelsAt(TimeSpan.FromSeconds(25)));
        Assert.Equal(["failures"], options.PanelsAt(TimeSpan.FromSeconds(41)));
        Assert.Equal(WallOptions.AllPanels, WallOptions.FromUri("http://x/wall").PanelsAt(TimeSpan.FromMinutes(3)));
        Assert.True(WallOptions.FromUri("http://x/wall").Dark);
    }

    [Fact]
    public void ActivityChartOptions_SpanTheLastHour_TwoAxes_NoAnimationOrTooltip()
    {
        var now = DateTimeOffset.Parse("2026-11-22T18:00:00Z");
        var options = ActivityChart.Options(dark: true, now);

        Assert.Equal(now.AddHours(-1).ToUnixTimeMilliseconds(), options["xaxis"]!["min"]!.GetValue<long>());
        Assert.Equal(now.ToUnixTimeMilliseconds(), options["xaxis"]!["max"]!.GetValue<long>());
        Assert.Equal("datetime", options["xaxis"]!["type"]!.GetValue<string>());
        Assert.False(options["chart"]!["animations"]!["enabled"]!.GetValue<bool>());
        Assert.False(options["tooltip"]!["enabled"]!.GetValue<bool>());
        Assert.Equal("dark", options["theme"]!["mode"]!.GetValue<string>());
        var axes = options["yaxis"]!.AsArray();
        Assert.Equal([ActivityChart.RunningSeries, ActivityChart.RateSeries], axes.Select(a => a!["seriesName"]!.GetValue<string>()));
        Assert.True(axes[1]!["opposite"]!.GetValue<bool>());

        var series = ActivityChart.Series([new ActivityPoint(now, 3, 1234.4)]);
        Assert.Equal("[[" + now.ToUnixTimeMilliseconds() + ",3]]", series[0]!["data"]!.ToJsonString());
        Assert.Equal("[[" + now.ToUnixTimeMilliseconds() + ",1234]]", series[1]!["data"]!.ToJsonString());
    }

    private static string Value(IRenderedComponent<Wall> wall, string tile) => wall.Find($"[data-testid=tile-{tile}-value]").TextContent;

    private static TaskReportUpdated Report(string taskId, long processed, long? estimatedTotal = null) =>
        new(taskId, "wikipedia", IngestionReport.Build(taskId, "BUILD_SEGMENTS", RowStats.Zero with { Processed = processed }, [], null, new JsonObject(),
            estimatedTotalRows: estimatedTotal));
}
