using System.Text.Json.Nodes;
using Dashboard.Core.Common;
using Dashboard.Core.Ingestion;
using Dashboard.Core.Ingestion.Engine;
using Dashboard.Core.Ingestion.Sources;
using Dashboard.Core.Tasks;
using DuckDB.NET.Data;

namespace Dashboard.Core.Msq.Execution;

/// <summary>
/// A <c>query_worker</c>: reads its share of a query's inputs (external files or segment files) for stage 0, counting
/// rows as they flow, sets malformed rows aside as CannotParseExternalData warnings, and writes its rows for the
/// controller's next stage. Like Druid's workers it has no report of its own; its counters go to the controller.
/// </summary>
public sealed class MsqWorkerTask : AbstractTask
{
    public const string TypeName = "query_worker";

    private readonly IngestionServices _services;
    private readonly JsonObject _json;

    public MsqWorkerTask(TaskSpec spec, IngestionServices services)
        : base(spec, spec.GetString("dataSource") ?? "__query_select", defaultPriority: 0)
    {
        _services = services;
        _json = (JsonObject)spec.Json.DeepClone();
        ControllerTaskId = spec.GetString("controllerTaskId") ?? throw TaskSpec.Invalid("query_worker needs controllerTaskId.");
        WorkerNumber = (int)(spec.GetLong("workerNumber") ?? 0);
        MaxParseExceptions = spec.GetLong("maxParseExceptions") ?? 0;
        Inputs = (spec.Json["inputs"] as JsonArray ?? []).OfType<JsonObject>().Select(MsqWorkerInput.FromJson).ToList();
        var controllerWork = Path.GetFullPath(services.DeepStorage.WorkDirFor(ControllerTaskId)) + Path.DirectorySeparatorChar;
        var segmentsRoot = Path.GetFullPath(services.DeepStorage.SegmentsRoot) + Path.DirectorySeparatorChar;
        // Normalised first, so "<controller work>/../../metadata.db" is not taken for a file of the controller.
        foreach (var file in Inputs.SelectMany(i => i.Files).Where(f => Path.GetFullPath(f) is var full
                     && !full.StartsWith(controllerWork, StringComparison.Ordinal) && !full.StartsWith(segmentsRoot, StringComparison.Ordinal)))
        {
            services.Rules.CheckLocal(file);
        }
    }

    public string ControllerTaskId { get; }
    public int WorkerNumber { get; }
    public long MaxParseExceptions { get; }
    public IReadOnlyList<MsqWorkerInput> Inputs { get; }

    public string StageDir => Path.Combine(_services.DeepStorage.WorkDirFor(ControllerTaskId), "stage0");

    protected override void WriteFields(JsonObject payload)
    {
        foreach (var key in new[] { "controllerTaskId", "workerNumber", "maxParseExceptions", "inputs" })
        {
            payload[key] = _json[key]?.DeepClone();
        }
    }

