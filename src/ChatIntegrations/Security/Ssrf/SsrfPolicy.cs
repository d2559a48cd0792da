using System.Runtime.CompilerServices;
using System.Net;
using System.Net.Sockets;

namespace ChatIntegrations.Security.Ssrf;

/// <summary>The SSRF rules of one <see cref="SsrfOptions"/> snapshot: the deny table of SEC-7 with the allow list of
/// SEC-11 and the port list of SEC-8 applied. Immutable and thread-safe.</summary>
internal sealed class SsrfPolicy
{
    private static readonly ConditionalWeakTable<SsrfOptions, Cached> Cache = new();

    private readonly IPNetwork[] _allowedNetworks;
    private readonly string[] _allowedNames;
    private readonly string[] _allowedSuffixes;
    private readonly int[] _allowedPorts;

    private SsrfPolicy(bool enabled, IPNetwork[] networks, string[] names, string[] suffixes, int[] ports)
    {
        Enabled = enabled;
        _allowedNetworks = networks;
        _allowedNames = names;
        _allowedSuffixes = suffixes;
        _allowedPorts = ports;
    }

    /// <summary>Gets a value indicating whether the guard is on (SEC-12).</summary>
    public bool Enabled { get; }

    /// <summary>Returns the policy of <paramref name="options"/>, cached while the options do not change. Invalid
    /// allow-list entries are ignored here; startup validation reports them.</summary>
    public static SsrfPolicy For(SsrfOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var key = Fingerprint(options);
        if (Cache.TryGetValue(options, out var cached) && cached.Key == key) return cached.Policy;
        var policy = Build(options);
        Cache.AddOrUpdate(options, new Cached(key, policy));
        return policy;
    }

    /// <summary>Returns a value indicating whether the port is allowed (SEC-8).</summary>
    public bool IsPortAllowed(int port) => !Enabled || _allowedPorts.Length == 0 || Array.IndexOf(_allowedPorts, port) >= 0;

    /// <summary>Returns a value indicating whether the name is allow-listed, exactly or by <c>*.suffix</c> (SEC-11).</summary>
    public bool IsNameAllowListed(string host)
    {
        var h = AddressClassifier.NormalizeHost(host);
        if (Array.IndexOf(_allowedNames, h) >= 0) return true;
        foreach (var suffix in _allowedSuffixes)
        {
            if (h.Length > suffix.Length && h.EndsWith(suffix, StringComparison.Ordinal)) return true;
        }

        return false;
    }

    /// <summary>Returns a value indicating whether the name is denied before resolution (SEC-7) and not allow-listed.</summary>
    public bool IsNameDenied(string host) => Enabled && AddressClassifier.IsDeniedName(host) && !IsNameAllowListed(host);

    /// <summary>Returns a value indicating whether the address lies in an allow-listed CIDR block (SEC-11), judging
    /// embedded IPv4 addresses both ways.</summary>
    public bool IsAddressAllowListed(IPAddress address)
    {
        var effective = AddressClassifier.Effective(address);
        foreach (var network in _allowedNetworks)
        {
            if (network.Contains(effective) || (!ReferenceEquals(effective, address) && network.Contains(address))) return true;
        }

        return false;
    }

    /// <summary>Returns a value indicating whether a connection to <paramref name="address"/> is denied: in the SEC-7
    /// table or one of the node's own addresses, and not in an allow-listed CIDR block.</summary>
    /// <param name="address">The resolved or literal address.</param>
    /// <param name="localAddresses">The node's own addresses (normalised, see <see cref="ILocalAddressProvider"/>);
    /// <see langword="null"/> to skip that check.</param>
    public bool IsAddressDenied(IPAddress address, IReadOnlySet<IPAddress>? localAddresses)
    {
        if (!Enabled) return false;
        if (IsAddressAllowListed(address)) return false;
        if (AddressClassifier.IsDeniedAddress(address)) return true;
        if (localAddresses is null) return false;
        return localAddresses.Contains(AddressClassifier.Effective(address)) || localAddresses.Contains(Scopeless(address));
    }

    /// <summary>Parses one allow-list entry. Returns <see langword="null"/> when it is valid, else the reason.</summary>
    public static string? TryParseEntry(string? entry, out IPNetwork? network, out string? name, out string? suffix)
    {
        network = null;
        name = null;
        suffix = null;
        if (string.IsNullOrWhiteSpace(entry)) return "is empty";
        var e = entry.Trim();
        if (e.Contains('/', StringComparison.Ordinal))
        {
            if (IPNetwork.TryParse(e, out var parsed))
            {
                // Refuse 10.0.0.1/8: the administrator's intent is ambiguous, so say what the block would be.
                var written = e[..e.IndexOf('/', StringComparison.Ordinal)];
                if (IPAddress.TryParse(written, out var writtenAddress) && !writtenAddress.Equals(parsed.BaseAddress))
                {
                    return $"has address bits set beyond the prefix length /{parsed.PrefixLength} (did you mean {parsed}?)";
                }

                network = parsed;
                return null;
            }

            return "is not a valid CIDR block (expected an address and a prefix length such as 10.0.0.0/8 or fd00::/8, "
                + "with no address bits set beyond the prefix)";
        }

        if (AddressClassifier.TryParseLiteral(e, out var address))
        {
            network = new IPNetwork(Scopeless(address), address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128);
            return null;
        }

        var host = AddressClassifier.NormalizeHost(e);
        bool wildcard = host.StartsWith("*.", StringComparison.Ordinal);
        var labels = wildcard ? host[2..] : host;
        if (labels.Length == 0 || labels.Length > 253 || !labels.Split('.').All(IsLabel))
        {
            return "is neither a CIDR block, an IP address, nor a host name (exact, or *.suffix)";
        }

        if (wildcard) suffix = "." + labels;
        else name = labels;
        return null;
    }

    private static bool IsLabel(string label) =>
        label.Length is > 0 and <= 63 && label.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    private static IPAddress Scopeless(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0 ? new IPAddress(address.GetAddressBytes()) : address;

    private static SsrfPolicy Build(SsrfOptions options)
    {
        var networks = new List<IPNetwork>();
        var names = new List<string>();
        var suffixes = new List<string>();
        foreach (var entry in options.AllowList)
        {
            if (TryParseEntry(entry, out var network, out var name, out var suffix) is not null) continue;
            if (network is { } n) networks.Add(n);
            if (name is not null) names.Add(name);
            if (suffix is not null) suffixes.Add(suffix);
        }

        return new SsrfPolicy(options.Enabled, [.. networks], [.. names], [.. suffixes], [.. options.AllowedPorts]);
    }

    private static string Fingerprint(SsrfOptions options) =>
        string.Concat(options.Enabled ? "1|" : "0|", string.Join("\n", options.AllowList), "|", string.Join(",", options.AllowedPorts));

    private sealed record Cached(string Key, SsrfPolicy Policy);
}
