using Dashboard.Core.Clients;
using Dashboard.Core.Feed;
using Dashboard.Core.Ingestion;
using Dashboard.Core.Tasks;

namespace Dashboard.Model.Wall;

/// <summary>One sample of the activity chart: running tasks and rows ingested per second at that moment.</summary>
public sealed record ActivityPoint(DateTimeOffset Time, int Running, double RowsPerSecond);

/// <summary>A running task as the wall lists it: its row counter (when it reports one) and the rate measured from it.</summary>
public sealed record RunningTaskActivity(string TaskId, string Type, string DataSource, DateTimeOffset RunningSince, long? RowsProcessed, double RowsPerSecond,
    long? EstimatedTotalRows = null)
{
    /// <summary>0..1: rows so far over the rows the input is estimated to hold; null without an estimate.</summary>
    public double? Progress => RowsProcessed is { } rows && EstimatedTotalRows is { } total and > 0 ? Math.Min(1, (double)rows / total) : null;

    /// <summary>The rows left at the current rate; null without an estimate or while no rows flow.</summary>
    public TimeSpan? Eta => RowsProcessed is { } rows && EstimatedTotalRows is { } total && RowsPerSecond > 0
        ? TimeSpan.FromSeconds(Math.Max(0, total - rows) / RowsPerSecond)
        : null;
}

/// <summary>
/// Server-side memory of ingestion activity for the wall screen, fed by the task feed only (so cluster mode's poller feeds
/// it the same way). It tracks active tasks and the live <c>rowStats.buildSegments.processed</c> counter of each top-level
/// task, and every <see cref="SampleInterval"/> records, overall and per datasource, how many tasks run and how many rows
/// per second the counters advanced over the last <see cref="RateWindow"/>. The last <see cref="History"/> is kept, so a
/// wall opened now shows the past hour.
/// </summary>
public sealed class IngestionActivity(ITaskFeed feed, IOverlordClient overlord, TimeProvider time, ILogger<IngestionActivity> logger) : BackgroundService
{
    public static readonly TimeSpan SampleInterval = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan RateWindow = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan History = TimeSpan.FromHours(1);

    private readonly object _gate = new();
    private readonly Dictionary<string, TaskStatusPlus> _active = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _runningSince = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Counter> _counters = new(StringComparer.Ordinal);
    private readonly LinkedList<Sample> _samples = new();

    /// <summary>Raised (on the thread pool) after each new sample.</summary>
    public event Action? Sampled;

    /// <summary>
    /// The chart's points for the last hour, for one datasource or all (null); <paramref name="readable"/> (a user's READ
    /// permission, <see cref="Security.ReadScope.Rule"/>) leaves out the datasources it refuses. The same holds below.
    /// </summary>
    public IReadOnlyList<ActivityPoint> Points(string? dataSource, Func<string, bool>? readable = null)
    {
        lock (_gate)
        {
            return _samples.Select(s => s.For(dataSource, readable)).ToList();
        }
    }

