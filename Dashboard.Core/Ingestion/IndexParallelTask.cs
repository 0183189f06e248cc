using System.Text.Json.Nodes;
using Dashboard.Core.Common;
using Dashboard.Core.Ingestion.Engine;
using Dashboard.Core.Ingestion.Sources;
using Dashboard.Core.Ingestion.Spec;
using Dashboard.Core.Overlord;
using Dashboard.Core.Segments;
using Dashboard.Core.Storage;
using Dashboard.Core.Tasks;

namespace Dashboard.Core.Ingestion;

/// <summary>
/// Native batch ingestion (<c>index_parallel</c>, and <c>index</c>): reads the input source, writes time-partitioned
/// segments and publishes them atomically with its SUCCESS. With maxNumConcurrentSubTasks above 1 and several input
/// files, the files are split across <c>single_phase_sub_task</c> tasks that run in parallel in task slots.
/// </summary>
public sealed class IndexParallelTask : AbstractTask
{
    public const int DefaultPriority = 50;
    private static readonly TimeSpan ReportInterval = TimeSpan.FromMilliseconds(250);

    private readonly IngestionServices _services;
    private readonly JsonObject _specJson;

    public IndexParallelTask(TaskSpec spec, IngestionSpec ingestion, IngestionServices services)
        : base(spec, ingestion.DataSchema.DataSource, DefaultPriority)
    {
        Ingestion = ingestion;
        _services = services;
        _specJson = (JsonObject)spec.Json["spec"]!.DeepClone();
        CheckTimeChunks(ingestion.DataSchema.GranularitySpec, services.Overlord.Value.MaxTimeChunks);
    }

    public IngestionSpec Ingestion { get; }

    /// <summary>A parallel parent waits for its subtasks: it starts only when a slot is left for at least one of them.</summary>
    public override int SlotsToStart => Ingestion.TuningConfig.MaxNumConcurrentSubTasks > 1 ? 2 : 1;

    /// <summary>
    /// Exclusive locks on every time chunk of the declared intervals, one lock per run of adjacent chunks (each interval's
    /// span is computed, never its chunks listed); without intervals, locks are taken once the data's chunks are known.
    /// </summary>
    public override IReadOnlyList<LockRequest> LockRequests => LocksFor(Ingestion.DataSchema.GranularitySpec.Intervals
        .Select(i => TimeChunks.Span(Ingestion.DataSchema.GranularitySpec.SegmentGranularity, i)).ToList());

    /// <summary>Refuses at submission a spec whose intervals cover more chunks than the limit, counted arithmetically.</summary>
    private static void CheckTimeChunks(GranularitySpec granularitySpec, long maxTimeChunks)
    {
        long chunks = 0;
        foreach (var interval in granularitySpec.Intervals)
        {
            chunks = Math.Min(long.MaxValue / 2, chunks + TimeChunks.Count(granularitySpec.SegmentGranularity, interval));
        }

        if (chunks > maxTimeChunks)
        {
            throw SpecJson.Invalid($"spec.dataSchema.granularitySpec.intervals cover {chunks:N0} time chunks at segmentGranularity [{granularitySpec.SegmentGranularity.Name}]; " +
                                   $"at most {maxTimeChunks:N0} are allowed (Overlord:MaxTimeChunks). Use shorter intervals or a coarser segmentGranularity.");
        }
    }

    private IReadOnlyList<LockRequest> LocksFor(IReadOnlyList<Interval> chunks) =>
        Condense(chunks).Select(i => new LockRequest(DataSource, i, TaskLockType.Exclusive)).ToList();

    protected override void WriteFields(JsonObject payload) => payload["spec"] = _specJson.DeepClone();

