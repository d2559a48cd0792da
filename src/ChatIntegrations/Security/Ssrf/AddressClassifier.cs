using System.Net;
using System.Net.Sockets;

namespace ChatIntegrations.Security.Ssrf;

/// <summary>The fixed deny table of SEC-7: address ranges and names that outbound requests may not reach unless
/// allow-listed. Thread-safe and allocation-free on the hot path.</summary>
internal static class AddressClassifier
{
    // SEC-7: this host / loopback, RFC 1918, link-local (metadata), CGNAT, special use, documentation.
    private static readonly IPNetwork[] DeniedV4 =
    [
        IPNetwork.Parse("0.0.0.0/8"),
        IPNetwork.Parse("127.0.0.0/8"),
        IPNetwork.Parse("10.0.0.0/8"),
        IPNetwork.Parse("172.16.0.0/12"),
        IPNetwork.Parse("192.168.0.0/16"),
        IPNetwork.Parse("169.254.0.0/16"),
        IPNetwork.Parse("100.64.0.0/10"),
        IPNetwork.Parse("192.0.0.0/24"),
        IPNetwork.Parse("198.18.0.0/15"),
        IPNetwork.Parse("224.0.0.0/4"),
        IPNetwork.Parse("240.0.0.0/4"), // includes 255.255.255.255/32
        IPNetwork.Parse("192.0.2.0/24"),
        IPNetwork.Parse("198.51.100.0/24"),
        IPNetwork.Parse("203.0.113.0/24"),
    ];

    private static readonly IPNetwork[] DeniedV6 =
    [
        IPNetwork.Parse("::/128"),
        IPNetwork.Parse("::1/128"),
        IPNetwork.Parse("fc00::/7"),
        IPNetwork.Parse("fe80::/10"),
        IPNetwork.Parse("ff00::/8"),
        IPNetwork.Parse("2001:db8::/32"),
        IPNetwork.Parse("fec0::/10"),
        IPNetwork.Parse("100::/64"),
        IPNetwork.Parse("2001::/32"), // Teredo: the embedded IPv4 is obfuscated, so the whole prefix is denied
        IPNetwork.Parse("64:ff9b:1::/48"),
    ];

    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");
    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");

    /// <summary>Returns the address a destination is judged by: the embedded IPv4 address of an IPv4-mapped,
    /// IPv4-compatible, NAT64 (<c>64:ff9b::/96</c>) or 6to4 (<c>2002::/16</c>) address, else the address itself
    /// (without an IPv6 scope id).</summary>
    public static IPAddress Effective(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return address;
        if (address.IsIPv4MappedToIPv6) return address.MapToIPv4();

        Span<byte> b = stackalloc byte[16];
        address.TryWriteBytes(b, out _);

        // IPv4-compatible ::a.b.c.d (::/96); :: and ::1 are in the table themselves and embed 0.0.0.0/8 anyway.
        if (b[..12].IndexOfAnyExcept((byte)0) < 0) return new IPAddress(b[12..]);

        var scopeless = address.ScopeId == 0 ? address : new IPAddress(b);
        if (Nat64.Contains(scopeless)) return new IPAddress(b[12..]);
        if (SixToFour.Contains(scopeless)) return new IPAddress(b[2..6]);
        return scopeless;
    }

    /// <summary>Returns a value indicating whether SEC-7's table denies <paramref name="address"/>, judging embedded
    /// IPv4 addresses by the IPv4 address (the node's own addresses are checked separately).</summary>
    public static bool IsDeniedAddress(IPAddress address)
    {
        var effective = Effective(address);
        var table = effective.AddressFamily == AddressFamily.InterNetwork ? DeniedV4 : DeniedV6;
        foreach (var network in table)
        {
            if (network.Contains(effective)) return true;
        }

        return false;
    }

    /// <summary>Lower-cases a host name and removes a trailing dot and IPv6 brackets.</summary>
    public static string NormalizeHost(string host)
    {
        var h = host.Trim();
        if (h.Length > 1 && h[0] == '[' && h[^1] == ']') h = h[1..^1];
        return h.TrimEnd('.').ToLowerInvariant();
    }

    /// <summary>Returns a value indicating whether <paramref name="host"/> is a name denied before resolution:
    /// <c>localhost</c>, <c>*.localhost</c>, <c>metadata.google.internal</c>, <c>metadata</c> (SEC-7).</summary>
    public static bool IsDeniedName(string host)
    {
        var h = NormalizeHost(host);
        return h is "localhost" or "metadata" or "metadata.google.internal"
            || h.EndsWith(".localhost", StringComparison.Ordinal);
    }

    /// <summary>Parses a host that is an IP literal (brackets and scope allowed).</summary>
    public static bool TryParseLiteral(string host, out IPAddress address)
    {
        var h = host.Trim();
        if (h.Length > 1 && h[0] == '[' && h[^1] == ']') h = h[1..^1];
        if (h.Length > 0 && (char.IsAsciiDigit(h[0]) || h.Contains(':', StringComparison.Ordinal)) && IPAddress.TryParse(h, out var parsed))
        {
            address = parsed;
            return true;
        }

        address = IPAddress.None;
        return false;
    }
}
