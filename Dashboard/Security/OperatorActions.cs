using System.Text.Json.Nodes;
using Dashboard.Api;
using Dashboard.Core.Clients;
using Dashboard.Core.Common;
using Dashboard.Core.Errors;
using Dashboard.Core.Ingestion.Sampling;
using Dashboard.Core.Security;
using Microsoft.AspNetCore.Components.Authorization;

namespace Dashboard.Security;

/// <summary>
/// The dashboard's writes for the signed-in user of one circuit. The components call the overlord in process, not over
/// the HTTP API, so this is where the same <see cref="DruidAuthorizer"/> is asked before each write (hiding a button is
/// not relied on) and where the write is audited with the user and the browser's address. Reads go through
/// <see cref="ReadScope"/>.
/// </summary>
public sealed class OperatorActions(IOverlordClient overlord, DruidAuthorizer authorizer, OperatorAudit audit, AuthenticationStateProvider authentication)
{
    /// <summary>The browser's address, handed over from the page request (<c>ShellContext.RemoteAddress</c>).</summary>
    public string? RemoteAddress { get; set; }

    /// <summary>The signed-in user's name (<see cref="UserDirectory.AnonymousName"/> without users), or null.</summary>
    public string? Identity
    {
        get
        {
            var state = authentication.GetAuthenticationStateAsync();
            return state.IsCompletedSuccessfully ? DruidClaims.IdentityOf(state.Result.User) : null;
        }
    }

    /// <summary>False while the server has no users: there is nobody to show or sign out.</summary>
    public bool HasUsers => !authorizer.IsOpen;

    public DruidRole? Role => authorizer.RoleOf(Identity);

    public bool IsAdmin => Role == DruidRole.Admin;

    /// <summary>May write in general (submit, shut down, clean pending segments) or on one data source.</summary>
    public bool CanWrite(string? dataSource = null) => Can(dataSource is null ? Resource.State : Resource.DataSource(dataSource), DruidAction.WRITE);

    /// <summary>Why a write is disabled, for a tooltip.</summary>
    public string DeniedReason(string? dataSource = null) => Role switch
    {
        null => "You are not signed in.",
        < DruidRole.Operator => $"Your role ({Role}) can only read: shutting down, submitting and cleaning need an Operator.",
        _ => $"You have no WRITE permission on {dataSource ?? "this"} datasource.",
    };

    public Task<string> SubmitTaskAsync(JsonObject task, CancellationToken cancellationToken) =>
        WriteAsync(DruidResources.OfTaskSpec(task), "task.submit", async () =>
        {
            var id = await overlord.SubmitTaskAsync(task, cancellationToken);
            return (id, id, task["type"]?.ToString());
        }, cancellationToken);

    /// <summary>A task the user may not read is not found, as in the read views (<see cref="ReadScope"/>): its existence is not revealed.</summary>
    public Task ShutdownTaskAsync(string taskId, CancellationToken cancellationToken) =>
        WriteAsync(async () =>
        {
            var dataSource = (await overlord.GetTaskStatusAsync(taskId, cancellationToken)).DataSource ?? "";
            return authorizer.CanRead(Identity, dataSource) ? Resource.DataSource(dataSource) : throw DruidException.TaskNotFound(taskId);
        }, "task.shutdown", async () =>
        {
            await overlord.ShutdownTaskAsync(taskId, cancellationToken);
            return (true, taskId, (string?)null);
        }, cancellationToken);

    public Task ShutdownAllTasksAsync(string dataSource, CancellationToken cancellationToken) =>
        WriteAsync(Resource.DataSource(dataSource), "datasource.shutdownAllTasks", async () =>
        {
            await overlord.ShutdownAllTasksAsync(dataSource, cancellationToken);
            return (true, dataSource, (string?)null);
        }, cancellationToken);

    public Task<int> CleanPendingSegmentsAsync(string dataSource, Interval? interval, CancellationToken cancellationToken) =>
        WriteAsync(Resource.DataSource(dataSource), "datasource.cleanPendingSegments", async () =>
        {
            var deleted = await overlord.CleanPendingSegmentsAsync(dataSource, interval, cancellationToken);
            return (deleted, dataSource, $"interval={interval?.ToString() ?? "all"}, deleted={deleted}");
        }, cancellationToken);

    /// <summary>
    /// An SQL task: READ on every data source it reads and WRITE on its INSERT/REPLACE target (STATE for a SELECT); an
    /// EXPLAIN needs the same, as in Druid, and is not audited.
    /// </summary>
    public async Task<SqlTaskSubmission> SubmitSqlTaskAsync(SqlTaskRequest request, CancellationToken cancellationToken)
    {
        var (resource, sources) = DruidResources.OfSql(request.Query);
        foreach (var source in sources)
        {
            Demand(source, DruidAction.READ);
        }

        if (request.Query.TrimStart().StartsWith("EXPLAIN", StringComparison.OrdinalIgnoreCase))
        {
            Demand(resource, DruidAction.WRITE);
            return await overlord.SubmitSqlTaskAsync(request, cancellationToken);
        }

        return await WriteAsync(resource, "sql.submit", async () =>
        {
            var submission = await overlord.SubmitSqlTaskAsync(request, cancellationToken);
            return (submission, submission.Status?.TaskId ?? "explain", (string?)request.Query);
        }, cancellationToken);
    }

    /// <summary>
    /// A sample of an input (Connect external data): it returns raw contents from the allowed folders and hosts, so it
    /// needs what submitting an ingestion needs, as the sampler endpoint does (STATE WRITE). A read: not audited.
    /// </summary>
    public Task<SamplerResponse> SampleAsync(JsonObject request, CancellationToken cancellationToken)
    {
        Demand(Resource.State, DruidAction.WRITE);
        return overlord.SampleAsync(request, cancellationToken);
    }

    private bool Can(Resource resource, DruidAction action) => authorizer.IsAllowed(Identity, new ResourceAction(resource, action));

    private void Demand(Resource resource, DruidAction action)
    {
        if (!Can(resource, action))
        {
            // A read that is refused does not name the data source, so that its existence is not revealed.
            throw new DruidException(403, ErrorBodyShape.ErrorMap, action == DruidAction.READ
                ? "Unauthorized: the statement reads a data source you have no READ permission on."
                : $"Unauthorized: {DeniedReason(resource.Type == ResourceType.DATASOURCE ? resource.Name : null)}");
        }
    }

    private Task<T> WriteAsync<T>(Resource resource, string action, Func<Task<(T Result, string Target, string? Detail)>> write, CancellationToken cancellationToken) =>
        WriteAsync(() => Task.FromResult(resource), action, write, cancellationToken);

    private async Task<T> WriteAsync<T>(Func<Task<Resource>> resource, string action, Func<Task<(T Result, string Target, string? Detail)>> write, CancellationToken cancellationToken)
    {
        Demand(await resource(), DruidAction.WRITE);
        var (result, target, detail) = await write();
        await audit.RecordAsync(Identity ?? UserDirectory.AnonymousName, RemoteAddress, action, target, detail, cancellationToken);
        return result;
    }
}
