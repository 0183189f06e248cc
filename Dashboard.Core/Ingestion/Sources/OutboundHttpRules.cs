using System.Net;
using System.Net.Sockets;
using Dashboard.Core.Errors;
using Dashboard.Core.Security;
using Microsoft.Extensions.Options;

namespace Dashboard.Core.Ingestion.Sources;

/// <summary>
/// The one set of rules for every URI ingestion reads (http input sources of native tasks, EXTERN, MSQ and the
/// sampler, and every redirect hop): an allowed protocol (<c>Ingestion:AllowedHttpProtocols</c>), an allowed host when
/// <c>Ingestion:AllowedHttpHosts</c> is set, and an address outside the server's own network
/// (<see cref="OutboundHttpAddresses"/>) unless the host is named in <c>Ingestion:AllowedHttpHosts</c>.
/// </summary>
public sealed class OutboundHttpRules(IOptions<IngestionOptions> options)
{
    /// <summary>How long a submission waits for DNS; a slower answer leaves the check to the connection.</summary>
    public static readonly TimeSpan SubmissionLookupTimeout = TimeSpan.FromSeconds(2);

    private const string AllowHint = "(Ingestion:AllowedHttpHosts names the hosts that may be private)";

    /// <summary>Checks what the URI itself says (protocol, host, a literal IP address) without any lookup.</summary>
    public Uri Check(string uri)
    {
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed))
        {
            throw DruidException.ErrorMap(400, $"Http input URI [{SecretMasker.MaskText(uri)}] is not an absolute URI.");
        }

        Check(parsed);
        return parsed;
    }

    /// <inheritdoc cref="Check(string)"/>
    public void Check(Uri uri)
    {
        var protocols = options.Value.AllowedHttpProtocols;
        if (!protocols.Contains(uri.Scheme, StringComparer.OrdinalIgnoreCase))
        {
            throw DruidException.ErrorMap(400,
                $"Only [{string.Join(", ", protocols)}] protocols are allowed for http input sources (Ingestion:AllowedHttpProtocols); [{SecretMasker.MaskText(uri.ToString())}] uses [{uri.Scheme}].");
        }

        var hosts = options.Value.AllowedHttpHosts;
        if (hosts.Count > 0 && !IsNamed(uri.Host))
        {
            throw DruidException.ErrorMap(400,
                $"Http input host [{Bare(uri.Host)}] is not in Ingestion:AllowedHttpHosts [{string.Join(", ", hosts)}].");
        }

        if (OutboundHttpAddresses.ParseLiteral(uri.Host) is { } literal)
        {
            CheckAddresses(uri.Host, [literal]);
        }
    }

    /// <summary>
    /// <see cref="Check(string)"/>, then resolves a host name and checks its addresses, as at submission. A name that
    /// does not resolve now (or within <see cref="SubmissionLookupTimeout"/>) is left to the check on connect.
    /// </summary>
    public async Task CheckAsync(string uri, CancellationToken cancellationToken)
    {
        var parsed = Check(uri);
        if (IsNamed(parsed.Host) || OutboundHttpAddresses.ParseLiteral(parsed.Host) is not null)
        {
            return;
        }

        IPAddress[] addresses;
        using var lookup = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        lookup.CancelAfter(SubmissionLookupTimeout);
        try
        {
            addresses = await Dns.GetHostAddressesAsync(parsed.DnsSafeHost, lookup.Token);
        }
        catch (Exception ex) when (ex is SocketException || ex is OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return;
        }

        CheckAddresses(parsed.Host, addresses);
    }

    /// <summary>Refuses the host when any address it resolved to is refused and the host is not named in the allow-list.</summary>
    public void CheckAddresses(string host, IReadOnlyList<IPAddress> addresses)
    {
        if (IsNamed(host))
        {
            return;
        }

        foreach (var address in addresses)
        {
            if (OutboundHttpAddresses.RefusedKind(address) is { } kind)
            {
                throw DruidException.ErrorMap(400,
                    $"Http input host [{Bare(host)}] resolves to {kind} address [{address}], which ingestion may not read {AllowHint}.");
            }
        }
    }

    /// <summary>Whether the operator named this host in <c>Ingestion:AllowedHttpHosts</c>.</summary>
    public bool IsNamed(string host) =>
        options.Value.AllowedHttpHosts.Any(h => string.Equals(Bare(h), Bare(host), StringComparison.OrdinalIgnoreCase));

    /// <summary>An IPv6 host without the brackets a URI puts around it.</summary>
    private static string Bare(string host) => host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
}