    public override async Task<TaskRunResult> RunAsync(ITaskToolbox toolbox, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(StageDir);
        long rowsRead = 0, rowsWritten = 0, warnings = 0, bytesOut = 0;
        var bytesIn = Inputs.Sum(i => i.Files.Sum(f => i.Kind == "external" ? InputSize.UncompressedBytes(f) : new FileInfo(f).Length));
        var files = Inputs.Sum(i => i.Files.Count);
        var started = DateTimeOffset.UtcNow;
        string state = "RUNNING";
        async Task WriteCountersAsync()
        {
            var counters = new JsonObject
            {
                ["input0"] = MsqChannelCounters.Channel(Interlocked.Read(ref rowsRead), bytesIn, 0, files, files),
                ["output"] = MsqChannelCounters.Channel(rowsWritten, bytesOut, rowsWritten > 0 ? 1 : 0),
                ["shuffle"] = MsqChannelCounters.Channel(rowsWritten, bytesOut, rowsWritten > 0 ? 1 : 0),
            };
            if (warnings > 0)
            {
                counters["warnings"] = new JsonObject { ["type"] = "warnings", ["CannotParseExternalData"] = warnings };
            }

            var status = new JsonObject { ["state"] = state, ["startTime"] = DruidTime.Format(started), ["durationMs"] = (long)(DateTimeOffset.UtcNow - started).TotalMilliseconds, ["counters"] = counters };
            var path = MsqWorkerInput.CountersPath(StageDir, WorkerNumber);
            await File.WriteAllTextAsync(path + ".tmp", status.ToJsonString(), CancellationToken.None);
            File.Move(path + ".tmp", path, overwrite: true);
        }

        using var reporting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reporter = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
            try
            {
                while (await timer.WaitForNextTickAsync(reporting.Token))
                {
                    await WriteCountersAsync();
                }
            }
            catch (OperationCanceledException)
            {
            }
        }, CancellationToken.None);

        var scope = Scope();
        try
        {
            await using var db = await _services.Sessions.OpenAsync(scope, cancellationToken);
            long malformed = 0;
            // Counts every row as it streams past (the live input counter) and the malformed ones, and keeps the others:
            // the rows go straight from the reader into the intermediate file without being held in memory.
            db.RegisterScalarFunction<bool, bool>("__read_row", (readers, writer, n) =>
            {
                long bad = 0;
                for (ulong i = 0; i < n; i++)
                {
                    var isMalformed = readers[0].GetValue<bool>(i);
                    bad += isMalformed ? 1 : 0;
                    writer.WriteValue(!isMalformed, i);
                }

                Interlocked.Add(ref malformed, bad);
                Interlocked.Add(ref rowsRead, (long)n);
            }, new DuckDB.NET.Data.ScalarFunctionOptions { IsPureFunction = false });

            foreach (var input in Inputs)
            {
                var output = MsqWorkerInput.OutputPath(StageDir, input.View, WorkerNumber);
                var columns = string.Join(", ", input.Signature.Select(c => Sql.Name(c.Name)));
                var malformedSql = input.Kind == "external" && input.Signature.Count > 0
                    ? string.Join(" AND ", input.Signature.Select(c => $"{Sql.Name(c.Name)} IS NULL"))
                    : "false";
                var (readBefore, malformedBefore) = (Interlocked.Read(ref rowsRead), Interlocked.Read(ref malformed));
                // Intermediate rows are read once, moments later: fast snappy, not the small-but-slow zstd of segments.
                await db.ExecuteAsync($"COPY (SELECT {(columns.Length > 0 ? columns : "*")} FROM (SELECT * FROM {(IsParquet(input) ? await MsqParquetSource.SourceSqlAsync(db, input, cancellationToken) : SourceSql(input))}) WHERE __read_row(({malformedSql}))) " +
                                      $"TO {Sql.Literal(output)} (FORMAT parquet, COMPRESSION snappy)", cancellationToken);
                var bad = Interlocked.Read(ref malformed) - malformedBefore;
                warnings += bad;
                if (MaxParseExceptions >= 0 && warnings > MaxParseExceptions)
                {
                    File.Delete(output);
                    state = "FAILED";
                    await WriteCountersAsync();
                    var fault = MsqFault.TooManyWarnings("CannotParseExternalData", MaxParseExceptions);
                    await toolbox.LogAsync($"{fault.TaskErrorMessage}: {warnings} malformed rows in {string.Join(", ", input.Files)}.", cancellationToken);
                    return TaskRunResult.Failure(fault.TaskErrorMessage);
                }

                rowsWritten += Interlocked.Read(ref rowsRead) - readBefore - bad;
                bytesOut += new FileInfo(output).Length;
            }

            state = "SUCCESS";
            await toolbox.LogAsync($"Stage 0: read {rowsRead:N0} rows from {files} file(s), wrote {rowsWritten:N0} rows for the controller.", cancellationToken);
            return TaskRunResult.Success();
        }
        catch (DuckDBException ex) when (Engine.TaskBudget.IsOutOfMemory(ex) && !cancellationToken.IsCancellationRequested)
        {
            var fault = MsqFault.NotEnoughMemory(_services.Sessions.Budget, _services.Sessions.MemoryLimitMiB(scope), ex.Message);
            await toolbox.LogAsync(fault.TaskErrorMessage, CancellationToken.None);
            return TaskRunResult.Failure(fault.TaskErrorMessage);
        }
        finally
        {
            await reporting.CancelAsync();
            await reporter;
            if (state == "RUNNING")
            {
                state = cancellationToken.IsCancellationRequested ? "CANCELED" : "FAILED";
            }

            await WriteCountersAsync();
        }
    }

    /// <summary>What the worker's session may touch: its input files (checked at submission, or segment files) and the stage folder it writes.</summary>
    private Engine.DuckDbSessionScope Scope() => Engine.DuckDbSessionScope.ForTask("msq-worker") with
    {
        Files = Inputs.SelectMany(i => i.Files).ToList(),
        Directories = [StageDir],
        TempDirectory = Path.Combine(_services.DeepStorage.WorkDirFor(Id), "spill"),
        PreserveInsertionOrder = false,
    };

    private static bool IsParquet(MsqWorkerInput input) =>
        input.Kind == "external" && input.InputFormat?["type"]?.GetValue<string>()?.ToLowerInvariant() == "parquet";

    private static string SourceSql(MsqWorkerInput input)
    {
        var files = "[" + string.Join(", ", input.Files.Select(Sql.Literal)) + "]";
        if (input.Kind == "table")
        {
            return $"read_parquet({files})";
        }

        var format = input.InputFormat?["type"]?.GetValue<string>()?.ToLowerInvariant() ?? "json";
        var columns = "{" + string.Join(", ", input.Signature.Select(c => $"{Sql.Literal(c.Name)}: {Sql.Literal(MsqTypes.DuckDbTypeOf(c.Type))}")) + "}";
        if (format == "json")
        {
            return $"read_json({files}, format='newline_delimited', compression={Sql.Literal(InputSize.CompressionOf(input.Files, json: true))}, records='true', columns={columns}, ignore_errors=true, maximum_object_size=16777216)";
        }

        var header = input.InputFormat?["findColumnsFromHeader"]?.GetValue<bool>() ?? false;
        var skip = (input.InputFormat?["skipHeaderRows"]?.GetValue<int>() ?? 0) + (header ? 1 : 0);
        var delimiter = format == "tsv" ? input.InputFormat?["delimiter"]?.GetValue<string>() ?? "\t" : ",";
        return $"read_csv({files}, columns={columns}, header=false, compression={Sql.Literal(InputSize.CompressionOf(input.Files))}, skip={skip}, delim={Sql.Literal(delimiter)}, auto_detect=false, ignore_errors=true)";
    }

    public sealed class Factory(IngestionServices services) : ITaskFactory
    {
        public string Type => TypeName;

        public ValueTask<ITask> CreateAsync(TaskSpec spec, CancellationToken cancellationToken) => ValueTask.FromResult<ITask>(new MsqWorkerTask(spec, services));
    }
}
