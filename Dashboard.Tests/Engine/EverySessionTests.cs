using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Dashboard.Core.Clients;
using Dashboard.Core.Engine;
using Dashboard.Core.Ingestion.Sampling;
using Dashboard.Core.Msq.Execution;
using Dashboard.Core.Tasks;
using Dashboard.Tests.Support;
using DuckDB.NET.Data;
using Microsoft.Extensions.DependencyInjection;
using static Dashboard.Tests.Support.IngestionHelpers;

namespace Dashboard.Tests.Engine;

/// <summary>
/// Every DuckDB session the server opens (native ingestion, MSQ planner, controller and worker, sampler, coordinator
/// schema reads) is sealed: its settings are read back from DuckDB as the caller gets it, and no other code in
/// Dashboard.Core can open a connection.
/// </summary>
public sealed class EverySessionTests : IAsyncLifetime
{
    private readonly TempDataDir _dir = new();
    private readonly SettingsRecorder _recorder = new();
    private CoreHarness _overlord = null!;

    public async Task InitializeAsync() =>
        _overlord = await CoreHarness.StartAsync(_dir.Path, 4, new Dictionary<string, string?> { ["Overlord:TaskMemory"] = "300", ["Overlord:TaskThreads"] = "1" },
            services => services.AddSingleton<IDuckDbSessionObserver>(_recorder));

    public async Task DisposeAsync()
    {
        await _overlord.DisposeAsync();
        _dir.Dispose();
    }

    private async Task<TaskStatusPlus> CompleteAsync(string id) =>
        await Eventually.WaitForAsync(() => _overlord.StatusAsync(id), s => s.StatusCode is TaskState.SUCCESS or TaskState.FAILED, TimeSpan.FromSeconds(60), $"{id} to complete");

    [Fact]
    public async Task EverySessionKind_ReadsBackExtensionsOffExternalAccessOffLockedAndTheBudget()
    {
        var input = WriteLines(Path.Combine(_dir.Path, "input", "rows.json"),
            Enumerable.Range(0, 50).Select(i => $"{{\"time\":\"2024-01-01T00:{i % 60:00}:00Z\",\"page\":\"p{i}\",\"added\":{i}}}"));
        var ingest = await CompleteAsync(await _overlord.SubmitAsync(IndexTask("wiki", LocalFiles(input), Json())));
        Assert.Equal(TaskState.SUCCESS, ingest.StatusCode);
        Assert.NotEmpty(await _overlord.Get<ICoordinatorClient>().GetSchemaAsync("wiki", default));

        var extern_ = $$"""TABLE(EXTERN('{"type":"local","files":["{{input}}"]}', '{"type":"json"}')) EXTEND ("time" VARCHAR, page VARCHAR, added BIGINT)""";
        foreach (var sql in new[]
                 {
                     $"INSERT INTO wiki2 SELECT TIME_PARSE(\"time\") AS __time, page, added FROM {extern_} PARTITIONED BY DAY",
                     "SELECT page, added FROM wiki ORDER BY added LIMIT 3",
                 })
        {
            var submission = await _overlord.Get<MsqSubmitter>().SubmitAsync(new SqlTaskRequest(sql, new JsonObject { ["maxNumTasks"] = 2 }), default);
            Assert.Equal(TaskState.SUCCESS, (await CompleteAsync(submission.Status!.TaskId)).StatusCode);
        }

        // The segment itself is the server's own file, which ingestion may not read: the sampler reads a copy.
        var segment = (await _overlord.Client.GetTaskSegmentsAsync(ingest.Id, default))[0].LoadSpec["path"]!.GetValue<string>();
        var parquet = Path.Combine(_dir.Path, "input", "rows.parquet");
        File.Copy(segment, parquet);
        await _overlord.Get<InputSampler>().SampleAsync(SamplerSpec.Parse(SamplerSpec.Request(LocalFiles(parquet), null)), default);

        Assert.Equal(["coordinator-schema", "ingestion", "msq-controller", "msq-planner", "msq-worker", "sampler"], _recorder.Seen.Keys.Order());
        Assert.All(_recorder.Seen, kind =>
        {
            Assert.Equal(SessionSettings.Sealed, kind.Value.Where(s => SessionSettings.Sealed.ContainsKey(s.Key)).ToDictionary());
            Assert.Equal("1", kind.Value["threads"]);
            Assert.Equal(kind.Key is "ingestion" or "msq-controller" or "msq-worker" ? "300.0 MiB" : "256.0 MiB", kind.Value["memory_limit"]);
        });
        Assert.StartsWith(Path.Combine(_dir.Path, "task-work"), _recorder.Seen["ingestion"]["temp_directory"]);
        Assert.StartsWith(Path.Combine(_dir.Path, "task-work"), _recorder.Seen["msq-worker"]["temp_directory"]);
    }

    [Fact]
    public void DashboardCore_OpensDuckDbConnectionsOnlyInTheSessionFactory()
    {
        var core = Path.Combine(FindRepoRoot(), "Dashboard.Core");
        var opening = Directory.EnumerateFiles(core, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .Where(f => File.ReadAllText(f).Contains("new DuckDBConnection(", StringComparison.Ordinal) || File.ReadAllText(f).Contains("new DuckDB.NET.Data.DuckDBConnection(", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(core, f))
            .ToList();

        Assert.Equal([Path.Combine("Engine", "DuckDbSessionFactory.cs")], opening);
    }

    /// <summary>Reads each session's settings right after it is sealed, by purpose.</summary>
    private sealed class SettingsRecorder : IDuckDbSessionObserver
    {
        public ConcurrentDictionary<string, Dictionary<string, string>> Seen { get; } = new();

        public async Task SealedAsync(DuckDbSessionScope scope, DuckDBConnection session, CancellationToken cancellationToken) =>
            Seen[scope.Purpose] = await SessionSettings.ReadAsync(session);
    }
}
