using System.Net;

namespace ChatIntegrations.Security.Ssrf;

/// <summary>Resolves host names for the connect-time guard (SEC-9). Replaceable so that tests can stub DNS.</summary>
/// <remarks>Implementations must be thread-safe. A name that does not resolve throws
/// <see cref="System.Net.Sockets.SocketException"/> or returns an empty array; both become <c>ENOTFOUND</c>.</remarks>
internal interface IDnsResolver
{
    /// <summary>Resolves <paramref name="host"/> to its addresses, in the order they should be tried.</summary>
    Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken);
}

/// <summary>The default resolver: <see cref="Dns.GetHostAddressesAsync(string, CancellationToken)"/>.</summary>
internal sealed class SystemDnsResolver : IDnsResolver
{
    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
        Dns.GetHostAddressesAsync(host, cancellationToken);
}
