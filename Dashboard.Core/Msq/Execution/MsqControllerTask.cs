using System.Globalization;
using System.Text.Json.Nodes;
using Dashboard.Core.Common;
using Dashboard.Core.Errors;
using Dashboard.Core.Ingestion;
using Dashboard.Core.Ingestion.Engine;
using Dashboard.Core.Ingestion.Sources;
using Dashboard.Core.Ingestion.Spec;
using Dashboard.Core.Msq.Dialect;
using Dashboard.Core.Overlord;
using Dashboard.Core.Segments;
using Dashboard.Core.Storage;
using Dashboard.Core.Tasks;
using DuckDB.NET.Data;

namespace Dashboard.Core.Msq.Execution;

/// <summary>
/// A <c>query_controller</c> (<c>query-&lt;sqlQueryId&gt;</c>): runs a planned SQL-ingestion query in stages. Stage 0
/// runs in <c>query_worker</c> tasks that read the inputs in parallel; the next stages run the query over what they read
/// and either write segments (INSERT/REPLACE, published atomically with this task's SUCCESS) or put the results into the
/// report (SELECT). Its <c>multiStageQuery</c> report is live while it runs.
/// </summary>
public sealed class MsqControllerTask : AbstractTask, IShutdownReport
{
    public const string TypeName = "query_controller";
    /// <summary>Druid's Limits.MAX_PARTITION_BUCKETS: the most time chunks one query may write (TooManyBuckets).</summary>
    public const long MaxBuckets = 5000;

    /// <summary>Druid's Limits.MAX_SELECT_RESULT_ROWS: the most rows of a SELECT a task report keeps (resultsTruncated says when there were more).</summary>
    public const int MaxSelectResultRows = 3000;
    private const int MaxColumns = 2000;

    private readonly MsqPlan _plan;
    private readonly IngestionServices _services;
    private readonly List<MsqStage> _stages = [];
    private readonly Dictionary<int, (string TaskId, string State, long DurationMs)> _workers = new();
    private DateTimeOffset _startTime;
    private MsqFault? _fault;
    private JsonObject? _results;
    private int _pendingWorkers;
    private long? _estimatedRows;
    private int _runningWorkers;

    public MsqControllerTask(TaskSpec spec, MsqPlan plan, IngestionServices services)
        : base(spec, plan.DataSource, defaultPriority: 0)
    {
        _plan = plan;
        _services = services;
    }

    public MsqPlan Plan => _plan;

    /// <summary>The controller waits for its workers: it starts only when a slot is left for at least one of them.</summary>
    public override int SlotsToStart => 2;

    /// <summary>REPLACE locks its OVERWRITE range up front; INSERT locks the chunks it writes once it knows them.</summary>
    public override IReadOnlyList<LockRequest> LockRequests => _plan.Statement.Kind == MsqStatementKind.Replace
        ? _plan.ReplaceIntervals.Select(i => new LockRequest(DataSource, i, TaskLockType.Exclusive)).ToList()
        : [];

    protected override void WriteFields(JsonObject payload)
    {
        var destination = _plan.Statement.Kind == MsqStatementKind.Select
            ? new JsonObject { ["type"] = "taskReport" }
            : new JsonObject
            {
                ["type"] = "dataSource",
                ["dataSource"] = DataSource,
                ["segmentGranularity"] = _plan.Statement.PartitionedBy?.ToString(),
                ["replaceTimeChunks"] = _plan.Statement.Kind == MsqStatementKind.Replace ? new JsonArray(_plan.ReplaceIntervals.Select(i => (JsonNode)i.ToString()).ToArray()) : null,
            };
        payload["spec"] = new JsonObject
        {
            ["query"] = new JsonObject
            {
                ["queryType"] = _plan.HasGroupBy ? "groupBy" : "scan",
                ["dataSource"] = InputsJson() is { Count: 1 } single ? single[0]!.DeepClone() : InputsJson(),
                ["intervals"] = new JsonObject { ["type"] = "intervals", ["intervals"] = new JsonArray(Interval.Eternity.ToString()) },
                ["resultFormat"] = "compactedList",
                ["columns"] = new JsonArray(_plan.Output.Select(c => (JsonNode)c.Name).ToArray()),
                ["context"] = _plan.Context.DeepClone(),
            },
            ["columnMappings"] = new JsonArray(_plan.Output.Select(c => (JsonNode)new JsonObject { ["queryColumn"] = c.Name, ["outputColumn"] = c.Name }).ToArray()),
            ["destination"] = destination,
            ["assignmentStrategy"] = "max",
            ["tuningConfig"] = new JsonObject { ["maxNumWorkers"] = _plan.MaxNumTasks - 1, ["maxRowsInMemory"] = 100000, ["rowsPerSegment"] = _plan.RowsPerSegment },
        };
        payload["sqlQuery"] = _plan.SqlQuery;
        payload["sqlQueryContext"] = _plan.Context.DeepClone();
        payload["sqlResultsContext"] = new JsonObject { ["timeZone"] = _plan.Statement.TimeZone.Id, ["serializeComplexValues"] = true, ["stringifyArrays"] = true };
        payload["sqlTypeNames"] = new JsonArray(_plan.Output.Select(c => (JsonNode)c.SqlType).ToArray());
    }

