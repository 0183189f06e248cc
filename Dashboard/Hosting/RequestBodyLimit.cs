using Dashboard.Core.Errors;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Dashboard.Hosting;

/// <summary>Request limits applied at the door, from the <c>Overlord</c> configuration section.</summary>
public sealed class RequestLimitsOptions
{
    public const string Section = "Overlord";

    /// <summary>Largest request body accepted, in bytes (16 MiB: far more than a real task spec or SQL statement).</summary>
    public long MaxRequestBodyBytes { get; set; } = 16 * 1024 * 1024;
}

/// <summary>
/// Bounds every request body: one with a Content-Length over <see cref="RequestLimitsOptions.MaxRequestBodyBytes"/> is
/// answered 413 before anything reads it; a chunked one that grows past it fails its read with Kestrel's 413, which
/// <see cref="ExceptionBoundary"/> answers in the same shape.
/// </summary>
public static class RequestBodyLimit
{
    public static IApplicationBuilder UseRequestBodyLimit(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var limit = context.RequestServices.GetRequiredService<IOptions<RequestLimitsOptions>>().Value.MaxRequestBodyBytes;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = limit;
        }

        if (context.Request.ContentLength > limit)
        {
            // The body is never read: close the connection after the answer rather than drain it.
            context.Response.Headers.Connection = "close";
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            await Api.DruidResults.Error(TooLarge(context)).ExecuteAsync(context);
            return;
        }

        await next(context);
    });

    public static DruidException TooLarge(HttpContext context)
    {
        var limit = context.RequestServices.GetRequiredService<IOptions<RequestLimitsOptions>>().Value.MaxRequestBodyBytes;
        var given = context.Request.ContentLength is { } length ? $"{length} bytes" : "a chunked body";
        return DruidException.ErrorMap(StatusCodes.Status413PayloadTooLarge,
            $"Request body too large: {given} is over the limit of {limit} bytes (Overlord:MaxRequestBodyBytes). " +
            "Send a smaller body (put large data in an input source, not in the request), or raise the limit.");
    }
}
