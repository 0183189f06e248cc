using Bunit;
using Dashboard.Components.Controls;
using Dashboard.Components.Pages;
using Dashboard.Core.Clients;
using Dashboard.Core.Feed;
using Dashboard.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Tests.Components;

public sealed class TasksGridTests : ComponentTestBase
{
    [Fact]
    public void TasksPage_Renders_OneRowPerTaskOfThePage_WithStatusAndColumns()
    {
        Overlord.Tasks.Add(FakeOverlordClient.Task("task_running", "RUNNING"));
        Overlord.Tasks.Add(FakeOverlordClient.Task("task_failed", "FAILED", dataSource: "koalas", errorMsg: "boom"));

        var page = RenderPage<Tasks>();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=task-link]").Count));
        var headers = page.FindAll("th").Select(h => h.TextContent.Trim()).ToList();
        foreach (var title in new[] { "Task ID", "Group ID", "Type", "Datasource", "Status", "Created", "Duration", "Location", "Actions" })
        {
            Assert.Contains(headers, h => h.StartsWith(title, StringComparison.Ordinal));
        }

        var failedRow = page.FindAll("tr").Single(r => r.TextContent.Contains("task_failed"));
        Assert.Equal("FAILED", failedRow.QuerySelector("[data-testid=status-badge]")!.GetAttribute("data-status"));
        Assert.Contains("koalas", failedRow.TextContent);
        Assert.Single(page.FindAll("[data-testid=shutdown-task]"));
        Assert.Equal(0, Overlord.Queries[^1].Offset);
    }

    [Fact]
    public async Task TasksPage_FeedEvent_UpdatesTheRenderedRow_WithoutReadingTheListAgainFirst()
    {
        var running = FakeOverlordClient.Task("task_live", "RUNNING");
        Overlord.Tasks.Add(running);
        var page = RenderPage<Tasks>();
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=task-link]")));
        await Eventually.WaitForAsync(() => Task.FromResult(Feed.SubscriberCount), n => n > 0, what: "the page to subscribe to the feed");

        Feed.Publish(new TaskStatusChanged(FakeOverlordClient.Task("task_live", "CANCELED", created: running.CreatedTime)));

        page.WaitForAssertion(() =>
            Assert.Equal("CANCELED", page.Find("tr.task-row [data-testid=status-badge]").GetAttribute("data-status")));
    }

    [Fact]
    public async Task TasksPage_Paused_KeepsRowsAndCountsWaitingChanges()
    {
        Overlord.Tasks.Add(FakeOverlordClient.Task("task_a", "RUNNING"));
        var page = RenderPage<Tasks>();
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=task-link]")));
        await Eventually.WaitForAsync(() => Task.FromResult(Feed.SubscriberCount), n => n > 0, what: "the page to subscribe to the feed");

        var pause = page.Find("[data-testid=pause-switch]");
        (pause.TagName == "INPUT" ? pause : pause.QuerySelector("input")!).Change(true);
        Feed.Publish(new TaskStatusChanged(FakeOverlordClient.Task("task_a", "SUCCESS")));
        Feed.Publish(new TaskStatusChanged(FakeOverlordClient.Task("task_b", "RUNNING")));

        page.WaitForAssertion(() => Assert.Contains("2 tasks changed", page.Find("[data-testid=waiting-changes]").TextContent));
        Assert.Equal("RUNNING", page.Find("tr.task-row [data-testid=status-badge]").GetAttribute("data-status"));
    }

    [Fact]
    public void StateChips_ShowCounts_AndClickTogglesTheStatusFilter()
    {
        string? toggled = null;
        var counts = DisplayStatus.All.Select((s, i) => (s, i * 10)).ToDictionary(x => x.s, x => x.Item2);
        var chips = Context.Render<StateChips>(p => p
            .Add(c => c.Counts, counts)
            .Add(c => c.Selected, [DisplayStatus.Failed])
            .Add(c => c.OnToggle, (string s) => toggled = s));

        Assert.Equal("30", chips.Find("[data-testid=count-SUCCESS]").TextContent);
        Assert.Equal("true", chips.Find("[data-testid=chip-FAILED]").GetAttribute("aria-pressed"));
        Assert.Equal("false", chips.Find("[data-testid=chip-RUNNING]").GetAttribute("aria-pressed"));

        chips.Find("[data-testid=chip-PENDING]").Click();
        Assert.Equal(DisplayStatus.Pending, toggled);
    }

    [Fact]
    public void TasksPage_ChipClick_FiltersTheQueryAndTheUrl()
    {
        Overlord.Tasks.Add(FakeOverlordClient.Task("task_a", "RUNNING"));
        Overlord.Tasks.Add(FakeOverlordClient.Task("task_b", "FAILED"));
        var page = RenderPage<Tasks>();
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=task-link]").Count));

        page.Find("[data-testid=chip-FAILED]").Click();

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=task-link]")));
        Assert.Equal([DisplayStatus.Failed], Overlord.Queries[^1].Statuses);
        Assert.EndsWith("/tasks?status=FAILED", Context.Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>().Uri);
    }
}
