using System.Security.Cryptography;

namespace Dashboard.Hosting;

/// <summary>
/// Security headers on every response. The Content-Security-Policy allows scripts from this origin and the one inline
/// script Blazor renders (the import map), which carries the request's nonce; styles may be inline because MudBlazor's
/// theme and ApexCharts' SVG set them; Monaco's web workers start from blob: URLs.
/// </summary>
public static class SecurityHeaders
{
    private const string NonceKey = "csp-nonce";

    /// <summary>The nonce of this request's Content-Security-Policy, for the document's inline script.</summary>
    public static string? NonceFor(HttpContext? context) => context?.Items[NonceKey] as string;

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        var nonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)); // hex: nothing for HTML encoding to change
        context.Items[NonceKey] = nonce;
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy =
            $"default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
            "font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'self'; " +
            "form-action 'self'; frame-ancestors 'self'";
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "SAMEORIGIN";
        headers["Referrer-Policy"] = "no-referrer";
        return next(context);
    });
}
