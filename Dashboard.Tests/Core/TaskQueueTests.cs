using Dashboard.Core.Clients;
using Dashboard.Core.Errors;
using Dashboard.Core.Tasks;
using Dashboard.Tests.Support;

namespace Dashboard.Tests.Core;

public sealed class TaskQueueTests : IDisposable
{
    private readonly TempDataDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Submit_NoFreeSlot_TaskIsPendingUntilASlotFrees()
    {
        await using var overlord = await CoreHarness.StartAsync(_dir.Path, workerCapacity: 1);
        var first = await overlord.SubmitAsync("""{"type":"controlled","id":"first"}""");
        var second = await overlord.SubmitAsync("""{"type":"controlled","id":"second"}""");

        await overlord.WaitForAsync(first, "RUNNING");
        var pending = await overlord.Client.GetTasksAsync(new TaskListQuery(TaskListState.Pending), default);
        var entry = Assert.Single(pending);
        Assert.Equal(second, entry.Id);
        Assert.NotEqual(Dashboard.Core.Common.DruidTime.Epoch, entry.QueueInsertionTime);
        Assert.True(entry.Location.IsUnknown);

        overlord.Controlled.Succeed(first);

        await overlord.WaitForAsync(second, "RUNNING");
        Assert.Equal(TaskState.SUCCESS, (await overlord.StatusAsync(first)).StatusCode);
    }

    [Fact]
    public async Task Submit_LockConflict_TaskWaitsUntilTheLockIsReleased()
    {
        await using var overlord = await CoreHarness.StartAsync(_dir.Path, workerCapacity: 4);
        var holder = await overlord.SubmitAsync("""{"type":"controlled","id":"holder","dataSource":"wiki","interval":"2015-09-12/2015-09-13"}""");
        var waiter = await overlord.SubmitAsync("""{"type":"controlled","id":"waiter","dataSource":"wiki","interval":"2015-09-12T06:00:00Z/2015-09-12T07:00:00Z"}""");
        var other = await overlord.SubmitAsync("""{"type":"controlled","id":"other","dataSource":"wiki","interval":"2015-09-13/2015-09-14"}""");

        await overlord.WaitForAsync(holder, "RUNNING");
        await overlord.WaitForAsync(other, "RUNNING");
        var waiting = await overlord.Client.GetTasksAsync(new TaskListQuery(TaskListState.Waiting), default);
        Assert.Equal([waiter], waiting.Select(t => t.Id));
        Assert.Equal(Dashboard.Core.Common.DruidTime.Epoch, waiting[0].QueueInsertionTime);
        Assert.False(overlord.Controlled.HasStarted(waiter));

        overlord.Controlled.Succeed(holder);

        await overlord.WaitForAsync(waiter, "RUNNING");
        var log = System.Text.Encoding.UTF8.GetString(await overlord.Client.GetTaskLogAsync(waiter, 0, default));
        Assert.Contains("held by task [holder]", log);
    }

    [Fact]
    public async Task Promotion_HigherPriorityWaitingTask_GetsTheLockFirst()
    {
        await using var overlord = await CoreHarness.StartAsync(_dir.Path, workerCapacity: 4);
        const string chunk = "\"dataSource\":\"wiki\",\"interval\":\"2015-09-12/2015-09-13\"";
        await overlord.SubmitAsync("{\"type\":\"controlled\",\"id\":\"holder\"," + chunk + "}");
        await overlord.SubmitAsync("{\"type\":\"controlled\",\"id\":\"low\"," + chunk + "}");
        await overlord.SubmitAsync("{\"type\":\"controlled\",\"id\":\"high\"," + chunk + ",\"context\":{\"priority\":75}}");
        await overlord.WaitForAsync("holder", "RUNNING");

        overlord.Controlled.Succeed("holder");

        await overlord.WaitForAsync("high", "RUNNING");
        Assert.Equal("WAITING", (await overlord.StatusAsync("low")).DisplayStatus);
    }

    [Fact]
    public async Task Shutdown_RunningTask_FailsAtOnce_CancelsItsCode_AndFreesSlotAndLocks()
    {
        await using var overlord = await CoreHarness.StartAsync(_dir.Path, workerCapacity: 1);
        await overlord.SubmitAsync("""{"type":"noop","id":"long","runTime":600000,"dataSource":"wiki","interval":"2015-09-12/2015-09-13"}""");
        await overlord.SubmitAsync("""{"type":"noop","id":"next","runTime":0,"dataSource":"wiki","interval":"2015-09-12/2015-09-13"}""");
        await overlord.WaitForAsync("long", "RUNNING");

        await overlord.Client.ShutdownTaskAsync("long", default);

        var status = await overlord.StatusAsync("long");
        Assert.Equal(TaskState.FAILED, status.StatusCode);
        Assert.Equal(TaskMessages.ShutdownRequestFromUser, status.ErrorMsg);
        Assert.True(status.Duration >= 0);
        await overlord.WaitForAsync("next", "SUCCESS");
    }

    [Fact]
    public async Task Shutdown_CompleteTask_IsANoOp()
    {
        await using var overlord = await CoreHarness.StartAsync(_dir.Path);
        await overlord.SubmitAsync("""{"type":"noop","id":"done","runTime":0}""");
        await overlord.WaitForAsync("done", "SUCCESS");

        await overlord.Client.ShutdownTaskAsync("done", default);

        Assert.Equal(TaskState.SUCCESS, (await overlord.StatusAsync("done")).StatusCode);
    }

