using System.Net;
using System.Net.Http.Headers;
using Dashboard.Core.Errors;
using Dashboard.Core.Security;

namespace Dashboard.Core.Ingestion.Sources;

/// <summary>
/// Every GET ingestion makes (downloads of http inputs, the sampler's reads): the named HttpClient
/// <see cref="Name"/>, whose handler connects only to checked addresses (<see cref="OutboundHttpConnector"/>) and
/// never follows a redirect itself. Redirects are followed here, at most <see cref="MaxRedirects"/>, each hop's URI
/// checked by <see cref="OutboundHttpRules"/> before it is requested; the input's credentials go only to the host
/// (scheme, host and port) of the URI the spec names.
/// </summary>
public sealed class OutboundHttpClient(IHttpClientFactory clients, OutboundHttpRules rules)
{
    public const string Name = "ingestion-http";

    /// <summary>Redirects followed per request (Java's HttpURLConnection, which Druid reads with, follows 20; 5 is curl's and browsers' usual bound for data).</summary>
    public const int MaxRedirects = 5;

    /// <summary>The response of the last hop, its headers read; a refused hop or rule is a 400 <see cref="DruidException"/> naming it.</summary>
    public async Task<HttpResponseMessage> GetAsync(string uri, AuthenticationHeaderValue? authorization, CancellationToken cancellationToken)
    {
        var first = rules.Check(uri);
        var current = first;
        var http = clients.CreateClient(Name);
        for (var hop = 0; ; hop++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, current);
            if (authorization is not null && Uri.Compare(current, first, UriComponents.SchemeAndServer, UriFormat.UriEscaped, StringComparison.OrdinalIgnoreCase) == 0)
            {
                request.Headers.Authorization = authorization;
            }

            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            }
            catch (HttpRequestException ex) when (ex.InnerException is DruidException refused)
            {
                throw hop == 0 ? refused : Redirected(uri, current, refused);
            }

            if (!IsRedirect(response.StatusCode) || response.Headers.Location is not { } location)
            {
                return response;
            }

            response.Dispose();
            var next = location.IsAbsoluteUri ? location : new Uri(current, location);
            if (hop + 1 > MaxRedirects)
            {
                throw DruidException.ErrorMap(400,
                    $"Http input [{Shown(uri)}] redirected more than {MaxRedirects} times (the last to [{Shown(next.ToString())}]); ingestion follows at most {MaxRedirects} redirects. Give the final URI in the spec.");
            }

            try
            {
                rules.Check(next);
            }
            catch (DruidException refused)
            {
                throw Redirected(uri, next, refused);
            }

            current = next;
        }
    }

    private static DruidException Redirected(string uri, Uri target, DruidException refused) =>
        DruidException.ErrorMap(400, $"Http input [{Shown(uri)}] redirected to [{Shown(target.ToString())}], which is refused: {refused.Message}");

    private static string Shown(string uri) => SecretMasker.MaskText(uri);

    private static bool IsRedirect(HttpStatusCode status) => status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found
        or HttpStatusCode.SeeOther or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;
}
