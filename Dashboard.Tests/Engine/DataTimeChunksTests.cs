using Dashboard.Core.Tasks;
using Dashboard.Tests.Support;
using static Dashboard.Tests.Support.IngestionHelpers;

namespace Dashboard.Tests.Engine;

/// <summary>A native ingestion without declared intervals whose rows fall in more chunks than Overlord:MaxTimeChunks fails before locking or writing.</summary>
public sealed class DataTimeChunksTests : IAsyncLifetime
{
    private readonly TempDataDir _dir = new();
    private CoreHarness _overlord = null!;

    public async Task InitializeAsync() =>
        _overlord = await CoreHarness.StartAsync(_dir.Path, 2, new Dictionary<string, string?> { ["Overlord:MaxTimeChunks"] = "10" });

    public async Task DisposeAsync()
    {
        await _overlord.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task RowsInMoreChunksThanTheLimit_FailNamingTheLimitAndTheKey_AndPublishNothing()
    {
        var input = WriteLines(Path.Combine(_dir.Path, "input", "hours.json"), Enumerable.Range(0, 24).Select(h => $"{{\"time\":\"2015-09-12T{h:00}:00:00Z\",\"page\":\"p\"}}"));
        var task = IndexTask("hours", LocalFiles(input), Json(), spec => spec["dataSchema"]!["granularitySpec"]!["segmentGranularity"] = "hour");

        var id = await _overlord.SubmitAsync(task);
        var status = await Eventually.WaitForAsync(() => _overlord.StatusAsync(id), s => s.StatusCode is TaskState.SUCCESS or TaskState.FAILED, TimeSpan.FromSeconds(60), $"{id} to complete");

        Assert.Equal(TaskState.FAILED, status.StatusCode);
        var report = await _overlord.Client.GetTaskReportsAsync(id, default);
        Assert.Equal("The rows fall in more than 10 time chunks at segmentGranularity [hour] (Overlord:MaxTimeChunks); nothing was written. " +
                     "Use a coarser segmentGranularity, filter the rows, or raise Overlord:MaxTimeChunks.",
            report["ingestionStatsAndErrors"]!["payload"]!["errorMsg"]!.GetValue<string>());
        Assert.Empty(await _overlord.Client.GetTaskSegmentsAsync(id, default));
    }
}
