using System.Net;
using System.Text.Json.Nodes;
using Dashboard.Core.Storage;
using Dashboard.Core.Tasks;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Tests.Api;

public class TaskListApiTests(ApiServer server) : ApiTestBase(server)
{
    [Fact]
    public async Task Tasks_CompleteNewestFirst_ThenActiveOldestFirst()
    {
        var ds = Unique("order");
        var c1 = await SubmitAsync($$"""{"type":"noop","runTime":0,"dataSource":"{{ds}}"}""");
        await WaitForStatusAsync(c1, "SUCCESS");
        var c2 = await SubmitAsync($$"""{"type":"noop","runTime":0,"dataSource":"{{ds}}"}""");
        await WaitForStatusAsync(c2, "SUCCESS");
        var a1 = await SubmitAsync($$"""{"type":"noop","runTime":600000,"dataSource":"{{ds}}"}""");
        var a2 = await SubmitAsync($$"""{"type":"noop","runTime":600000,"dataSource":"{{ds}}"}""");

        try
        {
            var tasks = await GetArrayAsync($"{V1}/tasks?datasource={ds}");
            Assert.Equal([c2, c1, a1, a2], Ids(tasks));
            Assert.Equal("NONE", tasks[0]!["runnerStatusCode"]!.GetValue<string>());
            Assert.Equal("1970-01-01T00:00:00.000Z", tasks[0]!["queueInsertionTime"]!.GetValue<string>());
        }
        finally
        {
            await Http.PostAsync($"{V1}/datasources/{ds}/shutdownAllTasks", null);
        }
    }

    [Theory]
    [InlineData("running")]
    [InlineData("RUNNING")]
    [InlineData("Running")]
    public async Task Tasks_StateIsCaseInsensitive(string state)
    {
        var ds = Unique("case");
        var id = await SubmitAsync($$"""{"type":"noop","runTime":600000,"dataSource":"{{ds}}"}""");
        try
        {
            await WaitForRunnerStateAsync(id, "RUNNING");
            Assert.Equal([id], Ids(await GetArrayAsync($"{V1}/tasks?state={state}&datasource={ds}")));
        }
        finally
        {
            await Http.PostAsync($"{V1}/task/{id}/shutdown", null);
        }
    }

