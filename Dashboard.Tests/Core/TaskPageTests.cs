using Dashboard.Core.Clients;
using Dashboard.Core.Overlord;
using Dashboard.Core.Storage;
using Dashboard.Core.Tasks;
using Dashboard.Tests.Support;

namespace Dashboard.Tests.Core;

public sealed class TaskPageTests : IDisposable
{
    private readonly TempDataDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(TaskSortField.Created, true)]
    [InlineData(TaskSortField.Created, false)]
    [InlineData(TaskSortField.Status, false)]
    [InlineData(TaskSortField.DataSource, true)]
    [InlineData(TaskSortField.Type, false)]
    [InlineData(TaskSortField.Id, true)]
    public async Task QueryTasks_PagesThroughActiveAndComplete_InOneConsistentOrder(TaskSortField sort, bool descending)
    {
        await using var overlord = await CoreHarness.StartAsync(_dir.Path, workerCapacity: 2);
        var seeded = await SeedCompleteAsync(overlord, 120);
        var active = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            active.Add(await overlord.SubmitAsync($$"""{"type":"controlled","id":"active_{{i}}","dataSource":"ds_{{i % 3}}"}"""));
        }

        await overlord.WaitForAsync("active_4", "PENDING");

        var everything = new List<TaskStatusPlus>();
        foreach (var limit in new[] { 7, 50 })
        {
            var pages = new List<TaskStatusPlus>();
            TaskPage page;
            var offset = 0;
            do
            {
                page = await overlord.Client.QueryTasksAsync(new TaskPageQuery { Sort = sort, Descending = descending, Offset = offset, Limit = limit },
                    CancellationToken.None);
                pages.AddRange(page.Rows);
                offset += limit;
            }
            while (page.Rows.Count == limit);

            Assert.Equal(125, page.TotalCount);
            Assert.Equal(125, pages.Select(t => t.Id).Distinct().Count());
            var expected = pages.ToList();
            expected.Sort(new TaskRowComparer(sort, descending, DateTimeOffset.UtcNow));
            Assert.Equal(expected.Select(t => t.Id), pages.Select(t => t.Id));
            everything = pages;
        }

        Assert.Superset(seeded.Concat(active).ToHashSet(), everything.Select(t => t.Id).ToHashSet());
        foreach (var id in active)
        {
            overlord.Controlled.Succeed(id);
        }
    }

    [Fact]
    public async Task QueryTasks_Filters_CountPerStatusIgnoringTheStatusFilter()
    {
        await using var overlord = await CoreHarness.StartAsync(_dir.Path, workerCapacity: 1);
        await SeedCompleteAsync(overlord, 60);
        await overlord.SubmitAsync("""{"type":"controlled","id":"run_me","dataSource":"ds_0"}""");
        await overlord.SubmitAsync("""{"type":"controlled","id":"wait_me","dataSource":"ds_0"}""");
        await overlord.WaitForAsync("wait_me", "PENDING");

        var page = await overlord.Client.QueryTasksAsync(new TaskPageQuery { DataSource = "ds_0", Statuses = [DisplayStatus.Canceled] },
            CancellationToken.None);

        Assert.All(page.Rows, t => Assert.Equal(("ds_0", "CANCELED"), (t.DataSource, t.DisplayStatus)));
        Assert.Equal(page.CountOf(DisplayStatus.Canceled), page.TotalCount);
        Assert.Equal(1, page.CountOf(DisplayStatus.Running));
        Assert.Equal(1, page.CountOf(DisplayStatus.Pending));
        Assert.Equal(20, page.CountOf(DisplayStatus.Success) + page.CountOf(DisplayStatus.Failed) + page.CountOf(DisplayStatus.Canceled));

        var search = await overlord.Client.QueryTasksAsync(new TaskPageQuery { IdContains = "WAIT_" }, CancellationToken.None);
        Assert.Equal("wait_me", Assert.Single(search.Rows).Id);

        var active = await overlord.Client.QueryTasksAsync(new TaskPageQuery { Statuses = DisplayStatus.Active.ToList(), GroupId = "run_me" },
            CancellationToken.None);
        Assert.Equal("run_me", Assert.Single(active.Rows).Id);

        overlord.Controlled.Succeed("run_me");
        overlord.Controlled.Succeed("wait_me");
    }

    [Fact]
    public async Task QueryTasks_CompleteWindow_KeepsEveryActiveTask()
    {
        await using var overlord = await CoreHarness.StartAsync(_dir.Path, workerCapacity: 1);
        await SeedCompleteAsync(overlord, 30);
        await overlord.SubmitAsync("""{"type":"controlled","id":"old_active"}""");
        await overlord.WaitForAsync("old_active", "RUNNING");

        var page = await overlord.Client.QueryTasksAsync(new TaskPageQuery { CompleteCreatedFrom = DateTimeOffset.UtcNow.AddMinutes(1) },
            CancellationToken.None);

        Assert.Equal("old_active", Assert.Single(page.Rows).Id);
        overlord.Controlled.Succeed("old_active");
    }

    [Fact]
    public async Task QueryTasks_ReadableDataSource_KeepsOnlyThoseTasks_AndCountsOnlyThem()
    {
        await using var overlord = await CoreHarness.StartAsync(_dir.Path, workerCapacity: 1);
        await SeedCompleteAsync(overlord, 60); // 20 each of ds_0, ds_1, ds_2
        await overlord.SubmitAsync("""{"type":"controlled","id":"run_secret","dataSource":"ds_2"}""");
        await overlord.SubmitAsync("""{"type":"controlled","id":"wait_readable","dataSource":"ds_0"}""");
        await overlord.WaitForAsync("wait_readable", "PENDING");
        var pattern = new System.Text.RegularExpressions.Regex("^ds_[01]$");
        Func<string, bool> readable = pattern.IsMatch;

        Assert.Equal(["ds_0", "ds_1", "ds_2"], await overlord.Store.GetTaskDataSourcesAsync(CancellationToken.None));

        var all = new List<TaskStatusPlus>();
        TaskPage page;
        do
        {
            page = await overlord.Client.QueryTasksAsync(new TaskPageQuery { ReadableDataSource = readable, Offset = all.Count, Limit = 7 }, CancellationToken.None);
            all.AddRange(page.Rows);
        }
        while (page.Rows.Count == 7);

        Assert.Equal(41, page.TotalCount);
        Assert.Equal(41, all.Select(t => t.Id).Distinct().Count());
        Assert.All(all, t => Assert.NotEqual("ds_2", t.DataSource));
        Assert.Contains(all, t => t.Id == "wait_readable");
        Assert.Equal(0, page.CountOf(DisplayStatus.Running));
        Assert.Equal(1, page.CountOf(DisplayStatus.Pending));
        Assert.Equal(40, DisplayStatus.Complete.Sum(page.CountOf));

        var failed = await overlord.Client.QueryTasksAsync(new TaskPageQuery { ReadableDataSource = readable, Statuses = [DisplayStatus.Failed] },
            CancellationToken.None);
        Assert.Equal(failed.CountOf(DisplayStatus.Failed), failed.TotalCount);
        Assert.All(failed.Rows, t => Assert.Equal(DisplayStatus.Failed, t.DisplayStatus));
        Assert.Equal(page.CountOf(DisplayStatus.Failed), failed.TotalCount);

        var none = await overlord.Client.QueryTasksAsync(new TaskPageQuery { ReadableDataSource = _ => false }, CancellationToken.None);
        Assert.Equal((0, 0), (none.Rows.Count, none.StatusCounts.Values.Sum()));

        var named = await overlord.Client.QueryTasksAsync(new TaskPageQuery { ReadableDataSource = readable, DataSource = "ds_2" }, CancellationToken.None);
        Assert.Equal(0, named.TotalCount);

        overlord.Controlled.Succeed("run_secret");
        overlord.Controlled.Succeed("wait_readable");
    }

    [Fact]
    public void ClusterPages_ReadableDataSource_KeepsOnlyThoseTasks_AndCountsOnlyThem()
    {
        var tasks = new[]
        {
            FakeOverlordClient.Task("a", "RUNNING", "wiki"), FakeOverlordClient.Task("b", "FAILED", "wiki.edits"),
            FakeOverlordClient.Task("c", "RUNNING", "secret"), FakeOverlordClient.Task("d", "FAILED", "secret"),
        };

        var page = Dashboard.Core.Cluster.ClusterTaskPages.Page(tasks,
            new TaskPageQuery { ReadableDataSource = ds => ds.StartsWith("wiki", StringComparison.Ordinal) }, DateTimeOffset.UtcNow);

        Assert.Equal(["a", "b"], page.Rows.Select(t => t.Id).Order());
        Assert.Equal((2, 1, 1), (page.TotalCount, page.CountOf(DisplayStatus.Running), page.CountOf(DisplayStatus.Failed)));
    }

    private static async Task<List<string>> SeedCompleteAsync(CoreHarness overlord, int count)
    {
        var now = DateTimeOffset.UtcNow.AddHours(-1);
        var location = new TaskLocation("localhost", 8100, -1);
        var batch = new List<(TaskRecord, string)>();
        for (var i = 0; i < count; i++)
        {
            var id = $"seeded_{i:D4}";
            var created = now.AddSeconds(-(i / 2));
            var status = (i % 3) switch
            {
                0 => TaskStatus.Success(id, 1000 + i, location),
                1 => TaskStatus.Failure(id, TaskMessages.ShutdownRequestFromUser, 500 + i, location),
                _ => TaskStatus.Failure(id, "boom", 200 + i, location),
            };
            batch.Add((new TaskRecord(id, id, i % 2 == 0 ? "noop" : "index_parallel", $"ds_{i % 3}", created, status), "{}"));
        }

        await overlord.Store.BulkInsertCompleteAsync(batch, CancellationToken.None);
        return batch.Select(b => b.Item1.Id).ToList();
    }
}
