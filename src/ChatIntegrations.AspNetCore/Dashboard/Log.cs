using Microsoft.Extensions.Logging;

namespace ChatIntegrations.AspNetCore.Dashboard;

/// <summary>The dashboard's log events (9001–9099). Never the CSRF token, never a body.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 9001, Level = LogLevel.Warning, Message = "Dashboard refused {Method} {Path}: missing or wrong CSRF token")]
    public static partial void CsrfRejected(ILogger logger, string method, string path);
}