    private JsonArray InputsJson() => new(_plan.Translated.Externs.Select(e => (JsonNode)new JsonObject
        {
            ["type"] = "external",
            ["inputSource"] = e.InputSource.DeepClone(),
            ["inputFormat"] = e.InputFormat.DeepClone(),
            ["signature"] = new JsonArray(e.Signature.Select(c => (JsonNode)new JsonObject { ["name"] = c.Name, ["type"] = c.Type }).ToArray()),
        })
        .Concat(_plan.Tables.Select(t => (JsonNode)new JsonObject { ["type"] = "table", ["dataSource"] = t.Name, ["intervals"] = new JsonArray(Interval.Eternity.ToString()) }))
        .ToArray());

    public override async Task<TaskRunResult> RunAsync(ITaskToolbox toolbox, CancellationToken cancellationToken)
    {
        _startTime = _services.Time.GetUtcNow();
        BuildStages();
        _fault = _plan.Output.Count > MaxColumns ? MsqFault.TooManyColumns(_plan.Output.Count, MaxColumns)
            : _plan.Statement.Kind != MsqStatementKind.Select && _plan.Output.FirstOrDefault(c => c.Name.StartsWith("__", StringComparison.Ordinal) && c.Name != "__time") is { } restricted
                ? MsqFault.ColumnNameRestricted(restricted.Name)
                : null;
        if (_fault is not null)
        {
            return TaskRunResult.Failure(_fault.TaskErrorMessage, Report("FAILED"));
        }

        using var reporting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reporter = ReportLiveAsync(toolbox, reporting.Token);
        var workerIds = new List<string>();
        try
        {
            var result = await RunStagesAsync(toolbox, workerIds, cancellationToken);
            await reporting.CancelAsync();
            await reporter;
            return result;
        }
        catch (Exception ex) when (ex is MsqFault || (Engine.TaskBudget.IsOutOfMemory(ex) && !cancellationToken.IsCancellationRequested))
        {
            var fault = ex as MsqFault ?? MsqFault.NotEnoughMemory(_services.Sessions.Budget, _services.Sessions.MemoryLimitMiB(SessionScope), ex.Message);
            _fault = fault;
            foreach (var stage in _stages.Where(s => s.Phase is not "FINISHED"))
            {
                stage.SetPhase("FAILED", _services.Time.GetUtcNow());
            }

            await toolbox.LogAsync($"Query failed: {fault.TaskErrorMessage}", CancellationToken.None);
            await StopWorkersAsync(toolbox, workerIds, $"Controller [{Id}] failed");
            return TaskRunResult.Failure(fault.TaskErrorMessage, Report("FAILED"));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await StopWorkersAsync(toolbox, workerIds, $"Controller [{Id}] was shut down");
            throw;
        }
        finally
        {
            await reporting.CancelAsync();
            await reporter;
        }
    }

    /// <summary>The report a user sees once the task is shut down: the query canceled, its unfinished stages failed.</summary>
    public JsonObject ShutdownReport()
    {
        _fault ??= MsqFault.Canceled("TASK_SHUTDOWN");
        foreach (var stage in _stages.Where(s => s.Phase is not "FINISHED"))
        {
            stage.SetPhase("FAILED", _services.Time.GetUtcNow());
        }

        return Report("FAILED");
    }