    [Fact]
    public async Task Tasks_InvalidState_Is400PlainText()
    {
        var response = await Http.GetAsync($"{V1}/tasks?state=finished");
        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "text/plain",
            "Invalid task state[finished]. Must be one of [pending, waiting, running, complete].");
    }

    [Fact]
    public async Task Tasks_TypeAndDataSourceFilters_AreExact()
    {
        var ds = Unique("filter");
        var id = await SubmitAsync($$"""{"type":"noop","runTime":0,"dataSource":"{{ds}}"}""");
        await WaitForStatusAsync(id, "SUCCESS");

        Assert.Equal([id], Ids(await GetArrayAsync($"{V1}/tasks?datasource={ds}&type=noop")));
        Assert.Empty(await GetArrayAsync($"{V1}/tasks?datasource={ds}&type=NOOP"));
        Assert.Empty(await GetArrayAsync($"{V1}/tasks?datasource={ds.ToUpperInvariant()}"));
    }

    [Fact]
    public async Task Tasks_Max_LimitsCompleteTasks_OnlyWithStateComplete()
    {
        var ds = Unique("max");
        for (var i = 0; i < 3; i++)
        {
            await WaitForStatusAsync(await SubmitAsync($$"""{"type":"noop","runTime":0,"dataSource":"{{ds}}"}"""), "SUCCESS");
        }

        var active = await SubmitAsync($$"""{"type":"noop","runTime":600000,"dataSource":"{{ds}}"}""");
        try
        {
            Assert.Equal(2, (await GetArrayAsync($"{V1}/tasks?state=complete&max=2&datasource={ds}")).Count);
            Assert.Empty(await GetArrayAsync($"{V1}/tasks?state=complete&max=0&datasource={ds}"));
            Assert.Equal(4, (await GetArrayAsync($"{V1}/tasks?max=1&datasource={ds}")).Count);
            Assert.Single(await GetArrayAsync($"{V1}/tasks?state=running&max=0&datasource={ds}"));
        }
        finally
        {
            await Http.PostAsync($"{V1}/task/{active}/shutdown", null);
        }
    }

    [Fact]
    public async Task Tasks_NonIntegerMax_Is500WithJsonError()
    {
        var response = await Http.GetAsync($"{V1}/tasks?state=complete&max=ten");
        await AssertErrorAsync(response, HttpStatusCode.InternalServerError, "application/json", "max=[ten]");
    }

    [Fact]
    public async Task Tasks_CreatedTimeInterval_FiltersByTheIntervalItself()
    {
        var ds = Unique("created");
        var store = Server.Services.GetRequiredService<SqliteMetadataStore>();
        var old = DateTimeOffset.UtcNow.AddDays(-3);
        var oldId = Unique("old");
        await store.BulkInsertCompleteAsync([
            (new TaskRecord(oldId, oldId, "noop", ds, old, TaskStatus.Success(oldId, 10, TaskLocation.Unknown)), """{"type":"noop"}"""),
        ], default);
        var recent = await SubmitAsync($$"""{"type":"noop","runTime":0,"dataSource":"{{ds}}"}""");
        await WaitForStatusAsync(recent, "SUCCESS");

        Assert.Equal([recent], Ids(await GetArrayAsync($"{V1}/tasks?datasource={ds}")));
        var day = old.UtcDateTime.ToString("yyyy-MM-dd");
        var nextDay = old.UtcDateTime.AddDays(1).ToString("yyyy-MM-dd");
        Assert.Equal([oldId], Ids(await GetArrayAsync($"{V1}/tasks?datasource={ds}&createdTimeInterval={day}_{nextDay}")));
        Assert.Equal([oldId], Ids(await GetArrayAsync($"{V1}/tasks?datasource={ds}&createdTimeInterval={day}T00%3A00%3A00Z%2F{nextDay}T00%3A00%3A00Z")));
        Assert.Equal([recent, oldId], Ids(await GetArrayAsync($"{V1}/tasks?datasource={ds}&createdTimeInterval={day}_P7D")));
        Assert.Empty(await GetArrayAsync($"{V1}/tasks?datasource={ds}&createdTimeInterval=2015-09-12_2015-09-13"));
    }

    [Fact]
    public async Task Tasks_InvalidCreatedTimeInterval_Is500WithJsonError()
    {
        var response = await Http.GetAsync($"{V1}/tasks?createdTimeInterval=yesterday");
        await AssertErrorAsync(response, HttpStatusCode.InternalServerError, "application/json", "Invalid createdTimeInterval [yesterday]");
    }

    [Fact]
    public async Task Tasks_TrailingSlashAndDocsSampleQuery_Work()
    {
        var tasks = await GetArrayAsync(
            $"{V1}/tasks/?state=complete&datasource=wikipedia_api&createdTimeInterval=2015-09-12T00%3A00%3A00Z%2F2015-09-13T23%3A59%3A59Z&max=10&type=query_worker");
        Assert.Empty(tasks);
    }

    [Fact]
    public async Task AliasEndpoints_TakeTheDocsParameters()
    {
        var ds = Unique("alias");
        var done = await SubmitAsync($$"""{"type":"noop","runTime":0,"dataSource":"{{ds}}"}""");
        await WaitForStatusAsync(done, "SUCCESS");
        await WaitForStatusAsync(await SubmitAsync($$"""{"type":"noop","runTime":0,"dataSource":"{{ds}}"}"""), "SUCCESS");
        var running = await SubmitAsync($$"""{"type":"noop","runTime":600000,"dataSource":"{{ds}}"}""");
        try
        {
            await WaitForRunnerStateAsync(running, "RUNNING");
            Assert.Equal(2, (await GetArrayAsync($"{V1}/completeTasks?datasource={ds}")).Count);
            Assert.Single(await GetArrayAsync($"{V1}/completeTasks?datasource={ds}&max=1"));
            Assert.Single(await GetArrayAsync($"{V1}/completeTasks?datasource={ds}&n=1"));
            Assert.Equal([running], Ids(await GetArrayAsync($"{V1}/runningTasks?datasource={ds}&type=noop")));
            Assert.Empty(await GetArrayAsync($"{V1}/runningTasks?datasource={ds}&type=index"));
            Assert.Empty(await GetArrayAsync($"{V1}/waitingTasks?datasource={ds}"));
            Assert.Empty(await GetArrayAsync($"{V1}/pendingTasks?datasource={ds}"));
        }
        finally
        {
            await Http.PostAsync($"{V1}/task/{running}/shutdown", null);
        }
    }
}
