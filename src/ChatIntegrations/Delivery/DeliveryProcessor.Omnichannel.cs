using System.Text.Json.Nodes;
using ChatIntegrations.Delivery.History;
using ChatIntegrations.Delivery.Retry;
using ChatIntegrations.Diagnostics;
using ChatIntegrations.Omnichannel;
using Polly.CircuitBreaker;

namespace ChatIntegrations.Delivery;

/// <summary>The omnichannel branch of the processor (OMNI-30..OMNI-35): one attempt of one leased omnichannel
/// delivery, under the current omnichannel settings (DLV-6), with its own success and retry rules.</summary>
internal sealed partial class DeliveryProcessor
{
    private async Task RunOmnichannelAsync(AttemptState s, CancellationToken ct)
    {
        var d = s.Delivery;
        var options = _options.CurrentValue;
        var now = _time.GetUtcNow();
        var stored = await _store.GetAsync(OmnichannelSettings.Id, ct).ConfigureAwait(false);
        var settings = OmnichannelSettings.From(stored);
        var attempt = d.Attempts + 1;
        s.Integration = stored ?? new OmnichannelSettings().ToIntegration(null, now, "");

        // DLV-6: the current settings, url included; an empty url cancels without a request.
        if (settings.Url.Length == 0)
        {
            await CancelOmnichannelAsync(s, attempt, now, ct).ConfigureAwait(false);
            return;
        }

        var url = new Uri(settings.Url);
        var gate = _gates.For(url);
        if (gate.OpenUntil(now) is { } halfOpen)
        {
            await PostponeAsync(s, halfOpen, ct).ConfigureAwait(false); // DLV-19a: no attempt, no record
            return;
        }

        var h = s.History = AttemptHistory.ForAttempt(s.Integration, d, attempt, now, OmnichannelPublisher.HistoryType);
        h.Set("url", settings.Url);
        h.Step("start-execute-trigger-url", now);
        if (DeliveryRequests.TryParseObject(d.Payload) is not { } payload)
        {
            h.Error("history-data-must-be-defined");
            await FinishAsync(s, DeliveryState.Failed, attempt, now, ct).ConfigureAwait(false);
            return;
        }

        h.Set("data", payload.DeepClone());
        h.Step("mapped-args-to-data", now);

        // OMNI-35, DLV-1: crmData is CRM data, read when this attempt's body is built.
        var roomId = OmnichannelPayload.RoomId(payload);
        var body = roomId is null ? payload : OmnichannelPayload.WithCrmData(payload, await _store.GetCrmDataAsync(roomId, ct).ConfigureAwait(false));
        var sent = OmnichannelPublisher.BuildRequest(settings, body, d.Id, attempt, _time.GetUtcNow(), options);
        h.Set("httpCallData", new JsonObject
        {
            ["method"] = sent.Request.Method,
            ["url"] = HistoryRedactor.Url(sent.Request.Url.ToString()),
            ["headers"] = HistoryRedactor.Headers(sent.Request.Headers),
            ["data"] = DeliveryRequests.TryParse(sent.Body!) ?? (JsonNode)sent.Body!,
        });
        h.Step("pre-http-call", _time.GetUtcNow());

        AttemptResult result;
        var started = _time.GetTimestamp();
        var (waited, current) = await AcquireSlotAsync(gate, OmnichannelSettings.Id, ct).ConfigureAwait(false);
        if (waited && current?.Version != stored?.Version)
        {
            // DLV-6: the settings changed while this attempt waited for a slot.
            gate.Slots.Release();
            s.Integration = current ?? s.Integration;
            if (OmnichannelSettings.From(current).Url.Length == 0) await CancelOmnichannelAsync(s, attempt, _time.GetUtcNow(), ct).ConfigureAwait(false);
            else await RequeueAsync(s, ct).ConfigureAwait(false);
            return;
        }

        try
        {
            var policy = settings.RetryPolicy;
            result = await SendAsync(sent.Request, gate, outcome => OmnichannelRetry.Classify(outcome, policy), ct).ConfigureAwait(false); // OMNI-31..OMNI-33
        }
        catch (BrokenCircuitException ex)
        {
            await PostponeAsync(s, _time.GetUtcNow() + (ex.RetryAfter ?? options.Dispatcher.Breaker.BreakDuration), ct).ConfigureAwait(false);
            return;
        }
        finally
        {
            gate.Slots.Release();
        }

        RecordAttempt(result, sent.Request.Url, _time.GetElapsedTime(started), "omnichannel");
        RecordHttp(h, result, options.MaxHistoryBodyLength);
        now = _time.GetUtcNow();
        h.Step("after-http-call", now);

        DeliveryState final;
        switch (result.Classification.Class)
        {
            case OutcomeClass.Success:
                if (roomId is not null) await KeepCrmDataAsync(roomId, result, settings.CrmDataMode, ct).ConfigureAwait(false);
                final = DeliveryState.Succeeded;
                break;

            case OutcomeClass.Retryable:
            {
                TimeSpan? retryAfter = null;
                if (OutcomeClassifier.HonoursRetryAfter(result.Response?.StatusCode)
                    && result.Response!.Headers.TryGetValue("retry-after", out var header)
                    && RetrySchedule.TryParseRetryAfter(header, now, out var parsed))
                {
                    retryAfter = parsed;
                }

                var decision = OmnichannelRetry.Decide(settings, attempt, retryAfter, new RetryLimits(options.MaxRetryAfter, options.MaxRetryDelay));
                h.Step(decision.Step, now);
                h.Error(result.Failure?.Code ?? "http-status-" + result.Response?.StatusCode);
                if (decision.Retry)
                {
                    s.NextAttemptAt = now + decision.Delay;
                    final = DeliveryState.Pending;
                }
                else
                {
                    Log.OmnichannelDropped(_logger, d.Id, d.Event, attempt, decision.Step);
                    final = DeliveryState.Failed;
                }

                break;
            }

            default:
            {
                // OMNI-31, OMNI-32: any other status (201, 204, 3xx, 4xx) is dropped: recorded and logged, never retried.
                var reason = result.Failure?.Code ?? "http-status-" + result.Response?.StatusCode;
                h.Error(reason);
                Log.OmnichannelDropped(_logger, d.Id, d.Event, attempt, reason);
                final = DeliveryState.Failed;
                break;
            }
        }

        await FinishAsync(s, final, attempt, _time.GetUtcNow(), ct).ConfigureAwait(false);
    }

