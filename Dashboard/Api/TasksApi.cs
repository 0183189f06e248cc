using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dashboard.Core.Clients;
using Dashboard.Core.Common;
using Dashboard.Core.Errors;
using Dashboard.Core.Security;
using Dashboard.Core.Tasks;
using Dashboard.Security;
using Microsoft.AspNetCore.Mvc;

namespace Dashboard.Api;

/// <summary>
/// Druid's Overlord Tasks API (<c>/druid/indexer/v1</c>) over <see cref="IOverlordClient"/>. Where the docs page and real
/// Druid differ, docs/compatibility.md says which one this follows.
/// </summary>
public static class TasksApi
{
    public static IEndpointRouteBuilder MapTasksApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/druid/indexer/v1").AddEndpointFilter<DruidErrorFilter>().AddEndpointFilter<DataSourceNameFilter>().WithTags("Tasks API");

        api.MapGet("/tasks", (HttpRequest request, IOverlordClient overlord, CancellationToken ct) =>
            ListAsync(request.HttpContext, overlord, ParseListQuery(request, stateParam: "state", maxParam: "max"), ct)).RequireDruidAccess(DruidAccess.FilteredByDataSource);
        api.MapGet("/completeTasks", (HttpRequest request, IOverlordClient overlord, CancellationToken ct) =>
            ListAsync(request.HttpContext, overlord, ParseListQuery(request, fixedState: TaskListState.Complete, maxParam: request.Query.ContainsKey("n") ? "n" : "max"), ct))
            .RequireDruidAccess(DruidAccess.FilteredByDataSource);
        api.MapGet("/runningTasks", (HttpRequest request, IOverlordClient overlord, CancellationToken ct) =>
            ListAsync(request.HttpContext, overlord, ParseListQuery(request, fixedState: TaskListState.Running), ct)).RequireDruidAccess(DruidAccess.FilteredByDataSource);
        api.MapGet("/waitingTasks", (HttpRequest request, IOverlordClient overlord, CancellationToken ct) =>
            ListAsync(request.HttpContext, overlord, ParseListQuery(request, fixedState: TaskListState.Waiting), ct)).RequireDruidAccess(DruidAccess.FilteredByDataSource);
        api.MapGet("/pendingTasks", (HttpRequest request, IOverlordClient overlord, CancellationToken ct) =>
            ListAsync(request.HttpContext, overlord, ParseListQuery(request, fixedState: TaskListState.Pending), ct)).RequireDruidAccess(DruidAccess.FilteredByDataSource);

        api.MapPost("/task", SubmitAsync).RequireDruidAccess(DruidAccess.SubmittedTask);
        api.MapGet("/task/{taskId}", async (string taskId, IOverlordClient overlord, CancellationToken ct) =>
            DruidResults.Json(new JsonObject { ["task"] = taskId, ["payload"] = await overlord.GetTaskPayloadAsync(taskId, ct) })).RequireDruidAccess(TaskRead);
        api.MapGet("/task/{taskId}/status", async (string taskId, IOverlordClient overlord, CancellationToken ct) =>
            DruidResults.Json(new JsonObject { ["task"] = taskId, ["status"] = DruidJson.ToNode(await overlord.GetTaskStatusAsync(taskId, ct)) })).RequireDruidAccess(TaskRead);
        api.MapGet("/task/{taskId}/segments", async (string taskId, IOverlordClient overlord, CancellationToken ct) =>
            DruidResults.Json(await overlord.GetTaskSegmentsAsync(taskId, ct))).RequireDruidAccess(TaskRead);
        api.MapGet("/task/{taskId}/reports", async (string taskId, IOverlordClient overlord, CancellationToken ct) =>
            DruidResults.Json(await overlord.GetTaskReportsAsync(taskId, ct))).RequireDruidAccess(TaskRead);
        api.MapGet("/task/{taskId}/log", GetLogAsync).RequireDruidAccess(TaskRead);
        api.MapPost("/task/{taskId}/shutdown", ShutdownAsync).RequireDruidAccess(DruidAccess.TaskDataSource(DruidAction.WRITE));
        api.MapPost("/datasources/{dataSource}/shutdownAllTasks", ShutdownAllAsync).RequireDruidAccess(DruidAccess.DataSourceFromRoute(DruidAction.WRITE));
        api.MapPost("/taskStatus", GetStatusesAsync).RequireDruidAccess(DruidAccess.State(DruidAction.READ));
        api.MapDelete("/pendingSegments/{dataSource}", CleanPendingSegmentsAsync).RequireDruidAccess(DruidAccess.DataSourceFromRoute(DruidAction.WRITE));

