using System.Text.Json.Nodes;
using Dashboard.Core.Clients;
using Dashboard.Core.Errors;
using Dashboard.Core.Feed;
using Dashboard.Core.Tasks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Dashboard.Core.Cluster;

/// <summary>
/// The one poller per cluster: reads Druid's task list (every <see cref="DruidClusterOptions.ActivePollInterval"/> while
/// a task is active, <see cref="DruidClusterOptions.IdlePollInterval"/> when idle), diffs it with the previous one and
/// publishes the same feed events the embedded overlord does; follows the live reports of running query and index
/// tasks. When the cluster cannot be reached it says so in <see cref="ClusterState"/> and retries with exponential
/// backoff; when it is back, subscribers get <see cref="FeedOverflowed"/> so they re-read what they show.
/// </summary>
public sealed class ClusterTaskPoller(
    DruidHttpOverlordClient client,
    ClusterTaskSource source,
    ClusterState state,
    TaskFeed feed,
    DruidClusterOptions options,
    TimeProvider time,
    ILogger<ClusterTaskPoller> logger) : BackgroundService
{
    /// <summary>Task types whose live reports are followed while they run.</summary>
    public static readonly IReadOnlySet<string> ReportingTypes =
        new HashSet<string>(StringComparer.Ordinal) { "query_controller", "index", "index_parallel", "index_kafka", "index_kinesis" };

    private static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(1);

    private readonly Dictionary<string, string> _reports = new(StringComparer.Ordinal);
    private Dictionary<string, TaskStatusPlus>? _previous;

    /// <summary>The workers and servers this poller also reads (every idle interval); set by the DI registration.</summary>
    public ClusterServicesSource? Services { get; set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        logger.LogInformation("Cluster mode: polling the Druid cluster at {Host}.", state.Host);
        var backoff = FirstBackoff;
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan wait;
            try
            {
                var wasDown = state.Health is { Reachable: false };
                var anyActive = await PollOnceAsync(stoppingToken).ConfigureAwait(false);
                if (Services is { } services)
                {
                    await services.RefreshIfDueAsync(stoppingToken).ConfigureAwait(false);
                }
                state.MarkReachable();
                if (wasDown)
                {
                    logger.LogInformation("The Druid cluster at {Host} answers again.", state.Host);
                    feed.Publish(new FeedOverflowed(0));
                }

                backoff = FirstBackoff;
                wait = anyActive ? options.ActivePollInterval : options.IdlePollInterval;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                var message = ex is DruidException d && DruidErrors.IsUnreachable(d)
                    ? d.Message
                    : $"The Druid cluster at {state.Host} did not answer the task list: {ex.Message}";
                var now = time.GetUtcNow();
                if (state.Health.Reachable)
                {
                    logger.LogWarning("{Message}. Retrying with backoff up to {Max}.", message, options.MaxBackoff);
                }

                state.MarkUnreachable(message, now, now + backoff);
                wait = backoff;
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, options.MaxBackoff.Ticks));
            }

            try
            {
                await Task.Delay(wait, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One poll: the task list, the diff as events, the reports of running tasks. True when a task is active.</summary>
    internal async Task<bool> PollOnceAsync(CancellationToken cancellationToken)
    {
        var tasks = await client.GetTasksAsync(new TaskListQuery(), cancellationToken).ConfigureAwait(false);
        var current = new Dictionary<string, TaskStatusPlus>(tasks.Count, StringComparer.Ordinal);
        foreach (var task in tasks)
        {
            current[task.Id] = task;
        }

        var changed = new List<TaskStatusPlus>();
        if (_previous is not null)
        {
            foreach (var task in tasks)
            {
                if (!_previous.TryGetValue(task.Id, out var before) || !Same(before, task))
                {
                    changed.Add(task);
                }
            }

            // An active task that left the list without showing as complete (the cluster's window is short): ask for it.
            foreach (var gone in _previous.Values.Where(t => t.IsActive && !current.ContainsKey(t.Id)))
            {
                try
                {
                    var final = await client.GetTaskStatusAsync(gone.Id, cancellationToken).ConfigureAwait(false);
                    changed.Add(final);
                }
                catch (DruidException ex) when (!DruidErrors.IsUnreachable(ex))
                {
                    logger.LogDebug("Task {Task} left the list and has no status: {Message}", gone.Id, ex.Message);
                }
            }
        }

        source.Publish(tasks);
        if (changed.Any(t => !t.IsActive))
        {
            source.InvalidateOlder();
        }

        // Oldest change first, so a submitted-then-finished pair arrives in the order it happened.
        foreach (var task in changed.OrderBy(t => t.CreatedTime))
        {
            feed.Publish(new TaskStatusChanged(task));
        }

        _previous = current;
        await FollowReportsAsync(tasks, cancellationToken).ConfigureAwait(false);
        return tasks.Any(t => t.IsActive);
    }

    private async Task FollowReportsAsync(IReadOnlyList<TaskStatusPlus> tasks, CancellationToken cancellationToken)
    {
        var running = tasks.Where(t => t is { IsActive: true, RunnerStatusCode: RunnerTaskState.RUNNING }).ToList();
        foreach (var id in _reports.Keys.Where(id => running.All(t => t.Id != id)).ToList())
        {
            _reports.Remove(id);
        }

        foreach (var task in running)
        {
            // A running task's log may have grown; readers of its tail look (no request is made for this).
            feed.Publish(new TaskLogAppended(task.Id));
            if (task.Type is null || !ReportingTypes.Contains(task.Type))
            {
                continue;
            }

            JsonObject report;
            try
            {
                report = await client.GetTaskReportsAsync(task.Id, cancellationToken).ConfigureAwait(false);
            }
            catch (DruidException ex) when (!DruidErrors.IsUnreachable(ex))
            {
                // No report yet (404), or the task ended between the list and this read: the next poll tries again.
                logger.LogDebug("No report for running task {Task}: {Status} {Message}", task.Id, ex.StatusCode, ex.Message);
                continue;
            }

            var text = report.ToJsonString();
            if (!_reports.TryGetValue(task.Id, out var last) || last != text)
            {
                _reports[task.Id] = text;
                feed.Publish(new TaskReportUpdated(task.Id, task.DataSource ?? "", (JsonObject)Materialise(report)!));
            }
        }
    }

    /// <summary>
    /// Builds every node of a parsed tree now: a parsed JsonNode creates its children on first access, which is not safe
    /// when several subscribers (pages, the hub) read the one published report at the same time.
    /// </summary>
    private static JsonNode? Materialise(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (_, child) in obj)
                {
                    Materialise(child);
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    Materialise(child);
                }

                break;
        }

        return node;
    }

    /// <summary>Equal as lists show them: status, runner state, times, location, duration and error all the same.</summary>
    private static bool Same(TaskStatusPlus a, TaskStatusPlus b) => a == b;
}