    /// <summary>OMNI-35: keeps the CRM's answer for the room; an empty body keeps the stored value, a body above
    /// 64 KiB logs a warning and stores nothing.</summary>
    private async Task KeepCrmDataAsync(string roomId, AttemptResult result, string mode, CancellationToken ct)
    {
        var response = result.Response!;
        if (response.Body.Length == 0) return;
        if (response.Truncated || response.Body.Length > OmnichannelPayload.MaxCrmDataBytes)
        {
            Log.OmnichannelCrmDataTooLarge(_logger, roomId, response.Body.Length);
            return;
        }

        if (OmnichannelPayload.CrmValue(response.BodyText, mode) is not { } value) return;
        try
        {
            await _store.SetCrmDataAsync(roomId, value, ct).ConfigureAwait(false);
        }
        catch (IntegrationStoreUnavailableException ex)
        {
            Log.OmnichannelCrmDataFailed(_logger, ex, roomId);
        }
    }

    /// <summary>DLV-6: no URL, so cancelled without a request, as <c>integration-disabled</c>.</summary>
    private Task CancelOmnichannelAsync(AttemptState s, int attempt, DateTimeOffset now, CancellationToken ct)
    {
        s.History = AttemptHistory.ForAttempt(s.Integration!, s.Delivery, attempt, now, OmnichannelPublisher.HistoryType).Step("integration-disabled", now);
        return FinishAsync(s, DeliveryState.Cancelled, attempt, now, ct);
    }
}
