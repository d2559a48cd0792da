namespace ChatIntegrations.Security.Ssrf;

/// <summary>The failure codes of an outbound request without an answer (SCR-26), Node-style.</summary>
internal static class OutboundErrorCodes
{
    /// <summary>Blocked by the SSRF guard (SEC-7..SEC-9).</summary>
    public const string Ssrf = "ESSRF";

    /// <summary>The per-call timeout elapsed, or the connection attempt timed out.</summary>
    public const string TimedOut = "ETIMEDOUT";

    /// <summary>The connection was refused (or the destination was unreachable).</summary>
    public const string ConnectionRefused = "ECONNREFUSED";

    /// <summary>The connection was reset or closed before a complete answer.</summary>
    public const string ConnectionReset = "ECONNRESET";

    /// <summary>The name did not resolve.</summary>
    public const string NotFound = "ENOTFOUND";

    /// <summary>The TLS handshake failed (certificate, protocol).</summary>
    public const string Tls = "ETLS";

    /// <summary>A redirect was refused: too many hops, a disallowed scheme, an https → http downgrade (SEC-10), or
    /// any redirect under <see cref="OutboundRedirectMode.Error"/>.</summary>
    public const string Redirect = "EREDIRECT";

    /// <summary>The body was larger than the caller's limit (SCR-54; the client itself only reports truncation).</summary>
    public const string TooLarge = "ETOOLARGE";
}
