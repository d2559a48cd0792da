
using System.Text.Json.Nodes;
using ChatIntegrations.Delivery;
using ChatIntegrations.Delivery.History;
using ChatIntegrations.Delivery.Signing;
using ChatIntegrations.Diagnostics;
using ChatIntegrations.Scripting.Jint.Outgoing;
using ChatIntegrations.Security.Ssrf;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatIntegrations.Omnichannel;

/// <summary>Turns a published omnichannel event into one enqueued delivery (GEN-3, OMNI-3, OMNI-10..OMNI-13, OMNI-34),
/// and sends the synchronous test request (OMNI-36).</summary>
internal sealed class OmnichannelPublisher
{
    public const string HistoryType = "omnichannel-webhook";
    public const string TokenHeader = "X-RocketChat-Livechat-Token";

    private readonly IIntegrationStore _store;
    private readonly DeliverySignal _signal;
    private readonly OutboundHttpClient _http;
    private readonly TimeProvider _time;
    private readonly IOptionsMonitor<ChatIntegrationsOptions> _options;
    private readonly ILogger _logger;

    public OmnichannelPublisher(IIntegrationStore store, DeliverySignal signal, OutboundHttpClient http, TimeProvider time,
        IOptionsMonitor<ChatIntegrationsOptions> options, ILogger logger)
    {
        _store = store;
        _signal = signal;
        _http = http;
        _time = time;
        _options = options;
        _logger = logger;
    }

    /// <summary>Reads the settings record (GEN-14 retry while the store is unavailable).</summary>
    public async Task<(Integration? Stored, OmnichannelSettings Settings)> ReadSettingsAsync(long started, CancellationToken ct)
    {
        var stored = await WithStoreRetryAsync(started, c => _store.GetAsync(OmnichannelSettings.Id, c).AsTask(), ct).ConfigureAwait(false);
        return (stored, OmnichannelSettings.From(stored));
    }

    /// <summary>Enqueues the event when its toggle is on and a URL is set; returns the delivery id, or
    /// <see langword="null"/> when nothing is sent.</summary>
    public async Task<string?> PublishAsync(OmnichannelEvent e, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(e);
        var name = OmnichannelPayload.WireName(e.Type);
        if (e.Type == OmnichannelEventType.OfflineMessage) ArgumentNullException.ThrowIfNull(e.OfflineMessage);
        else ArgumentNullException.ThrowIfNull(e.Room);

        var started = _time.GetTimestamp();
        var options = _options.CurrentValue;
        var (stored, settings) = await ReadSettingsAsync(started, ct).ConfigureAwait(false);
        if (settings.Url.Length == 0) return Skip(name, "no url");
        var toggle = OmnichannelPayload.Toggle(e);
        if (!settings.IsOn(toggle)) return Skip(name, toggle + " is off"); // OMNI-3, OMNI-12
        if (e.Type == OmnichannelEventType.RoomEdited && e.Room!.ClosedAt is null) return Skip(name, "the room is open"); // OMNI-11

        var now = _time.GetUtcNow();
        var max = Math.Max(1, options.MaxOmnichannelMessages);
        var payload = OmnichannelPayload.Build(e, settings.IsOn("sendNavigationHistory"), max, now);
        if (payload is null) return Skip(name, "the message is a system or navigation message"); // OMNI-13
        if (payload.ContainsKey("messagesTruncated")) Log.OmnichannelMessagesTruncated(_logger, name, e.Room!.Id, max);

        var delivery = new DeliveryRecord
        {
            Id = DeliveryIds.New(_time),
            Kind = DeliveryKind.Omnichannel,
            IntegrationId = OmnichannelSettings.Id,
            IntegrationVersion = settings.Version,
            Url = settings.Url,
            Payload = payload.ToJsonString(),
            Event = name,
            State = DeliveryState.Pending,
            NextAttemptAt = now,
            CreatedAt = now,
            UpdatedAt = now,
        };
        if (!await WithStoreRetryAsync(started, c => _store.EnqueueAsync([delivery], options.MaxPendingDeliveries, c).AsTask(), ct).ConfigureAwait(false))
        {
            // DLV-38: not stored; a warning and a queue-full record; the publish still succeeds.
            Log.OmnichannelQueueFull(_logger, name, options.MaxPendingDeliveries);
            var record = AttemptHistory.WithoutAttempt(stored!, name, null, payload, now).Step("queue-full", now);
            record.Set("type", HistoryType);
            record.Error("queue-full");
            try
            {
                await _store.SaveHistoryAsync(record.ToRecord(stored, finished: true, now), CancellationToken.None).ConfigureAwait(false);
            }
            catch (IntegrationStoreUnavailableException ex)
            {
                Log.HistorySaveFailed(_logger, ex, null);
            }

            return null;
        }

        Log.OmnichannelEnqueued(_logger, name, delivery.Id);
        _signal.Set();
        return delivery.Id;
    }

