using System.Diagnostics;
using Dashboard.Core.Ingestion;
using Dashboard.Core.Storage;
using Dashboard.Core.Tasks;

namespace Dashboard.Core.Metrics;

/// <summary>
/// What the task queue records when a task starts and when it ends, once per task: run and pending time, success or
/// failure, and for a top-level native batch ingestion its row counters and published segments (a subtask's rows are in
/// its parent's report, so they are counted once); a SQL task's run time is also its query time.
/// </summary>
public sealed class TaskMetrics(DruidMetrics metrics)
{
    public const string QueryControllerType = "query_controller";

    /// <summary>Native batch task types whose reports carry Druid's ingestion row counters.</summary>
    private static readonly IReadOnlySet<string> IngestionTypes = new HashSet<string>(StringComparer.Ordinal) { "index_parallel", "index" };

    /// <summary>Where the task and slot gauges read the queue (called once, by the queue).</summary>
    internal void ObserveQueue(Func<IReadOnlyList<DataSourceTaskCounts>> taskCounts, Func<(int Total, int Used)> slots) =>
        metrics.ObserveQueue(taskCounts, slots);

    public void Started(TaskRecord record, TimeSpan pending) =>
        metrics.TaskPendingTime.Record(Math.Max(0, pending.TotalSeconds), DataSourceAndType(record));

    public void Ended(TaskRecord record, TaskCompletion completion)
    {
        var status = completion.Status;
        var dataSource = new KeyValuePair<string, object?>("dataSource", record.DataSource);
        var both = DataSourceAndType(record);
        metrics.TaskRunTime.Record(status.Duration / 1000.0, both);
        (status.Status == TaskState.SUCCESS ? metrics.TaskSuccess : metrics.TaskFailed).Add(1, dataSource);

        if (record.Type == QueryControllerType)
        {
            metrics.QueryTime.Record(status.Duration / 1000.0, dataSource, new KeyValuePair<string, object?>("type", record.Type));
        }

        if (record.Id == record.GroupId && IngestionTypes.Contains(record.Type))
        {
            var rows = IngestionReport.RowStatsOf(completion.Report);
            metrics.IngestCount.Add(1, both);
            metrics.EventsProcessed.Add(rows.Processed, dataSource);
            metrics.EventsProcessedWithError.Add(rows.ProcessedWithError, dataSource);
            metrics.EventsUnparseable.Add(rows.Unparseable, dataSource);
            metrics.EventsThrownAway.Add(rows.ThrownAway, dataSource);
            metrics.InputBytes.Add(rows.ProcessedBytes, dataSource);
        }

        if (status.Status == TaskState.SUCCESS && completion.Segments.Count > 0)
        {
            metrics.IngestSegments.Add(completion.Segments.Count, both);
            metrics.SegmentAddedBytes.Add(completion.Segments.Sum(s => s.Size), both);
        }
    }

    private static TagList DataSourceAndType(TaskRecord record) => new()
    {
        { "dataSource", record.DataSource },
        { "taskType", record.Type },
    };
}
