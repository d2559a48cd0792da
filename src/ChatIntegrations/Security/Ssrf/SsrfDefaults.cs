namespace ChatIntegrations.Security.Ssrf;

/// <summary>Default values of the SSRF guard and the outbound client, in one place.</summary>
internal static class SsrfDefaults
{
    /// <summary>The named <see cref="IHttpClientFactory"/> client whose handler carries the guard (SEC-9).</summary>
    public const string HttpClientName = "ChatIntegrations.Outgoing";

    public const int MaxRedirects = 5;
    public const int MaxRedirectsLimit = 20;
    public const int MaxBodyBytes = 1024 * 1024;
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    public static readonly TimeSpan DisabledWarningInterval = TimeSpan.FromHours(1);
    public static readonly TimeSpan LocalAddressRefresh = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan PooledConnectionLifetime = TimeSpan.FromMinutes(2);
}