    private void BuildStages()
    {
        var inputs = InputsJson();
        var readSignature = new JsonArray(_plan.Translated.Externs.SelectMany(e => e.Signature.Select(c => (JsonNode)new JsonObject { ["name"] = c.Name, ["type"] = c.Type.ToUpperInvariant() }))
            .Concat(_plan.Tables.SelectMany(t => t.Columns.Select(c => (JsonNode)new JsonObject { ["name"] = c.Name, ["type"] = c.NativeType }))).ToArray());
        var output = new JsonArray(_plan.Output.Select(c => (JsonNode)new JsonObject { ["name"] = c.Name, ["type"] = c.NativeType }).ToArray());
        var queryId = _plan.SqlQueryId;
        var groupBy = _plan.HasGroupBy;
        _stages.Add(new MsqStage(0, groupBy ? "groupByPreShuffle" : "scan", inputs, readSignature, queryId));
        var previous = new JsonArray(new JsonObject { ["type"] = "stage", ["stage"] = 0 });
        if (groupBy)
        {
            _stages.Add(new MsqStage(1, "groupByPostShuffle", previous, output, queryId));
            previous = new JsonArray(new JsonObject { ["type"] = "stage", ["stage"] = 1 });
        }

        _stages.Add(new MsqStage(_stages.Count, _plan.Statement.Kind == MsqStatementKind.Select ? "limit" : "segmentGenerator", previous, output, queryId));
    }

