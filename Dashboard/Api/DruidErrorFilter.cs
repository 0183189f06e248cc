using Dashboard.Core.Errors;

namespace Dashboard.Api;

/// <summary>
/// Turns a <see cref="DruidException"/> from an endpoint into Druid's status and body. Any other exception is left to
/// <see cref="Hosting.ExceptionBoundary"/>, which logs it with a correlation id and never shows its message.
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
    }
}
