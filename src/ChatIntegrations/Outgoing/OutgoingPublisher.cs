using System.Text.Json.Nodes;
using ChatIntegrations.Delivery;
using ChatIntegrations.Delivery.History;
using ChatIntegrations.Delivery.Signing;
using ChatIntegrations.Diagnostics;
using ChatIntegrations.Outgoing.Matching;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatIntegrations.Outgoing;

/// <summary>Turns a published chat event into enqueued deliveries (GEN-3, OUT-10..OUT-53, DLV-1, DLV-2, DLV-38).
/// Never waits for HTTP or scripts.</summary>
internal sealed class OutgoingPublisher
{
    private readonly IIntegrationStore _store;
    private readonly TriggerIndexCache _index;
    private readonly DeliverySignal _signal;
    private readonly TimeProvider _time;
    private readonly IOptionsMonitor<ChatIntegrationsOptions> _options;
    private readonly ILogger _logger;
    private readonly Lazy<LoopBreaker> _loopBreaker;

    public OutgoingPublisher(IIntegrationStore store, TriggerIndexCache index, DeliverySignal signal, TimeProvider time,
        IOptionsMonitor<ChatIntegrationsOptions> options, ILoggerFactory loggerFactory)
    {
        _store = store;
        _index = index;
        _signal = signal;
        _time = time;
        _options = options;
        _logger = loggerFactory.CreateLogger(LogCategories.Engine);
        _loopBreaker = new Lazy<LoopBreaker>(() => new LoopBreaker(time, options.CurrentValue.LoopBreakerThreshold));
    }

    public TriggerIndexCache Index => _index;

    /// <summary>Matches, builds and enqueues; returns the number of deliveries enqueued.</summary>
    /// <exception cref="IntegrationStoreUnavailableException">The store stayed unavailable for
    /// <c>Store.PublishTimeout</c> (GEN-14).</exception>
    public async Task<int> PublishAsync(ChatEvent chatEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(chatEvent);
        var options = _options.CurrentValue;
        var started = _time.GetTimestamp();
        var index = await WithStoreRetryAsync(started, ct => _index.GetAsync(ct).AsTask(), cancellationToken).ConfigureAwait(false);
        var matches = index.Match(chatEvent);
        if (matches.Count == 0) return 0;

        var now = _time.GetUtcNow();
        var deliveries = new List<DeliveryRecord>();
        var dropped = new List<AttemptHistory>();
        foreach (var (integration, triggerWord) in matches)
        {
            TriggerIndex.TryParseEvent(integration.Event, out var listened);
            var eventName = OutgoingPayload.EventName(listened);
            var data = OutgoingPayload.Build(chatEvent, listened, triggerWord, options);

            // OUT-52: bot-marked messages count against the loop breaker, per integration and room.
            var roomId = chatEvent.Room?.Id ?? chatEvent.Message?.RoomId;
            if (chatEvent.Message?.BotIntegrationId is not null && roomId is not null && listened is ChatEventType.SendMessage or ChatEventType.FileUploaded
                && !_loopBreaker.Value.TryFire(integration.Id, roomId))
            {
                Log.LoopSuspected(_logger, integration.Id, roomId);
                if (integration.RecordHistory)
                {
                    dropped.Add(AttemptHistory.WithoutAttempt(integration, eventName, triggerWord, data, now).Step("loop-suspected", now));
                }

                continue;
            }

            var payload = data.ToJsonString();
            foreach (var url in integration.Urls) // OUT-49: one delivery per URL, in list order
            {
                deliveries.Add(new DeliveryRecord
                {
                    Id = DeliveryIds.New(_time),
                    Kind = DeliveryKind.Outgoing,
                    IntegrationId = integration.Id,
                    IntegrationVersion = integration.Version,
                    Url = url,
                    Payload = payload,
                    Event = eventName,
                    TriggerWord = triggerWord,
                    State = DeliveryState.Pending,
                    NextAttemptAt = now,
                    CreatedAt = now,
                    UpdatedAt = now,
                });
            }
        }

        foreach (var record in dropped) await SaveHistoryQuietlyAsync(record, matches, now).ConfigureAwait(false);
        if (deliveries.Count == 0) return 0;

        var stored = await WithStoreRetryAsync(started, ct => _store.EnqueueAsync(deliveries, options.MaxPendingDeliveries, ct).AsTask(), cancellationToken)
            .ConfigureAwait(false);
        if (!stored)
        {
            // DLV-38: not stored; a warning and a queue-full record per integration; the publish still succeeds.
            foreach (var group in deliveries.GroupBy(d => d.IntegrationId))
            {
                Log.QueueFull(_logger, group.Key, options.MaxPendingDeliveries);
                var integration = matches.First(m => m.Integration.Id == group.Key).Integration;
                if (!integration.RecordHistory) continue;
                var first = group.First();
                var record = AttemptHistory.WithoutAttempt(integration, first.Event, first.TriggerWord, JsonNode.Parse(first.Payload) as JsonObject, now)
                    .Step("queue-full", now);
                record.Error("queue-full");
                await SaveHistoryQuietlyAsync(record, matches, now).ConfigureAwait(false);
            }

            return 0;
        }

        Log.EventPublished(_logger, OutgoingPayload.EventName(chatEvent.Type), deliveries.Count);
        _signal.Set();
        return deliveries.Count;
    }

    /// <summary>GEN-14: retries while the store is unavailable, for up to <c>Store.PublishTimeout</c> since
    /// <paramref name="started"/>, measured with the engine's clock.</summary>
    private async Task<T> WithStoreRetryAsync<T>(long started, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        var backoff = TimeSpan.FromMilliseconds(50);
        while (true)
        {
            try
            {
                return await call(cancellationToken).ConfigureAwait(false);
            }
            catch (IntegrationStoreUnavailableException ex)
            {
                var remaining = _options.CurrentValue.Store.PublishTimeout - _time.GetElapsedTime(started);
                if (remaining <= TimeSpan.Zero) throw;
                Log.PublishRetrying(_logger, ex);
                await Task.Delay(backoff < remaining ? backoff : remaining, _time, cancellationToken).ConfigureAwait(false);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromMilliseconds(500).Ticks));
            }
        }
    }

    private async Task SaveHistoryQuietlyAsync(AttemptHistory history, IReadOnlyList<TriggerMatch> matches, DateTimeOffset now)
    {
        var integration = matches.First(m => m.Integration.Id == history.IntegrationId).Integration;
        try
        {
            await _store.SaveHistoryAsync(history.ToRecord(integration, finished: true, now)).ConfigureAwait(false);
        }
        catch (IntegrationStoreUnavailableException ex)
        {
            Log.HistorySaveFailed(_logger, ex, null);
        }
    }
}