        api.MapGet("/leader", async (IOverlordClient overlord, CancellationToken ct) => DruidResults.RawJsonLabelled(await overlord.GetLeaderAsync(ct)))
            .RequireDruidAccess(DruidAccess.State(DruidAction.READ));
        api.MapGet("/totalWorkerCapacity", async (IOverlordClient overlord, CancellationToken ct) =>
        {
            var capacity = await overlord.GetTotalWorkerCapacityAsync(ct);
            return DruidResults.Json(new JsonObject
            {
                ["currentClusterCapacity"] = capacity.CurrentClusterCapacity,
                ["maximumCapacityWithAutoScale"] = capacity.CurrentClusterCapacity,
                ["usedClusterCapacity"] = capacity.UsedClusterCapacity,
            });
        }).RequireDruidAccess(DruidAccess.State(DruidAction.READ));
        api.MapGet("/isLeader", () => DruidResults.Json(new { leader = true })).RequireDruidAccess(DruidAccess.Unsecured); // unsecured in Druid too
        return endpoints;
    }

    private static readonly DruidAccess TaskRead = DruidAccess.TaskDataSource(DruidAction.READ);

    /// <summary>
    /// Druid's §2.4 step 6: with <c>datasource</c> the caller needs READ on it (403 text/plain); without, rows of data
    /// sources the caller cannot READ are dropped.
    /// </summary>
    private static async Task<IResult> ListAsync(HttpContext context, IOverlordClient overlord, TaskListQuery query, CancellationToken ct)
    {
        var authorizer = context.RequestServices.GetRequiredService<DruidAuthorizer>();
        var identity = DruidClaims.IdentityOf(context.User);
        if (query.DataSource is { } dataSource && !authorizer.CanRead(identity, dataSource))
        {
            return DruidForbidden.Result(ForbiddenShape.AccessCheckText);
        }

        var tasks = await overlord.GetTasksAsync(query, ct);
        return DruidResults.Json(authorizer.IsOpen ? tasks : tasks.Where(t => authorizer.CanRead(identity, t.DataSource ?? "")).ToList());
    }

    private static async Task<IResult> SubmitAsync(HttpRequest request, IOverlordClient overlord, OperatorAudit audit, CancellationToken ct)
    {
        var body = await JsonRequestBody.ReadAsync(request, ct);
        if (body is not JsonObject task)
        {
            throw DruidException.ErrorMap(StatusCodes.Status400BadRequest, body is null
                ? "No task in the request body: send the task spec as a JSON object."
                : $"Cannot deserialize a task from {body.GetValueKind()} value: send the task spec as a JSON object.");
        }

        var taskId = await overlord.SubmitTaskAsync(task, ct);
        await audit.RecordAsync(request.HttpContext, "task.submit", taskId, task["type"]?.ToString(), ct);
        return DruidResults.Json(new { task = taskId });
    }

    private static async Task<IResult> GetLogAsync(string taskId, HttpRequest request, IOverlordClient overlord, CancellationToken ct)
    {
        var offset = ParseLong(request, "offset") ?? 0;
        var log = await overlord.GetTaskLogAsync(taskId, offset, ct);
        return Results.Bytes(log, "text/plain; charset=UTF-8");
    }

    private static async Task<IResult> ShutdownAsync(string taskId, HttpContext context, IOverlordClient overlord, OperatorAudit audit, CancellationToken ct)
    {
        await overlord.ShutdownTaskAsync(taskId, ct);
        await audit.RecordAsync(context, "task.shutdown", taskId, null, ct);
        return DruidResults.Json(new { task = taskId });
    }

    private static async Task<IResult> ShutdownAllAsync(string dataSource, HttpContext context, IOverlordClient overlord, OperatorAudit audit, CancellationToken ct)
    {
        await overlord.ShutdownAllTasksAsync(dataSource, ct);
        await audit.RecordAsync(context, "datasource.shutdownAllTasks", dataSource, null, ct);
        return DruidResults.Json(new { dataSource });
    }

    private static async Task<IResult> GetStatusesAsync(HttpRequest request, IOverlordClient overlord, CancellationToken ct)
    {
        var body = await JsonRequestBody.ReadAsync(request, ct);
        var ids = body switch
        {
            null => [],
            JsonArray array when array.All(n => n is JsonValue v && v.GetValueKind() == JsonValueKind.String) =>
                array.Select(n => TaskIds.Validate("taskId", n!.GetValue<string>())).Distinct(StringComparer.Ordinal).ToList(),
            _ => throw DruidException.ErrorMap(StatusCodes.Status400BadRequest,
                "Expected a JSON array of task id strings, e.g. [\"index_parallel_wikipedia_abcdefgh_2023-06-26T17:23:05.308Z\"]."),
        };

        return DruidResults.Json(await overlord.GetTaskStatusesAsync(ids, ct));
    }

    private static async Task<IResult> CleanPendingSegmentsAsync(string dataSource, HttpContext context, IOverlordClient overlord, OperatorAudit audit,
        [FromQuery] string? interval, CancellationToken ct)
    {
        Interval? parsed = null;
        if (!string.IsNullOrEmpty(interval))
        {
            parsed = Interval.TryParse(interval.Replace('_', '/'), out var i, out var outOfRange)
                ? i
                : outOfRange ? throw DruidException.InvalidInput(Interval.OutOfRangeMessage("interval", interval))
                : throw DruidException.ErrorMap(StatusCodes.Status500InternalServerError,
                    $"Invalid interval [{interval}]: expected an ISO-8601 interval such as 2015-09-12/2015-09-13.");
        }

        var deleted = await overlord.CleanPendingSegmentsAsync(dataSource, parsed, ct);
        await audit.RecordAsync(context, "datasource.cleanPendingSegments", dataSource, $"interval={parsed?.ToString() ?? "all"}, deleted={deleted}", ct);
        return DruidResults.Json(new { numDeleted = deleted });
    }

    private static TaskListQuery ParseListQuery(HttpRequest request, string? stateParam = null, TaskListState? fixedState = null, string? maxParam = "max")
    {
        var q = request.Query;
        var state = stateParam is null ? fixedState : TaskListQuery.ParseState(Empty(q[stateParam]));
        var max = maxParam is null ? null : ParseLong(request, maxParam);
        return new TaskListQuery(state, Empty(q["datasource"]), Empty(q["type"]), max is null ? null : (int)Math.Clamp(max.Value, int.MinValue, int.MaxValue),
            TaskListQuery.ParseCreatedTimeInterval(Empty(q["createdTimeInterval"])));
    }

    private static long? ParseLong(HttpRequest request, string name)
    {
        var text = Empty(request.Query[name]);
        if (text is null)
        {
            return null;
        }

        return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw DruidException.ErrorMap(StatusCodes.Status500InternalServerError, $"Invalid query parameter {name}=[{text}]: expected a whole number.");
    }

    private static string? Empty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
