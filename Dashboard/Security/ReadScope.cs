using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Dashboard.Core.Clients;
using Dashboard.Core.Common;
using Dashboard.Core.Errors;
using Dashboard.Core.Feed;
using Dashboard.Core.Ingestion.Sampling;
using Dashboard.Core.Security;
using Dashboard.Core.Segments;
using Dashboard.Core.Tasks;
using Microsoft.AspNetCore.Components.Authorization;

namespace Dashboard.Security;

/// <summary>
/// What the signed-in user of one circuit may read: the dashboard's read side of <see cref="OperatorActions"/>. The
/// components call the overlord and read the feed in process, not over the HTTP API that filters by datasource READ, so
/// they read only through this: <see cref="Overlord"/>, <see cref="Coordinator"/> and <see cref="Feed"/> answer as the
/// real ones do, without the datasources the user may not read (a task of such a datasource is "not found", exactly as
/// an unknown id; its events never arrive). The rule is <see cref="DruidAuthorizer"/>'s, asked at each read, so a
/// permission changed by an admin applies at once. Who may read every datasource (no users, admins, users without
/// permissions) gets the real clients' answers unchanged: no filter is added to any query.
/// </summary>
public sealed class ReadScope
{
    private const int MaxRememberedTasks = 10_000;

    private readonly IOverlordClient _overlord;
    private readonly DruidAuthorizer _authorizer;
    private readonly AuthenticationStateProvider _authentication;
    private readonly ConcurrentDictionary<string, string> _taskDataSources = new(StringComparer.Ordinal);

    public ReadScope(IOverlordClient overlord, ICoordinatorClient coordinator, ITaskFeed feed, DruidAuthorizer authorizer,
        AuthenticationStateProvider authentication)
    {
        _overlord = overlord;
        _authorizer = authorizer;
        _authentication = authentication;
        Overlord = new ReadableOverlord(overlord, this);
        Coordinator = new ReadableCoordinator(coordinator, this);
        Feed = new ReadableFeed(feed, this);
    }

    /// <summary>The overlord's reads, narrowed to readable datasources. Writes are refused: they go through <see cref="OperatorActions"/>.</summary>
    public IOverlordClient Overlord { get; }

    /// <summary>The coordinator's reads, narrowed to readable datasources (an unreadable one answers as an unknown one).</summary>
    public ICoordinatorClient Coordinator { get; }

    /// <summary>The live feed without the events of tasks the user may not read.</summary>
    public ITaskFeed Feed { get; }

    private string? Identity
    {
        get
        {
            var state = _authentication.GetAuthenticationStateAsync();
            return state.IsCompletedSuccessfully ? DruidClaims.IdentityOf(state.Result.User) : null;
        }
    }

    /// <summary>True when no permission narrows this user's reads: every answer is the real one.</summary>
    public bool ReadsEverything => _authorizer.CanReadAllDataSources(Identity);

    /// <summary>May the user read this datasource (a task without one is asked about "", as the API does)?</summary>
    public bool CanRead(string? dataSource) => _authorizer.CanRead(Identity, dataSource ?? "");

    /// <summary>The rule as a predicate for queries and in-memory lists; null when the user reads everything.</summary>
    public Func<string, bool>? Rule
    {
        get
        {
            var identity = Identity;
            return _authorizer.CanReadAllDataSources(identity) ? null : dataSource => _authorizer.CanRead(identity, dataSource);
        }
    }

    /// <summary>The query narrowed to readable datasources; unchanged for who reads everything.</summary>
    public TaskPageQuery Restrict(TaskPageQuery query) => Rule is { } rule ? query with { ReadableDataSource = rule } : query;

    /// <summary>
    /// May the user read this task? Unknown ids throw the overlord's own 404. A task's datasource never changes, so it is
    /// remembered per circuit (at most <see cref="MaxRememberedTasks"/>).
    /// </summary>
    public async Task<bool> CanReadTaskAsync(string taskId, CancellationToken cancellationToken)
    {
        if (ReadsEverything)
        {
            return true;
        }

        if (!_taskDataSources.TryGetValue(taskId, out var dataSource))
        {
            dataSource = Remember(await _overlord.GetTaskStatusAsync(taskId, cancellationToken).ConfigureAwait(false));
        }

        return CanRead(dataSource);
    }

    private string Remember(TaskStatusPlus task) => Remember(task.Id, task.DataSource);

    private string Remember(string taskId, string? dataSource)
    {
        if (_taskDataSources.Count >= MaxRememberedTasks)
        {
            _taskDataSources.Clear();
        }

        return _taskDataSources[taskId] = dataSource ?? "";
    }

    private async Task DemandTaskAsync(string taskId, CancellationToken cancellationToken)
    {
        if (!await CanReadTaskAsync(taskId, cancellationToken).ConfigureAwait(false))
        {
            throw DruidException.TaskNotFound(taskId);
        }
    }

