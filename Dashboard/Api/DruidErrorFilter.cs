using Dashboard.Core.Errors;

namespace Dashboard.Api;

/// <summary>
/// Turns a <see cref="DruidException"/> from an endpoint into Druid's status and body; any other exception becomes a
/// 500 <c>{"error": message}</c>, logged with its stack trace.
/// </summary>
public sealed class DruidErrorFilter(ILogger<DruidErrorFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (DruidException ex)
        {
            if (ex.StatusCode >= 500)
            {
                logger.LogWarning("{Method} {Path} answered {Status}: {Message}", context.HttpContext.Request.Method,
                    context.HttpContext.Request.Path, ex.StatusCode, ex.Message);
            }

            return DruidResults.Error(ex);
        }
        catch (OperationCanceledException) when (context.HttpContext.RequestAborted.IsCancellationRequested)
        {
            return Results.Empty;
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "{Method} {Path} failed.", context.HttpContext.Request.Method, context.HttpContext.Request.Path);
            return DruidResults.Error(DruidException.ErrorMap(StatusCodes.Status500InternalServerError, ex.Message));
        }
    }
}
