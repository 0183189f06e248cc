using System.Text.Json.Nodes;
using Dashboard.Core.Clients;
using Dashboard.Core.Tasks;
using static Dashboard.Tests.Support.IngestionHelpers;

namespace Dashboard.Tests.Ingestion;

/// <summary>The coordinator calls the datasources pages use, over a real ingestion and an overwrite.</summary>
public sealed class CoordinatorViewTests : IngestionTestBase
{
    [Fact]
    public async Task Overviews_Timeline_Pages_AndSchema_ReflectWhatTasksPublished()
    {
        var file = WriteLines(Input("edits.json"), Enumerable.Range(0, 30).Select(i =>
            $$"""{"time":"2026-01-05T{{i % 3:00}}:{{i:00}}:00Z","channel":"#en","added":{{i}},"delta":{{i * 0.5}}}"""));
        var (first, _, _) = await IngestAsync(IndexTask("edits", LocalFiles(file), Json(), spec =>
            spec["dataSchema"]!["granularitySpec"]!["segmentGranularity"] = "hour"));
        var (second, _, _) = await IngestAsync(IndexTask("edits", LocalFiles(file), Json(), spec =>
        {
            spec["dataSchema"]!["granularitySpec"]!["segmentGranularity"] = "hour";
            spec["dataSchema"]!["granularitySpec"]!["intervals"] = new JsonArray("2026-01-05T00:00:00Z/2026-01-05T01:00:00Z");
        }));
        Assert.Equal(TaskState.SUCCESS, first.StatusCode);
        Assert.Equal(TaskState.SUCCESS, second.StatusCode);
        var coordinator = Overlord.Get<ICoordinatorClient>();

        var overview = Assert.Single(await coordinator.GetDataSourceOverviewsAsync(default));
        Assert.Equal(("edits", 3, 30L), (overview.Summary.Name, overview.Summary.SegmentCount, overview.Summary.Rows));
        Assert.Equal(second.Id, overview.LastTaskId);

        var timeline = await coordinator.GetSegmentTimelineAsync("edits", default);
        Assert.Equal(4, timeline.Count);
        var old = Assert.Single(timeline, e => e.Overshadowed);
        Assert.Equal((first.Id, 0), (old.TaskId, old.Segment.Interval.Start.Hour));
        Assert.All(timeline.Where(e => e.Segment.Interval.Start.Hour > 0), e => Assert.Equal(first.Id, e.TaskId));

        var page1 = await coordinator.GetSegmentPageAsync("edits", 0, 3, default);
        var page2 = await coordinator.GetSegmentPageAsync("edits", 3, 3, default);
        Assert.Equal(4, page1.TotalCount);
        Assert.Equal([2, 1, 0], page1.Rows.Select(r => r.Segment.Interval.Start.Hour));
        Assert.False(page1.Rows[2].Overshadowed);
        Assert.True(Assert.Single(page2.Rows).Overshadowed);

        var schema = await coordinator.GetSchemaAsync("edits", default);
        Assert.Equal(["__time", "channel", "added", "delta"], schema.Select(c => c.Name));
        Assert.Equal("TIMESTAMP", schema[0].Type);
        Assert.Empty(await coordinator.GetSchemaAsync("nothing", default));
    }

    [Fact]
    public async Task TotalWorkerCapacity_CountsSlotsInUse()
    {
        Assert.Equal(new TotalWorkerCapacity(4, 0), await Overlord.Client.GetTotalWorkerCapacityAsync(default));
        var id = await Overlord.SubmitAsync("""{"type":"noop","runTime":600000,"dataSource":"slots"}""");
        await Overlord.WaitForAsync(id, "RUNNING");
        var capacity = await Overlord.Client.GetTotalWorkerCapacityAsync(default);
        Assert.Equal((4, 1, 3), (capacity.CurrentClusterCapacity, capacity.UsedClusterCapacity, capacity.Free));
        await Overlord.Client.ShutdownTaskAsync(id, default);
    }
}