    /// <summary>Rows per second the live counters advanced over the last <see cref="RateWindow"/>.</summary>
    public double CurrentRowsPerSecond(string? dataSource, Func<string, bool>? readable = null)
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            return _counters.Values.Where(c => (dataSource is null || c.DataSource == dataSource) && (readable is null || readable(c.DataSource)))
                .Sum(c => c.Rate(now));
        }
    }

    /// <summary>Running tasks, longest running first, with their counters where they report rows.</summary>
    public IReadOnlyList<RunningTaskActivity> Running(string? dataSource, Func<string, bool>? readable = null)
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            return _active.Values
                .Where(t => t.DisplayStatus == DisplayStatus.Running && (dataSource is null || t.DataSource == dataSource)
                    && (readable is null || readable(t.DataSource ?? "")))
                .Select(t =>
                {
                    _counters.TryGetValue(t.Id, out var counter);
                    var since = _runningSince.TryGetValue(t.Id, out var s) ? s : t.CreatedTime;
                    return new RunningTaskActivity(t.Id, t.Type ?? "", t.DataSource ?? "", since, counter?.Latest, counter?.Rate(now) ?? 0, counter?.EstimatedTotalRows);
                })
                .OrderBy(t => t.RunningSince)
                .ToList();
        }
    }

    /// <summary>Applies one feed event; public so tests can drive the tracker without a feed.</summary>
    public void Apply(FeedEvent feedEvent)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            switch (feedEvent)
            {
                case TaskStatusChanged { Task: var task }:
                    if (task.IsActive)
                    {
                        if (task.DisplayStatus == DisplayStatus.Running && !_runningSince.ContainsKey(task.Id))
                        {
                            _runningSince[task.Id] = now;
                        }

                        _active[task.Id] = task;
                    }
                    else
                    {
                        _active.Remove(task.Id);
                        _runningSince.Remove(task.Id);
                        if (_counters.TryGetValue(task.Id, out var ended))
                        {
                            ended.Ended = now;
                        }
                    }

                    break;
                case TaskReportUpdated report:
                    // A subtask's rows reach its parent's counters too; count each row once, at the top-level task.
                    if (_active.TryGetValue(report.TaskId, out var owner) && owner.GroupId != owner.Id)
                    {
                        break;
                    }

                    // Native batch counts processed rows; a SQL ingestion the rows its first stage has read (a SELECT
                    // ingests nothing and is left out).
                    long processed;
                    if (report.Report[IngestionReport.Key] is not null)
                    {
                        processed = IngestionReport.RowStatsOf(report.Report).Processed;
                    }
                    else if (MsqReportView.From(report.Report) is { IsIngestion: true } msq)
                    {
                        processed = msq.Stages[0].InputRows;
                    }
                    else
                    {
                        break;
                    }

                    if (!_counters.TryGetValue(report.TaskId, out var counter))
                    {
                        counter = _counters[report.TaskId] = new Counter(report.DataSource);
                    }

                    counter.Add(now, processed);
                    counter.EstimatedTotalRows = IngestionReport.EstimatedTotalRowsOf(report.Report) ?? counter.EstimatedTotalRows;
                    break;
            }
        }
    }

    /// <summary>Records one sample now and forgets what is older than the history; public for tests.</summary>
    public void RecordSample()
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            var byDataSource = new Dictionary<string, (int Running, double Rate)>(StringComparer.Ordinal);
            foreach (var task in _active.Values.Where(t => t.DisplayStatus == DisplayStatus.Running))
            {
                var key = task.DataSource ?? "";
                var entry = byDataSource.GetValueOrDefault(key);
                byDataSource[key] = (entry.Running + 1, entry.Rate);
            }

            foreach (var counter in _counters.Values)
            {
                var entry = byDataSource.GetValueOrDefault(counter.DataSource);
                byDataSource[counter.DataSource] = (entry.Running, entry.Rate + counter.Rate(now));
            }

            _samples.AddLast(new Sample(now, byDataSource));
            while (_samples.First is { } first && first.Value.Time < now - History)
            {
                _samples.RemoveFirst();
            }

            foreach (var id in _counters.Where(c => c.Value.Ended is { } ended && ended < now - RateWindow * 2).Select(c => c.Key).ToList())
            {
                _counters.Remove(id);
            }
        }

        Sampled?.Invoke();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var sampling = SampleAsync(stoppingToken);
        try
        {
            await using var events = feed.SubscribeAsync(stoppingToken).GetAsyncEnumerator(stoppingToken);
            await SeedAsync(stoppingToken);
            while (await events.MoveNextAsync())
            {
                if (events.Current is FeedOverflowed)
                {
                    await SeedAsync(stoppingToken);
                }
                else
                {
                    Apply(events.Current);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await sampling;
    }

    /// <summary>Reads the active tasks (at start and after the feed overflowed).</summary>
    private async Task SeedAsync(CancellationToken cancellationToken)
    {
        try
        {
            // Only active tasks are wanted: no window of complete tasks, so cluster mode answers from its poller's list.
            var page = await overlord.QueryTasksAsync(
                new TaskPageQuery { Statuses = DisplayStatus.Active, CompleteCreatedFrom = time.GetUtcNow(), Limit = TaskPageQuery.MaxLimit }, cancellationToken);
            lock (_gate)
            {
                _active.Clear();
                foreach (var task in page.Rows)
                {
                    _active[task.Id] = task;
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Could not read the active tasks for the wall screen's activity history.");
        }
    }

    private async Task SampleAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(SampleInterval, time);
        try
        {
            do
            {
                RecordSample();
            }
            while (await timer.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException)
        {
        }
    }

    private sealed class Counter(string dataSource)
    {
        private readonly List<(DateTimeOffset Time, long Processed)> _values = [];

        public string DataSource { get; } = dataSource;

        public DateTimeOffset? Ended { get; set; }

        public long? EstimatedTotalRows { get; set; }

        public long Latest => _values.Count == 0 ? 0 : _values[^1].Processed;

        public void Add(DateTimeOffset at, long processed)
        {
            _values.Add((at, processed));
            var keepFrom = at - RateWindow * 2;
            var drop = _values.FindLastIndex(v => v.Time < keepFrom);
            if (drop > 0)
            {
                _values.RemoveRange(0, drop);
            }
        }

        /// <summary>(P(now) - P(now - window)) / window, where P is the last counter value seen by then (0 before the first).</summary>
        public double Rate(DateTimeOffset now)
        {
            var before = _values.LastOrDefault(v => v.Time <= now - RateWindow).Processed;
            return Math.Max(0, Latest - before) / RateWindow.TotalSeconds;
        }
    }

    private sealed record Sample(DateTimeOffset Time, IReadOnlyDictionary<string, (int Running, double Rate)> ByDataSource)
    {
        public ActivityPoint For(string? dataSource, Func<string, bool>? readable)
        {
            if (dataSource is not null)
            {
                var entry = readable is null || readable(dataSource) ? ByDataSource.GetValueOrDefault(dataSource) : default;
                return new ActivityPoint(Time, entry.Running, entry.Rate);
            }

            if (readable is null)
            {
                return new ActivityPoint(Time, ByDataSource.Values.Sum(v => v.Running), ByDataSource.Values.Sum(v => v.Rate));
            }

            var visible = ByDataSource.Where(e => readable(e.Key)).Select(e => e.Value).ToList();
            return new ActivityPoint(Time, visible.Sum(v => v.Running), visible.Sum(v => v.Rate));
        }
    }
}
