using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Dashboard.Core.Engine;
using Dashboard.Tests.Support;
using DuckDB.NET.Data;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Tests.SqlQuery;

/// <summary>
/// A server with one small datasource, <c>edits</c>, ingested once: three rows on 2015-09-12 and one on 2015-09-13
/// (two DAY segments), and a recorder of the files each interactive query's sealed session may read.
/// </summary>
public sealed class SqlQueryServer : IAsyncLifetime
{
    public const string DataSource = "edits";

    private readonly TempDataDir _dir = new();

    public ServerFixture Server { get; private set; } = null!;

    public HttpClient Http => Server.Client;

    /// <summary>The <c>allowed_paths</c> of every interactive query session, newest last.</summary>
    public ConcurrentQueue<IReadOnlyList<string>> QuerySessions { get; } = new();

    public async Task InitializeAsync()
    {
        Server = new ServerFixture(_dir.Path, workerCapacity: 2, null, services => services.AddSingleton<IDuckDbSessionObserver>(new Recorder(QuerySessions)));
        var rows = string.Join("\n",
            """{"time":"2015-09-12T01:00:00Z","channel":"#en","page":"Alpha","added":10}""",
            """{"time":"2015-09-12T02:00:00Z","channel":"#en","page":"Beta, with comma","added":5}""",
            """{"time":"2015-09-12T03:00:00Z","channel":"#fr","page":"Gamma","added":7}""",
            """{"time":"2015-09-13T01:00:00Z","channel":"#fr","page":"Delta","added":1}""");
        var task = IngestionHelpers.IndexTask(DataSource, new JsonObject { ["type"] = "inline", ["data"] = rows }, IngestionHelpers.Json());
        var response = await Http.PostAsync("/druid/indexer/v1/task", new StringContent(task, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonObject>())!["task"]!.GetValue<string>();
        var status = await Eventually.WaitForAsync(async () => (await Http.GetFromJsonAsync<JsonObject>($"/druid/indexer/v1/task/{id}/status"))!["status"]!,
            s => s["statusCode"]!.GetValue<string>() != "RUNNING", TimeSpan.FromSeconds(60), "the edits ingestion");
        Assert.Equal("SUCCESS", status["statusCode"]!.GetValue<string>());
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        _dir.Dispose();
    }

    private sealed class Recorder(ConcurrentQueue<IReadOnlyList<string>> sessions) : IDuckDbSessionObserver
    {
        public Task SealedAsync(DuckDbSessionScope scope, DuckDBConnection session, CancellationToken cancellationToken)
        {
            if (scope.Purpose == "sql-query")
            {
                sessions.Enqueue(scope.Files);
            }

            return Task.CompletedTask;
        }
    }
}
