using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace ChatIntegrations.Security.Ssrf;

/// <summary>The addresses of this node's own interfaces, which outbound requests may not reach (SEC-7, self-calls).</summary>
/// <remarks>Implementations must be thread-safe and cheap: they are asked on every connection.</remarks>
internal interface ILocalAddressProvider
{
    /// <summary>Gets the node's addresses, IPv6 without scope ids.</summary>
    IReadOnlySet<IPAddress> GetAddresses();
}

/// <summary>Reads <see cref="NetworkInterface.GetAllNetworkInterfaces"/> and caches the answer for 30 seconds, so that
/// an address added later (DHCP, a new container network) is denied soon after.</summary>
internal sealed class NetworkInterfaceAddressProvider(TimeProvider timeProvider) : ILocalAddressProvider
{
    private volatile Snapshot? _snapshot;

    public IReadOnlySet<IPAddress> GetAddresses()
    {
        var current = _snapshot;
        if (current is not null && timeProvider.GetElapsedTime(current.Timestamp) < SsrfDefaults.LocalAddressRefresh)
        {
            return current.Addresses;
        }

        var fresh = new Snapshot(timeProvider.GetTimestamp(), Read());
        _snapshot = fresh;
        return fresh.Addresses;
    }

    private static HashSet<IPAddress> Read()
    {
        var set = new HashSet<IPAddress>();
        try
        {
            foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
            {
                foreach (var unicast in nic.GetIPProperties().UnicastAddresses)
                {
                    var address = unicast.Address;
                    if (address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0)
                    {
                        address = new IPAddress(address.GetAddressBytes());
                    }

                    set.Add(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);
                }
            }
        }
        catch (NetworkInformationException)
        {
            // Some sandboxes hide the interfaces; the fixed table (loopback, private ranges) still applies.
        }

        return set;
    }

    private sealed record Snapshot(long Timestamp, HashSet<IPAddress> Addresses);
}
