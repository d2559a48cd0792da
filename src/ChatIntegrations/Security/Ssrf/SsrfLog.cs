using Microsoft.Extensions.Logging;

namespace ChatIntegrations.Security.Ssrf;

/// <summary>Log messages of the SSRF guard and the outbound client (event ids 4001–4099). Hosts only, never paths or
/// queries, which may carry tokens (SEC-4).</summary>
internal static partial class SsrfLog
{
    [LoggerMessage(4001, LogLevel.Warning, "The SSRF guard is disabled (ChatIntegrations:Ssrf:Enabled = false): outbound requests may reach loopback, private and metadata addresses")]
    public static partial void GuardDisabled(ILogger logger);

    [LoggerMessage(4002, LogLevel.Information, "Outbound request to {Host}:{Port} blocked by the SSRF guard: {Reason}")]
    public static partial void Blocked(ILogger logger, string host, int port, string reason);

    [LoggerMessage(4003, LogLevel.Debug, "Outbound request redirected ({StatusCode}) from {FromHost} to {ToHost}")]
    public static partial void Redirected(ILogger logger, int statusCode, string fromHost, string toHost);

    [LoggerMessage(4004, LogLevel.Debug, "Outbound request to {Host} failed with {Code}")]
    public static partial void Failed(ILogger logger, string host, string code);
}
