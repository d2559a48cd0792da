using ChatIntegrations.Security.Ssrf;

namespace ChatIntegrations;

/// <summary>Options of the SSRF guard that every outbound request passes: outgoing deliveries, script <c>fetch</c> and
/// <c>HTTP</c>, the omnichannel URL and every redirect hop (SEC-6..SEC-13).</summary>
/// <remarks>The guard checks the address actually connected to, at connect time (SEC-9). Options are read for every
/// connection, so a reloaded configuration takes effect on the next connection; <see cref="Proxy"/> takes effect when
/// the pooled handler is next rebuilt (within two minutes).</remarks>
public sealed class SsrfOptions
{
    /// <summary>Gets or sets a value indicating whether the SSRF guard is on (SEC-6, SEC-12).</summary>
    /// <value>The default is <see langword="true"/>. When <see langword="false"/>, every destination is allowed and a
    /// warning is logged at startup and once per hour.</value>
    public bool Enabled { get; set; } = true;

    /// <summary>Gets the destinations that are allowed although SEC-7 denies them (SEC-11): CIDR blocks
    /// (<c>10.1.0.0/16</c>, <c>fd00::/8</c>), single IP addresses, and host names, exact (<c>hooks.internal</c>) or
    /// by suffix (<c>*.corp.example</c>, which matches sub-domains of <c>corp.example</c> but not the name itself).</summary>
    /// <value>The default is empty.</value>
    /// <remarks>An allow-listed name may resolve to private addresses; an allow-listed CIDR block opens that range for
    /// every name. Names are compared case-insensitively and without a trailing dot.</remarks>
    public IList<string> AllowList { get; } = new List<string>();

    /// <summary>Gets the destination ports that are allowed (SEC-8).</summary>
    /// <value>The default is empty, which allows any port. Allowed entries: 1 to 65535.</value>
    public IList<int> AllowedPorts { get; } = new List<int>();

    /// <summary>Gets or sets the HTTP proxy that outbound requests go through (SEC-9).</summary>
    /// <value>The default is <see langword="null"/>: no proxy, and the environment's proxy settings
    /// (<c>HTTP_PROXY</c>, <c>HTTPS_PROXY</c>) are ignored.</value>
    /// <remarks>With a proxy, the guard checks the target's name and literal address before sending, but it cannot
    /// see the address the proxy connects to: the proxy is then responsible for connect-time filtering. Allowed schemes:
    /// <c>http</c>, <c>https</c>, <c>socks5</c>.</remarks>
    public Uri? Proxy { get; set; }

    /// <summary>Gets or sets the most redirects one request follows (SEC-10, DLV-13, SCR-53).</summary>
    /// <value>The default is 5. Allowed: 0 to 20.</value>
    public int MaxRedirects { get; set; } = SsrfDefaults.MaxRedirects;
}