    private async Task<TaskRunResult> RunStagesAsync(ITaskToolbox toolbox, List<string> workerIds, CancellationToken cancellationToken)
    {
        var workDir = Directory.CreateDirectory(_services.DeepStorage.WorkDirFor(Id)).FullName;
        var stageDir = Directory.CreateDirectory(Path.Combine(workDir, "stage0")).FullName;
        var inputs = new List<MsqWorkerInput>();
        foreach (var e in _plan.Translated.Externs)
        {
            IReadOnlyList<InputFile> files;
            try
            {
                files = await _services.Resolver.ResolveAsync(InputSourceSpec.Parse(e.InputSource, "EXTERN inputSource"), workDir, cancellationToken);
            }
            catch (DruidException refused) when (refused.StatusCode == 400)
            {
                // An input rule broken at run time (a redirect to a refused host, a name that now resolves privately).
                throw new MsqFault("UnknownError", refused.Message);
            }

            inputs.Add(new MsqWorkerInput(e.View, "external", files.Select(f => f.Path).ToList(), e.InputFormat, e.Signature));
        }

        inputs.AddRange(_plan.Tables.Select(t => new MsqWorkerInput(t.View, "table", t.Files, null, t.Columns.Select(c => (c.Name, c.NativeType)).ToList())));
        _estimatedRows = await EstimateRowsAsync(inputs, cancellationToken);
        var totalFiles = inputs.Sum(i => i.Files.Count);
        var workerCount = Math.Max(1, Math.Min(_plan.MaxNumTasks - 1, Math.Max(1, totalFiles)));
        var about = _estimatedRows is { } rows ? $" (about {rows.ToString("N0", CultureInfo.InvariantCulture)} rows)" : "";
        await toolbox.LogAsync($"Stage 0 ({_stages[0].Processor}): {totalFiles} input file(s){about} over {workerCount} worker(s).", cancellationToken);

        // Stage 0: workers read their share of every input.
        _stages[0].Start(_services.Time.GetUtcNow(), workerCount);
        for (var w = 0; w < workerCount; w++)
        {
            var share = inputs.Select(i => i with { Files = i.Files.Where((_, k) => k % workerCount == w).ToList() }).Where(i => i.Files.Count > 0).ToList();
            var spec = new JsonObject
            {
                ["type"] = MsqWorkerTask.TypeName,
                ["id"] = $"{Id}-worker{w}_0",
                ["groupId"] = Id,
                ["dataSource"] = DataSource,
                ["controllerTaskId"] = Id,
                ["workerNumber"] = w,
                ["maxParseExceptions"] = _plan.MaxParseExceptions,
                ["inputs"] = new JsonArray(share.Select(i => (JsonNode)i.ToJson()).ToArray()),
                ["context"] = Context.DeepClone(),
            };
            workerIds.Add(await toolbox.SubmitSubtaskAsync(spec, cancellationToken));
            _workers[w] = (workerIds[^1], "PENDING", 0);
        }

        _pendingWorkers = workerCount;
        for (var w = 0; w < workerIds.Count; w++)
        {
            var status = await toolbox.WaitForCompletionAsync(workerIds[w], cancellationToken);
            _workers[w] = (workerIds[w], status.Status.ToString(), status.Duration);
            ReadWorkerCounters(stageDir);
            if (status.Status != TaskState.SUCCESS)
            {
                throw status.ErrorMsg is { } message && message.StartsWith("TooManyWarnings", StringComparison.Ordinal)
                    ? MsqFault.TooManyWarnings("CannotParseExternalData", _plan.MaxParseExceptions)
                    : status.ErrorMsg is { } memory && memory.StartsWith("NotEnoughMemory", StringComparison.Ordinal)
                        ? MsqFault.NotEnoughMemory(_services.Sessions.Budget, _services.Sessions.Budget.MemoryMiB, $"worker [{workerIds[w]}] ran out of memory")
                        : MsqFault.WorkerFailed(workerIds[w], status.ErrorMsg);
            }
        }

        _pendingWorkers = 0;
        _stages[0].PartitionCount = workerCount;
        _stages[0].SetPhase("FINISHED", _services.Time.GetUtcNow());

        // The next stages run the query over what the workers read.
        await using var db = await _services.Sessions.OpenAsync(SessionScope, cancellationToken);
        foreach (var input in inputs.GroupBy(i => i.View))
        {
            var outputs = Enumerable.Range(0, workerCount).Select(w => MsqWorkerInput.OutputPath(stageDir, input.Key, w)).Where(File.Exists).ToList();
            var columns = input.First().Signature.Select(c => $"{Sql.Name(c.Name)} {(input.First().Kind == "table" ? "VARCHAR" : MsqTypes.DuckDbTypeOf(c.Type))}");
            await ExecuteAsync(db, outputs.Count > 0
                ? $"CREATE VIEW {Sql.Name(input.Key)} AS SELECT * FROM read_parquet([{string.Join(", ", outputs.Select(Sql.Literal))}])"
                : $"CREATE TABLE {Sql.Name(input.Key)} ({string.Join(", ", columns)})", cancellationToken);
        }

        var queryStage = _stages[^1];
        var aggregateStage = _stages.Count == 3 ? _stages[1] : queryStage;
        var stage0Rows = _stages[0].CountersJson() is { } c0 ? c0.Select(w => w.Value?["output"]?["rows"]?[0]?.GetValue<long>() ?? 0).Sum() : 0;
        aggregateStage.Start(_services.Time.GetUtcNow(), 1);
        await ExecuteAsync(db, $"CREATE TABLE result AS {_plan.Translated.Sql}", cancellationToken);
        var resultRows = await db.ScalarLongAsync( "SELECT count(*) FROM result", cancellationToken);
        aggregateStage.SetCounters(0, new JsonObject { ["input0"] = MsqChannelCounters.Channel(stage0Rows), ["output"] = MsqChannelCounters.Channel(resultRows, 0, resultRows > 0 ? 1 : 0) });
        aggregateStage.PartitionCount = 1;
        if (aggregateStage != queryStage)
        {
            aggregateStage.SetPhase("FINISHED", _services.Time.GetUtcNow());
            queryStage.Start(_services.Time.GetUtcNow(), 1);
        }

        if (_plan.Statement.Kind == MsqStatementKind.Select)
        {
            _results = await ResultsAsync(db, cancellationToken);
            queryStage.SetCounters(0, new JsonObject { ["input0"] = MsqChannelCounters.Channel(resultRows), ["output"] = MsqChannelCounters.Channel(resultRows, 0, 1) });
            queryStage.PartitionCount = 1;
            queryStage.SetPhase("FINISHED", _services.Time.GetUtcNow());
            return TaskRunResult.Success(Report("SUCCESS"));
        }

        return await WriteSegmentsAsync(toolbox, db, queryStage, resultRows, cancellationToken);
    }

    /// <summary>What the controller's session may touch: its work folder (the workers' stage files, spill) and its staging folder.</summary>
    private Engine.DuckDbSessionScope SessionScope => Engine.DuckDbSessionScope.ForTask("msq-controller") with
    {
        Directories = [_services.DeepStorage.WorkDirFor(Id), _services.DeepStorage.StagingDirFor(Id)],
        TempDirectory = Path.Combine(_services.DeepStorage.WorkDirFor(Id), "spill"),
    };