    public override async Task<TaskRunResult> RunAsync(ITaskToolbox toolbox, CancellationToken cancellationToken)
    {
        var counters = new LiveRowStats();
        using var reporting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reporter = ReportLiveAsync(Id, Context, _services.Time, toolbox, counters, reporting.Token);
        var subtasks = new List<string>();
        try
        {
            var version = await _services.Allocator.NewVersionAsync(DataSource, cancellationToken);
            var workDir = Directory.CreateDirectory(_services.DeepStorage.WorkDirFor(Id)).FullName;
            var files = await _services.Resolver.ResolveAsync(Ingestion.IoConfig.InputSource, workDir, cancellationToken);
            // Parquet footers give the exact row count (and a file that is not Parquet fails here, by name).
            counters.EstimatedTotalRows = Ingestion.IoConfig.InputFormat.IsParquet
                ? await ParquetInput.CountRowsAsync(_services.Sessions, files, cancellationToken)
                : InputSize.EstimateRows(files.Select(f => f.Path).ToList());
            var about = counters.EstimatedTotalRows is { } rows ? $" (about {rows:N0} rows)" : "";
            await toolbox.LogAsync($"Reading {files.Count} input file(s){about}; segment version {version}.", cancellationToken);

            IngestionResult result;
            var parallel = Math.Min(Ingestion.TuningConfig.MaxNumConcurrentSubTasks, files.Count);
            if (parallel > 1)
            {
                if (Ingestion.DataSchema.GranularitySpec.Intervals.Count == 0)
                {
                    return Fail(toolbox, "Parallel ingestion (maxNumConcurrentSubTasks > 1) needs granularitySpec.intervals, so subtasks share the parent's locks.",
                        counters.Snapshot(), []);
                }

                result = await RunSubtasksAsync(toolbox, files, parallel, version, counters, subtasks, cancellationToken);
            }
            else
            {
                result = await _services.Engine.RunAsync(CreateJob(toolbox, files, version, counters, Id, workDir, _services.DeepStorage.StagingDirFor(Id)), cancellationToken);
            }

            await reporting.CancelAsync();
            await reporter;
            if (result.Failure is not null)
            {
                return Fail(toolbox, result.Failure, result.Stats, result.ParseExceptions);
            }

            await toolbox.LogAsync($"Wrote {result.Segments.Count} segment(s): processed {result.Stats.Processed}, thrownAway {result.Stats.ThrownAway}, " +
                                   $"unparseable {result.Stats.Unparseable}, processedWithError {result.Stats.ProcessedWithError}.", cancellationToken);
            var drop = Ingestion.IoConfig.DropExisting && Ingestion.DataSchema.GranularitySpec.Intervals.Count > 0
                ? new SegmentDrop(DataSource, Ingestion.DataSchema.GranularitySpec.Intervals, version)
                : null;
            return TaskRunResult.Success(IngestionReport.Build(Id, "COMPLETED", result.Stats, result.ParseExceptions, null, Context), result.Segments, drop);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            foreach (var subtask in subtasks)
            {
                await toolbox.ShutdownTaskAsync(subtask, $"Parent task [{Id}] was shut down", CancellationToken.None);
            }

            throw;
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or UnauthorizedAccessException or DuckDB.NET.Data.DuckDBException
                                       or Errors.DruidException { StatusCode: 400 })
        {
            await toolbox.LogAsync($"Ingestion failed:\n{ex}", CancellationToken.None);
            return Fail(toolbox, ex.Message, counters.Snapshot(), []);
        }
        finally
        {
            await reporting.CancelAsync();
            await reporter;
        }
    }

    /// <summary>The engine run for this task.</summary>
    private IngestionJob CreateJob(ITaskToolbox toolbox, IReadOnlyList<InputFile> files, string version, LiveRowStats counters, string allocatorTaskId,
        string workDir, string stagingDir) =>
        CreateJob(_services, Id, Ingestion, toolbox, files, version, counters, allocatorTaskId, workDir, stagingDir, LocksFor);

    /// <summary>The engine run for a task or a subtask (which writes into its parent's staging folder, under the parent's locks).</summary>
    internal static IngestionJob CreateJob(IngestionServices services, string taskId, IngestionSpec ingestion, ITaskToolbox toolbox,
        IReadOnlyList<InputFile> files, string version, LiveRowStats counters, string allocatorTaskId, string workDir, string stagingDir,
        Func<IReadOnlyList<Interval>, IReadOnlyList<LockRequest>> locksFor)
    {
        var dataSource = ingestion.DataSchema.DataSource;
        var append = ingestion.IoConfig.AppendToExisting;
        var declared = ingestion.DataSchema.GranularitySpec.Intervals.Count > 0;
        return new IngestionJob(taskId, ingestion, files, workDir, stagingDir,
            (chunk, ct) => services.Allocator.AllocateAsync(dataSource, chunk, append, version, allocatorTaskId, ct),
            services.DeepStorage.FinalPath, counters, message => toolbox.LogAsync(message),
            (chunks, ct) => declared || chunks.Count == 0 ? Task.CompletedTask : toolbox.AcquireLocksAsync(locksFor(chunks), ct));
    }

