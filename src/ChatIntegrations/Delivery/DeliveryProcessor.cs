using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Nodes;
using ChatIntegrations.Delivery.History;
using ChatIntegrations.Delivery.Retry;
using ChatIntegrations.Diagnostics;
using ChatIntegrations.Outgoing;
using ChatIntegrations.Scripting.Jint.Outgoing;
using ChatIntegrations.Security.Ssrf;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace ChatIntegrations.Delivery;

/// <summary>Runs one attempt of one leased outgoing delivery: re-read (DLV-6), prepare (SCR-21..SCR-24), send
/// (DLV-7, DLV-19, DLV-19a), process (SCR-25..SCR-28), classify and schedule (DLV-13..DLV-18), reply (OUT-70..OUT-80)
/// and record history (DLV-20..DLV-23). Keeps the lease renewed meanwhile (DLV-32).</summary>
internal sealed partial class DeliveryProcessor
{
    internal const string PrepareHook = "prepare_outgoing_request";
    internal const string ProcessHook = "process_outgoing_response";

    private readonly IIntegrationStore _store;
    private readonly IScriptHost _scripts;
    private readonly OutboundHttpClient _http;
    private readonly ReplyPoster _replies;
    private readonly EndpointGates _gates;
    private readonly TriggerIndexCache _index;
    private readonly TimeProvider _time;
    private readonly IOptionsMonitor<ChatIntegrationsOptions> _options;
    private readonly ILogger _logger;
    private readonly ILogger _scriptLogger;
    private readonly Telemetry _telemetry;
    private readonly DeliveryCompletionQueue? _completions;

    public DeliveryProcessor(IIntegrationStore store, IScriptHost scripts, OutboundHttpClient http, ReplyPoster replies, EndpointGates gates,
        TriggerIndexCache index, TimeProvider time, IOptionsMonitor<ChatIntegrationsOptions> options, ILoggerFactory loggerFactory, Telemetry telemetry)
    {
        _store = store;
        _scripts = scripts;
        _http = http;
        _replies = replies;
        _gates = gates;
        _index = index;
        _time = time;
        _options = options;
        _logger = loggerFactory.CreateLogger(LogCategories.Delivery);
        _scriptLogger = loggerFactory.CreateLogger(LogCategories.Scripts);
        _telemetry = telemetry;
        _completions = store is IDeliveryCompletionStore batched ? new DeliveryCompletionQueue(batched) : null;
    }

