using System.Text;
using Dashboard.Core.Clients;
using Dashboard.Core.Tasks;
using Dashboard.Tests.Support;

namespace Dashboard.Tests.Core;

public sealed class RestartTests : IDisposable
{
    private readonly TempDataDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Restart_KeepsEveryTask_Status_Report_AndLog_AndFailsTasksThatWereActive()
    {
        await using (var before = await CoreHarness.StartAsync(_dir.Path))
        {
            await before.SubmitAsync("""{"type":"noop","id":"done","runTime":0,"context":{"tag":"kept"}}""");
            await before.WaitForAsync("done", "SUCCESS");
            await before.SubmitAsync("""{"type":"controlled","id":"failed"}""");
            await before.WaitForAsync("failed", "RUNNING");
            before.Controlled.Fail("failed", "bad input file");
            await before.WaitForAsync("failed", "FAILED");
            await before.SubmitAsync("""{"type":"noop","id":"running","runTime":600000}""");
            await before.WaitForAsync("running", "RUNNING");
        }

        await using var after = await CoreHarness.StartAsync(_dir.Path);

        Assert.Equal(TaskState.SUCCESS, (await after.StatusAsync("done")).StatusCode);
        Assert.Equal("bad input file", (await after.StatusAsync("failed")).ErrorMsg);
        var stopped = await after.StatusAsync("running");
        Assert.Equal(TaskState.FAILED, stopped.StatusCode);
        Assert.Equal(TaskMessages.OverlordShutdown, stopped.ErrorMsg);
        Assert.Equal("kept", (await after.Client.GetTaskPayloadAsync("done", default))["context"]!["tag"]!.GetValue<string>());
        Assert.Equal("kept", (await after.Client.GetTaskReportsAsync("done", default))["taskContext"]!["payload"]!["tag"]!.GetValue<string>());
        Assert.Contains("SUCCESS", Encoding.UTF8.GetString(await after.Client.GetTaskLogAsync("done", 0, default)));
        var all = await after.Client.GetTasksAsync(new TaskListQuery(), default);
        Assert.Equal(["running", "failed", "done"], all.Select(t => t.Id));
    }

    [Fact]
    public async Task Restart_AfterCrash_TasksThatWereActive_EndFailedWithAMessageThatSaysSo()
    {
        var crashed = await CoreHarness.StartAsync(_dir.Path);
        await crashed.SubmitAsync("""{"type":"controlled","id":"orphan"}""");
        await crashed.WaitForAsync("orphan", "RUNNING");
        await crashed.SimulateCrashAsync();

        await using var after = await CoreHarness.StartAsync(_dir.Path);

        var status = await after.StatusAsync("orphan");
        Assert.Equal(TaskState.FAILED, status.StatusCode);
        Assert.Equal(TaskMessages.OverlordRestarted, status.ErrorMsg);
        Assert.Contains("Overlord restarted", Encoding.UTF8.GetString(await after.Client.GetTaskLogAsync("orphan", 0, default)));
    }

    [Fact]
    public async Task SecondOverlord_OnTheSameDataDir_RefusesToStart_AndLeavesTheFirstAlone()
    {
        await using var first = await CoreHarness.StartAsync(_dir.Path);
        await first.SubmitAsync("""{"type":"controlled","id":"mine"}""");

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => CoreHarness.StartAsync(_dir.Path));

        Assert.Contains("Another overlord process is using the data dir", ex.Message);
        Assert.Equal("RUNNING", (await first.StatusAsync("mine")).DisplayStatus);
    }
}