    /// <summary>Should this event reach the user's components?</summary>
    private async ValueTask<bool> PassesAsync(FeedEvent feedEvent, CancellationToken cancellationToken)
    {
        if (ReadsEverything)
        {
            return true;
        }

        switch (feedEvent)
        {
            case TaskStatusChanged { Task: var task }:
                Remember(task);
                return CanRead(task.DataSource);
            case TaskReportUpdated report:
                Remember(report.TaskId, report.DataSource);
                return CanRead(report.DataSource);
            case TaskLogAppended log:
                try
                {
                    return await CanReadTaskAsync(log.TaskId, cancellationToken).ConfigureAwait(false);
                }
                catch (DruidException)
                {
                    return false;
                }

            default:
                return true; // FeedOverflowed: carries no task, and tells the reader to re-read what it shows
        }
    }

    private sealed class ReadableFeed(ITaskFeed feed, ReadScope scope) : ITaskFeed
    {
        public async IAsyncEnumerable<FeedEvent> SubscribeAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await foreach (var feedEvent in feed.SubscribeAsync(cancellationToken).ConfigureAwait(false))
            {
                if (await scope.PassesAsync(feedEvent, cancellationToken).ConfigureAwait(false))
                {
                    yield return feedEvent;
                }
            }
        }
    }

    private sealed class ReadableOverlord(IOverlordClient overlord, ReadScope scope) : IOverlordClient
    {
        public async Task<TaskStatusPlus> GetTaskStatusAsync(string taskId, CancellationToken cancellationToken)
        {
            var status = await overlord.GetTaskStatusAsync(taskId, cancellationToken).ConfigureAwait(false);
            if (scope.ReadsEverything)
            {
                return status;
            }

            scope.Remember(status);
            return scope.CanRead(status.DataSource) ? status : throw DruidException.TaskNotFound(taskId);
        }

        public async Task<JsonObject> GetTaskPayloadAsync(string taskId, CancellationToken cancellationToken)
        {
            await scope.DemandTaskAsync(taskId, cancellationToken).ConfigureAwait(false);
            return await overlord.GetTaskPayloadAsync(taskId, cancellationToken).ConfigureAwait(false);
        }

        public async Task<JsonObject> GetTaskReportsAsync(string taskId, CancellationToken cancellationToken)
        {
            await scope.DemandTaskAsync(taskId, cancellationToken).ConfigureAwait(false);
            return await overlord.GetTaskReportsAsync(taskId, cancellationToken).ConfigureAwait(false);
        }

        public async Task<byte[]> GetTaskLogAsync(string taskId, long offset, CancellationToken cancellationToken)
        {
            await scope.DemandTaskAsync(taskId, cancellationToken).ConfigureAwait(false);
            return await overlord.GetTaskLogAsync(taskId, offset, cancellationToken).ConfigureAwait(false);
        }

        public async Task<IReadOnlyList<DataSegment>> GetTaskSegmentsAsync(string taskId, CancellationToken cancellationToken)
        {
            await scope.DemandTaskAsync(taskId, cancellationToken).ConfigureAwait(false);
            return await overlord.GetTaskSegmentsAsync(taskId, cancellationToken).ConfigureAwait(false);
        }

        public async Task<IReadOnlyList<TaskStatusPlus>> GetTasksAsync(TaskListQuery query, CancellationToken cancellationToken)
        {
            var tasks = await overlord.GetTasksAsync(query, cancellationToken).ConfigureAwait(false);
            return scope.Rule is { } rule ? tasks.Where(t => rule(t.DataSource ?? "")).ToList() : tasks;
        }

        public async Task<IReadOnlyDictionary<string, TaskStatus>> GetTaskStatusesAsync(IReadOnlyCollection<string> taskIds, CancellationToken cancellationToken)
        {
            var statuses = await overlord.GetTaskStatusesAsync(taskIds, cancellationToken).ConfigureAwait(false);
            if (scope.ReadsEverything)
            {
                return statuses;
            }

            var readable = new Dictionary<string, TaskStatus>(StringComparer.Ordinal);
            foreach (var (id, status) in statuses)
            {
                try
                {
                    if (await scope.CanReadTaskAsync(id, cancellationToken).ConfigureAwait(false))
                    {
                        readable[id] = status;
                    }
                }
                catch (DruidException)
                {
                }
            }

            return readable;
        }

        public Task<TaskPage> QueryTasksAsync(TaskPageQuery query, CancellationToken cancellationToken) =>
            overlord.QueryTasksAsync(scope.Restrict(query), cancellationToken);

        public Task<TotalWorkerCapacity> GetTotalWorkerCapacityAsync(CancellationToken cancellationToken) =>
            overlord.GetTotalWorkerCapacityAsync(cancellationToken);

        public Task<string> GetLeaderAsync(CancellationToken cancellationToken) => overlord.GetLeaderAsync(cancellationToken);

        /// <summary>Workers are STATE, as in Druid: listed whole (task ids only, no data source).</summary>
        public Task<IReadOnlyList<WorkerInfo>> GetWorkersAsync(CancellationToken cancellationToken) => overlord.GetWorkersAsync(cancellationToken);

        public Task<string> SubmitTaskAsync(JsonObject task, CancellationToken cancellationToken) => throw WritesElsewhere();
        public Task ShutdownTaskAsync(string taskId, CancellationToken cancellationToken) => throw WritesElsewhere();
        public Task ShutdownAllTasksAsync(string dataSource, CancellationToken cancellationToken) => throw WritesElsewhere();
        public Task<int> CleanPendingSegmentsAsync(string dataSource, Interval? interval, CancellationToken cancellationToken) => throw WritesElsewhere();
        public Task<SqlTaskSubmission> SubmitSqlTaskAsync(SqlTaskRequest request, CancellationToken cancellationToken) => throw WritesElsewhere();

        /// <summary>READ on every datasource the query reads, as <c>POST /druid/v2/sql</c> asks; system tables keep only readable rows.</summary>
        public Task<SqlQueryResult> QuerySqlAsync(Core.Query.SqlQueryRequest request, CancellationToken cancellationToken)
        {
            if (DruidResources.OfSql(request.Query).Sources.FirstOrDefault(s => !scope.CanRead(s.Name)) is { } denied)
            {
                throw new DruidException(403, ErrorBodyShape.ErrorResponse,
                    $"You may not READ datasource [{denied.Name}], which this query reads. Ask an administrator for READ on it, or query a datasource you may read.",
                    "forbidden", "FORBIDDEN");
            }

            return overlord.QuerySqlAsync(request with { CanRead = scope.CanRead }, cancellationToken);
        }
        public Task<SamplerResponse> SampleAsync(JsonObject samplerSpec, CancellationToken cancellationToken) => throw WritesElsewhere();

        private static InvalidOperationException WritesElsewhere() =>
            new("The dashboard writes (and samples) through OperatorActions, which asks the authorizer and audits.");
    }

    private sealed class ReadableCoordinator(ICoordinatorClient coordinator, ReadScope scope) : ICoordinatorClient
    {
        public async Task<IReadOnlyList<string>> GetDataSourcesAsync(CancellationToken cancellationToken)
        {
            var names = await coordinator.GetDataSourcesAsync(cancellationToken).ConfigureAwait(false);
            return scope.Rule is { } rule ? names.Where(rule).ToList() : names;
        }

        public async Task<IReadOnlyList<DataSourceOverview>> GetDataSourceOverviewsAsync(CancellationToken cancellationToken)
        {
            var overviews = await coordinator.GetDataSourceOverviewsAsync(cancellationToken).ConfigureAwait(false);
            return scope.Rule is { } rule ? overviews.Where(o => rule(o.Summary.Name)).ToList() : overviews;
        }

        // An unreadable datasource answers as one without segments does.
        public Task<DataSourceSummary?> GetDataSourceAsync(string dataSource, CancellationToken cancellationToken) =>
            scope.CanRead(dataSource) ? coordinator.GetDataSourceAsync(dataSource, cancellationToken) : Task.FromResult<DataSourceSummary?>(null);

        public Task<IReadOnlyList<DataSegment>> GetUsedSegmentsAsync(string dataSource, CancellationToken cancellationToken) =>
            scope.CanRead(dataSource) ? coordinator.GetUsedSegmentsAsync(dataSource, cancellationToken) : Task.FromResult<IReadOnlyList<DataSegment>>([]);

        public Task<IReadOnlyList<SegmentEntry>> GetSegmentTimelineAsync(string dataSource, CancellationToken cancellationToken) =>
            scope.CanRead(dataSource) ? coordinator.GetSegmentTimelineAsync(dataSource, cancellationToken) : Task.FromResult<IReadOnlyList<SegmentEntry>>([]);

        public Task<SegmentPage> GetSegmentPageAsync(string dataSource, int offset, int limit, CancellationToken cancellationToken) =>
            scope.CanRead(dataSource) ? coordinator.GetSegmentPageAsync(dataSource, offset, limit, cancellationToken) : Task.FromResult(new SegmentPage([], 0));

        public Task<IReadOnlyList<ServerSummary>> GetServersAsync(CancellationToken cancellationToken) => coordinator.GetServersAsync(cancellationToken);

        public Task<IReadOnlyList<DataSourceColumn>> GetSchemaAsync(string dataSource, CancellationToken cancellationToken) =>
            scope.CanRead(dataSource) ? coordinator.GetSchemaAsync(dataSource, cancellationToken) : Task.FromResult<IReadOnlyList<DataSourceColumn>>([]);
    }
}
