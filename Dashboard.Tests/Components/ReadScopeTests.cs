using System.Reflection;
using System.Text.Json.Nodes;
using Bunit;
using Dashboard.Components.Controls;
using Dashboard.Components.Pages;
using Dashboard.Core.Clients;
using Dashboard.Core.Feed;
using Dashboard.Core.Security;
using Dashboard.Model.Wall;
using Dashboard.Security;
using Dashboard.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Tests.Components;

/// <summary>
/// A user narrowed to <c>wiki.*</c> sees, in every read view of the dashboard, only the wiki datasources' tasks and
/// numbers: the in-process reads and the feed go through the circuit's <see cref="ReadScope"/>. A secret task is "not
/// found" as an unknown one is. Who may read everything sees what they saw before, and no filter is added for them.
/// </summary>
public sealed class ReadScopeTests : ComponentTestBase
{
    private static readonly DataSourcePermission[] WikiOnly = [new() { DataSource = "wiki.*", Actions = [DruidAction.READ] }];

    private readonly BunitJSModuleInterop _editor;

    public ReadScopeTests()
    {
        _editor = Context.JSInterop.SetupModule("./js/sqleditor.js");
        _editor.Mode = JSRuntimeMode.Loose;
        Overlord.Tasks.AddRange(
        [
            FakeOverlordClient.Task("wiki_run", "RUNNING", "wiki"), FakeOverlordClient.Task("wiki_done", "SUCCESS", "wiki.edits"),
            FakeOverlordClient.Task("wiki_failed", "FAILED", "wiki", errorMsg: "wiki broke"),
            FakeOverlordClient.Task("secret_run", "RUNNING", "secret"), FakeOverlordClient.Task("secret_pending", "PENDING", "secret"),
            FakeOverlordClient.Task("secret_failed", "FAILED", "secret", errorMsg: "secret broke"),
        ]);
        Overlord.Logs["secret_run"] = "secret log line";
        Coordinator.Overviews.Add(Overview("wiki"));
        Coordinator.Overviews.Add(Overview("secret"));
    }

    private Task NarrowAsync() => SignInAsync("nora", DruidRole.Viewer, WikiOnly);

    [Fact]
    public async Task TaskGrid_ShowsOnlyReadableTasks_AndCountsOnlyThem()
    {
        await NarrowAsync();

        var page = RenderPage<Tasks>();

        page.WaitForAssertion(() => Assert.Equal(["wiki_done", "wiki_failed", "wiki_run"], TaskIds(page)));
        Assert.Equal("1", page.Find("[data-testid=count-RUNNING]").TextContent);
        Assert.Equal("0", page.Find("[data-testid=count-PENDING]").TextContent);
        Assert.Equal("1", page.Find("[data-testid=count-FAILED]").TextContent);
        Assert.DoesNotContain("secret", page.Markup);
        Assert.NotNull(Overlord.Queries.Last().ReadableDataSource);
    }

    [Theory]
    [InlineData(DruidRole.Admin, true)]
    [InlineData(DruidRole.Viewer, false)]
    public async Task WhoReadsEverything_SeesEveryTask_AndNoFilterIsAdded(DruidRole role, bool narrowedButAdmin)
    {
        if (narrowedButAdmin)
        {
            await SignInAsync("ada", role, WikiOnly); // an admin's permissions do not narrow it
        }
        else
        {
            await SignInAsync("vera", role);
        }

        var page = RenderPage<Tasks>();

        page.WaitForAssertion(() => Assert.Equal(6, TaskIds(page).Count));
        Assert.All(Overlord.Queries, q => Assert.Null(q.ReadableDataSource));
    }

    [Fact]
    public async Task TaskGrid_IsNotReReadForASecretTasksChange()
    {
        await NarrowAsync();
        var page = RenderPage<Tasks>();
        page.WaitForAssertion(() => Assert.Equal(3, TaskIds(page).Count));
        await Eventually.WaitForAsync(() => Task.FromResult(Feed.SubscriberCount), n => n > 0, what: "the grid to subscribe to the feed");
        var reads = Overlord.Queries.Count;

        var secret = FakeOverlordClient.Task("secret_new", "RUNNING", "secret");
        Overlord.Tasks.Add(secret);
        Feed.Publish(new TaskStatusChanged(secret));
        await Task.Delay(600);
        Assert.Equal(reads, Overlord.Queries.Count);

        var wiki = FakeOverlordClient.Task("wiki_new", "PENDING", "wiki");
        Overlord.Tasks.Add(wiki);
        Feed.Publish(new TaskStatusChanged(wiki));
        page.WaitForAssertion(() => Assert.Contains("wiki_new", TaskIds(page)), TimeSpan.FromSeconds(5));
        Assert.DoesNotContain("secret_new", TaskIds(page));
    }

