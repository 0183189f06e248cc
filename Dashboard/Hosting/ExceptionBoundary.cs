using Dashboard.Api;
using Dashboard.Core.Errors;
using Dashboard.Security;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.Options;

namespace Dashboard.Hosting;

/// <summary>
/// The one exception boundary of every request (API, hub, pages, sign-in, middleware): an exception nothing else
/// handled is logged with the request's correlation id and answered without its message, stack trace or paths. API
/// and hub paths get Druid's <c>ErrorResponse</c> body; pages re-execute the styled <c>/Error</c> page, which shows
/// the id. Outside Development only: a developer who sets ASPNETCORE_ENVIRONMENT=Development gets the developer
/// exception page instead.
/// </summary>
public static class ExceptionBoundary
{
    /// <summary>The response header that carries the correlation id (also in the body's <c>context</c>).</summary>
    public const string CorrelationHeader = "X-Correlation-Id";

    public static IServiceCollection AddExceptionBoundary(this IServiceCollection services) =>
        services.AddExceptionHandler<DruidExceptionHandler>();

    public static IApplicationBuilder UseExceptionBoundary(this IApplicationBuilder app) => app.UseExceptionHandler(new ExceptionHandlerOptions
    {
        ExceptionHandlingPath = "/Error",
        CreateScopeForErrors = true,
        SuppressDiagnosticsCallback = _ => true, // DruidExceptionHandler logs every one, with its correlation id
    });

    /// <summary>The id that ties an answer to its log line: the request's TraceIdentifier.</summary>
    public static string CorrelationIdOf(HttpContext context) => context.TraceIdentifier;

    /// <summary>The Druid-shaped body of an unexpected error: no exception text, only where to look it up.</summary>
    public static DruidException Unexpected(string correlationId) => new(StatusCodes.Status500InternalServerError, ErrorBodyShape.ErrorResponse,
        $"Unexpected error on the server. Nothing in this answer says why: the server log has the details under correlation id [{correlationId}].",
        "general", "UNCATEGORIZED", "OPERATOR", new Dictionary<string, string> { ["correlationId"] = correlationId });
}

/// <summary>Logs and answers what <see cref="ExceptionBoundary"/> catches.</summary>
public sealed class DruidExceptionHandler(ILogger<DruidExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var correlationId = ExceptionBoundary.CorrelationIdOf(context);
        var request = context.Request;
        var path = new PathString(context.Features.Get<IExceptionHandlerFeature>()?.Path ?? request.Path); // request.Path is /Error by now
        context.Response.Headers[ExceptionBoundary.CorrelationHeader] = correlationId;
        context.Response.Headers.XContentTypeOptions = "nosniff";

        DruidException answer;
        if (exception is BadHttpRequestException bad)
        {
            // The client's fault (a body over the limit, a broken chunked body): no stack trace in the log either.
            logger.LogInformation("{Method} {Path} refused with {Status}: {Message} (correlation id {CorrelationId})",
                request.Method, path, bad.StatusCode, bad.Message, correlationId);
            if (bad.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                var options = context.RequestServices.GetRequiredService<IOptions<RequestLimitsOptions>>().Value;
                await RequestBodyLimit.DrainAsync(context, request.Body is LimitedRequestStream limited ? limited.Inner : request.Body, options);
                answer = RequestBodyLimit.TooLarge(context);
            }
            else
            {
                answer = DruidException.ErrorMap(bad.StatusCode, $"Bad request: {bad.Message}");
            }
        }
        else if (exception is OperationCanceledException && context.RequestAborted.IsCancellationRequested)
        {
            return true; // the client went away: nobody reads an answer
        }
        else
        {
            logger.LogError(exception, "{Method} {Path} failed with an unexpected error (correlation id {CorrelationId}).",
                request.Method, path, correlationId);
            if (!DashboardSchemes.IsApiPath(path) && !DashboardSchemes.IsHubPath(path))
            {
                return false; // a page: the styled /Error page, re-executed by the middleware, shows the id
            }

            answer = ExceptionBoundary.Unexpected(correlationId);
        }

        context.Response.StatusCode = answer.StatusCode;
        await DruidResults.Error(answer).ExecuteAsync(context);
        return true;
    }
}
