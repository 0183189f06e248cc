using System.Net.Http.Json;

namespace Dashboard.Tests.Api;

/// <summary>WAITING and PENDING as the API shows them (the server has two task slots).</summary>
public class QueueStateApiTests(ApiServer server) : ApiTestBase(server)
{
    [Fact]
    public async Task Tasks_ShowWaitingForLocks_AndPendingForSlots()
    {
        var ds = Unique("queue");
        const string chunk = "\"interval\":\"2015-09-12/2015-09-13\"";
        var holder = await SubmitAsync("{\"type\":\"noop\",\"runTime\":600000,\"dataSource\":\"" + ds + "\"," + chunk + "}");
        var waiter = await SubmitAsync("{\"type\":\"noop\",\"runTime\":0,\"dataSource\":\"" + ds + "\"," + chunk + "}");
        var second = await SubmitAsync($$"""{"type":"noop","runTime":600000,"dataSource":"{{ds}}"}""");
        var pending = await SubmitAsync($$"""{"type":"noop","runTime":0,"dataSource":"{{ds}}"}""");
        try
        {
            await WaitForRunnerStateAsync(holder, "RUNNING");
            await WaitForRunnerStateAsync(second, "RUNNING");

            var waiting = await GetArrayAsync($"{V1}/tasks?state=waiting&datasource={ds}");
            Assert.Equal([waiter], Ids(waiting));
            Assert.Equal("1970-01-01T00:00:00.000Z", waiting[0]!["queueInsertionTime"]!.GetValue<string>());
            Assert.Null(waiting[0]!["location"]!["host"]);
            Assert.Equal(-1, waiting[0]!["location"]!["port"]!.GetValue<int>());

            var pendingList = await GetArrayAsync($"{V1}/pendingTasks");
            Assert.Equal([pending], Ids(pendingList));
            Assert.NotEqual("1970-01-01T00:00:00.000Z", pendingList[0]!["queueInsertionTime"]!.GetValue<string>());
            Assert.Equal("RUNNING", pendingList[0]!["statusCode"]!.GetValue<string>());
            Assert.Equal(-1, pendingList[0]!["duration"]!.GetValue<long>());

            Assert.Equal([holder, second], Ids(await GetArrayAsync($"{V1}/tasks?state=running&datasource={ds}")));
            Assert.Equal([waiter], Ids(await GetArrayAsync($"{V1}/waitingTasks")));

            await Http.PostAsync($"{V1}/task/{second}/shutdown", null);
            await WaitForStatusAsync(pending, "SUCCESS");
            await Http.PostAsync($"{V1}/task/{holder}/shutdown", null);
            await WaitForStatusAsync(waiter, "SUCCESS");
        }
        finally
        {
            await Http.PostAsync($"{V1}/datasources/{ds}/shutdownAllTasks", null);
        }
    }

    [Fact]
    public async Task TotalWorkerCapacity_ReportsTheSlots()
    {
        var capacity = await Http.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>($"{V1}/totalWorkerCapacity");
        Assert.Equal(2, capacity!["currentClusterCapacity"]!.GetValue<int>());
        Assert.Equal(2, capacity["maximumCapacityWithAutoScale"]!.GetValue<int>());
        Assert.InRange(capacity["usedClusterCapacity"]!.GetValue<int>(), 0, 2);
    }
}
