using System.Text.Json.Nodes;
using Dashboard.Core.Common;
using Dashboard.Core.Errors;
using Dashboard.Core.Ingestion.Engine;
using Dashboard.Core.Ingestion.Sources;
using Dashboard.Core.Ingestion.Spec;
using Dashboard.Core.Segments;
using Dashboard.Core.Tasks;

namespace Dashboard.Core.Ingestion;

/// <summary>
/// One worker of a parallel index_parallel task: ingests its share of the input files into the parent's staging
/// folder, under the parent's locks (same group id), and reports the segments it wrote. The parent publishes them.
/// </summary>
public sealed class SinglePhaseSubTask : AbstractTask
{
    public const string TypeName = "single_phase_sub_task";

    private readonly IngestionServices _services;
    private readonly IngestionSpec _ingestion;
    private readonly JsonObject _specJson;
    private readonly IReadOnlyList<string> _files;

    public SinglePhaseSubTask(TaskSpec spec, IngestionServices services)
        : base(spec, SpecJsonDataSource(spec), IndexParallelTask.DefaultPriority)
    {
        _services = services;
        _ingestion = IngestionSpec.Parse(spec.Json);
        _specJson = (JsonObject)spec.Json["spec"]!.DeepClone();
        SupervisorTaskId = spec.GetString("supervisorTaskId") ?? throw TaskSpec.Invalid("single_phase_sub_task needs supervisorTaskId.");
        SegmentVersion = spec.GetString("segmentVersion") ?? throw TaskSpec.Invalid("single_phase_sub_task needs segmentVersion.");
        _files = _ingestion.IoConfig.InputSource is LocalInputSourceSpec { BaseDir: null } local && local.Files.Count > 0
            ? local.Files
            : throw TaskSpec.Invalid("single_phase_sub_task reads a list of local files (spec.ioConfig.inputSource.files).");
        var parentWork = Path.GetFullPath(services.DeepStorage.WorkDirFor(SupervisorTaskId)) + Path.DirectorySeparatorChar;
        foreach (var file in _files.Where(f => !InputSourceRules.Resolve(f).StartsWith(parentWork, StringComparison.Ordinal)))
        {
            services.Rules.CheckLocal(file);
        }
    }

    public string SupervisorTaskId { get; }
    public string SegmentVersion { get; }

    protected override void WriteFields(JsonObject payload)
    {
        payload["supervisorTaskId"] = SupervisorTaskId;
        payload["segmentVersion"] = SegmentVersion;
        payload["spec"] = _specJson.DeepClone();
    }

    public override async Task<TaskRunResult> RunAsync(ITaskToolbox toolbox, CancellationToken cancellationToken)
    {
        var counters = new LiveRowStats();
        using var reporting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reporter = IndexParallelTask.ReportLiveAsync(Id, Context, _services.Time, toolbox, counters, reporting.Token);
        try
        {
            var files = _files.Select(f => new InputFile(InputSourceRules.Resolve(f), f)).ToList();
            var workDir = Directory.CreateDirectory(_services.DeepStorage.WorkDirFor(Id)).FullName;
            var job = IndexParallelTask.CreateJob(_services, Id, _ingestion, toolbox, files, SegmentVersion, counters, SupervisorTaskId, workDir,
                _services.DeepStorage.StagingDirFor(SupervisorTaskId), _ => []);
            var result = await _services.Engine.RunAsync(job, cancellationToken);
            await reporting.CancelAsync();
            await reporter;
            var pushed = new JsonArray(result.Segments.Select(s => (JsonNode)new JsonObject
            {
                ["segment"] = DruidJson.ToNode(s.Segment),
                ["stagedPath"] = s.StagedPath,
            }).ToArray());
            var report = IngestionReport.Build(Id, "COMPLETED", result.Stats, result.ParseExceptions, result.Failure, Context, pushed);
            return result.Failure is null ? TaskRunResult.Success(report) : TaskRunResult.Failure(result.Failure, report);
        }
        finally
        {
            await reporting.CancelAsync();
            await reporter;
        }
    }

    /// <summary>The subtask JSON a parent submits for its share of the files.</summary>
    internal static JsonObject SpecFor(IndexParallelTask parent, IReadOnlyList<InputFile> files, string version, int number)
    {
        var spec = (JsonObject)parent.Payload["spec"]!.DeepClone();
        var ioConfig = (JsonObject)spec["ioConfig"]!;
        ioConfig["inputSource"] = new JsonObject { ["type"] = "local", ["files"] = new JsonArray(files.Select(f => (JsonNode)f.Path).ToArray()) };
        var tuning = spec["tuningConfig"] as JsonObject ?? [];
        tuning["maxNumConcurrentSubTasks"] = 1;
        spec["tuningConfig"] = tuning;
        return new JsonObject
        {
            ["type"] = TypeName,
            ["id"] = $"{TypeName}_{parent.DataSource}_{TaskIds.RandomSuffix()}_{number}_{DruidTime.Format(DateTimeOffset.UtcNow)}",
            ["groupId"] = parent.Id,
            ["supervisorTaskId"] = parent.Id,
            ["segmentVersion"] = version,
            ["spec"] = spec,
            ["context"] = parent.Context.DeepClone(),
        };
    }

    /// <summary>The segments a complete subtask wrote, from its report.</summary>
    internal static IEnumerable<StagedSegment> PushedSegmentsOf(JsonObject? report) =>
        (report?[IngestionReport.Key]?["payload"]?["pushedSegments"] as JsonArray ?? []).OfType<JsonObject>().Select(p =>
            new StagedSegment(DruidJson.Deserialize<DataSegment>(p["segment"]!.ToJsonString())!, p["stagedPath"]!.GetValue<string>()));

    private static string SpecJsonDataSource(TaskSpec spec) =>
        spec.Json["spec"]?["dataSchema"]?["dataSource"]?.GetValue<string>() ?? throw DruidException.ErrorMap(400, "spec.dataSchema.dataSource is required.");

    public sealed class Factory(IngestionServices services) : ITaskFactory
    {
        public string Type => TypeName;

        public ValueTask<ITask> CreateAsync(TaskSpec spec, CancellationToken cancellationToken) => ValueTask.FromResult<ITask>(new SinglePhaseSubTask(spec, services));
    }
}
