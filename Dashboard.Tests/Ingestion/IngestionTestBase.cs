using System.Text.Json.Nodes;
using Dashboard.Core.Segments;
using Dashboard.Core.Tasks;
using Dashboard.Tests.Support;

namespace Dashboard.Tests.Ingestion;

/// <summary>An embedded overlord on a fresh data dir; inputs go under <c>&lt;data dir&gt;/input</c>, which ingestion may read.</summary>
public abstract class IngestionTestBase : IAsyncLifetime
{
    private readonly TempDataDir _dir = new();

    protected CoreHarness Overlord { get; private set; } = null!;

    protected string DataDir => _dir.Path;

    protected string Input(string name) => Path.Combine(_dir.Path, "input", name);

    protected virtual int WorkerCapacity => 4;

    /// <summary>The loopback test HTTP servers (TestHttpServer) serve on 127.0.0.1, which ingestion reads only when allowed by name.</summary>
    public virtual async Task InitializeAsync() => Overlord = await CoreHarness.StartAsync(_dir.Path, WorkerCapacity,
        new Dictionary<string, string?> { ["Ingestion:AllowedHttpHosts:0"] = "127.0.0.1" });

    public virtual async Task DisposeAsync()
    {
        await Overlord.DisposeAsync();
        _dir.Dispose();
    }

    /// <summary>Submits, waits for completion, and returns the status, the ingestion report payload and the published segments.</summary>
    protected async Task<(TaskStatusPlus Status, JsonObject Report, IReadOnlyList<DataSegment> Segments)> IngestAsync(string taskJson)
    {
        var id = await Overlord.SubmitAsync(taskJson);
        var status = await Eventually.WaitForAsync(() => Overlord.StatusAsync(id), s => s.StatusCode is TaskState.SUCCESS or TaskState.FAILED,
            TimeSpan.FromSeconds(60), $"{id} to complete");
        var report = await Overlord.Client.GetTaskReportsAsync(id, default);
        var segments = await Overlord.Client.GetTaskSegmentsAsync(id, default);
        return (status, report["ingestionStatsAndErrors"]!["payload"]!.AsObject(), segments);
    }

    protected static long Stat(JsonObject report, string name) => report["rowStats"]!["buildSegments"]![name]!.GetValue<long>();

    /// <summary>Files left in staging or task work folders (there must be none once tasks are complete).</summary>
    protected IEnumerable<string> Debris() =>
        new[] { "staging", "task-work" }.Select(d => Path.Combine(_dir.Path, d)).Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateFiles(d, "*", SearchOption.AllDirectories));
}
