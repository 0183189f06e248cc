using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Dashboard.Core.Common;
using Dashboard.Core.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Tests.Api;

public class OperationsApiTests(ApiServer server) : ApiTestBase(server)
{
    [Fact]
    public async Task Shutdown_RunningTask_Is200_AndTheTaskIsFailedWithShutdownRequestFromUser()
    {
        var id = await SubmitAsync("""{"type":"noop","runTime":600000}""");
        await WaitForRunnerStateAsync(id, "RUNNING");

        var response = await PostJsonAsync($"{V1}/task/{id}/shutdown", "{}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(id, JsonNode.Parse(await response.Content.ReadAsStringAsync())!["task"]!.GetValue<string>());
        var status = await StatusAsync(id);
        Assert.Equal("FAILED", status["statusCode"]!.GetValue<string>());
        Assert.Equal("Shutdown request from user", status["errorMsg"]!.GetValue<string>());
    }

    [Fact]
    public async Task Shutdown_CompleteTask_Is200NoOp_WithEmptyBody()
    {
        var id = await SubmitAsync("""{"type":"noop","runTime":0}""");
        await WaitForStatusAsync(id, "SUCCESS");

        var response = await Http.PostAsync($"{V1}/task/{id}/shutdown", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("SUCCESS", (await StatusAsync(id))["statusCode"]!.GetValue<string>());
    }

    [Fact]
    public async Task ShutdownAllTasks_ShutsDownEveryActiveTaskOfTheDataSource()
    {
        var ds = Unique("all");
        var other = Unique("other");
        var a = await SubmitAsync($$"""{"type":"noop","runTime":600000,"dataSource":"{{ds}}"}""");
        var b = await SubmitAsync($$"""{"type":"noop","runTime":600000,"dataSource":"{{ds}}"}""");
        var keep = await SubmitAsync($$"""{"type":"noop","runTime":600000,"dataSource":"{{other}}"}""");
        try
        {
            var response = await Http.PostAsync($"{V1}/datasources/{ds}/shutdownAllTasks", null);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(ds, JsonNode.Parse(await response.Content.ReadAsStringAsync())!["dataSource"]!.GetValue<string>());
            Assert.Equal("FAILED", (await StatusAsync(a))["statusCode"]!.GetValue<string>());
            Assert.Equal("FAILED", (await StatusAsync(b))["statusCode"]!.GetValue<string>());
            Assert.Equal("RUNNING", (await StatusAsync(keep))["statusCode"]!.GetValue<string>());
        }
        finally
        {
            await Http.PostAsync($"{V1}/task/{keep}/shutdown", null);
        }
    }

    [Fact]
    public async Task ShutdownAllTasks_NoActiveTask_Is404WithEmptyBody()
    {
        var response = await Http.PostAsync($"{V1}/datasources/{Unique("nothing")}/shutdownAllTasks", null);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task TaskStatus_Bulk_ReturnsKnownIdsOnly()
    {
        var done = await SubmitAsync("""{"type":"noop","runTime":0}""");
        await WaitForStatusAsync(done, "SUCCESS");
        var running = await SubmitAsync("""{"type":"noop","runTime":600000}""");
        try
        {
            await WaitForRunnerStateAsync(running, "RUNNING");
            var response = await PostJsonAsync($"{V1}/taskStatus", $$"""["{{done}}","{{running}}","no-such-task","{{done}}"]""");

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var map = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
            Assert.Equal(2, map.Count);
            Assert.Equal(["id", "status", "duration", "errorMsg", "location"], map[done]!.AsObject().Select(p => p.Key));
            Assert.Equal("SUCCESS", map[done]!["status"]!.GetValue<string>());
            Assert.Equal("RUNNING", map[running]!["status"]!.GetValue<string>());
            Assert.Equal(-1, map[running]!["duration"]!.GetValue<long>());
            Assert.Equal("localhost", map[running]!["location"]!["host"]!.GetValue<string>());
        }
        finally
        {
            await Http.PostAsync($"{V1}/task/{running}/shutdown", null);
        }
    }

    [Fact]
    public async Task TaskStatus_EmptyList_Is400_NoTaskIdsProvided()
    {
        var response = await PostJsonAsync($"{V1}/taskStatus", "[]");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("No Task IDs provided.", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task TaskStatus_NotJson_Is415_AndNotAnArray_Is400()
    {
        var notJson = await Http.PostAsync($"{V1}/taskStatus", new StringContent("a,b", Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, notJson.StatusCode);
        var notArray = await PostJsonAsync($"{V1}/taskStatus", """{"ids":["a"]}""");
        await AssertErrorAsync(notArray, HttpStatusCode.BadRequest, "application/json", "Expected a JSON array of task id strings");
    }

    [Fact]
    public async Task Reports_CompleteNoop_HasTaskContextReport()
    {
        var id = await SubmitAsync("""{"type":"noop","runTime":0,"context":{"owner":"ops"}}""");
        await WaitForStatusAsync(id, "SUCCESS");

        var report = JsonNode.Parse(await Http.GetStringAsync($"{V1}/task/{id}/reports"))!;

        Assert.Equal("taskContext", report["taskContext"]!["type"]!.GetValue<string>());
        Assert.Equal(id, report["taskContext"]!["taskId"]!.GetValue<string>());
        Assert.Equal("ops", report["taskContext"]!["payload"]!["owner"]!.GetValue<string>());
    }

    [Fact]
    public async Task Reports_TaskWithoutReportYet_Is404WithDruidsMessage()
    {
        var id = await SubmitAsync("""{"type":"noop","runTime":600000}""");
        try
        {
            var response = await Http.GetAsync($"{V1}/task/{id}/reports");
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("No task reports were found for this task. The task may not exist, or it may not have completed yet.",
                await response.Content.ReadAsStringAsync());
        }
        finally
        {
            await Http.PostAsync($"{V1}/task/{id}/shutdown", null);
        }
    }

    [Fact]
    public async Task Log_ServesBytes_FromOffset_AndTailWithNegativeOffset()
    {
        var id = await SubmitAsync("""{"type":"noop","runTime":0}""");
        await WaitForStatusAsync(id, "SUCCESS");

        var full = await Http.GetAsync($"{V1}/task/{id}/log");
        Assert.Equal("text/plain", full.Content.Headers.ContentType?.MediaType);
        var text = await full.Content.ReadAsStringAsync();
        Assert.Contains("Task submitted", text);
        Assert.Contains("Task finished with status SUCCESS", text);

        Assert.Equal(text[10..], await Http.GetStringAsync($"{V1}/task/{id}/log?offset=10"));
        Assert.Equal(text[^16..], await Http.GetStringAsync($"{V1}/task/{id}/log?offset=-16"));
        Assert.Equal(text, await Http.GetStringAsync($"{V1}/task/{id}/log?offset=-16000"));
    }

    [Fact]
    public async Task Segments_TaskThatPublishedNone_IsEmptyArray()
    {
        var id = await SubmitAsync("""{"type":"noop","runTime":0}""");
        await WaitForStatusAsync(id, "SUCCESS");
        Assert.Empty(await GetArrayAsync($"{V1}/task/{id}/segments"));
    }

    [Fact]
    public async Task PendingSegments_DeleteWithInterval_DeletesOnlyOverlapping_WithoutInterval_All()
    {
        var ds = Unique("pending");
        var store = Server.Services.GetRequiredService<ISegmentMetadataStore>();
        foreach (var day in new[] { "2015-09-12", "2015-09-13", "2015-09-14" })
        {
            var interval = Interval.Parse($"{day}/P1D");
            await store.InsertPendingSegmentAsync(new PendingSegment($"{ds}_{day}", ds, interval, "v1", 0, "seq", "task", DateTimeOffset.UtcNow), default);
        }

        var some = await Http.DeleteAsync($"{V1}/pendingSegments/{ds}?interval=2015-09-12/2015-09-14");
        Assert.Equal(HttpStatusCode.OK, some.StatusCode);
        Assert.Equal(2, JsonNode.Parse(await some.Content.ReadAsStringAsync())!["numDeleted"]!.GetValue<int>());

        var rest = await Http.DeleteAsync($"{V1}/pendingSegments/{ds}");
        Assert.Equal(1, JsonNode.Parse(await rest.Content.ReadAsStringAsync())!["numDeleted"]!.GetValue<int>());
        Assert.Equal(0, await store.CountPendingSegmentsAsync(ds, default));
    }

    [Fact]
    public async Task PendingSegments_WithActiveTaskOfTheDataSource_Is400_AndDeletesNothing()
    {
        var ds = Unique("busy");
        var store = Server.Services.GetRequiredService<ISegmentMetadataStore>();
        await store.InsertPendingSegmentAsync(new PendingSegment($"{ds}_1", ds, Interval.Parse("2015-09-12/P1D"), "v1", 0, "seq", "t", DateTimeOffset.UtcNow), default);
        var active = await SubmitAsync($$"""{"type":"noop","runTime":600000,"dataSource":"{{ds}}"}""");
        try
        {
            var response = await Http.DeleteAsync($"{V1}/pendingSegments/{ds}");
            await AssertErrorAsync(response, HttpStatusCode.BadRequest, "application/json", $"at least one active task[{active}]");
            Assert.Equal(1, await store.CountPendingSegmentsAsync(ds, default));
        }
        finally
        {
            await Http.PostAsync($"{V1}/task/{active}/shutdown", null);
        }
    }

    [Fact]
    public async Task PendingSegments_InvalidInterval_Is500WithJsonError()
    {
        var response = await Http.DeleteAsync($"{V1}/pendingSegments/wiki?interval=last-week");
        await AssertErrorAsync(response, HttpStatusCode.InternalServerError, "application/json", "Invalid interval [last-week]");
    }

    [Fact]
    public async Task Leader_IsThisServer_AndIsLeaderIsTrue()
    {
        Assert.Equal($"http://localhost:{Server.BaseAddress.Port}", await Http.GetStringAsync($"{V1}/leader"));
        Assert.True(JsonNode.Parse(await Http.GetStringAsync($"{V1}/isLeader"))!["leader"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Writes_AreAudited_WithActionTargetAndAddress()
    {
        var id = await SubmitAsync("""{"type":"noop","runTime":600000}""");
        await Http.PostAsync($"{V1}/task/{id}/shutdown", null);

        var audit = await Server.Services.GetRequiredService<IAuditLog>().GetRecentAsync(100, default);

        Assert.Contains(audit, e => e.Action == "task.submit" && e.Target == id && e.Detail == "noop" && e.RemoteAddress is not null);
        Assert.Contains(audit, e => e.Action == "task.shutdown" && e.Target == id && e.Author == "anonymous");
    }
}
