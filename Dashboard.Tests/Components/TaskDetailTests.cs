using System.Text.Json.Nodes;
using Bunit;
using Dashboard.Components.Pages;
using Dashboard.Core.Feed;
using Dashboard.Tests.Support;

namespace Dashboard.Tests.Components;

public sealed class TaskDetailTests : ComponentTestBase
{
    [Fact]
    public void TaskDetail_Header_ShowsStatusTypeDatasourceAndTheFullError()
    {
        Overlord.Tasks.Add(FakeOverlordClient.Task("task_x", "FAILED", dataSource: "koalas", type: "index_parallel", errorMsg: "short cut..."));
        Overlord.Logs["task_x"] = "2026-11-22T10:00:00.000Z ERROR Task finished with status FAILED after 12 ms: the whole long story of what failed\n";

        var page = RenderPage<TaskDetail>(p => p.Add(d => d.TaskId, "task_x"));

        page.WaitForAssertion(() => Assert.Contains("the whole long story of what failed", page.Find("[data-testid=detail-error]").TextContent));
        var header = page.Find("[data-testid=task-header]");
        Assert.Equal("FAILED", header.QuerySelector("[data-testid=status-badge]")!.GetAttribute("data-status"));
        Assert.Contains("index_parallel", header.TextContent);
        Assert.Contains("koalas", header.TextContent);
        Assert.Empty(page.FindAll("[data-testid=detail-shutdown]"));
    }

    [Fact]
    public void TaskDetail_Tabs_ShowStatusFieldsReportRowStatsAndLog()
    {
        Overlord.Tasks.Add(FakeOverlordClient.Task("task_y", "SUCCESS"));
        Overlord.Logs["task_y"] = "line one\nline two\n";
        Overlord.Reports["task_y"] = JsonNode.Parse("""
            {"ingestionStatsAndErrors":{"type":"ingestionStatsAndErrors","payload":{"ingestionState":"COMPLETED","errorMsg":null,
             "rowStats":{"buildSegments":{"processed":1200,"processedBytes":4096,"processedWithError":0,"thrownAway":3,"unparseable":1}}}}}
            """)!.AsObject();

        var page = RenderPage<TaskDetail>(p => p.Add(d => d.TaskId, "task_y"));
        page.WaitForAssertion(() => Assert.Contains("statusCode", page.Find("[data-testid=status-table]").TextContent));
        var tabs = page.FindAll(".mud-tab").Select(t => t.TextContent.Trim()).ToList();
        Assert.Equal(["Status", "Payload", "Reports", "Log"], tabs);

        page.FindAll(".mud-tab").Single(t => t.TextContent.Trim() == "Reports").Click();
        page.WaitForAssertion(() => Assert.Contains("1,200", page.Find("[data-testid=row-stats]").TextContent));
        Assert.Contains("buildSegments", page.Find("[data-testid=row-stats]").TextContent);

        page.FindAll(".mud-tab").Single(t => t.TextContent.Trim() == "Log").Click();
        page.WaitForAssertion(() => Assert.Equal("line one\nline two\n", page.Find("[data-testid=log-view]").TextContent));
    }

    [Fact]
    public void TaskDetail_FeedEvents_UpdateStatusAndLogOfARunningTask()
    {
        var task = FakeOverlordClient.Task("task_z", "RUNNING");
        Overlord.Tasks.Add(task);
        Overlord.Logs["task_z"] = "started\n";
        var page = RenderPage<TaskDetail>(p => p.Add(d => d.TaskId, "task_z"));
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=detail-shutdown]")));
        page.WaitForAssertion(() => Assert.True(Feed.SubscriberCount > 0));
        page.FindAll(".mud-tab").Single(t => t.TextContent.Trim() == "Log").Click();

        Overlord.Logs["task_z"] = "started\nmore work\n";
        Feed.Publish(new TaskLogAppended("task_z"));
        page.WaitForAssertion(() => Assert.Contains("more work", page.Find("[data-testid=log-view]").TextContent));

        Feed.Publish(new TaskStatusChanged(FakeOverlordClient.Task("task_z", "SUCCESS", created: task.CreatedTime)));
        page.WaitForAssertion(() =>
            Assert.Equal("SUCCESS", page.Find("[data-testid=task-header] [data-testid=status-badge]").GetAttribute("data-status")));
        Assert.Empty(page.FindAll("[data-testid=detail-shutdown]"));
    }
}