    private string? Skip(string name, string reason)
    {
        Log.OmnichannelSkipped(_logger, name, reason);
        return null;
    }

    /// <summary>OMNI-36: POSTs the fixed sample synchronously, once; succeeds only on 200.</summary>
    public async Task<(bool Ok, int? Status, string? Reason)> TestAsync(OmnichannelSettings settings, CancellationToken ct)
    {
        if (settings.Url.Length == 0) return (false, null, "url is empty");
        var sent = BuildRequest(settings, OmnichannelPayload.Sample(), DeliveryIds.New(_time), 1, _time.GetUtcNow(), _options.CurrentValue);
        try
        {
            var response = await _http.SendAsync(sent.Request, ct).ConfigureAwait(false);
            return response.StatusCode == 200 ? (true, 200, null) : (false, response.StatusCode, "HTTP status " + response.StatusCode);
        }
        catch (OutboundRequestException ex)
        {
            return (false, null, ex.Code);
        }
    }

    /// <summary>The request of one attempt: JSON POST to the current URL within the current timeout, with the OUT-61
    /// and DLV-7 headers, the token header when a secret is set (OMNI-2) and the signature when signing secrets are
    /// set (OMNI-30).</summary>
    public static SentRequest BuildRequest(OmnichannelSettings settings, JsonObject body, string deliveryId, int attempt, DateTimeOffset now, ChatIntegrationsOptions options)
    {
        var text = body.ToJsonString();
        var headers = new List<KeyValuePair<string, string>>();
        if (settings.SecretToken.Length > 0) headers.Add(new(TokenHeader, settings.SecretToken));
        var prepared = new PreparedRequest
        {
            Method = "POST",
            Url = new Uri(settings.Url),
            Headers = headers,
            Body = text,
            ContentType = DeliveryRequests.JsonContentType,
            Timeout = TimeSpan.FromMilliseconds(settings.TimeoutMs),
        };
        var signer = new Integration { Id = OmnichannelSettings.Id, Type = IntegrationType.Omnichannel, Token = "", SigningSecrets = settings.SigningSecrets };
        return DeliveryRequests.ForAttempt(prepared, deliveryId, attempt, signer, now, options);
    }

    private async Task<T> WithStoreRetryAsync<T>(long started, Func<CancellationToken, Task<T>> call, CancellationToken ct)
    {
        var backoff = TimeSpan.FromMilliseconds(50);
        while (true)
        {
            try
            {
                return await call(ct).ConfigureAwait(false);
            }
            catch (IntegrationStoreUnavailableException ex)
            {
                var remaining = _options.CurrentValue.Store.PublishTimeout - _time.GetElapsedTime(started);
                if (remaining <= TimeSpan.Zero) throw;
                Log.PublishRetrying(_logger, ex);
                await Task.Delay(backoff < remaining ? backoff : remaining, _time, ct).ConfigureAwait(false);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromMilliseconds(500).Ticks));
            }
        }
    }

}