    private async Task<IngestionResult> RunSubtasksAsync(ITaskToolbox toolbox, IReadOnlyList<InputFile> files, int parallel, string version,
        LiveRowStats counters, List<string> subtasks, CancellationToken cancellationToken)
    {
        var groups = files.Select((f, i) => (f, i)).GroupBy(x => x.i % parallel, x => x.f).ToList();
        foreach (var group in groups)
        {
            var sub = SinglePhaseSubTask.SpecFor(this, group.ToList(), version, group.Key);
            subtasks.Add(await toolbox.SubmitSubtaskAsync(sub, cancellationToken));
        }

        await toolbox.LogAsync($"Submitted {subtasks.Count} subtasks: {string.Join(", ", subtasks)}.", cancellationToken);
        var stats = RowStats.Zero;
        var exceptions = new List<ParseExceptionReport>();
        var segments = new List<StagedSegment>();
        string? failure = null;
        var pending = subtasks.Select(id => (Id: id, Wait: toolbox.WaitForCompletionAsync(id, cancellationToken))).ToList();
        foreach (var (id, wait) in pending)
        {
            var status = await wait;
            var report = await toolbox.GetReportAsync(id, cancellationToken);
            var subStats = IngestionReport.RowStatsOf(report);
            stats = stats.Add(subStats);
            counters.Add(subStats);
            exceptions.AddRange(IngestionReport.ParseExceptionsOf(report));
            if (status.Status != TaskState.SUCCESS)
            {
                failure ??= $"Subtask [{id}] failed: {status.ErrorMsg}";
                continue;
            }

            segments.AddRange(SinglePhaseSubTask.PushedSegmentsOf(report));
        }

        if (failure is not null)
        {
            foreach (var id in subtasks)
            {
                await toolbox.ShutdownTaskAsync(id, $"Sibling subtask failed; parent [{Id}] is failing", CancellationToken.None);
            }
        }

        return new IngestionResult(stats, exceptions.Take(Ingestion.TuningConfig.MaxSavedParseExceptions).ToList(), segments, failure);
    }

    private TaskRunResult Fail(ITaskToolbox toolbox, string message, RowStats stats, IReadOnlyList<ParseExceptionReport> exceptions) =>
        TaskRunResult.Failure(message, IngestionReport.Build(Id, "COMPLETED", stats, exceptions, message, Context));

    /// <summary>Publishes the live report whenever the counters moved, every 250 ms, until cancelled.</summary>
    internal static async Task ReportLiveAsync(string taskId, JsonObject context, TimeProvider time, ITaskToolbox toolbox, LiveRowStats counters,
        CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(ReportInterval, time);
        var last = (RowStats?)null;
        try
        {
            do
            {
                var now = counters.Snapshot();
                if (now != last)
                {
                    await toolbox.UpdateReportAsync(
                        IngestionReport.Build(taskId, "BUILD_SEGMENTS", now, [], null, context, estimatedTotalRows: counters.EstimatedTotalRows), cancellationToken);
                    last = now;
                }
            }
            while (await timer.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static IEnumerable<Interval> Condense(IReadOnlyList<Interval> chunks)
    {
        Interval? current = null;
        foreach (var chunk in chunks.Distinct().OrderBy(c => c.Start))
        {
            if (current is { } c && c.End >= chunk.Start)
            {
                current = c with { End = chunk.End > c.End ? chunk.End : c.End };
                continue;
            }

            if (current is { } done)
            {
                yield return done;
            }

            current = chunk;
        }

        if (current is { } last)
        {
            yield return last;
        }
    }

    public sealed class Factory(IngestionServices services, string type) : ITaskFactory
    {
        public string Type => type;

        public async ValueTask<ITask> CreateAsync(TaskSpec spec, CancellationToken cancellationToken)
        {
            var ingestion = IngestionSpec.Parse(spec.Json);
            await services.Rules.CheckAsync(ingestion.IoConfig.InputSource, cancellationToken);
            return new IndexParallelTask(spec, ingestion, services);
        }
    }
}
