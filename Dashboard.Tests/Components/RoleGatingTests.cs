using Bunit;
using Dashboard.Components.Pages;
using Dashboard.Core.Errors;
using Dashboard.Core.Security;
using Dashboard.Security;
using Dashboard.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Tests.Components;

/// <summary>
/// What a signed-in user cannot do is disabled or hidden, and the in-process write path refuses it too (the components
/// call the overlord directly, so hiding is not relied on).
/// </summary>
public sealed class RoleGatingTests : ComponentTestBase
{
    [Fact]
    public async Task Viewer_SeesSubmitDisabled_AndNoShutdownButtons()
    {
        await SignInAsync("vera", DruidRole.Viewer);
        Overlord.Tasks.Add(FakeOverlordClient.Task("task_running", "RUNNING"));

        var page = RenderPage<Tasks>();

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=task-link]")));
        Assert.True(page.Find("[data-testid=submit-task]").HasAttribute("disabled"));
        Assert.Empty(page.FindAll("[data-testid=shutdown-task]"));
    }

    [Fact]
    public async Task Operator_SeesTheActions()
    {
        await SignInAsync("otto", DruidRole.Operator);
        Overlord.Tasks.Add(FakeOverlordClient.Task("task_running", "RUNNING"));

        var page = RenderPage<Tasks>();

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=shutdown-task]")));
        Assert.False(page.Find("[data-testid=submit-task]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task Viewer_TaskDetail_ShutdownIsDisabled_AndTheWritePathRefuses()
    {
        await SignInAsync("vera", DruidRole.Viewer);
        Overlord.Tasks.Add(FakeOverlordClient.Task("task_running", "RUNNING"));

        var page = RenderPage<TaskDetail>(p => p.Add(d => d.TaskId, "task_running"));

        page.WaitForAssertion(() => Assert.True(page.Find("[data-testid=detail-shutdown]").HasAttribute("disabled")));
        var actions = Context.Services.GetRequiredService<OperatorActions>();
        var denied = await Assert.ThrowsAsync<DruidException>(() => actions.ShutdownTaskAsync("task_running", CancellationToken.None));
        Assert.Equal(403, denied.StatusCode);
        Assert.Empty(Overlord.ShutDown);
        Assert.Contains("Viewer", denied.Message);
    }

    [Theory]
    [InlineData(DruidRole.Viewer, true)]
    [InlineData(DruidRole.Operator, false)]
    public async Task ConnectExternalData_IsDisabledForViewers_AndTheirSamplePathRefuses(DruidRole role, bool disabled)
    {
        await SignInAsync("someone", role);

        var page = RenderPage<Query>();

        page.WaitForAssertion(() => Assert.Equal(disabled, page.Find("[data-testid=connect-external-data]").HasAttribute("disabled")));
        if (disabled)
        {
            var actions = Context.Services.GetRequiredService<OperatorActions>();
            var denied = await Assert.ThrowsAsync<DruidException>(() => actions.SampleAsync(new System.Text.Json.Nodes.JsonObject(), CancellationToken.None));
            Assert.Equal(403, denied.StatusCode);
        }
    }

    [Fact]
    public async Task Operator_ShutdownFromTheDashboard_IsAuditedWithTheUser()
    {
        await SignInAsync("otto", DruidRole.Operator);
        Overlord.Tasks.Add(FakeOverlordClient.Task("task_running", "RUNNING"));
        var actions = Context.Services.GetRequiredService<OperatorActions>();
        actions.RemoteAddress = "10.1.2.3";

        await actions.ShutdownTaskAsync("task_running", CancellationToken.None);

        Assert.Equal(["task_running"], Overlord.ShutDown);
        var entry = Assert.Single(await Audit.GetRecentAsync(10, default));
        Assert.Equal(("otto", "10.1.2.3", "task.shutdown", "task_running"), (entry.Author, entry.RemoteAddress, entry.Action, entry.Target));
    }

    [Fact]
    public async Task AdminPage_IsRefusedToOperators_AndListsUsersForAdmins()
    {
        await SignInAsync("otto", DruidRole.Operator);
        var refused = RenderPage<Admin>();
        Assert.NotNull(refused.Find("[data-testid=admin-denied]"));

        await SignInAsync("ada", DruidRole.Admin);
        var page = Context.Render<Admin>();
        page.WaitForAssertion(() => Assert.Contains("otto", page.Find("[data-testid=users-table]").TextContent));
    }
}
