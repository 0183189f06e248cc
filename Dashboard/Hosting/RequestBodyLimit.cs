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

    /// <summary>
    /// How much of a refused body is read and discarded so that clients which send the whole body before reading the
    /// answer (HttpClient, Python requests) see the 413 instead of a broken connection: four times the limit. A longer
    /// body, or one sent with <c>Expect: 100-continue</c>, is not read: the connection closes after the 413.
    /// </summary>
    public long DrainLimitBytes => MaxRequestBodyBytes > long.MaxValue / 4 ? long.MaxValue : MaxRequestBodyBytes * 4;
}

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

/// <summary>A chunked request body that fails its read with a 413 once it has grown past the limit.</summary>
public sealed class LimitedRequestStream(Stream inner, long limit) : Stream
{
    private long _read;

    /// <summary>The body under the limit, to drain after the 413.</summary>
    public Stream Inner => inner;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _read; set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer, cancellationToken));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private int Count(int read)
    {
        _read += read;
        return _read > limit
            ? throw new BadHttpRequestException($"Request body too large: over the limit of {limit} bytes.", StatusCodes.Status413PayloadTooLarge)
            : read;
    }
}