    private async Task<TaskRunResult> WriteSegmentsAsync(ITaskToolbox toolbox, DuckDBConnection db, MsqStage stage, long rows, CancellationToken cancellationToken)
    {
        var statement = _plan.Statement;
        if (await db.ScalarLongAsync( "SELECT count(*) FROM result WHERE \"__time\" IS NULL", cancellationToken) > 0)
        {
            throw MsqFault.InsertTimeNull();
        }

        var version = await _services.Allocator.NewVersionAsync(DataSource, cancellationToken);
        var replace = statement.Kind == MsqStatementKind.Replace;
        var drop = replace ? new SegmentDrop(DataSource, _plan.ReplaceIntervals, version) : null;
        if (rows == 0)
        {
            if (_plan.FailOnEmptyInsert)
            {
                throw MsqFault.InsertCannotBeEmpty(DataSource);
            }

            stage.SetPhase("FINISHED", _services.Time.GetUtcNow());
            await toolbox.LogAsync("The query produced no rows; nothing to write.", cancellationToken);
            return TaskRunResult.Success(Report("SUCCESS"), [], drop);
        }

        var granularity = statement.PartitionedBy ?? Granularity.All;
        var hiddenSortColumns = string.Concat(_plan.ClusterKeys.Where(k => k.Expression is not null).Select(k => $", {k.Expression} AS {Sql.Name(k.Column)}"));
        await ExecuteAsync(db, $"CREATE VIEW final AS SELECT *, {granularity.ToSql("\"__time\"")} AS __chunk{hiddenSortColumns} FROM result", cancellationToken);
        var chunks = await db.ScalarLongAsync( "SELECT count(DISTINCT __chunk) FROM final", cancellationToken);
        if (chunks > MaxBuckets)
        {
            throw MsqFault.TooManyBuckets(MaxBuckets);
        }

