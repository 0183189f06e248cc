using Dashboard.Core.Errors;
using Dashboard.Core.Tasks;

namespace Dashboard.Api;

/// <summary>
/// A datasource name in the path (<c>{dataSource}</c>) or the query string (<c>datasource=</c>) follows Druid's id rules
/// (IdUtils.validateId, <see cref="TaskIds.Check"/>), or the request is a 400 before the endpoint runs.
/// </summary>
public sealed class DataSourceNameFilter : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var request = context.HttpContext.Request;
        if (request.RouteValues["dataSource"] is string name)
        {
            Refuse("dataSource", name);
        }

        if (request.Query.TryGetValue("datasource", out var values) && values.ToString() is { Length: > 0 } queried)
        {
            Refuse("datasource", queried);
        }

        return next(context);
    }

    private static void Refuse(string parameter, string value)
    {
        if (TaskIds.Check(parameter, value) is { } problem)
        {
            throw DruidException.InvalidInput($"{problem} Name a datasource that exists, e.g. wikipedia.");
        }
    }
}
