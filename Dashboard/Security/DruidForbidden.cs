using System.Text;
using Dashboard.Api;
using Dashboard.Core.Errors;

namespace Dashboard.Security;

/// <summary>The body a denied request gets, in the shape of the endpoint's Druid resource (druid-behaviour.md §0.2, §2.4, §3.2).</summary>
public enum ForbiddenShape
{
    /// <summary>403 <c>{"Access-Check-Result":"Unauthorized"}</c> (ForbiddenExceptionMapper): the Tasks and coordinator APIs.</summary>
    AccessCheck,

    /// <summary>403 text/plain <c>Access-Check-Result: Unauthorized</c>: the task list's <c>datasource</c> parameter.</summary>
    AccessCheckText,

    /// <summary>403 SqlTaskStatus <c>{"taskId":"forbidden","state":"FAILED","error":{... FORBIDDEN ...}}</c>: <c>POST /druid/v2/sql/task</c>.</summary>
    SqlTaskStatus,
}

public static class DruidForbidden
{
    public const string Message = "Unauthorized"; // Druid's Access.DEFAULT_ERROR_MESSAGE

    public static IResult Result(ForbiddenShape shape) => shape switch
    {
        ForbiddenShape.AccessCheckText => Results.Text($"Access-Check-Result: {Message}", "text/plain", Encoding.UTF8, StatusCodes.Status403Forbidden),
        ForbiddenShape.SqlTaskStatus => DruidResults.Json(new Core.Clients.SqlTaskStatus("forbidden", "FAILED",
            new DruidException(403, ErrorBodyShape.ErrorResponse, Message, "general", "FORBIDDEN").ToErrorResponse()), StatusCodes.Status403Forbidden),
        _ => DruidResults.Json(new Dictionary<string, string> { ["Access-Check-Result"] = Message }, StatusCodes.Status403Forbidden),
    };

    public static Task WriteAsync(HttpContext context, ForbiddenShape shape) => Result(shape).ExecuteAsync(context);
}