    [Fact]
    public async Task TaskDetail_OfASecretTask_SaysNotFoundAsForAnUnknownId_AndReadsNothingOfIt()
    {
        await NarrowAsync();

        var unknown = RenderPage<TaskDetail>(p => p.Add(d => d.TaskId, "no_such_task"));
        var secret = Context.Render<TaskDetail>(p => p.Add(d => d.TaskId, "secret_run"));

        secret.WaitForAssertion(() => Assert.NotNull(secret.Find("[data-testid=task-not-found]")));
        unknown.WaitForAssertion(() => Assert.NotNull(unknown.Find("[data-testid=task-not-found]")));
        Assert.Equal(unknown.Find("[data-testid=task-not-found]").TextContent.Replace("no_such_task", "ID"),
            secret.Find("[data-testid=task-not-found]").TextContent.Replace("secret_run", "ID"));
        Assert.Empty(secret.FindAll("[data-testid=task-header]"));

        // Live events of the secret task do not reach it either.
        await Eventually.WaitForAsync(() => Task.FromResult(Feed.SubscriberCount), n => n >= 2, what: "the pages to subscribe to the feed");
        Feed.Publish(new TaskStatusChanged(FakeOverlordClient.Task("secret_run", "SUCCESS", "secret")));
        Feed.Publish(new TaskLogAppended("secret_run"));
        await Task.Delay(400);
        Assert.NotNull(secret.Find("[data-testid=task-not-found]"));
        Assert.DoesNotContain(Overlord.Reads, r => r.EndsWith(":secret_run", StringComparison.Ordinal));

        var wiki = Context.Render<TaskDetail>(p => p.Add(d => d.TaskId, "wiki_run"));
        wiki.WaitForAssertion(() => Assert.NotNull(wiki.Find("[data-testid=task-header]")));
    }

    [Fact]
    public async Task Feed_DropsEventsOfUnreadableDatasources_LogEventsIncluded()
    {
        await NarrowAsync();
        var scope = Context.Services.GetRequiredService<ReadScope>();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var received = new List<FeedEvent>();
        var reading = Task.Run(async () =>
        {
            await foreach (var e in scope.Feed.SubscribeAsync(stop.Token))
            {
                received.Add(e);
                if (e is FeedOverflowed)
                {
                    return;
                }
            }
        });
        await Eventually.WaitForAsync(() => Task.FromResult(Feed.SubscriberCount), n => n > 0, what: "the scope's feed to subscribe");

        Feed.Publish(new TaskStatusChanged(Overlord.Tasks.Single(t => t.Id == "secret_run")));
        Feed.Publish(new TaskReportUpdated("secret_run", "secret", []));
        Feed.Publish(new TaskLogAppended("secret_run"));
        Feed.Publish(new TaskLogAppended("secret_pending")); // never seen in a status event: looked up
        Feed.Publish(new TaskStatusChanged(Overlord.Tasks.Single(t => t.Id == "wiki_run")));
        Feed.Publish(new TaskReportUpdated("wiki_run", "wiki", []));
        Feed.Publish(new TaskLogAppended("wiki_done"));
        Feed.Publish(new TaskLogAppended("gone")); // unknown: dropped
        Feed.Publish(new FeedOverflowed(0));
        await reading;

        Assert.Equal(["TaskStatusChanged:wiki_run", "TaskReportUpdated:wiki_run", "TaskLogAppended:wiki_done", "FeedOverflowed:"],
            received.Select(e => e.GetType().Name + ":" + e switch
            {
                TaskStatusChanged c => c.Task.Id,
                TaskReportUpdated r => r.TaskId,
                TaskLogAppended l => l.TaskId,
                _ => "",
            }));
    }

    [Fact]
    public async Task Datasources_ListsOnlyReadableOnes_AndTheDetailOfASecretOneIsNotFound()
    {
        await NarrowAsync();

        var list = RenderPage<Datasources>();

        list.WaitForAssertion(() => Assert.NotNull(list.Find("[data-testid=datasource-row][data-datasource=wiki]")));
        Assert.Empty(list.FindAll("[data-testid=datasource-row][data-datasource=secret]"));
        Assert.DoesNotContain("secret", list.Markup);

        var secret = Context.Render<DatasourceDetail>(p => p.Add(d => d.Name, "secret"));
        Assert.NotNull(secret.Find("[data-testid=datasource-not-found]"));
        Assert.Empty(secret.FindAll("[data-testid=segments-table]"));
        Assert.Empty(secret.FindAll("[data-testid=shutdown-datasource-tasks]"));

        var wiki = Context.Render<DatasourceDetail>(p => p.Add(d => d.Name, "wiki"));
        wiki.WaitForAssertion(() => Assert.NotNull(wiki.Find("[data-testid=segments-table]")));
        Assert.Empty(wiki.FindAll("[data-testid=datasource-not-found]"));
    }

