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

    [LoggerMessage(1009, LogLevel.Warning, "Incoming integration {IntegrationId}: the script's message has no text and no attachments; nothing posted, answered 200 (MSG-11)")]
    public static partial void ScriptMessageEmpty(ILogger logger, string integrationId);

    [LoggerMessage(2001, LogLevel.Warning, "Script of integration {IntegrationId} failed: {Reason}")]
    public static partial void ScriptFailed(ILogger logger, string integrationId, string reason);

    [LoggerMessage(2002, LogLevel.Debug, "Script of integration {IntegrationId} failed: {Reason}: {Detail}")]
    public static partial void ScriptFailedDetail(ILogger logger, string integrationId, string reason, string? detail);

    [LoggerMessage(2004, LogLevel.Debug, "[{IntegrationId}] console.{Level}: {Message}")]
    public static partial void ScriptConsole(ILogger logger, string integrationId, string level, string message);

    [LoggerMessage(2005, LogLevel.Warning, "Incoming history record could not be saved for integration {IntegrationId}")]
    public static partial void IncomingHistoryFailed(ILogger logger, Exception exception, string integrationId);

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

    [LoggerMessage(3005, LogLevel.Information, "Script of integration {IntegrationId} tried by {Actor} (dry run, unsaved script: {Unsaved}): {Outcome}")]
    public static partial void ScriptTried(ILogger logger, string integrationId, string actor, bool unsaved, string outcome);

    [LoggerMessage(7001, LogLevel.Debug, "Event {Event} fired {Count} deliveries")]
    public static partial void EventPublished(ILogger logger, string @event, int count);

    [LoggerMessage(7002, LogLevel.Warning, "Delivery queue full ({MaxPending}); delivery for integration {IntegrationId} dropped (queue-full)")]
    public static partial void QueueFull(ILogger logger, string integrationId, int maxPending);

    [LoggerMessage(7003, LogLevel.Warning, "Loop suspected: integration {IntegrationId} fired too often in room {RoomId} on integration messages; firing dropped")]
    public static partial void LoopSuspected(ILogger logger, string integrationId, string roomId);

    [LoggerMessage(7004, LogLevel.Warning, "Integration store unavailable while publishing; retrying the enqueue")]
    public static partial void PublishRetrying(ILogger logger, Exception exception);

    [LoggerMessage(7005, LogLevel.Warning, "Trigger index rebuild failed; keeping the previous index")]
    public static partial void IndexRebuildFailed(ILogger logger, Exception exception);

    [LoggerMessage(7010, LogLevel.Information, "Dispatcher {NodeId} started; {Released} leases released after restart")]
    public static partial void DispatcherStarted(ILogger logger, string nodeId, int released);

    [LoggerMessage(7011, LogLevel.Information, "Dispatcher {NodeId} stopped")]
    public static partial void DispatcherStopped(ILogger logger, string nodeId);

    [LoggerMessage(7012, LogLevel.Warning, "Integration store unavailable in the dispatcher; backing off {Delay}")]
    public static partial void DispatcherBackoff(ILogger logger, Exception exception, TimeSpan delay);

    [LoggerMessage(7013, LogLevel.Error, "Dispatcher loop failed unexpectedly")]
    public static partial void DispatcherFailed(ILogger logger, Exception exception);

    [LoggerMessage(7020, LogLevel.Debug, "Delivery {DeliveryId} of integration {IntegrationId}, attempt {Attempt}: {State} at step {Step}")]
    public static partial void AttemptFinished(ILogger logger, string deliveryId, string integrationId, int attempt, DeliveryState state, string step);

    [LoggerMessage(7021, LogLevel.Warning, "Delivery {DeliveryId} of integration {IntegrationId} postponed: scripts are disabled")]
    public static partial void ScriptsDisabledPostponed(ILogger logger, string deliveryId, string integrationId);

    [LoggerMessage(7022, LogLevel.Warning, "Delivery {DeliveryId} lost its lease; the result is dropped")]
    public static partial void LeaseLost(ILogger logger, string deliveryId);

    [LoggerMessage(7023, LogLevel.Information, "Delivery {DeliveryId} cancelled by shutdown; back to pending")]
    public static partial void CancelledByShutdown(ILogger logger, string deliveryId);

    [LoggerMessage(7024, LogLevel.Warning, "Integration {IntegrationId} disabled after a 410 Gone answer")]
    public static partial void DisabledByGone(ILogger logger, string integrationId);

    [LoggerMessage(7025, LogLevel.Warning, "Reply of integration {IntegrationId} could not be posted: {Error}")]
    public static partial void ReplyFailed(ILogger logger, string integrationId, string error);

    [LoggerMessage(7027, LogLevel.Warning, "Reply of integration {IntegrationId}: {Warning}")]
    public static partial void ReplyWarning(ILogger logger, string integrationId, string warning);

    [LoggerMessage(7026, LogLevel.Error, "Delivery {DeliveryId} failed unexpectedly")]
    public static partial void DeliveryCrashed(ILogger logger, Exception exception, string deliveryId);

    [LoggerMessage(7030, LogLevel.Warning, "Circuit breaker for {Host} is {State}")]
    public static partial void BreakerTransition(ILogger logger, string host, string state);

    [LoggerMessage(7040, LogLevel.Information, "History purge removed {Count} rows older than {Before}")]
    public static partial void HistoryPurged(ILogger logger, int count, DateTimeOffset before);

    [LoggerMessage(7041, LogLevel.Warning, "History purge failed")]
    public static partial void HistoryPurgeFailed(ILogger logger, Exception exception);

    [LoggerMessage(7042, LogLevel.Warning, "History record could not be saved for delivery {DeliveryId}")]
    public static partial void HistorySaveFailed(ILogger logger, Exception exception, string? deliveryId);
}

/// <summary>Logger categories used by the library.</summary>
internal static class LogCategories
{
    public const string Engine = "ChatIntegrations";
    public const string Scripts = "ChatIntegrations.Scripts";
    public const string Delivery = "ChatIntegrations.Delivery";
}
