using Microsoft.Extensions.Logging;

namespace ChatIntegrations.Scripting.Jint;

/// <summary>The log events of the script host (ids 3000–3099). Script source and payloads are never logged above
/// Trace.</summary>
internal static partial class ScriptHostLog
{
    [LoggerMessage(5001, LogLevel.Debug, "Script instance of integration {IntegrationId} version {Version} created in {ElapsedMs} ms ({EstimatedBytes} bytes estimated)")]
    public static partial void InstanceCreated(ILogger logger, string integrationId, long version, double elapsedMs, long estimatedBytes);

    [LoggerMessage(5002, LogLevel.Warning, "Script hook {Hook} of integration {IntegrationId} version {Version} failed: {Reason}")]
    public static partial void HookFailed(ILogger logger, string hook, string integrationId, long version, string reason);

    [LoggerMessage(5003, LogLevel.Warning, "Script of integration {IntegrationId} version {Version} failed to evaluate: {Reason}")]
    public static partial void EvaluationFailed(ILogger logger, string integrationId, long version, string reason);

    [LoggerMessage(5004, LogLevel.Warning, "Script instance of integration {IntegrationId} version {Version} stayed busy past the wall-clock limit")]
    public static partial void Busy(ILogger logger, string integrationId, long version);

    [LoggerMessage(5005, LogLevel.Warning, "Store of integration {IntegrationId} version {Version} discarded: the node's Store budget is exhausted")]
    public static partial void StoreDiscarded(ILogger logger, string integrationId, long version);

    [LoggerMessage(5006, LogLevel.Debug, "Script instance of integration {IntegrationId} version {Version} evicted")]
    public static partial void InstanceEvicted(ILogger logger, string integrationId, long version);

    [LoggerMessage(5007, LogLevel.Trace, "Script error detail for integration {IntegrationId}: {Detail}")]
    public static partial void ErrorDetail(ILogger logger, string integrationId, string detail);

    [LoggerMessage(5008, LogLevel.Error, "Unexpected script host failure for integration {IntegrationId}")]
    public static partial void HostFault(ILogger logger, Exception exception, string integrationId);
}
