using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Dashboard.Core.Ingestion.Sources;

/// <summary>
/// Which IP addresses ingestion may not read by default: the server's own network (loopback, link-local with the cloud
/// metadata service at 169.254.169.254, RFC 1918 and CGNAT private ranges, IPv6 unique-local), multicast, broadcast
/// and unspecified addresses, in every spelling (IPv4-mapped and NAT64 IPv6 forms are judged by their IPv4 address).
/// </summary>
public static class OutboundHttpAddresses
{
    /// <summary>The kind of address that is refused ("loopback", "private", ...), or null when ingestion may read it.</summary>
    public static string? RefusedKind(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return RefusedKind(address.MapToIPv4());
        }

        return address.AddressFamily switch
        {
            AddressFamily.InterNetwork => RefusedIPv4(address.GetAddressBytes()),
            AddressFamily.InterNetworkV6 => RefusedIPv6(address),
            _ => "non-IP",
        };
    }

    /// <summary>
    /// Reads a URI host that is an IP address in any spelling a resolver accepts (dotted, decimal <c>2130706433</c>,
    /// hex <c>0x7f.1</c>, octal <c>0177.0.0.1</c>, bracketed IPv6); null for a host name.
    /// </summary>
    public static IPAddress? ParseLiteral(string host)
    {
        var bare = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        if (bare.Contains(':'))
        {
            return IPAddress.TryParse(bare, out var v6) ? v6 : null;
        }

        var parts = bare.TrimEnd('.').Split('.');
        if (parts.Length is < 1 or > 4)
        {
            return null;
        }

        var values = new long[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!TryParseInetPart(parts[i], out values[i]))
            {
                return null;
            }
        }

        // inet_aton: the last part fills the remaining bytes (a.b.c.d, a.b.c16, a.b24, a32).
        long value = 0;
        for (var i = 0; i < values.Length - 1; i++)
        {
            if (values[i] > 255)
            {
                return null;
            }

            value |= values[i] << (8 * (3 - i));
        }

        var last = values[^1];
        if (last >= 1L << (8 * (5 - values.Length)))
        {
            return null;
        }

        return new IPAddress(BitConverter.GetBytes(IPAddress.HostToNetworkOrder((int)(value | last))));
    }

    private static bool TryParseInetPart(string part, out long value)
    {
        value = 0;
        if (part.Length == 0)
        {
            return false;
        }

        if (part.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            return part.Length == 2 || long.TryParse(part.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value) && value <= uint.MaxValue;
        }

        if (part.Length > 1 && part[0] == '0')
        {
            try
            {
                value = Convert.ToInt64(part, 8);
                return value <= uint.MaxValue;
            }
            catch (FormatException)
            {
                return false;
            }
            catch (OverflowException)
            {
                return false;
            }
        }

        return part.All(char.IsAsciiDigit) && long.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value <= uint.MaxValue;
    }

    private static string? RefusedIPv4(byte[] b) => b switch
    {
        [0, ..] => "unspecified",
        [127, ..] => "loopback",
        [10, ..] => "private",
        [172, >= 16 and <= 31, ..] => "private",
        [192, 168, ..] => "private",
        [100, >= 64 and <= 127, ..] => "private (carrier-grade NAT)",
        [169, 254, ..] => "link-local",
        [>= 224 and <= 239, ..] => "multicast",
        [255, 255, 255, 255] => "broadcast",
        [>= 240, ..] => "reserved",
        _ => null,
    };

    private static string? RefusedIPv6(IPAddress address)
    {
        var b = address.GetAddressBytes();
        if (address.Equals(IPAddress.IPv6Any))
        {
            return "unspecified";
        }

        if (address.Equals(IPAddress.IPv6Loopback))
        {
            return "loopback";
        }

        // NAT64 (64:ff9b::/96) and the deprecated IPv4-compatible form (::a.b.c.d) carry an IPv4 address.
        if (b[..12].SequenceEqual(new byte[] { 0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0 }) || b[..12].All(x => x == 0))
        {
            return RefusedIPv4(b[12..]);
        }

        return address.IsIPv6LinkLocal ? "link-local"
            : address.IsIPv6SiteLocal ? "site-local"
            : address.IsIPv6UniqueLocal ? "private (unique-local)"
            : address.IsIPv6Multicast ? "multicast"
            : null;
    }
}
