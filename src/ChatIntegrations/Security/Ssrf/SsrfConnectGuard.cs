using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatIntegrations.Security.Ssrf;

/// <summary>The connect-time half of the guard (SEC-9): the <see cref="SocketsHttpHandler.ConnectCallback"/> that
/// resolves the name once, drops denied addresses, and connects only to an address it has checked, so that a second
/// resolution (DNS rebinding) can never pick the destination. Thread-safe.</summary>
internal sealed class SsrfConnectGuard(
    IOptionsMonitor<ChatIntegrationsOptions> options,
    IDnsResolver resolver,
    ILocalAddressProvider localAddresses,
    ISocketConnector connector,
    SsrfDisabledWarning disabledWarning,
    ILogger<SsrfConnectGuard> logger)
{
    /// <summary>Connects for <paramref name="context"/>. With a proxy configured (<paramref name="proxy"/>), the only
    /// endpoint the handler connects to is the proxy, which the administrator chose: it is connected without the
    /// address check, and the target is checked by <see cref="SsrfGuardHandler"/> before sending.</summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, Uri? proxy, CancellationToken cancellationToken)
    {
        var endPoint = context.DnsEndPoint;
        var host = endPoint.Host;
        int port = endPoint.Port;
        var policy = SsrfPolicy.For(options.CurrentValue.Ssrf);
        bool isProxy = proxy is not null
            && string.Equals(AddressClassifier.NormalizeHost(proxy.IdnHost), AddressClassifier.NormalizeHost(host), StringComparison.Ordinal)
            && proxy.Port == port;

        if (!policy.Enabled || isProxy)
        {
            if (!policy.Enabled) disabledWarning.WarnIfDue(); // SEC-12
            var any = await ResolveAsync(host, cancellationToken).ConfigureAwait(false);
            return await ConnectFirstAsync(any, port, host, cancellationToken).ConfigureAwait(false);
        }

        if (!policy.IsPortAllowed(port)) throw Blocked(host, port, "port not in Ssrf:AllowedPorts");

        bool nameAllowListed = policy.IsNameAllowListed(host);
        if (policy.IsNameDenied(host)) throw Blocked(host, port, "denied name"); // SEC-7: before resolution

        var addresses = await ResolveAsync(host, cancellationToken).ConfigureAwait(false);
        IReadOnlySet<IPAddress>? local = null;
        var vetted = new List<IPAddress>(addresses.Length);
        foreach (var address in addresses)
        {
            // SEC-11: an allow-listed name may resolve to private addresses.
            if (nameAllowListed || !policy.IsAddressDenied(address, local ??= localAddresses.GetAddresses()))
            {
                vetted.Add(address);
            }
        }

        if (vetted.Count == 0) throw Blocked(host, port, "every resolved address is denied"); // SEC-9
        return await ConnectFirstAsync(vetted, port, host, cancellationToken).ConfigureAwait(false);
    }

    private async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        if (AddressClassifier.TryParseLiteral(host, out var literal)) return [literal];
        IPAddress[] addresses;
        try
        {
            addresses = await resolver.ResolveAsync(host, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException ex)
        {
            throw new OutboundRequestException(OutboundErrorCodes.NotFound, $"getaddrinfo ENOTFOUND {host}", ex);
        }

        if (addresses.Length == 0) throw new OutboundRequestException(OutboundErrorCodes.NotFound, $"getaddrinfo ENOTFOUND {host}");
        return addresses;
    }

    private async Task<Stream> ConnectFirstAsync(IReadOnlyList<IPAddress> addresses, int port, string host, CancellationToken cancellationToken)
    {
        SocketException? last = null;
        foreach (var address in addresses)
        {
            try
            {
                return await connector.ConnectAsync(new IPEndPoint(address, port), cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException ex)
            {
                last = ex;
            }
        }

        var code = OutboundFailures.CodeOf(last!.SocketErrorCode);
        throw new OutboundRequestException(code, $"connect {code} {host}:{port}", last);
    }

    private OutboundRequestException Blocked(string host, int port, string reason)
    {
        SsrfLog.Blocked(logger, host, port, reason);
        return new OutboundRequestException(OutboundErrorCodes.Ssrf, $"request to {host}:{port} blocked by the SSRF guard: {reason}");
    }
}
