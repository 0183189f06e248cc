using Dashboard.Core.Security;

namespace Dashboard.Security;

/// <summary>
/// What an endpoint requires, declared on it (<see cref="DruidAccessExtensions.RequireDruidAccess{TBuilder}"/>) and
/// checked in one place, <see cref="DruidAuthorizationMiddleware"/>. <see cref="Resolve"/> finds the resource from the
/// request (a route value, the task's data source, the submitted spec); null means the request names nothing to check
/// (an unknown task: the endpoint answers its 404) beyond being signed in.
/// </summary>
public sealed record DruidAccess(DruidAction Action, Func<HttpContext, ValueTask<Resource?>> Resolve, ForbiddenShape Shape, string Description)
{
    /// <summary>Data sources the request also reads and so needs READ on (an SQL statement's FROM and JOIN tables).</summary>
    public Func<HttpContext, ValueTask<IReadOnlyList<Resource>>>? ResolveReads { get; init; }

    /// <summary>Open to anyone, signed in or not: only <c>/status/health</c> and <c>/isLeader</c> (unsecured in Druid too) and the login page.</summary>
    public static DruidAccess Unsecured { get; } = new(DruidAction.READ, _ => ValueTask.FromResult<Resource?>(null), ForbiddenShape.AccessCheck, "unsecured");

    /// <summary>Any signed-in user; the endpoint drops the rows of data sources the caller cannot READ (Druid's task list, §2.4 step 6).</summary>
    public static DruidAccess FilteredByDataSource { get; } = new(DruidAction.READ, _ => ValueTask.FromResult<Resource?>(null), ForbiddenShape.AccessCheck, "rows filtered by READ on their data source");

    public static DruidAccess State(DruidAction action) =>
        new(action, _ => ValueTask.FromResult<Resource?>(Resource.State), ForbiddenShape.AccessCheck, $"{action} on STATE");

    public static DruidAccess Config(DruidAction action) =>
        new(action, _ => ValueTask.FromResult<Resource?>(Resource.Config), ForbiddenShape.AccessCheck, $"{action} on CONFIG");

    /// <summary>The data source named by a route value (<c>{dataSource}</c>).</summary>
    public static DruidAccess DataSourceFromRoute(DruidAction action, string routeValue = "dataSource") =>
        new(action, context => ValueTask.FromResult<Resource?>(context.Request.RouteValues[routeValue] is string ds ? Resource.DataSource(ds) : null),
            ForbiddenShape.AccessCheck, $"{action} on the route's data source");

    /// <summary>The data source of the task named by <c>{taskId}</c> (Druid's TaskResourceFilter).</summary>
    public static DruidAccess TaskDataSource(DruidAction action) =>
        new(action, DruidResources.TaskDataSourceAsync, ForbiddenShape.AccessCheck, $"{action} on the task's data source");

    /// <summary>The data source the posted task spec writes.</summary>
    public static DruidAccess SubmittedTask { get; } =
        new(DruidAction.WRITE, DruidResources.SubmittedTaskDataSourceAsync, ForbiddenShape.AccessCheck, "WRITE on the spec's data source");

    /// <summary>
    /// WRITE on the data source an SQL statement inserts into or replaces (STATE for a SELECT) and READ on every data
    /// source it reads, as Druid authorizes SQL; in the SqlTaskStatus shape.
    /// </summary>
    public static DruidAccess SqlTask { get; } =
        new(DruidAction.WRITE, DruidResources.SqlTargetAsync, ForbiddenShape.SqlTaskStatus, "WRITE on the statement's target data source, READ on the data sources it reads")
        {
            ResolveReads = DruidResources.SqlSourcesAsync,
        };

    /// <summary>The SQL statements API's submission: as <see cref="SqlTask"/>, with the 403 in the access-check shape.</summary>
    public static DruidAccess SqlStatement { get; } =
        new(DruidAction.WRITE, DruidResources.SqlTargetAsync, ForbiddenShape.AccessCheck, "WRITE on the statement's target data source, READ on the data sources it reads")
        {
            ResolveReads = DruidResources.SqlSourcesAsync,
        };

    /// <summary>
    /// An interactive SQL query (<c>POST /druid/v2/sql</c>): READ on every data source it reads, as Druid authorizes a
    /// SELECT; a statement that names none (<c>SELECT 1</c>) needs only a signed-in caller.
    /// </summary>
    public static DruidAccess SqlQuery { get; } =
        new(DruidAction.READ, _ => ValueTask.FromResult<Resource?>(null), ForbiddenShape.AccessCheck, "READ on the data sources the statement reads")
        {
            ResolveReads = DruidResources.SqlSourcesAsync,
        };

    /// <summary>Cancelling a running interactive query (<c>{sqlQueryId}</c>): READ on the data sources it reads.</summary>
    public static DruidAccess SqlQueryCancel { get; } =
        new(DruidAction.READ, _ => ValueTask.FromResult<Resource?>(null), ForbiddenShape.AccessCheck, "READ on the data sources the running query reads")
        {
            ResolveReads = DruidResources.RunningSqlQuerySourcesAsync,
        };
}

public static class DruidAccessExtensions
{
    /// <summary>Declares what the endpoint(s) require; every API endpoint must have exactly one declaration.</summary>
    public static TBuilder RequireDruidAccess<TBuilder>(this TBuilder builder, DruidAccess access) where TBuilder : IEndpointConventionBuilder
    {
        builder.WithMetadata(access);
        if (ReferenceEquals(access, DruidAccess.Unsecured))
        {
            builder.Add(endpoint => endpoint.Metadata.Add(new Microsoft.AspNetCore.Authorization.AllowAnonymousAttribute()));
        }

        return builder;
    }
}
