using System.Net;
using System.Text.Json.Nodes;
using Dashboard.Tests.Support;

namespace Dashboard.Tests.Api;

/// <summary>Druid's worker endpoints in embedded mode: this server is its one worker.</summary>
public class WorkersApiTests(ApiServer server) : ApiTestBase(server)
{
    private async Task<JsonObject> WorkerAsync() => Assert.Single(await GetArrayAsync($"{V1}/workers"))!.AsObject();

    [Fact]
    public async Task Workers_Embedded_ListThisServerAsOneWorker_InDruidsShape()
    {
        var worker = await WorkerAsync();

        Assert.Equal(["worker", "currCapacityUsed", "currParallelIndexCapacityUsed", "availabilityGroups", "runningTasks", "lastCompletedTaskTime", "blacklistedUntil"],
            worker.Select(p => p.Key));
        var w = worker["worker"]!.AsObject();
        Assert.Equal(["scheme", "host", "ip", "capacity", "version", "category"], w.Select(p => p.Key));
        Assert.Equal("http", w["scheme"]!.GetValue<string>());
        Assert.Equal($"localhost:{Server.BaseAddress.Port}", w["host"]!.GetValue<string>());
        Assert.Equal(2, w["capacity"]!.GetValue<int>());
        Assert.Equal("0", w["version"]!.GetValue<string>());
        Assert.Equal("_default_worker_category", w["category"]!.GetValue<string>());
        Assert.Null(worker["blacklistedUntil"]);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", worker["lastCompletedTaskTime"]!.GetValue<string>());
    }

    [Fact]
    public async Task Workers_WhileATaskRuns_ListItAndCountItsSlot_AndLastCompletedTaskTimeMovesWhenItEnds()
    {
        var before = DateTimeOffset.Parse((await WorkerAsync())["lastCompletedTaskTime"]!.GetValue<string>());
        var id = await SubmitAsync("""{"type":"noop","runTime":600000}""");
        await WaitForRunnerStateAsync(id, "RUNNING");

        var running = await WorkerAsync();
        Assert.Contains(id, running["runningTasks"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Contains(id, running["availabilityGroups"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.InRange(running["currCapacityUsed"]!.GetValue<int>(), 1, 2);

        await PostJsonAsync($"{V1}/task/{id}/shutdown", "{}");
        var after = await Eventually.WaitForAsync(WorkerAsync, w => w["runningTasks"]!.AsArray().All(t => t!.GetValue<string>() != id), what: "the task to leave the worker");
        Assert.True(DateTimeOffset.Parse(after["lastCompletedTaskTime"]!.GetValue<string>()) > before);
    }

    [Fact]
    public async Task Scaling_WithoutAutoscaler_Is200WithAnEmptyBody()
    {
        var response = await Http.GetAsync($"{V1}/scaling");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
    }
}