    /// <summary>Processes one claimed delivery. Never throws; <paramref name="abort"/> is the dispatcher's hard
    /// shutdown token (DLV-30).</summary>
    /// <param name="delivery">The claimed delivery.</param>
    /// <param name="abort">The dispatcher's hard shutdown token.</param>
    /// <param name="integration">The integration as read after the claim, shared by the deliveries claimed together
    /// (DLV-6); when null, the processor reads it itself.</param>
    public async Task ProcessAsync(DeliveryRecord delivery, CancellationToken abort, SharedIntegrationRead? integration = null)
    {
        var state = new AttemptState(delivery) { IntegrationRead = integration };
        using var lease = CancellationTokenSource.CreateLinkedTokenSource(abort);
        using var stopRenewal = new CancellationTokenSource();
        var renewal = RenewAsync(state, lease, stopRenewal.Token);
        try
        {
            await RunAsync(state, lease.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (state.LeaseLost)
        {
            Log.LeaseLost(_logger, delivery.Id); // DLV-32, DLV-33: drop the result
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            await CancelledByShutdownAsync(state).ConfigureAwait(false);
        }
        catch (IntegrationStoreUnavailableException ex)
        {
            Log.StoreUnavailable(_logger, ex); // the lease expires and another attempt follows (DLV-34)
        }
        catch (Exception ex)
        {
            Log.DeliveryCrashed(_logger, ex, delivery.Id);
        }
        finally
        {
            await stopRenewal.CancelAsync().ConfigureAwait(false);
            await renewal.ConfigureAwait(false);
        }
    }

    private async Task RenewAsync(AttemptState state, CancellationTokenSource lease, CancellationToken stop)
    {
        var duration = _options.CurrentValue.Dispatcher.LeaseDuration;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                // Almost every attempt ends before its first renewal: that stop is the normal path, so it is not thrown
                // (an exception per delivery cost more than the rest of this method).
                await Task.Delay(duration / 3, _time, stop).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                if (stop.IsCancellationRequested) return;
                if (!await _store.RenewLeaseAsync(state.Delivery.Id, state.Delivery.LeaseToken!, _time.GetUtcNow() + duration, stop).ConfigureAwait(false))
                {
                    state.LeaseLost = true;
                    await lease.CancelAsync().ConfigureAwait(false);
                    return;
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (IntegrationStoreUnavailableException ex)
            {
                Log.StoreUnavailable(_logger, ex);
            }
        }
    }

    private async Task RunAsync(AttemptState s, CancellationToken ct)
    {
        if (s.Delivery.Kind == DeliveryKind.Omnichannel)
        {
            await RunOmnichannelAsync(s, ct).ConfigureAwait(false); // OMNI-30..OMNI-35 (DeliveryProcessor.Omnichannel.cs)
            return;
        }

        var d = s.Delivery;
        var options = _options.CurrentValue;
        var now = _time.GetUtcNow();
        // DLV-6: re-read before the attempt; attempts claimed together share one read made after their claim.
        var integration = s.IntegrationRead is { } shared && shared.IntegrationId == d.IntegrationId
            ? await shared.GetAsync(ct).ConfigureAwait(false)
            : await _store.GetAsync(d.IntegrationId, ct).ConfigureAwait(false);
        s.Integration = integration;
        var attempt = d.Attempts + 1;

        // DLV-6: disabled or deleted, or the URL was removed: cancelled without a request.
        if (!StillSends(integration, d.Url))
        {
            await CancelUnsentAsync(s, integration, attempt, now, ct).ConfigureAwait(false);
            return;
        }

        var hasScript = integration.ScriptEnabled && !string.IsNullOrWhiteSpace(integration.Script);
        if (hasScript && options.Scripts.Disabled)
        {
            // OUT-64: never sent unprocessed; postponed without counting an attempt.
            Log.ScriptsDisabledPostponed(_logger, d.Id, integration.Id);
            await PostponeAsync(s, now + Defaults.ScriptsDisabledPostpone, ct).ConfigureAwait(false);
            return;
        }

        var gate = _gates.For(new Uri(d.Url));
        if (gate.OpenUntil(now) is { } halfOpen)
        {
            await PostponeAsync(s, halfOpen, ct).ConfigureAwait(false); // DLV-19a: no attempt, no record
            return;
        }

        var h = s.History = AttemptHistory.ForAttempt(integration, d, attempt, now);
        h.Step("start-execute-trigger-url", now);
        if (DeliveryRequests.TryParseObject(d.Payload) is not { } payload)
        {
            h.Error("history-data-must-be-defined");
            await FinishAsync(s, DeliveryState.Failed, attempt, now, ct).ConfigureAwait(false);
            return;
        }

        h.Set("data", payload.DeepClone());
        h.Step("mapped-args-to-data", now);
        var data = DeliveryRequests.Data(integration, payload, options);
        var reply = ReplyContext.Of(payload);

        PreparedRequest? prepared = null;
        if (hasScript)
        {
            // SCR-24, DLV-6: reuse the stored request while the version is unchanged.
            if (d.PreparedVersion == integration.Version && DeliveryRequests.Deserialize(d.PreparedRequest) is { } stored)
            {
                prepared = stored;
            }
            else
            {
                s.PreparedRequest = null;
                s.PreparedVersion = null;
                var (request, terminal) = await PrepareAsync(s, integration, data, reply, options, ct).ConfigureAwait(false);
                if (terminal is { } end)
                {
                    if (end == DeliveryState.Pending) await PostponeAsync(s, _time.GetUtcNow() + TimeSpan.FromSeconds(1), ct).ConfigureAwait(false);
                    else await FinishAsync(s, end, attempt, _time.GetUtcNow(), ct).ConfigureAwait(false);
                    return;
                }

                if (request is not null)
                {
                    prepared = request;
                    s.PreparedRequest = DeliveryRequests.Serialize(request);
                    s.PreparedVersion = integration.Version;
                }
            }
        }

        prepared ??= DeliveryRequests.Default(integration, d.Url, data);
        var sent = DeliveryRequests.ForAttempt(prepared, d.Id, attempt, integration, _time.GetUtcNow(), options);
        h.Set("httpCallData", new JsonObject
        {
            ["method"] = sent.Request.Method,
            ["url"] = HistoryRedactor.Url(sent.Request.Url.ToString()),
            ["headers"] = HistoryRedactor.Headers(sent.Request.Headers),
            ["data"] = sent.Body is { } b ? DeliveryRequests.TryParse(b) ?? (JsonNode)b : null,
        });
        h.Step("pre-http-call", _time.GetUtcNow());

        AttemptResult result;
        var started = _time.GetTimestamp();
        var (waited, current) = await AcquireSlotAsync(gate, integration.Id, ct).ConfigureAwait(false);
        if (waited && (current?.Version != integration.Version || !StillSends(current, d.Url)))
        {
            // Changed while this attempt waited: cancelled as above, or else back to pending, due now, with no attempt
            // counted and no record, so that it is built again from the current settings.
            gate.Slots.Release();
            if (!StillSends(current, d.Url)) await CancelUnsentAsync(s, current, attempt, _time.GetUtcNow(), ct).ConfigureAwait(false);
            else await RequeueAsync(s, ct).ConfigureAwait(false);
            return;
        }

        try
        {
            var rules = integration.RetryRules;
            result = await SendAsync(sent.Request, gate, outcome => OutcomeClassifier.Classify(outcome, rules), ct).ConfigureAwait(false);
        }
        catch (BrokenCircuitException ex)
        {
            // DLV-19a: opened meanwhile (or a half-open trial is running): back to pending, no attempt counted.
            await PostponeAsync(s, _time.GetUtcNow() + (ex.RetryAfter ?? options.Dispatcher.Breaker.BreakDuration), ct).ConfigureAwait(false);
            return;
        }
        finally
        {
            gate.Slots.Release();
        }

        RecordAttempt(result, sent.Request.Url, _time.GetElapsedTime(started), "outgoing");
        RecordHttp(h, result, options.MaxHistoryBodyLength);
        h.Step("after-http-call", _time.GetUtcNow());

        var processed = new ProcessResultInterpretation(ProcessResultKind.Default, null, null);
        if (hasScript && await HasHookAsync(integration, ProcessHook, ct).ConfigureAwait(false))
        {
            // SCR-25: after every attempt, network errors included.
            var argument = new JsonObject
            {
                ["request"] = DeliveryRequests.ScriptView(prepared),
                ["response"] = DeliveryRequests.ScriptResponse(result, integration.ResponseContentMode, options.MaxJsonDepth),
            };
            var call = await InvokeAsync(integration, ProcessHook, argument, h, ct).ConfigureAwait(false);
            if (call.Outcome == ScriptOutcome.Completed) processed = ProcessResultInterpreter.Interpret(call.Value);
        }

        var finalState = await ApplyOutcomeAsync(s, integration, attempt, result, processed, reply, options, ct).ConfigureAwait(false);
        if (finalState is { } st) await FinishAsync(s, st, attempt, _time.GetUtcNow(), ct).ConfigureAwait(false);
    }

    /// <summary>Sends one attempt under its endpoint's breaker (DLV-19a) and classes it with <paramref name="classify"/>:
    /// the delivery's own rules (DLV-13, OMNI-31..OMNI-33) decide both the attempt's class and whether it counts as a
    /// failure for the breaker. The breaker is the delivery URL's, even when a script changed the request's URL.</summary>
    /// <exception cref="BrokenCircuitException">The endpoint's breaker is open: nothing was sent.</exception>
    private async Task<AttemptResult> SendAsync(OutboundRequest request, EndpointGates.EndpointGate gate, Func<AttemptOutcome, OutcomeClassification> classify,
        CancellationToken ct)
    {
        var breaker = new OutboundBreaker(gate.Endpoint, (response, failure) => classify(OutcomeOf(response, failure)).Class == OutcomeClass.Retryable);
        try
        {
            var response = await _http.SendAsync(request, breaker, ct).ConfigureAwait(false);
            var outcome = OutcomeOf(response, null);
            return new AttemptResult(response, null, outcome, classify(outcome));
        }
        catch (OutboundRequestException ex)
        {
            var outcome = OutcomeOf(null, ex);
            return new AttemptResult(null, ex, outcome, classify(outcome));
        }
    }

    /// <summary>The outcome of an answer, or of a failure without one (an <see cref="OutboundRequestException"/>, or
    /// the timeout as the breaker sees it before the client turns it into one).</summary>
    private static AttemptOutcome OutcomeOf(OutboundResponse? response, Exception? failure) => response is not null
        ? AttemptOutcome.Answer(response.StatusCode, response.Body.Length > 0)
        : AttemptOutcome.Failed(failure switch
        {
            OutboundRequestException { Code: OutboundErrorCodes.Ssrf } => AttemptFailure.SsrfBlocked,
            OutboundRequestException { Code: OutboundErrorCodes.TimedOut } or TimeoutRejectedException => AttemptFailure.Timeout,
            OutboundRequestException { Code: OutboundErrorCodes.ConnectionRefused } => AttemptFailure.ConnectionRefused,
            OutboundRequestException { Code: OutboundErrorCodes.ConnectionReset } => AttemptFailure.ConnectionReset,
            OutboundRequestException { Code: OutboundErrorCodes.NotFound } => AttemptFailure.DnsFailure,
            OutboundRequestException { Code: OutboundErrorCodes.Tls } => AttemptFailure.TlsFailure,
            OutboundRequestException { Code: OutboundErrorCodes.Redirect } => AttemptFailure.TooManyRedirects,
            _ => AttemptFailure.OtherNetwork,
        });

    /// <summary>SCR-28 and the default rules (OUT-70..OUT-80, DLV-13..DLV-17). Returns the final or pending state;
    /// the retry time is left in <see cref="AttemptState.NextAttemptAt"/>.</summary>
    private async Task<DeliveryState?> ApplyOutcomeAsync(AttemptState s, Integration integration, int attempt, AttemptResult result,
        ProcessResultInterpretation processed, ReplyContext reply, ChatIntegrationsOptions options, CancellationToken ct)
    {
        var h = s.History!;
        var success = result.Classification.Class == OutcomeClass.Success;
        switch (processed.Kind)
        {
            case ProcessResultKind.PostMessage:
                await PostAsync(integration, processed.Content!, reply, h, "after-process-send-message", "processSentMessage", ct).ConfigureAwait(false);
                return DeliveryState.Succeeded; // SCR-28: finished, whatever the status
            case ProcessResultKind.Stop:
                h.Step("after-process-false-result", _time.GetUtcNow());
                if (!success) h.Error("after-process-false-result");
                return success ? DeliveryState.Succeeded : DeliveryState.Failed;
        }

        var now = _time.GetUtcNow();
        switch (result.Classification.Class)
        {
            case OutcomeClass.Success:
            {
                var response = result.Response!;
                if (!response.Truncated && DeliveryRequests.TryParse(response.BodyText, options.MaxJsonDepth) is JsonObject body && ReplyPoster.IsReply(body))
                {
                    await PostAsync(integration, body, reply, h, "url-response-sent-message", "resultMessage", ct, failedStep: "after-http-call-send-message-failed")
                        .ConfigureAwait(false);
                }

                return DeliveryState.Succeeded;
            }

            case OutcomeClass.Disable:
                await DisableAsync(integration, ct).ConfigureAwait(false); // OUT-80
                h.Step(result.Classification.Step ?? OutcomeClassifier.Step410, now);
                h.Error("http-status-410");
                return DeliveryState.Failed;

            case OutcomeClass.FinalFailure:
                if (result.Classification.Step is { } step) h.Step(step, now);
                h.Error(result.Failure?.Code ?? "http-status-" + result.Response?.StatusCode);
                return DeliveryState.Failed;

            default:
            {
                TimeSpan? retryAfter = null;
                if (OutcomeClassifier.HonoursRetryAfter(result.Response?.StatusCode)
                    && result.Response!.Headers.TryGetValue("retry-after", out var header)
                    && RetrySchedule.TryParseRetryAfter(header, now, out var parsed))
                {
                    retryAfter = parsed;
                }

                var decision = RetryPlanner.Decide(integration, attempt, retryAfter, new RetryLimits(options.MaxRetryAfter, options.MaxRetryDelay));
                h.Step(decision.Step, now);
                h.Error(result.Failure?.Code ?? "http-status-" + result.Response?.StatusCode);
                if (!decision.Retry) return DeliveryState.Failed;
                s.NextAttemptAt = now + decision.Delay;
                return DeliveryState.Pending;
            }
        }
    }

    private async Task<(PreparedRequest? Request, DeliveryState? Terminal)> PrepareAsync(AttemptState s, Integration integration, JsonObject data,
        ReplyContext reply, ChatIntegrationsOptions options, CancellationToken ct)
    {
        var h = s.History!;
        if (!await HasHookAsync(integration, PrepareHook, ct).ConfigureAwait(false)) return (null, null);
        h.Set("ranPrepareScript", true);
        var argument = new JsonObject { ["request"] = DeliveryRequests.ScriptRequest(integration, s.Delivery.Url, data, options) };
        var call = await InvokeAsync(integration, PrepareHook, argument, h, ct).ConfigureAwait(false);
        switch (call.Outcome)
        {
            case ScriptOutcome.Busy:
                return (null, DeliveryState.Pending); // SCR-3: not attempted now
            case ScriptOutcome.HookMissing:
                return (null, null);
            case ScriptOutcome.Failed or ScriptOutcome.EvaluationFailed:
                return (null, DeliveryState.Failed);
        }

        var interpreted = PrepareResultInterpreter.Interpret(call.Value, TimeSpan.FromMilliseconds(integration.TimeoutMs));
        h.Step("after-maybe-ran-prepare", _time.GetUtcNow());
        var posted = false;
        if (interpreted.Message is { } message)
        {
            posted = await PostAsync(integration, message, reply, h, "after-prepare-send-message", "prepareSentMessage", ct).ConfigureAwait(false);
        }

        var now = _time.GetUtcNow();
        switch (interpreted.Kind)
        {
            case PrepareResultKind.Send:
                return (interpreted.Request, null);
            case PrepareResultKind.Cancelled:
                h.Step(interpreted.HistoryStep, now);
                return (null, DeliveryState.Cancelled);
            case PrepareResultKind.NoUrlOrMethod:
                h.Step(interpreted.HistoryStep, now);
                return (null, posted ? DeliveryState.Succeeded : DeliveryState.Cancelled);
            default:
                h.Step(interpreted.HistoryStep, now);
                h.Error(interpreted.HistoryStep);
                return (null, DeliveryState.Failed);
        }
    }

    private async Task<bool> PostAsync(Integration integration, JsonObject content, ReplyContext reply, AttemptHistory h, string step, string historyKey,
        CancellationToken ct, string? failedStep = null)
    {
        var result = await _replies.PostAsync(integration, content, reply, ct).ConfigureAwait(false);
        foreach (var (channel, message) in result.Sent) h.AddSentMessage(historyKey, channel, message);
        if (result.Succeeded)
        {
            h.Step(step, _time.GetUtcNow());
            return true;
        }

        // OUT-77: the delivery keeps its state; only the step says that the reply failed.
        Log.ReplyFailed(_logger, integration.Id, result.Error ?? "unknown");
        h.Step(failedStep ?? step + "-failed", _time.GetUtcNow());
        h.Set("errorReason", result.Error);
        return false;
    }

    private async Task DisableAsync(Integration integration, CancellationToken ct)
    {
        for (var i = 0; i < 3; i++)
        {
            var current = await _store.GetAsync(integration.Id, ct).ConfigureAwait(false);
            if (current is null || !current.Enabled) return;
            var next = current with { Enabled = false, Version = current.Version + 1, UpdatedAt = _time.GetUtcNow() };
            if (await _store.TryUpdateAsync(next, current.Version, ct).ConfigureAwait(false))
            {
                Log.DisabledByGone(_logger, integration.Id);
                await _index.InvalidateAsync(ct).ConfigureAwait(false);
                return;
            }
        }
    }

    private async Task<bool> HasHookAsync(Integration integration, string hook, CancellationToken ct)
    {
        try
        {
            return await _scripts.HasHookAsync(Descriptor(integration), hook, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.ScriptHostThrew(_logger, ex, integration.Id);
            return true; // let InvokeAsync report the failure in history
        }
    }

    private async Task<ScriptCallResult> InvokeAsync(Integration integration, string hook, JsonObject argument, AttemptHistory h, CancellationToken ct)
    {
        h.Step("execute-script-getting-script", _time.GetUtcNow());
        h.Step("execute-script-before-running-" + hook, _time.GetUtcNow());
        ScriptCallResult result;
        try
        {
            result = await _scripts.InvokeAsync(Descriptor(integration), hook, argument, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.ScriptHostThrew(_logger, ex, integration.Id);
            result = new ScriptCallResult { Outcome = ScriptOutcome.Failed, Reason = "exception", ErrorDetail = ex.Message };
        }

        if (result.Logs.Count > 0)
        {
            if (h.Document["scriptLogs"] is not JsonArray logs) h.Set("scriptLogs", logs = []);
            foreach (var entry in result.Logs)
            {
                logs.Add(new JsonObject { ["level"] = entry.Level, ["message"] = entry.Message, ["at"] = OutgoingPayload.FormatDate(entry.Timestamp) });
                _scriptLogger.LogDebug("[{IntegrationId}] console.{Level}: {Message}", integration.Id, entry.Level, entry.Message);
            }
        }

        var reason = result.Outcome switch
        {
            ScriptOutcome.Completed or ScriptOutcome.HookMissing => "ok",
            ScriptOutcome.Busy => "busy",
            _ => result.Reason ?? "exception",
        };
        _telemetry.ScriptCalls.Add(1, new KeyValuePair<string, object?>("hook", hook), new KeyValuePair<string, object?>("result", reason));
        switch (result.Outcome)
        {
            case ScriptOutcome.HookMissing:
                h.Step("execute-script-no-method-" + hook, _time.GetUtcNow());
                break;
            case ScriptOutcome.Failed or ScriptOutcome.EvaluationFailed:
                Log.ScriptFailed(_logger, integration.Id, reason);
                if (reason is not "exception") _telemetry.ScriptLimitHits.Add(1, new KeyValuePair<string, object?>("reason", reason));
                h.Step("execute-script-error-running-" + hook, _time.GetUtcNow());
                h.Error(reason, result.ErrorDetail);
                break;
        }

        return result;
    }

    /// <summary>Takes a slot of the endpoint (DLV-5). When none was free, the wait lasted as long as the attempts ahead
    /// of this one, so the integration is read again (DLV-6) and returned with <c>Waited</c> set; only attempts that
    /// waited pay for that read. On failure the slot is given back.</summary>
    private ValueTask<(bool Waited, Integration? Current)> AcquireSlotAsync(EndpointGates.EndpointGate gate, string integrationId, CancellationToken ct)
    {
        return gate.Slots.Wait(0) ? ValueTask.FromResult<(bool, Integration?)>((false, null)) : WaitAndReadAsync();

        async ValueTask<(bool, Integration?)> WaitAndReadAsync()
        {
            await gate.Slots.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                return (true, await _store.GetAsync(integrationId, ct).ConfigureAwait(false));
            }
            catch
            {
                gate.Slots.Release();
                throw;
            }
        }
    }

    /// <summary>Whether an outgoing attempt may still be sent to <paramref name="url"/> (DLV-6).</summary>
    private static bool StillSends([NotNullWhen(true)] Integration? integration, string url) =>
        integration is { Type: IntegrationType.Outgoing, Enabled: true } && integration.Urls.Contains(url, StringComparer.Ordinal);

    /// <summary>DLV-6: cancelled without a request, as <c>integration-disabled</c> (disabled or deleted) or
    /// <c>integration-url-removed</c>; a deleted integration leaves no record.</summary>
    private Task CancelUnsentAsync(AttemptState s, Integration? integration, int attempt, DateTimeOffset now, CancellationToken ct)
    {
        var step = integration is { Type: IntegrationType.Outgoing, Enabled: true } ? "integration-url-removed" : "integration-disabled";
        s.Integration = integration;
        s.History = integration is null ? null : AttemptHistory.ForAttempt(integration, s.Delivery, attempt, now).Step(step, now);
        return FinishAsync(s, DeliveryState.Cancelled, attempt, now, ct);
    }

    /// <summary>Back to pending, due now, with no attempt counted and no record (DLV-6 after a slot wait).</summary>
    private Task RequeueAsync(AttemptState s, CancellationToken ct)
    {
        s.History = null;
        return PostponeAsync(s, _time.GetUtcNow(), ct);
    }

    private static ScriptDescriptor Descriptor(Integration i) => new(i.Id, i.Version, i.Script, IntegrationType.Outgoing);

    private static void RecordHttp(AttemptHistory h, AttemptResult result, int maxBodyLength)
    {
        if (result.Response is { } response)
        {
            var text = response.BodyText;
            if (text.Length > maxBodyLength) text = text[..maxBodyLength]; // DLV-20: an excerpt, 64 Ki by default
            h.Set("httpResult", new JsonObject
            {
                ["status"] = response.StatusCode,
                ["headers"] = HistoryRedactor.Headers(response.Headers),
                ["body"] = text,
            });
        }

        if (result.Failure is { } failure)
        {
            h.Set("httpError", new JsonObject { ["code"] = failure.Code, ["message"] = failure.Message });
        }
    }

    private void RecordAttempt(AttemptResult result, Uri url, TimeSpan elapsed, string kind)
    {
        var outcome = result.Classification.Class switch
        {
            OutcomeClass.Success => "success",
            OutcomeClass.Retryable => "retryable",
            _ => "final",
        };
        var host = url.IdnHost; // GEN-15: the host only, never a path or query
        _telemetry.Attempts.Add(1,
            new KeyValuePair<string, object?>("kind", kind),
            new KeyValuePair<string, object?>("outcome", outcome),
            new KeyValuePair<string, object?>("status_code", result.Response?.StatusCode),
            new KeyValuePair<string, object?>("host", host));
        _telemetry.AttemptDuration.Record(elapsed.TotalSeconds,
            new KeyValuePair<string, object?>("kind", kind),
            new KeyValuePair<string, object?>("outcome", outcome),
            new KeyValuePair<string, object?>("host", host));
    }

    private async Task PostponeAsync(AttemptState s, DateTimeOffset at, CancellationToken ct)
    {
        var d = s.Delivery;
        var update = new DeliveryUpdate
        {
            DeliveryId = d.Id,
            LeaseToken = d.LeaseToken!,
            State = DeliveryState.Pending,
            Attempts = d.Attempts,
            NextAttemptAt = at,
            PreparedRequest = s.PreparedRequest,
            PreparedVersion = s.PreparedVersion,
            UpdatedAt = _time.GetUtcNow(),
        };
        var accepted = _completions is { } queue
            ? await queue.CompleteAsync(update, null, null, ct).ConfigureAwait(false)
            : await _store.CompleteAsync(update, ct).ConfigureAwait(false);
        if (!accepted) Log.LeaseLost(_logger, d.Id);
    }

    private async Task FinishAsync(AttemptState s, DeliveryState state, int attempt, DateTimeOffset now, CancellationToken ct)
    {
        var d = s.Delivery;
        var update = new DeliveryUpdate
        {
            DeliveryId = d.Id,
            LeaseToken = d.LeaseToken!,
            State = state,
            Attempts = attempt,
            NextAttemptAt = state == DeliveryState.Pending ? s.NextAttemptAt : d.NextAttemptAt,
            PreparedRequest = s.PreparedRequest,
            PreparedVersion = s.PreparedVersion,
            UpdatedAt = now,
        };
        string? document = null; // serialised here, in parallel, not by the completion writer
        var record = s.History is { } hist && s.Integration is { RecordHistory: true } recorded ? hist.TakeRecord(recorded, finished: true, now, out document) : null;
        if (_completions is { } queue)
        {
            // One transaction for this outcome, its record and the outcomes of other attempts finishing meanwhile
            // (group commit); the store writes the record only when the lease-conditioned update was accepted
            // (DLV-33). If the store is unavailable nothing of the batch is written, and the leases expire (DLV-34).
            if (!await queue.CompleteAsync(update, record, document, ct).ConfigureAwait(false))
            {
                Log.LeaseLost(_logger, d.Id);
                return;
            }
        }
        else
        {
            if (!await _store.CompleteAsync(update, ct).ConfigureAwait(false))
            {
                Log.LeaseLost(_logger, d.Id);
                return;
            }

            // DLV-33: the history record is written only once the lease-conditioned update was accepted; a node whose
            // lease was taken over drops its result, history included (it used to save the record before CompleteAsync).
            if (record is not null)
            {
                try
                {
                    await _store.SaveHistoryAsync(record, ct).ConfigureAwait(false);
                }
                catch (IntegrationStoreUnavailableException ex)
                {
                    Log.HistorySaveFailed(_logger, ex, d.Id);
                }
            }
        }

        Log.AttemptFinished(_logger, d.Id, d.IntegrationId, attempt, state, s.History?.LastStep ?? "");
        if (state != DeliveryState.Pending)
        {
            _telemetry.Deliveries.Add(1, new KeyValuePair<string, object?>("kind", d.Kind == DeliveryKind.Omnichannel ? "omnichannel" : "outgoing"),
                new KeyValuePair<string, object?>("state", state.ToString().ToLowerInvariant()));
        }
    }

    /// <summary>DLV-30: back to pending, due now, without counting the attempt; the lease is released.</summary>
    private async Task CancelledByShutdownAsync(AttemptState s)
    {
        Log.CancelledByShutdown(_logger, s.Delivery.Id);
        var now = _time.GetUtcNow();
        try
        {
            if (s.History is { } h && s.Integration is { RecordHistory: true } integration)
            {
                h.Step("cancelled-by-shutdown", now);
                await _store.SaveHistoryAsync(h.ToRecord(integration, finished: true, now), CancellationToken.None).ConfigureAwait(false);
            }

            await PostponeAsync(s, now, CancellationToken.None).ConfigureAwait(false);
        }
        catch (IntegrationStoreUnavailableException ex)
        {
            Log.StoreUnavailable(_logger, ex); // the lease expires instead (DLV-34)
        }
    }

    /// <summary>What one attempt has learned so far.</summary>
    private sealed class AttemptState(DeliveryRecord delivery)
    {
        public DeliveryRecord Delivery { get; } = delivery;

        public Integration? Integration { get; set; }

        public SharedIntegrationRead? IntegrationRead { get; init; }

        public AttemptHistory? History { get; set; }

        public string? PreparedRequest { get; set; } = delivery.PreparedRequest;

        public long? PreparedVersion { get; set; } = delivery.PreparedVersion;

        public DateTimeOffset NextAttemptAt { get; set; }

        public volatile bool LeaseLost;
    }
}
