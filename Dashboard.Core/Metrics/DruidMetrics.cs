using System.Diagnostics.Metrics;

namespace Dashboard.Core.Metrics;

/// <summary>
/// Druid's metrics as Druid's Prometheus emitter names them (<c>druid_</c>, the Druid name lower-cased with <c>/</c>
/// as <c>_</c>), with the labels of its default metric list. Counters and timers are recorded where the work happens
/// (<see cref="TaskMetrics"/>); the task and slot gauges read the queue when a scraper collects. Exported by the
/// dashboard (OpenTelemetry's Prometheus exporter adds <c>_total</c> to counters, as Druid's Prometheus client does).
/// </summary>
public sealed class DruidMetrics : IDisposable
{
    public const string MeterName = "Dashboard.Druid";

    /// <summary>Druid's worker category: this server's one worker has the default one.</summary>
    public const string DefaultWorkerCategory = "_default_worker_category";

    /// <summary>The histogram buckets Druid's emitter gives every timer, in seconds.</summary>
    public static readonly IReadOnlyList<double> TimerBuckets = [0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 30, 60, 120, 300];

    private static int s_instances;
    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Lock _gate = new();
    private readonly HashSet<string> _seenDataSources = new(StringComparer.Ordinal);
    private Func<IReadOnlyList<DataSourceTaskCounts>>? _taskCounts;
    private Func<(int Total, int Used)>? _slots;

    public DruidMetrics(IMeterFactory? factory)
    {
        // Exporters listen by meter name, process-wide: a second overlord in the same process (tests host several) gets a
        // name of its own, or one host's exporter would report the other's instruments.
        var instance = Interlocked.Increment(ref s_instances);
        Name = instance == 1 ? MeterName : $"{MeterName}.{instance}";
        _ownsMeter = factory is null;
        _meter = factory?.Create(Name) ?? new Meter(Name);
        var advice = new InstrumentAdvice<double> { HistogramBucketBoundaries = TimerBuckets };
        TaskRunTime = _meter.CreateHistogram("druid_task_run_time", unit: null, "Seconds taken to run a task.", tags: null, advice);
        TaskPendingTime = _meter.CreateHistogram("druid_task_pending_time", unit: null, "Seconds taken for a task to wait for running.", tags: null, advice);
        QueryTime = _meter.CreateHistogram("druid_query_time", unit: null, "Seconds taken to complete a query.", tags: null, advice);
        TaskSuccess = _meter.CreateCounter<long>("druid_task_success_count", null, "Number of successful tasks per emission period.");
        TaskFailed = _meter.CreateCounter<long>("druid_task_failed_count", null, "Number of failed tasks per emission period.");
        EventsProcessed = _meter.CreateCounter<long>("druid_ingest_events_processed", null, "Number of events successfully processed per emission period.");
        EventsProcessedWithError = _meter.CreateCounter<long>("druid_ingest_events_processedwitherror", null,
            "Number of events processed with some partial errors per emission period.");
        EventsUnparseable = _meter.CreateCounter<long>("druid_ingest_events_unparseable", null, "Number of events rejected because the events are unparseable.");
        EventsThrownAway = _meter.CreateCounter<long>("druid_ingest_events_thrownaway", null,
            "Number of events rejected because they are null, filtered by transformSpec, or outside the message rejection periods.");
        InputBytes = _meter.CreateCounter<long>("druid_ingest_input_bytes", null, "Number of bytes read from input sources, after decompression but prior to parsing.");
        IngestCount = _meter.CreateCounter<long>("druid_ingest_count", null, "Count of 1 every time an ingestion job runs (includes compaction jobs).");
        IngestSegments = _meter.CreateCounter<long>("druid_ingest_segments_count", null, "Count of final segments created by job (includes tombstones).");
        SegmentAddedBytes = _meter.CreateCounter<long>("druid_segment_added_bytes", null, "Size in bytes of new segments created.");

        _meter.CreateObservableGauge("druid_task_running_count", () => ObserveTasks(c => c.Running), null, "Number of current running tasks.");
        _meter.CreateObservableGauge("druid_task_pending_count", () => ObserveTasks(c => c.Pending), null, "Number of current pending tasks.");
        _meter.CreateObservableGauge("druid_task_waiting_count", () => ObserveTasks(c => c.Waiting), null, "Number of current waiting tasks.");
        _meter.CreateObservableGauge("druid_taskslot_total_count", () => ObserveSlots(s => s.Total), null, "Number of total task slots.");
        _meter.CreateObservableGauge("druid_taskslot_used_count", () => ObserveSlots(s => s.Used), null, "Number of busy task slots.");
        _meter.CreateObservableGauge("druid_taskslot_idle_count", () => ObserveSlots(s => s.Total - s.Used), null, "Number of idle task slots.");
    }

    /// <summary>This instance's meter name: <see cref="MeterName"/>, the only one in a process that hosts one server.</summary>
    public string Name { get; }

    public Histogram<double> TaskRunTime { get; }
    public Histogram<double> TaskPendingTime { get; }
    public Histogram<double> QueryTime { get; }
    public Counter<long> TaskSuccess { get; }
    public Counter<long> TaskFailed { get; }
    public Counter<long> EventsProcessed { get; }
    public Counter<long> EventsProcessedWithError { get; }
    public Counter<long> EventsUnparseable { get; }
    public Counter<long> EventsThrownAway { get; }
    public Counter<long> InputBytes { get; }
    public Counter<long> IngestCount { get; }
    public Counter<long> IngestSegments { get; }
    public Counter<long> SegmentAddedBytes { get; }

    /// <summary>Called once by the task queue: where the gauges read active tasks per data source and task slots.</summary>
    internal void ObserveQueue(Func<IReadOnlyList<DataSourceTaskCounts>> taskCounts, Func<(int Total, int Used)> slots)
    {
        _taskCounts = taskCounts;
        _slots = slots;
    }

    /// <summary>
    /// One measurement per data source that has had an active task since start (0 once it has none), so a series falls
    /// back to 0 rather than keeping its last value.
    /// </summary>
    private IEnumerable<Measurement<long>> ObserveTasks(Func<DataSourceTaskCounts, int> pick)
    {
        if (_taskCounts is not { } read)
        {
            return [];
        }

        var counts = read().ToDictionary(c => c.DataSource, StringComparer.Ordinal);
        lock (_gate)
        {
            _seenDataSources.UnionWith(counts.Keys);
            return _seenDataSources.Select(ds => new Measurement<long>(counts.TryGetValue(ds, out var c) ? pick(c) : 0,
                new KeyValuePair<string, object?>("dataSource", ds))).ToList();
        }
    }

    private IEnumerable<Measurement<long>> ObserveSlots(Func<(int Total, int Used), int> pick) => _slots is { } read
        ? [new Measurement<long>(pick(read()), new KeyValuePair<string, object?>("category", DefaultWorkerCategory))]
        : [];

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }
}

/// <summary>Active tasks of one data source by runner state.</summary>
public sealed record DataSourceTaskCounts(string DataSource, int Waiting, int Pending, int Running);
