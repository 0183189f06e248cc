using System.Text.Json.Nodes;
using Dashboard.Core.Feed;
using Dashboard.Core.Ingestion;
using Dashboard.Core.Ingestion.Engine;
using Dashboard.Core.Tasks;
using Dashboard.Model.Wall;
using Dashboard.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dashboard.Tests.Core;

public sealed class IngestionActivityTests
{
    private readonly ManualTime _time = new(DateTimeOffset.Parse("2026-11-22T18:00:00Z"));
    private readonly IngestionActivity _activity;

    public IngestionActivityTests() =>
        _activity = new IngestionActivity(new TaskFeed(TimeProvider.System), new FakeOverlordClient(), _time, NullLogger<IngestionActivity>.Instance);

    [Fact]
    public void Rate_IsRowsTheCountersAdvancedOverTheLastFiveSeconds_AndFallsToZeroWhenTheyStop()
    {
        Running("a", "wikipedia");
        _activity.Apply(Report("a", "wikipedia", 1_000));
        _time.Advance(TimeSpan.FromSeconds(5));
        _activity.Apply(Report("a", "wikipedia", 11_000));
        Assert.Equal(2_000, _activity.CurrentRowsPerSecond(null));
        Assert.Equal(2_000, _activity.CurrentRowsPerSecond("wikipedia"));
        Assert.Equal(0, _activity.CurrentRowsPerSecond("other"));

        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(0, _activity.CurrentRowsPerSecond(null));
        Assert.Equal(11_000, Assert.Single(_activity.Running(null)).RowsProcessed);
    }

    [Fact]
    public void Running_WithAnEstimatedTotal_HasProgressAndAnEtaAtTheCurrentRate()
    {
        Running("a", "wikipedia");
        _activity.Apply(Report("a", "wikipedia", 0, estimatedTotal: 100_000));
        _time.Advance(TimeSpan.FromSeconds(5));
        _activity.Apply(Report("a", "wikipedia", 20_000, estimatedTotal: 100_000));

        var task = Assert.Single(_activity.Running(null));
        Assert.Equal(0.2, task.Progress);
        Assert.Equal(TimeSpan.FromSeconds(20), task.Eta);

        Running("b", "other");
        _activity.Apply(Report("b", "other", 5_000));
        var unknown = _activity.Running("other").Single();
        Assert.Null(unknown.Progress);
        Assert.Null(unknown.Eta);
    }

    [Fact]
    public void SqlIngestion_CountsTheRowsItsFirstStageRead_WithProgressAgainstItsEstimate_AndASelectIsLeftOut()
    {
        var sample = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Components", "Data", "msq-sample-report.json")))!.AsObject();
        _activity.Apply(new TaskStatusChanged(FakeOverlordClient.Task("query-insert", "RUNNING", dataSource: "kttm_simple", type: "query_controller")));
        _activity.Apply(new TaskReportUpdated("query-insert", "kttm_simple", sample));

        var insert = Assert.Single(_activity.Running("kttm_simple"));
        Assert.Equal(465_346, insert.RowsProcessed);
        Assert.Null(insert.Progress);

        sample["multiStageQuery"]!["payload"]!["estimatedTotalRows"] = 930_692;
        _activity.Apply(new TaskReportUpdated("query-insert", "kttm_simple", sample));
        Assert.Equal(0.5, Assert.Single(_activity.Running("kttm_simple")).Progress);

        var select = (JsonObject)sample.DeepClone();
        var stages = select["multiStageQuery"]!["payload"]!["stages"]!.AsArray();
        stages.RemoveAt(stages.Count - 1);
        _activity.Apply(new TaskStatusChanged(FakeOverlordClient.Task("query-select", "RUNNING", dataSource: "other", type: "query_controller")));
        _activity.Apply(new TaskReportUpdated("query-select", "other", select));
        Assert.Null(Assert.Single(_activity.Running("other")).RowsProcessed);
    }

    [Fact]
    public void SubtaskReports_AreNotCountedTwice()
    {
        Running("parent", "wikipedia");
        _activity.Apply(new TaskStatusChanged(FakeOverlordClient.Task("sub", "RUNNING") with { GroupId = "parent" }));
        _activity.Apply(Report("sub", "wikipedia", 5_000));
        _activity.Apply(Report("parent", "wikipedia", 5_000));
        Assert.Equal(1_000, _activity.CurrentRowsPerSecond(null));
    }

    [Fact]
    public void Samples_KeepOneHour_PerDatasourceAndInAll()
    {
        Running("a", "wikipedia");
        Running("b", "other");
        _activity.RecordSample();
        _time.Advance(TimeSpan.FromMinutes(30));
        _activity.Apply(new TaskStatusChanged(FakeOverlordClient.Task("b", "SUCCESS", dataSource: "other")));
        _activity.RecordSample();
        _time.Advance(TimeSpan.FromMinutes(31));
        _activity.RecordSample();

        var all = _activity.Points(null);
        Assert.Equal([1, 1], all.Select(p => p.Running));
        Assert.Equal(_time.GetUtcNow(), all[^1].Time);
        Assert.Equal([1, 1], _activity.Points("wikipedia").Select(p => p.Running));
        Assert.Equal([0, 0], _activity.Points("other").Select(p => p.Running));
    }

    private void Running(string id, string dataSource) =>
        _activity.Apply(new TaskStatusChanged(FakeOverlordClient.Task(id, "RUNNING", dataSource: dataSource, type: "index_parallel")));

    private static TaskReportUpdated Report(string taskId, string dataSource, long processed, long? estimatedTotal = null) =>
        new(taskId, dataSource, IngestionReport.Build(taskId, "BUILD_SEGMENTS", RowStats.Zero with { Processed = processed }, [], null, new JsonObject(),
            estimatedTotalRows: estimatedTotal));
}
