using System.Net;
using System.Net.Sockets;

namespace Dashboard.Core.Ingestion.Sources;

/// <summary>
/// The <see cref="SocketsHttpHandler.ConnectCallback"/> of ingestion's HttpClient: resolves the host once, checks every
/// address with <see cref="OutboundHttpRules"/>, and connects to those checked addresses only. There is no second
/// lookup, so a DNS answer that changes between check and connect (rebinding) cannot switch the target.
/// </summary>
public sealed class OutboundHttpConnector(OutboundHttpRules rules)
{
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = OutboundHttpAddresses.ParseLiteral(host) is { } literal
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken);
        rules.CheckAddresses(host, addresses);

        SocketException? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                last = ex;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw last ?? new SocketException((int)SocketError.HostNotFound);
    }
}
