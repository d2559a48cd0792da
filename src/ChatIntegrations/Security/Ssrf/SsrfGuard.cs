using System.Net;

namespace ChatIntegrations.Security.Ssrf;

/// <summary>Checks of a URL that need no resolution: the scheme (SEC-8), the port, denied names and denied literal
/// addresses (SEC-7), with the allow list applied (SEC-11). The connect-time check (SEC-9) stays authoritative.</summary>
internal static class SsrfGuard
{
    /// <summary>Returns a value indicating whether the URL's host is a denied literal IP address or a denied name, for
    /// the save-time check of SEC-13 (<c>error-url-not-allowed</c>). The node's own interface addresses, the scheme
    /// and the port are not judged here.</summary>
    /// <param name="url">An absolute URL.</param>
    /// <param name="options">The SSRF options; when the guard is disabled, nothing is denied.</param>
    /// <returns><see langword="true"/> when saving must be refused.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static bool IsDeniedLiteral(Uri url, SsrfOptions options)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(options);
        if (!url.IsAbsoluteUri) return false;
        var policy = SsrfPolicy.For(options);
        if (!policy.Enabled) return false;
        var host = url.IdnHost;
        if (AddressClassifier.TryParseLiteral(host, out var address)) return policy.IsAddressDenied(address, localAddresses: null);
        return policy.IsNameDenied(host);
    }

    /// <summary>Returns why the URL is refused before sending, or <see langword="null"/> when it may be sent.</summary>
    internal static string? Check(Uri url, SsrfPolicy policy, IReadOnlySet<IPAddress>? localAddresses)
    {
        if (!policy.Enabled) return null;
        if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)) return "only http and https are allowed";
        if (!policy.IsPortAllowed(url.Port)) return "port not in Ssrf:AllowedPorts";
        var host = url.IdnHost;
        if (AddressClassifier.TryParseLiteral(host, out var address))
        {
            return policy.IsAddressDenied(address, localAddresses) ? "denied address" : null;
        }

        return policy.IsNameDenied(host) ? "denied name" : null;
    }
}
