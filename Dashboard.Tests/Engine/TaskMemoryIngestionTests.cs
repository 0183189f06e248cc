using System.Globalization;
using Dashboard.Core.Tasks;
using Dashboard.Tests.Support;
using DuckDB.NET.Data;
using static Dashboard.Tests.Support.IngestionHelpers;

namespace Dashboard.Tests.Engine;

/// <summary>Runs alone: it reads the whole process's memory while large ingestions run.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryCollection
{
    public const string Name = "Process memory";
}

/// <summary>Large native ingestions under a small configured Overlord:TaskMemory: they spill instead of growing the process.</summary>
[Collection(MemoryCollection.Name)]
public sealed class TaskMemoryIngestionTests : IDisposable
{
    private const int TaskMemoryMiB = 300;
    // The runtime, DuckDB's allocations outside its buffer manager (readers, per-thread state) and allocator slack. Measured
    // here: about 800 MiB of growth at 300 MiB per task, 2,300 MiB at 4,000 MiB per task.
    private const int MarginMiB = 500;
    private readonly TempDataDir _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>Writes <paramref name="rows"/> JSON lines with a distinct page each, with DuckDB, into the test's folder.</summary>
    private async Task<string> GenerateAsync(string name, int rows)
    {
        var path = Path.Combine(_dir.Path, "input", name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await using var db = new DuckDBConnection("DataSource=:memory:");
        await db.OpenAsync();
        await using var command = db.CreateCommand();
        command.CommandText = "COPY (SELECT strftime(TIMESTAMP '2015-09-12' + to_seconds(range % 172800), '%Y-%m-%dT%H:%M:%SZ') AS \"time\", " +
                              $"md5(range::VARCHAR) AS page, repeat(md5((range * 7)::VARCHAR), 4) AS comment, repeat(md5((range * 3)::VARCHAR), 4) AS summary, range % 1000 AS added " +
                              $"FROM range({rows})) TO '{path}' (FORMAT json)";
        await command.ExecuteNonQueryAsync();
        return path;
    }

    private static long StatusKiB(string field) =>
        long.Parse(File.ReadAllLines("/proc/self/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);

    private static async Task<TaskStatusPlus> CompleteAsync(CoreHarness overlord, string id) =>
        await Eventually.WaitForAsync(() => overlord.StatusAsync(id), s => s.StatusCode is TaskState.SUCCESS or TaskState.FAILED, TimeSpan.FromMinutes(4), $"{id} to complete");

    [Fact]
    public async Task TwoLargeIngestionsAtOnce_UnderA300MiBTaskMemory_BothSucceed_AndTheProcessGrowsLessThanTheTotalPlusAMargin()
    {
        var input = await GenerateAsync("large.json", 1_500_000);
        await using var overlord = await CoreHarness.StartAsync(_dir.Path, 2, new Dictionary<string, string?> { ["Overlord:TaskMemory"] = TaskMemoryMiB.ToString() });
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var before = StatusKiB("VmRSS");
        long peak = before;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, StatusKiB("VmRSS"));
                await Task.Delay(50);
            }
        });

        var ids = await Task.WhenAll(new[] { "large_a", "large_b" }.Select(ds => overlord.SubmitAsync(IndexTask(ds, LocalFiles(input), Json(), spec =>
            spec["tuningConfig"]!["maxRowsInMemory"] = 100_000_000))));
        var statuses = await Task.WhenAll(ids.Select(id => CompleteAsync(overlord, id)));
        await sampling.CancelAsync();
        await sampler;

        Assert.All(statuses, s => Assert.True(s.StatusCode == TaskState.SUCCESS, s.ErrorMsg));
        var growthMiB = (peak - before) / 1024;
        Assert.True(growthMiB < 2 * TaskMemoryMiB + MarginMiB, $"the process grew by {growthMiB} MiB (budget {2 * TaskMemoryMiB} MiB + {MarginMiB} MiB margin)");
        Console.WriteLine($"Two concurrent 1.5 M-row ingestions at Overlord:TaskMemory={TaskMemoryMiB}: RSS grew by {growthMiB} MiB (VmHWM {StatusKiB("VmHWM") / 1024} MiB).");
    }

    [Fact]
    public async Task IngestionOverItsTaskMemory_FailsNamingTheBudgetAndTheKey_InsteadOfGrowing()
    {
        var input = await GenerateAsync("over.json", 1_500_000);
        await using var overlord = await CoreHarness.StartAsync(_dir.Path, 2, new Dictionary<string, string?> { ["Overlord:TaskMemory"] = "8" });

        var status = await CompleteAsync(overlord, await overlord.SubmitAsync(IndexTask("over", LocalFiles(input), Json())));

        Assert.Equal(TaskState.FAILED, status.StatusCode);
        var report = await overlord.Client.GetTaskReportsAsync(status.Id, default);
        var message = report["ingestionStatsAndErrors"]!["payload"]!["errorMsg"]!.GetValue<string>();
        Assert.StartsWith("The task went over its memory budget of 8 MiB (Overlord:TaskMemory; maxRowsInMemory may lower it) and stopped instead of growing: Out of Memory Error", message);
        Assert.Contains("Raise Overlord:TaskMemory (now 8 MiB for each of 2 slots)", message);
    }

    [Fact]
    public async Task SqlIngestionOverItsTaskMemory_FailsWithDruidsNotEnoughMemoryFault_NamingTheKey()
    {
        var input = await GenerateAsync("over-sql.json", 1_500_000);
        await using var overlord = await CoreHarness.StartAsync(_dir.Path, 2, new Dictionary<string, string?> { ["Overlord:TaskMemory"] = "8" });
        var source = $$"""TABLE(EXTERN('{"type":"local","files":["{{input}}"]}', '{"type":"json"}')) EXTEND ("time" VARCHAR, page VARCHAR, comment VARCHAR, summary VARCHAR, added BIGINT)""";
        var sql = $"INSERT INTO over_sql SELECT TIME_PARSE(\"time\") AS __time, page, comment, summary, added FROM {source} PARTITIONED BY DAY CLUSTERED BY comment";

        var submission = await overlord.Get<Dashboard.Core.Msq.Execution.MsqSubmitter>().SubmitAsync(
            new Dashboard.Core.Clients.SqlTaskRequest(sql, new System.Text.Json.Nodes.JsonObject { ["maxNumTasks"] = 2 }), default);
        var status = await CompleteAsync(overlord, submission.Status!.TaskId);

        Assert.Equal(TaskState.FAILED, status.StatusCode);
        Assert.StartsWith("NotEnoughMemory: ", status.ErrorMsg);
        var error = (await overlord.Client.GetTaskReportsAsync(status.Id, default))["multiStageQuery"]!["payload"]!["status"]!["errorReport"]!["error"]!;
        Assert.Equal("NotEnoughMemory", error["errorCode"]!.GetValue<string>());
        Assert.Equal(8L * 1048576, error["usableMemory"]!.GetValue<long>());
        Assert.Equal(2, error["serverWorkers"]!.GetValue<int>());
        Assert.Contains("memory budget of 8 MiB (Overlord:TaskMemory", error["errorMessage"]!.GetValue<string>());
    }
}
