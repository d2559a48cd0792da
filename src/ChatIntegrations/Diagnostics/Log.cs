using Microsoft.Extensions.Logging;

namespace ChatIntegrations.Diagnostics;

/// <summary>All log messages of the library, with stable event ids (listed in the README). Never a token, secret,
/// script source or payload above Trace (SEC-4).</summary>
internal static partial class Log
{
    [LoggerMessage(1001, LogLevel.Debug, "Incoming request for integration {IntegrationId} answered {StatusCode} {Error}")]
    public static partial void IncomingAnswered(ILogger logger, string integrationId, int statusCode, string? error);

    [LoggerMessage(1002, LogLevel.Information, "Incoming request with an invalid integration id or token from {Address} (path {Path})")]
    public static partial void IncomingTokenRejected(ILogger logger, string? address, string path);

    [LoggerMessage(1003, LogLevel.Warning, "Client {Address} exceeded the failed token check limit; answering 429")]
    public static partial void IncomingThrottled(ILogger logger, string? address);

    [LoggerMessage(1004, LogLevel.Warning, "Incoming integration {IntegrationId}: {Warning}")]
    public static partial void IncomingWarning(ILogger logger, string integrationId, string warning);

    [LoggerMessage(1005, LogLevel.Error, "Message sink failed for integration {IntegrationId} in room {RoomId}")]
    public static partial void SinkFailed(ILogger logger, Exception exception, string integrationId, string roomId);

    [LoggerMessage(1006, LogLevel.Error, "Chat directory failed for integration {IntegrationId}")]
    public static partial void DirectoryFailed(ILogger logger, Exception exception, string integrationId);

    [LoggerMessage(1007, LogLevel.Warning, "Integration store unavailable")]
    public static partial void StoreUnavailable(ILogger logger, Exception exception);

    [LoggerMessage(1008, LogLevel.Trace, "Incoming body for integration {IntegrationId}: {Body}")]
    public static partial void IncomingBody(ILogger logger, string integrationId, string body);

    [LoggerMessage(2001, LogLevel.Warning, "Script of integration {IntegrationId} failed: {Reason}")]
    public static partial void ScriptFailed(ILogger logger, string integrationId, string reason);

    [LoggerMessage(2002, LogLevel.Debug, "Script of integration {IntegrationId} failed: {Reason}: {Detail}")]
    public static partial void ScriptFailedDetail(ILogger logger, string integrationId, string reason, string? detail);

    [LoggerMessage(2003, LogLevel.Error, "Script host threw for integration {IntegrationId}")]
    public static partial void ScriptHostThrew(ILogger logger, Exception exception, string integrationId);

    [LoggerMessage(3001, LogLevel.Information, "Integration {IntegrationId} ({Type}) {Action} by {Actor}")]
    public static partial void IntegrationChanged(ILogger logger, string integrationId, IntegrationType type, string action, string actor);

    [LoggerMessage(3002, LogLevel.Debug, "Import ignored Rocket.Chat-only key {Key}")]
    public static partial void ImportIgnoredKey(ILogger logger, string key);

    [LoggerMessage(3003, LogLevel.Warning, "Operation {Operation} denied for {Actor}")]
    public static partial void OperationDenied(ILogger logger, IntegrationOperation operation, string actor);

    [LoggerMessage(3004, LogLevel.Error, "Authorizer failed for operation {Operation}")]
    public static partial void AuthorizerFailed(ILogger logger, Exception exception, IntegrationOperation operation);
}

/// <summary>Logger categories used by the library.</summary>
internal static class LogCategories
{
    public const string Engine = "ChatIntegrations";
    public const string Scripts = "ChatIntegrations.Scripts";
}