    [Fact]
    public async Task TaskCode_Throws_TaskFails_WithMessage_AndStackTraceInLog()
    {
        await using var overlord = await CoreHarness.StartAsync(_dir.Path);
        await overlord.SubmitAsync("""{"type":"controlled","id":"boom"}""");
        await overlord.WaitForAsync("boom", "RUNNING");

        overlord.Controlled.Throw("boom", new InvalidOperationException("disk full " + new string('!', 120)));

        var status = await overlord.WaitForAsync("boom", "FAILED");
        Assert.StartsWith("InvalidOperationException: disk full", status.ErrorMsg);
        Assert.EndsWith("...", status.ErrorMsg);
        Assert.Equal(103, status.ErrorMsg!.Length);
        var log = System.Text.Encoding.UTF8.GetString(await overlord.Client.GetTaskLogAsync("boom", 0, default));
        Assert.Contains("System.InvalidOperationException: disk full", log);
        Assert.Contains(" at ", log);
    }

    [Fact]
    public async Task Submit_DuplicateId_ActiveOrComplete_IsEntryAlreadyExists()
    {
        await using var overlord = await CoreHarness.StartAsync(_dir.Path);
        await overlord.SubmitAsync("""{"type":"controlled","id":"dup"}""");

        var active = await Assert.ThrowsAsync<DruidException>(() => overlord.SubmitAsync("""{"type":"noop","id":"dup"}"""));
        Assert.Equal("entryAlreadyExists", active.ErrorCode);
        Assert.Equal("Task[dup] already exists", active.Message);

        overlord.Controlled.Succeed("dup");
        await overlord.WaitForAsync("dup", "SUCCESS");
        var complete = await Assert.ThrowsAsync<DruidException>(() => overlord.SubmitAsync("""{"type":"noop","id":"dup"}"""));
        Assert.Equal(400, complete.StatusCode);
    }

    [Fact]
    public async Task Submit_ConcurrentSameId_ExactlyOneWins()
    {
        await using var overlord = await CoreHarness.StartAsync(_dir.Path);
        var attempts = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            try
            {
                await overlord.SubmitAsync("""{"type":"controlled","id":"race"}""");
                return true;
            }
            catch (DruidException ex) when (ex.ErrorCode == "entryAlreadyExists")
            {
                return false;
            }
        }));

        Assert.Equal(1, (await Task.WhenAll(attempts)).Count(won => won));
    }

    [Fact]
    public async Task Submit_AddsContextDefaults_AndKeepsGivenValues()
    {
        await using var overlord = await CoreHarness.StartAsync(_dir.Path);
        await overlord.SubmitAsync("""{"type":"noop","id":"ctx","runTime":0,"context":{"forceTimeChunkLock":false,"priority":10}}""");

        var payload = await overlord.Client.GetTaskPayloadAsync("ctx", default);
        var context = payload["context"]!.AsObject();
        Assert.False(context["forceTimeChunkLock"]!.GetValue<bool>());
        Assert.True(context["useLineageBasedSegmentAllocation"]!.GetValue<bool>());
        Assert.Equal(10, context["priority"]!.GetValue<int>());
        Assert.Equal(["type", "id", "groupId", "resource", "runTime", "isReadyTime", "isReadyResult", "context", "dataSource"],
            payload.Select(p => p.Key));
    }

    [Fact]
    public async Task Submit_BeyondQueueMaxSize_IsCapacityExceeded()
    {
        await using var overlord = await CoreHarness.StartAsync(_dir.Path, settings: new Dictionary<string, string?> { ["Overlord:QueueMaxSize"] = "1" });
        await overlord.SubmitAsync("""{"type":"controlled","id":"one"}""");

        var ex = await Assert.ThrowsAsync<DruidException>(() => overlord.SubmitAsync("""{"type":"controlled","id":"two"}"""));

        Assert.Equal(429, ex.StatusCode);
        Assert.Contains("Task queue already contains [1] tasks", ex.Message);
    }

    [Fact]
    public async Task Submit_UnknownOrMissingType_IsRejected_AndNothingIsStored()
    {
        await using var overlord = await CoreHarness.StartAsync(_dir.Path);

        var unknown = await Assert.ThrowsAsync<DruidException>(() => overlord.SubmitAsync("""{"type":"index_hadoop","id":"x"}"""));
        var missing = await Assert.ThrowsAsync<DruidException>(() => overlord.SubmitAsync("""{"id":"y"}"""));
        var badField = await Assert.ThrowsAsync<DruidException>(() => overlord.SubmitAsync("""{"type":"noop","id":"z","runTime":"soon"}"""));

        Assert.Contains("'index_hadoop'", unknown.Message);
        Assert.Contains("missing type id property 'type'", missing.Message);
        Assert.Contains("runTime", badField.Message);
        Assert.All(new[] { unknown, missing, badField }, e => Assert.Equal(400, e.StatusCode));
        Assert.Empty(await overlord.Client.GetTasksAsync(new TaskListQuery(), default));
    }
}