        if (replace && !_plan.ReplaceIntervals.Contains(Interval.Eternity))
        {
            var outside = await db.ScalarLongAsync( $"SELECT count(*) FROM result WHERE NOT ({string.Join(" OR ", _plan.ReplaceIntervals.Select(i => $"(\"__time\" >= {Sql.Timestamp(i.Start)} AND \"__time\" < {Sql.Timestamp(i.End)})"))})", cancellationToken);
            if (outside > 0)
            {
                throw MsqFault.InsertTimeOutOfBounds("outside the OVERWRITE range", string.Join(",", _plan.ReplaceIntervals));
            }
        }

        var columns = _plan.Output.Select(c => c.Name).Where(n => n != "__time").ToList();
        var metrics = _plan.RollupMetrics;
        var dimensions = columns.Except(metrics).ToList();
        var clustered = _plan.ClusterKeys.Select(k => k.Column).Distinct().ToList();
        var sort = new[] { "__time" }.Concat(clustered).Concat(dimensions.Except(clustered)).ToList();
        var segments = await SegmentFileWriter.WriteAsync(db, new SegmentWriteRequest("final", DataSource, granularity, dimensions, metrics, sort, _plan.RowsPerSegment,
            _services.DeepStorage.StagingDirFor(Id),
            (chunk, ct) => _services.Allocator.AllocateAsync(DataSource, chunk, append: !replace, version, Id, ct),
            _services.DeepStorage.FinalPath,
            (intervals, ct) => replace ? Task.CompletedTask : toolbox.AcquireLocksAsync(intervals.Select(i => new LockRequest(DataSource, i, TaskLockType.Exclusive)).ToList(), ct))
            {
                Progress = progress => stage.SetCounters(0, new JsonObject
                {
                    ["input0"] = MsqChannelCounters.Channel(rows),
                    ["sortProgress"] = SortProgress(progress),
                    ["segmentGenerationProgress"] = new JsonObject
                    {
                        ["type"] = "segmentGenerationProgress", ["rowsProcessed"] = rows, ["rowsPersisted"] = progress.RowsWritten,
                        ["rowsMerged"] = progress.RowsWritten, ["rowsPushed"] = progress.RowsWritten,
                    },
                }),
            },
            cancellationToken);
        stage.PartitionCount = segments.Count;
        stage.SetPhase("FINISHED", _services.Time.GetUtcNow());
        await toolbox.LogAsync($"Wrote {segments.Count} segment(s) with {rows:N0} rows into [{DataSource}].", cancellationToken);
        return TaskRunResult.Success(Report("SUCCESS"), segments, drop);
    }

    /// <summary>
    /// The sort of the written rows: each segment file is one batch the engine sorts and writes in one pass, so there is one
    /// merging level whose merged batches are the files written so far.
    /// </summary>
    private static JsonObject SortProgress(SegmentWriteProgress progress) => new()
    {
        ["type"] = "sortProgress",
        ["totalMergingLevels"] = 1,
        ["levelToTotalBatches"] = new JsonObject { ["0"] = progress.TotalSegments },
        ["levelToMergedBatches"] = new JsonObject { ["0"] = progress.SegmentsWritten },
        ["totalMergersForUltimateLevel"] = progress.TotalSegments,
        ["progressDigest"] = progress.TotalSegments == 0 ? 1.0 : (double)progress.SegmentsWritten / progress.TotalSegments,
    };

    private async Task<JsonObject> ResultsAsync(DuckDBConnection db, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand();
        // One row more than the report keeps tells whether the results were cut.
        command.CommandText = $"SELECT * FROM result LIMIT {MaxSelectResultRows + 1}";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new JsonArray();
        var truncated = false;
        while (await reader.ReadAsync(cancellationToken))
        {
            if (rows.Count == MaxSelectResultRows)
            {
                truncated = true;
                break;
            }

            var row = new JsonArray();
            for (var i = 0; i < reader.FieldCount; i++)
            {
                row.Add(reader.IsDBNull(i) ? null : ResultValues.ToJson(reader.GetValue(i), _plan.Statement.TimeZone));
            }

            rows.Add(row);
        }

        return new JsonObject
        {
            ["signature"] = new JsonArray(_plan.Output.Select(c => (JsonNode)new JsonObject { ["name"] = c.Name, ["type"] = c.NativeType }).ToArray()),
            ["sqlTypeNames"] = new JsonArray(_plan.Output.Select(c => (JsonNode)c.SqlType).ToArray()),
            ["results"] = rows,
            ["resultsTruncated"] = truncated,
        };
    }

    private void ReadWorkerCounters(string stageDir)
    {
        _runningWorkers = 0;
        foreach (var (w, worker) in _workers.ToList())
        {
            var path = MsqWorkerInput.CountersPath(stageDir, w);
            if (!File.Exists(path))
            {
                continue;
            }

            try
            {
                var json = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
                _stages[0].SetCounters(w, (JsonObject)json["counters"]!.DeepClone());
                var state = json["state"]!.GetValue<string>();
                if (worker.State is "PENDING" or "RUNNING")
                {
                    _workers[w] = (worker.TaskId, state, json["durationMs"]!.GetValue<long>());
                }

                _runningWorkers += state == "RUNNING" ? 1 : 0;
            }
            catch (Exception ex) when (ex is IOException or System.Text.Json.JsonException)
            {
                // The worker is replacing its counters file; the next tick reads it.
            }
        }

        _pendingWorkers = _workers.Values.Count(w => w.State == "PENDING");
    }

    private async Task ReportLiveAsync(ITaskToolbox toolbox, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250), _services.Time);
        var stageDir = Path.Combine(_services.DeepStorage.WorkDirFor(Id), "stage0");
        try
        {
            do
            {
                if (_stages.Count > 0)
                {
                    ReadWorkerCounters(stageDir);
                    await toolbox.UpdateReportAsync(Report("RUNNING"), cancellationToken);
                }
            }
            while (await timer.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>
    /// The rows stage 0 will read, for the dashboard's progress: estimated from line-based external inputs (JSON, CSV,
    /// TSV), exact from Parquet footers; null when a datasource is read or a Parquet footer cannot be read (the worker
    /// then fails naming the file).
    /// </summary>
    private async Task<long?> EstimateRowsAsync(IReadOnlyList<MsqWorkerInput> inputs, CancellationToken cancellationToken)
    {
        if (inputs.Count == 0 || inputs.Any(i => i.Kind != "external" || i.Files.Count == 0))
        {
            return null;
        }

        long total = 0;
        foreach (var input in inputs)
        {
            var format = input.InputFormat?["type"]?.GetValue<string>()?.ToLowerInvariant() ?? "json";
            long? rows;
            try
            {
                rows = format == "parquet"
                    ? await ParquetInput.CountRowsAsync(_services.Sessions, input.Files.Select(f => new InputFile(f, f)).ToList(), cancellationToken)
                    : InputSize.EstimateRows(input.Files);
            }
            catch (IOException)
            {
                rows = null;
            }

            if (rows is null)
            {
                return null;
            }

            total += rows.Value;
        }

        return total;
    }

    /// <summary>The <c>multiStageQuery</c> report (druid-behaviour.md §4) and the task context.</summary>
    private JsonObject Report(string state)
    {
        var now = _services.Time.GetUtcNow();
        var status = new JsonObject { ["status"] = state };
        if (_fault is not null)
        {
            status["errorReport"] = new JsonObject { ["taskId"] = Id, ["host"] = "localhost", ["error"] = _fault.ToJson() };
        }

        status["startTime"] = DruidTime.Format(_startTime);
        status["durationMs"] = (long)(now - _startTime).TotalMilliseconds;
        status["workers"] = new JsonObject(_workers.OrderBy(w => w.Key).Select(w => new KeyValuePair<string, JsonNode?>(w.Key.ToString(),
            new JsonArray(new JsonObject { ["workerId"] = w.Value.TaskId, ["state"] = w.Value.State, ["durationMs"] = w.Value.DurationMs, ["pendingMs"] = 0 }))));
        status["pendingTasks"] = _pendingWorkers;
        status["runningTasks"] = state == "RUNNING" ? _runningWorkers + 1 : 0;

        var payload = new JsonObject();
        if (_results is not null)
        {
            payload["results"] = _results.DeepClone();
        }

        payload["status"] = status;
        payload["stages"] = new JsonArray(_stages.Select(s => (JsonNode)s.ToJson(now)).ToArray());
        var counters = new JsonObject();
        foreach (var stage in _stages)
        {
            if (stage.CountersJson() is { } c)
            {
                counters[stage.Number.ToString()] = c;
            }
        }

        payload["counters"] = counters;
        if (state == "RUNNING" && _estimatedRows is { } estimate)
        {
            payload[IngestionReport.EstimatedTotalRowsField] = estimate;
        }

        return new JsonObject
        {
            ["multiStageQuery"] = new JsonObject { ["type"] = "multiStageQuery", ["taskId"] = Id, ["payload"] = payload },
            ["taskContext"] = new JsonObject { ["type"] = "taskContext", ["taskId"] = Id, ["payload"] = Context.DeepClone() },
        };
    }

    private static async Task StopWorkersAsync(ITaskToolbox toolbox, IEnumerable<string> workerIds, string reason)
    {
        foreach (var id in workerIds)
        {
            await toolbox.ShutdownTaskAsync(id, reason, CancellationToken.None);
        }
    }

    /// <summary>Runs a statement; an engine error becomes the query's UnknownError fault.</summary>
    private static async Task ExecuteAsync(DuckDBConnection db, string sql, CancellationToken cancellationToken)
    {
        try
        {
            await db.ExecuteAsync(sql, cancellationToken);
        }
        catch (DuckDBException ex) when (!cancellationToken.IsCancellationRequested && !Engine.TaskBudget.IsOutOfMemory(ex))
        {
            throw MsqFault.FromEngineError(ex.Message);
        }
    }

    /// <summary>Builds controllers from their JSON (as submitted to POST /task or created by the SQL endpoint), planning the query again.</summary>
    public sealed class Factory(IngestionServices services, MsqPlanner planner) : ITaskFactory
    {
        public string Type => TypeName;

        public async ValueTask<ITask> CreateAsync(TaskSpec spec, CancellationToken cancellationToken)
        {
            var sql = spec.GetString("sqlQuery") ?? throw TaskSpec.Invalid("query_controller needs sqlQuery.");
            var context = spec.Json["sqlQueryContext"] as JsonObject ?? [];
            var plan = await planner.PlanForTaskAsync(sql, context, cancellationToken);
            return new MsqControllerTask(spec, plan, services);
        }
    }
}
