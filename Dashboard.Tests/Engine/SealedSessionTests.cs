using System.Net;
using System.Net.Sockets;
using Dashboard.Core.Engine;
using Dashboard.Core.Ingestion;
using Dashboard.Core.Ingestion.Engine;
using Dashboard.Core.Overlord;
using Dashboard.Core.Storage;
using Dashboard.Tests.Support;
using DuckDB.NET.Data;
using Microsoft.Extensions.Options;

namespace Dashboard.Tests.Engine;

/// <summary>What a sealed DuckDB session can and cannot do: only registered files and folders, no extensions, no network, no setting changes.</summary>
public sealed class SealedSessionTests : IDisposable
{
    private readonly TempDataDir _dir = new();
    private readonly DataDirectory _data;
    private readonly DuckDbSessionFactory _sessions;

    public SealedSessionTests()
    {
        _data = new DataDirectory(Options.Create(new OverlordOptions { DataDir = _dir.Path }));
        _sessions = new DuckDbSessionFactory(new TaskBudget(new OverlordOptions { TaskMemory = 300, TaskThreads = 2, WorkerCapacity = 2 }, new IngestionOptions(), 8192), _data);
    }

    public void Dispose()
    {
        _data.Dispose();
        _dir.Dispose();
    }

    private string Folder(string name) => Directory.CreateDirectory(Path.Combine(_dir.Path, name)).FullName;

    [Theory]
    [InlineData(DuckDbSessionKind.Task, "300.0 MiB")]
    [InlineData(DuckDbSessionKind.Auxiliary, "256.0 MiB")]
    public async Task OpenAsync_AnyKind_ReadsBackExtensionsOffExternalAccessOffAndLocked(DuckDbSessionKind kind, string memory)
    {
        await using var db = await _sessions.OpenAsync(new DuckDbSessionScope(kind, "test"), default);

        var settings = await SessionSettings.ReadAsync(db);

        Assert.Equal(SessionSettings.Sealed, settings.Where(s => SessionSettings.Sealed.ContainsKey(s.Key)).ToDictionary());
        Assert.Equal(memory, settings["memory_limit"]);
        Assert.Equal("2", settings["threads"]);
        Assert.Equal(Path.Combine(_dir.Path, "tmp"), settings["temp_directory"]);
    }

    [Fact]
    public async Task SealedSession_ReadsAFileNotRegistered_Fails()
    {
        await using var db = await _sessions.OpenAsync(DuckDbSessionScope.ForTask("test"), default);

        var error = await Assert.ThrowsAsync<DuckDBException>(() => db.ScalarLongAsync("SELECT count(*) FROM read_text('/etc/hostname')", default));

        Assert.Contains("Permission Error", error.Message);
    }

    [Theory]
    [InlineData("SET enable_external_access=true")]
    [InlineData("SET lock_configuration=false")]
    [InlineData("SET memory_limit='100GiB'")]
    [InlineData("SET autoload_known_extensions=true")]
    [InlineData("RESET allowed_directories")]
    public async Task SealedSession_ChangesASetting_Fails(string statement)
    {
        await using var db = await _sessions.OpenAsync(DuckDbSessionScope.ForTask("test"), default);

        var error = await Assert.ThrowsAsync<DuckDBException>(() => db.ExecuteAsync(statement, default));

        Assert.Contains("the configuration has been locked", error.Message);
    }

    [Fact]
    public async Task SealedSession_RegisteredFilesAndFolders_ReadJsonCsvParquetAndCopyIntoTheFolder()
    {
        var input = IngestionHelpers.WriteLines(Path.Combine(Folder("input"), "rows.json"), ["{\"a\":1}", "{\"a\":2}"]);
        var csv = IngestionHelpers.WriteLines(Path.Combine(Folder("input"), "rows.csv"), ["a", "3"]);
        var staging = Folder("staging");
        await using var db = await _sessions.OpenAsync(DuckDbSessionScope.ForTask("test") with { Files = [input, csv], Directories = [staging] }, default);

        var staged = Path.Combine(staging, "x.parquet");
        await db.ExecuteAsync($"COPY (SELECT a FROM read_json({Sql.Literal(input)}) UNION ALL SELECT a FROM read_csv({Sql.Literal(csv)})) TO {Sql.Literal(staged)} (FORMAT parquet)", default);

        Assert.Equal(6, await db.ScalarLongAsync($"SELECT sum(a)::BIGINT FROM read_parquet({Sql.Literal(staged)})", default));
        Assert.Equal(1, await db.ScalarLongAsync("SELECT json_extract('{\"b\":1}', '$.b')::BIGINT", default));
    }

    [Fact]
    public async Task SealedSession_WritesBesideTheRegisteredFolder_Fails()
    {
        var staging = Folder("staging");
        await using var db = await _sessions.OpenAsync(DuckDbSessionScope.ForTask("test") with { Directories = [staging] }, default);

        var error = await Assert.ThrowsAsync<DuckDBException>(() =>
            db.ExecuteAsync($"COPY (SELECT 1 AS x) TO {Sql.Literal(staging + "-other/x.parquet")} (FORMAT parquet)", default));
        var escape = await Assert.ThrowsAsync<DuckDBException>(() =>
            db.ExecuteAsync($"COPY (SELECT 1 AS x) TO {Sql.Literal(Path.Combine(staging, "..", "x.parquet"))} (FORMAT parquet)", default));

        Assert.Contains("Permission Error", error.Message);
        Assert.Contains("Permission Error", escape.Message);
        Assert.False(File.Exists(Path.Combine(_dir.Path, "x.parquet")));
    }

    [Fact]
    public async Task SealedSession_NetworkAndExtensionStatements_AllFailAndNoConnectionIsMade()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var accepted = 0;
        using var stop = new CancellationTokenSource();
        var accepting = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    using var client = await listener.AcceptTcpClientAsync(stop.Token);
                    Interlocked.Increment(ref accepted);
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
        string[] statements =
        [
            $"SELECT * FROM read_text('http://127.0.0.1:{port}/x')",
            $"SELECT * FROM read_csv('http://127.0.0.1:{port}/x.csv')",
            $"SELECT * FROM read_json('http://127.0.0.1:{port}/x.json')",
            $"SELECT * FROM read_parquet('http://127.0.0.1:{port}/x.parquet')",
            "INSTALL httpfs",
            $"INSTALL httpfs FROM 'http://127.0.0.1:{port}'",
            "LOAD httpfs",
            $"SELECT * FROM sqlite_scan('{Path.Combine(_dir.Path, "x.db")}', 't')",
            $"ATTACH 'http://127.0.0.1:{port}/x.db'",
        ];

        await using var db = await _sessions.OpenAsync(DuckDbSessionScope.ForTask("test"), default);
        var failures = new List<string>();
        foreach (var statement in statements)
        {
            var error = await Record.ExceptionAsync(() => db.ExecuteAsync(statement, default));
            failures.Add(error is DuckDBException ? statement : $"DID NOT FAIL: {statement}");
        }

        await Task.Delay(200);
        await stop.CancelAsync();
        listener.Stop();
        await accepting;
        Assert.Equal(statements, failures);
        Assert.Equal(0, accepted);
    }
}
