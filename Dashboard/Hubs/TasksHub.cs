using Microsoft.AspNetCore.SignalR;

namespace Dashboard.Hubs;

/// <summary>
/// <c>/hubs/tasks</c>: the public push API for task changes (docs/live-api.md). A client subscribes to every task, to
/// the tasks of a datasource, or to one task, and receives <see cref="TaskHubMessages"/> as they happen, in order.
/// </summary>
public sealed class TasksHub(TaskSubscriptions subscriptions) : Hub
{
    public const string Path = "/hubs/tasks";

    /// <summary>Every task's status changes and live reports.</summary>
    public void SubscribeAll() => subscriptions.Update(Context.ConnectionId, s => s.All = true);

    public void UnsubscribeAll() => subscriptions.Update(Context.ConnectionId, s => s.All = false);

    /// <summary>Status changes and live reports of the tasks of one datasource.</summary>
    public void SubscribeDataSource(string dataSource) =>
        subscriptions.Update(Context.ConnectionId, s => s.DataSources.Add(Required(dataSource, nameof(dataSource))));

    public void UnsubscribeDataSource(string dataSource) => subscriptions.Update(Context.ConnectionId, s => s.DataSources.Remove(dataSource));

    /// <summary>One task's status changes, live reports and log appends.</summary>
    public void SubscribeTask(string taskId) => subscriptions.Update(Context.ConnectionId, s => s.Tasks.Add(Required(taskId, nameof(taskId))));

    public void UnsubscribeTask(string taskId) => subscriptions.Update(Context.ConnectionId, s => s.Tasks.Remove(taskId));

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        subscriptions.Remove(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }

    private static string Required(string? value, string name) =>
        string.IsNullOrWhiteSpace(value) ? throw new HubException($"{name} must not be empty.") : value;
}
