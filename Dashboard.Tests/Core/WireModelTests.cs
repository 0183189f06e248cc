using System.Text.Json.Nodes;
using Dashboard.Core.Common;
using Dashboard.Core.Tasks;

namespace Dashboard.Tests.Core;

public class WireModelTests
{
    [Fact]
    public void TaskStatusPlus_Serializes_EveryFieldInDruidOrder_WithNullsAndDeprecatedStatus()
    {
        var status = new TaskStatusPlus("t1", null, "noop", DruidTime.Parse("2023-06-22T22:11:37.012Z"), DruidTime.Epoch,
            TaskState.RUNNING, RunnerTaskState.WAITING, -1, TaskLocation.Unknown, "wiki", null);

        var json = DruidJson.Serialize(status);

        const string expected =
            "{\"id\":\"t1\",\"groupId\":null,\"type\":\"noop\",\"createdTime\":\"2023-06-22T22:11:37.012Z\",\"queueInsertionTime\":\"1970-01-01T00:00:00.000Z\"," +
            "\"statusCode\":\"RUNNING\",\"status\":\"RUNNING\",\"runnerStatusCode\":\"WAITING\",\"duration\":-1,\"location\":{\"host\":null,\"port\":-1,\"tlsPort\":-1}," +
            "\"dataSource\":\"wiki\",\"errorMsg\":null}";
        Assert.Equal(expected, json);
    }

    [Fact]
    public void TaskStatusPlus_RoundTrips_FromDocsSample()
    {
        const string sample = """
            {"id":"query-223549f8-b993-4483-b028-1b0d54713cad-worker0_0","groupId":"query-223549f8-b993-4483-b028-1b0d54713cad","type":"query_worker",
             "createdTime":"2023-06-22T22:11:37.012Z","queueInsertionTime":"1970-01-01T00:00:00.000Z","statusCode":"SUCCESS","status":"SUCCESS",
             "runnerStatusCode":"NONE","duration":17897,"location":{"host":"localhost","port":8101,"tlsPort":-1},"dataSource":"wikipedia_api","errorMsg":null}
            """;
        var parsed = DruidJson.Deserialize<TaskStatusPlus>(sample)!;

        Assert.Equal(TaskState.SUCCESS, parsed.StatusCode);
        Assert.Equal(8101, parsed.Location.Port);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(sample), JsonNode.Parse(DruidJson.Serialize(parsed))));
    }

    [Fact]
    public void TaskStatus_Failure_TruncatesErrorMsgTo100CharsPlusEllipsis()
    {
        var message = new string('x', 150);
        var status = TaskStatus.Failure("t", message, 5, TaskLocation.Unknown);
        Assert.Equal(new string('x', 100) + "...", status.ErrorMsg);
        Assert.Equal("short", TaskStatus.Failure("t", "short", 5, TaskLocation.Unknown).ErrorMsg);
        Assert.Equal(new string('y', 100), TaskStatus.Failure("t", new string('y', 100), 5, TaskLocation.Unknown).ErrorMsg);
    }

    [Fact]
    public void DisplayStatus_UserShutdown_IsCanceled()
    {
        var status = new TaskStatusPlus("t", "t", "noop", DruidTime.Epoch, DruidTime.Epoch, TaskState.FAILED, RunnerTaskState.NONE, 5,
            TaskLocation.Unknown, "none", TaskMessages.ShutdownRequestFromUser);
        Assert.Equal("CANCELED", status.DisplayStatus);
        Assert.Equal("PENDING", (status with { StatusCode = TaskState.RUNNING, RunnerStatusCode = RunnerTaskState.PENDING }).DisplayStatus);
    }
}
