using Dashboard.Core.Common;
using Dashboard.Core.Feed;
using Microsoft.AspNetCore.SignalR;

namespace Dashboard.Hubs;

/// <summary>
/// Reads the feed once for all hub clients and sends each event to the connections subscribed to it, one event at a time,
/// so every client sees events in the feed's order.
/// </summary>
public sealed class TaskHubBroadcaster(ITaskFeed feed, TaskSubscriptions subscriptions, IHubContext<TasksHub> hub, ILogger<TaskHubBroadcaster> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var feedEvent in feed.SubscribeAsync(stoppingToken))
        {
            if (subscriptions.Count == 0)
            {
                continue;
            }

            try
            {
                await SendAsync(feedEvent, stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Could not push feed event {Sequence} to hub clients.", feedEvent.Sequence);
            }
        }
    }

    private Task SendAsync(FeedEvent feedEvent, CancellationToken cancellationToken)
    {
        var time = DruidTime.Format(feedEvent.Time);
        return feedEvent switch
        {
            TaskStatusChanged e => Send(subscriptions.Matching(e.Task.Id, e.Task.DataSource), TaskHubMessages.TaskStatusChanged,
                new TaskStatusChangedMessage(e.Sequence, time, e.Task.DisplayStatus, DruidJson.ToNode(e.Task)!)),
            TaskReportUpdated e => Send(subscriptions.Matching(e.TaskId, e.DataSource), TaskHubMessages.TaskReportUpdated,
                new TaskReportUpdatedMessage(e.Sequence, time, e.TaskId, e.DataSource, e.Report)),
            TaskLogAppended e => Send(subscriptions.Matching(e.TaskId, null, taskSubscribersOnly: true), TaskHubMessages.TaskLogAppended,
                new TaskLogAppendedMessage(e.Sequence, time, e.TaskId)),
            FeedOverflowed e => Send(subscriptions.All(), TaskHubMessages.FeedOverflowed, new FeedOverflowedMessage(e.Sequence, time, e.Missed)),
            _ => Task.CompletedTask,
        };

        Task Send(List<string> connectionIds, string method, object message) =>
            connectionIds.Count == 0 ? Task.CompletedTask : hub.Clients.Clients(connectionIds).SendAsync(method, message, cancellationToken);
    }
}
