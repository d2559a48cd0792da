using Microsoft.Extensions.Logging;

namespace ChatIntegrations.Diagnostics;

/// <summary>Omnichannel log messages (event ids 8001–8099). Never the secret token or a payload above Trace (SEC-4).</summary>
internal static partial class Log
{
    [LoggerMessage(8001, LogLevel.Debug, "Omnichannel event {Event} enqueued as delivery {DeliveryId}")]
    public static partial void OmnichannelEnqueued(ILogger logger, string @event, string deliveryId);

    [LoggerMessage(8002, LogLevel.Debug, "Omnichannel event {Event} not sent: {Reason}")]
    public static partial void OmnichannelSkipped(ILogger logger, string @event, string reason);

    [LoggerMessage(8003, LogLevel.Warning, "Delivery queue full ({MaxPending}); omnichannel event {Event} dropped (queue-full)")]
    public static partial void OmnichannelQueueFull(ILogger logger, string @event, int maxPending);

    [LoggerMessage(8004, LogLevel.Warning, "Omnichannel CRM answer for room {RoomId} is {Bytes} bytes, above the 64 KiB crmData limit; nothing stored")]
    public static partial void OmnichannelCrmDataTooLarge(ILogger logger, string roomId, long bytes);

    [LoggerMessage(8005, LogLevel.Warning, "Omnichannel delivery {DeliveryId} ({Event}) dropped after attempt {Attempt}: {Reason}")]
    public static partial void OmnichannelDropped(ILogger logger, string deliveryId, string? @event, int attempt, string reason);

    [LoggerMessage(8006, LogLevel.Information, "Omnichannel webhook settings saved by {Actor} (version {Version})")]
    public static partial void OmnichannelSettingsSaved(ILogger logger, string actor, long version);

    [LoggerMessage(8007, LogLevel.Information, "Omnichannel webhook test by {Actor} failed: {Reason}")]
    public static partial void OmnichannelTestFailed(ILogger logger, string actor, string reason);

    [LoggerMessage(8008, LogLevel.Debug, "Omnichannel event {Event} for room {RoomId}: messages cut to the newest {Max}")]
    public static partial void OmnichannelMessagesTruncated(ILogger logger, string @event, string roomId, int max);

    [LoggerMessage(8009, LogLevel.Warning, "Omnichannel crmData for room {RoomId} could not be stored")]
    public static partial void OmnichannelCrmDataFailed(ILogger logger, Exception exception, string roomId);
}