    [Fact]
    public async Task Wall_CountsListsAndChartsOnlyReadableDatasources()
    {
        await NarrowAsync();
        var activity = Context.Services.GetRequiredService<IngestionActivity>();
        foreach (var id in new[] { "wiki_run", "secret_run" })
        {
            activity.Apply(new TaskStatusChanged(Overlord.Tasks.Single(t => t.Id == id)));
        }

        activity.RecordSample();

        var wall = RenderPage<Wall>();

        Assert.Equal("1", wall.Find("[data-testid=tile-running-value]").TextContent);
        Assert.Equal("0", wall.Find("[data-testid=tile-pending-value]").TextContent);
        Assert.Equal("1", wall.Find("[data-testid=tile-failed-value]").TextContent);
        Assert.Equal("wiki_failed", Assert.Single(wall.FindAll("[data-testid=failure-row]")).GetAttribute("data-task-id"));
        Assert.Equal("wiki_run", Assert.Single(wall.FindAll("[data-testid=running-row]")).GetAttribute("data-task-id"));
        Assert.DoesNotContain("secret", wall.Markup);
        Assert.Equal(1, activity.Points(null, Context.Services.GetRequiredService<ReadScope>().Rule).Last().Running);
        Assert.Equal(2, activity.Points(null).Last().Running);
    }

    [Fact]
    public async Task Workbench_RecentQueriesAndCompletion_ShowOnlyReadableDatasources_AndASecretQueryIsNotFound()
    {
        await NarrowAsync();
        Overlord.Tasks.Add(FakeOverlordClient.Task("query-wiki", "SUCCESS", "wiki", type: "query_controller"));
        Overlord.Tasks.Add(FakeOverlordClient.Task("query-secret", "SUCCESS", "secret", type: "query_controller"));

        var page = RenderPage<Query>();

        page.WaitForAssertion(() => Assert.Equal("query-wiki", Assert.Single(page.FindAll("[data-testid=recent-query]")).GetAttribute("data-task-id")));
        page.WaitForAssertion(() => Assert.NotEmpty(_editor.Invocations["setSchema"]));
        var tables = (IEnumerable<string>)_editor.Invocations["setSchema"].Last().Arguments[0]!;
        Assert.Equal(["wiki"], tables);

        var execution = Context.Render<QueryExecution>(p => p.Add(e => e.TaskId, "query-secret"));
        execution.WaitForAssertion(() => Assert.NotNull(execution.Find("[data-testid=execution-not-found]")));
        Assert.DoesNotContain(Overlord.Reads, r => r.EndsWith(":query-secret", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ShuttingDownASecretTask_IsNotFound_NotForbidden()
    {
        await SignInAsync("otto", DruidRole.Operator, [new DataSourcePermission { DataSource = "wiki.*", Actions = [DruidAction.WRITE] }]);
        var actions = Context.Services.GetRequiredService<OperatorActions>();

        var refused = await Assert.ThrowsAsync<Dashboard.Core.Errors.DruidException>(() => actions.ShutdownTaskAsync("secret_run", CancellationToken.None));
        await actions.ShutdownTaskAsync("wiki_run", CancellationToken.None);

        Assert.Equal(404, refused.StatusCode);
        Assert.DoesNotContain("secret", refused.Message.Replace("secret_run", ""));
        Assert.Equal(["wiki_run"], Overlord.ShutDown);
    }

    [Fact]
    public async Task SqlFromTheWorkbench_ReadingASecretTable_IsRefused_WithoutNamingIt()
    {
        await SignInAsync("otto", DruidRole.Operator, [new DataSourcePermission { DataSource = "wiki.*", Actions = [DruidAction.WRITE] }]);
        var actions = Context.Services.GetRequiredService<OperatorActions>();

        var refused = await Assert.ThrowsAsync<Dashboard.Core.Errors.DruidException>(() =>
            actions.SubmitSqlTaskAsync(new SqlTaskRequest("INSERT INTO wiki_copy SELECT * FROM secret_ds PARTITIONED BY DAY", []), CancellationToken.None));

        Assert.Equal(403, refused.StatusCode);
        Assert.DoesNotContain("secret", refused.Message);
        Assert.Empty(await Audit.GetRecentAsync(10, default));
    }

    [Fact]
    public void NoComponent_ReadsTheOverlordCoordinatorOrFeedDirectly()
    {
        Type[] direct = [typeof(IOverlordClient), typeof(ICoordinatorClient), typeof(ITaskFeed)];
        var offenders = typeof(Tasks).Assembly.GetTypes()
            .Where(t => typeof(IComponent).IsAssignableFrom(t))
            .SelectMany(t => t.GetProperties(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
                .Where(p => p.GetCustomAttribute<InjectAttribute>() is not null && direct.Contains(p.PropertyType))
                .Select(p => $"{t.Name}.{p.Name}"))
            .ToList();

        Assert.Empty(offenders); // read through ReadScope (and write through OperatorActions)
    }

    private static List<string> TaskIds(IRenderedComponent<Tasks> page) =>
        page.FindAll("[data-testid=task-link]").Select(a => a.GetAttribute("data-task-id")!).Order(StringComparer.Ordinal).ToList();

    private static DataSourceOverview Overview(string name) =>
        new(new DataSourceSummary(name, 1, 1024, 10, DateTimeOffset.Parse("2026-01-01T00:00Z"), DateTimeOffset.Parse("2026-01-02T00:00Z")), null, null);
}
