using Dashboard.Core.Errors;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Dashboard.Hosting;

/// <summary>
/// Bounds every request body at <see cref="RequestLimitsOptions.MaxRequestBodyBytes"/>: one whose Content-Length is over
/// it is answered 413 before anything reads it; a chunked one that grows past it fails its read with a 413
/// <see cref="BadHttpRequestException"/>, which <see cref="ExceptionBoundary"/> answers in the same shape.
/// </summary>
public static class RequestBodyLimit
{
    public static IApplicationBuilder UseRequestBodyLimit(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var options = context.RequestServices.GetRequiredService<IOptions<RequestLimitsOptions>>().Value;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = options.DrainLimitBytes; // Kestrel's hard stop; the limit itself is ours, below
        }

        var request = context.Request;
        if (request.ContentLength > options.MaxRequestBodyBytes)
        {
            await DrainAsync(context, request.Body, options);
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            await Api.DruidResults.Error(TooLarge(context)).ExecuteAsync(context);
            return;
        }

        if (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0)
        {
            request.Body = new LimitedRequestStream(request.Body, options.MaxRequestBodyBytes);
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

    /// <summary>Reads and discards what is left of a refused body, up to the drain limit; past it the connection closes.</summary>
    public static async Task DrainAsync(HttpContext context, Stream body, RequestLimitsOptions options)
    {
        var request = context.Request;
        if (request.Headers.Expect.ToString().Contains("100-continue", StringComparison.OrdinalIgnoreCase) || request.ContentLength > options.DrainLimitBytes)
        {
            context.Response.Headers.Connection = "close"; // the client waits for this answer, or the body is too long to read
            return;
        }

        var buffer = new byte[64 * 1024];
        try
        {
            while (await body.ReadAsync(buffer, context.RequestAborted) > 0)
            {
            }
        }
        catch (Exception ex) when (ex is BadHttpRequestException or IOException or OperationCanceledException)
        {
            context.Response.Headers.Connection = "close"; // past Kestrel's hard stop, or the client went away
        }
    }
}
