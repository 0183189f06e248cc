using Dashboard.Core.Clients;
using Dashboard.Core.Errors;
using Dashboard.Core.Security;
using Dashboard.Security;
using Microsoft.AspNetCore.SignalR;

namespace Dashboard.Hubs;

/// <summary>
/// <c>/hubs/tasks</c>: the public push API for task changes (docs/live-api.md). A client subscribes to every task, to
/// the tasks of a datasource, or to one task, and receives <see cref="TaskHubMessages"/> as they happen, in order.
/// </summary>
/// <remarks>
/// Connecting needs READ on STATE (declared on the endpoint). A user narrowed to some datasources may subscribe only
/// to those datasources and their tasks, so events of other datasources never reach them.
/// </remarks>
public sealed class TasksHub(TaskSubscriptions subscriptions, DruidAuthorizer authorizer, IOverlordClient overlord) : Hub
{
    public const string Path = "/hubs/tasks";

    /// <summary>Every task's status changes and live reports.</summary>
    public void SubscribeAll()
    {
        if (!authorizer.CanReadAllDataSources(Identity))
        {
            throw new HubException("Unauthorized: you may read only some datasources; subscribe to them with SubscribeDataSource.");
        }

        subscriptions.Update(Context.ConnectionId, s => s.All = true);
    }

    public void UnsubscribeAll() => subscriptions.Update(Context.ConnectionId, s => s.All = false);

    /// <summary>Status changes and live reports of the tasks of one datasource.</summary>
    public void SubscribeDataSource(string dataSource)
    {
        Required(dataSource, nameof(dataSource));
        if (!authorizer.CanRead(Identity, dataSource))
        {
            throw new HubException($"Unauthorized: no READ permission on datasource [{dataSource}].");
        }

        subscriptions.Update(Context.ConnectionId, s => s.DataSources.Add(dataSource));
    }

    public void UnsubscribeDataSource(string dataSource) => subscriptions.Update(Context.ConnectionId, s => s.DataSources.Remove(dataSource));

    /// <summary>One task's status changes, live reports and log appends.</summary>
    public async Task SubscribeTask(string taskId)
    {
        Required(taskId, nameof(taskId));
        if (!authorizer.CanReadAllDataSources(Identity))
        {
            string? dataSource;
            try
            {
                dataSource = (await overlord.GetTaskStatusAsync(taskId, Context.ConnectionAborted)).DataSource;
            }
            catch (DruidException)
            {
                dataSource = null;
            }

            if (dataSource is null || !authorizer.CanRead(Identity, dataSource))
            {
                throw new HubException($"Unauthorized: no READ permission on the datasource of task [{taskId}].");
            }
        }

        subscriptions.Update(Context.ConnectionId, s => s.Tasks.Add(taskId));
    }

    public void UnsubscribeTask(string taskId) => subscriptions.Update(Context.ConnectionId, s => s.Tasks.Remove(taskId));

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        subscriptions.Remove(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }

    private string? Identity => DruidClaims.IdentityOf(Context.User);

    private static string Required(string? value, string name) =>
        string.IsNullOrWhiteSpace(value) ? throw new HubException($"{name} must not be empty.") : value;
}
