using System.Buffers;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChatIntegrations.Administration;
using ChatIntegrations.Diagnostics;
using ChatIntegrations.Messages;
using ChatIntegrations.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatIntegrations.Incoming;

/// <summary>Turns one incoming webhook request into messages, in the order of IN-9.</summary>
internal sealed class IncomingPipeline
{
    internal const string InvalidTokenText = "Invalid integration id or token provided.";
    internal const string OverrideGuardText = "overriding destination channel is disabled for this integration";
    internal const string HookName = "process_incoming_request";

    /// <summary>MSG-11: the console warning recorded when a script's message is empty; it never quotes the content.</summary>
    internal const string EmptyScriptMessageWarning =
        "the script's content has no text and no attachments; nothing was posted and the request was answered as a success (MSG-11)";

    private readonly IIntegrationStore _store;
    private readonly IChatDirectory _directory;
    private readonly IMessageSink _sink;
    private readonly IScriptHost _scripts;
    private readonly TimeProvider _time;
    private readonly IOptionsMonitor<ChatIntegrationsOptions> _options;
    private readonly ILogger _logger;
    private readonly ILogger _scriptLogger;
    private readonly Telemetry _telemetry;
    private readonly FixedWindowCounter _rateLimits;
    private readonly FixedWindowCounter _tokenFailures;
    private readonly IncomingTrialRecorder? _trial;

    public IncomingPipeline(
        IIntegrationStore store,
        IChatDirectory directory,
        IMessageSink sink,
        IScriptHost scripts,
        TimeProvider time,
        IOptionsMonitor<ChatIntegrationsOptions> options,
        ILoggerFactory loggerFactory,
        Telemetry telemetry,
        IncomingTrialRecorder? trial = null)
    {
        _trial = trial;
        _store = store;
        _directory = directory;
        _sink = sink;
        _scripts = scripts;
        _time = time;
        _options = options;
        _logger = loggerFactory.CreateLogger(LogCategories.Engine);
        _scriptLogger = loggerFactory.CreateLogger(LogCategories.Scripts);
        _telemetry = telemetry;
        _rateLimits = new FixedWindowCounter(time);
        _tokenFailures = new FixedWindowCounter(time);
    }

    public async Task<IncomingWebhookResponse> HandleAsync(IncomingWebhookRequest request, CancellationToken cancellationToken)
    {
        IncomingWebhookResponse response;
        try
        {
            response = await HandleCoreAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (IntegrationStoreUnavailableException ex)
        {
            Log.StoreUnavailable(_logger, ex);
            response = Error(503, "error-store-unavailable", headers: [new("Retry-After", "5")]); // GEN-14
        }

        _telemetry.IncomingRequests.Add(1, new KeyValuePair<string, object?>("status_code", response.StatusCode));
        return response;
    }

    private async Task<IncomingWebhookResponse> HandleCoreAsync(IncomingWebhookRequest request, CancellationToken cancellationToken)
    {
        var options = _options.CurrentValue;

        // Step 1: route, then method (IN-5, IN-6).
        var route = IncomingRoute.Parse(request.Path, request.BasePath);
        if (route is null) return Error(404, InvalidTokenText);
        var method = request.Method.ToUpperInvariant();
        if (method is not ("GET" or "POST"))
        {
            return Error(405, "error-method-not-allowed", headers: [new("Allow", "GET, POST")]);
        }

        var r = route.Value;
        if (r.IsInfo && method != "GET") return Error(405, "error-method-not-allowed", headers: [new("Allow", "GET")]);

        // Step 2: token, incoming integrations only, constant time (IN-4, SEC-2, SEC-3).
        var integration = await _store.GetAsync(r.IntegrationId, cancellationToken).ConfigureAwait(false);
        var expected = integration is { Type: IntegrationType.Incoming } ? integration.Token : null;
        if (!Tokens.FixedTimeEquals(expected, r.Token))
        {
            return TokenFailure(request, options);
        }

        var i = integration!;

        // Step 3: enabled (IN-8).
        if (!i.Enabled) return Error(503, "Service Unavailable");
        if (r.IsInfo) return Ok(new JsonObject { ["success"] = true });

        // Step 4: rate limit (IN-60..IN-63).
        var rateHeaders = new List<KeyValuePair<string, string>>(3);
        var limit = i.RateLimit ?? new RateLimitSettings(options.RateLimit.Enabled, options.RateLimit.Permits, options.RateLimit.WindowSeconds);
        if (limit.Enabled)
        {
            var length = TimeSpan.FromSeconds(limit.WindowSeconds);
            WindowState state;
            if (_store is ISharedWindowCounter { SharesRateLimits: true } shared)
            {
                // IN-64: one window for all nodes; like the integration read above, it needs the store (GEN-14).
                var now = _time.GetUtcNow();
                var (count, end) = await shared.HitAsync("incoming:" + i.Id, now, length, cancellationToken).ConfigureAwait(false);
                state = new WindowState((int)Math.Min(count, int.MaxValue), limit.Permits, end, now);
            }
            else
            {
                state = _rateLimits.Hit(i.Id, limit.Permits, length); // IN-64: per node by default
            }

            rateHeaders.Add(new("X-RateLimit-Limit", limit.Permits.ToString(CultureInfo.InvariantCulture)));
            rateHeaders.Add(new("X-RateLimit-Remaining", state.Remaining.ToString(CultureInfo.InvariantCulture)));
            rateHeaders.Add(new("X-RateLimit-Reset", state.End.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)));
            if (state.Exceeded)
            {
                var wait = state.RetryAfterSeconds;
                rateHeaders.Add(new("Retry-After", wait.ToString(CultureInfo.InvariantCulture)));
                return Error(429, $"Error, too many requests. Please slow down. You must wait {wait} seconds before trying again.", headers: rateHeaders);
            }
        }

        var result = await ProcessAsync(request, r, i, method, options, cancellationToken).ConfigureAwait(false);
        Log.IncomingAnswered(_logger, i.Id, result.StatusCode, result.Body["error"] is JsonValue ev ? ev.ToString() : null);
        if (rateHeaders.Count == 0) return result;
        var merged = new List<KeyValuePair<string, string>>(result.Headers);
        merged.AddRange(rateHeaders);
        return new IncomingWebhookResponse { StatusCode = result.StatusCode, Body = result.Body, Headers = merged };
    }

    /// <summary>A dry run ("try it"): IN-9 from step 5 for <paramref name="integration"/>, as if its route, token, enabled
    /// check and rate limit had passed. Only a pipeline built with an <see cref="IncomingTrialRecorder"/> (with its
    /// recording sink and trial script host) may do this: it records instead of writing history or metrics.</summary>
    public Task<IncomingWebhookResponse> TryAsync(IncomingWebhookRequest request, Integration integration, CancellationToken cancellationToken)
    {
        if (_trial is null) throw new InvalidOperationException("not a trial pipeline");
        var route = new IncomingRoute(integration.Id, integration.Token, null, IsInfo: false);
        return ProcessAsync(request, route, integration, "POST", _options.CurrentValue, cancellationToken);
    }

    private void Warn(string integrationId, string warning)
    {
        Log.IncomingWarning(_logger, integrationId, warning);
        _trial?.Warnings.Add(warning);
    }

    private IncomingWebhookResponse TokenFailure(IncomingWebhookRequest request, ChatIntegrationsOptions options)
    {
        // SEC-5: failures are counted per client address; past the limit, failing checks answer 429.
        var address = request.RemoteAddress?.ToString() ?? "unknown";
        var state = _tokenFailures.Hit(address, options.TokenThrottle.MaxFailures, options.TokenThrottle.Window);
        Log.IncomingTokenRejected(_logger, address, IncomingRoute.Redact(request.Path, request.BasePath));
        if (state.Exceeded)
        {
            Log.IncomingThrottled(_logger, address);
            var wait = state.RetryAfterSeconds;
            return Error(429, $"Error, too many requests. Please slow down. You must wait {wait} seconds before trying again.",
                headers: [new("Retry-After", wait.ToString(CultureInfo.InvariantCulture))]);
        }

        return Error(404, InvalidTokenText);
    }

    private async Task<IncomingWebhookResponse> ProcessAsync(
        IncomingWebhookRequest request, IncomingRoute route, Integration integration, string method, ChatIntegrationsOptions options, CancellationToken cancellationToken)
    {
        // Step 5: body within the size limit (IN-20..IN-22). GET bodies are ignored (IN-70).
        ParsedBody body = ParsedBody.EmptyBody;
        if (method == "POST")
        {
            var limit = Math.Min(options.MaxIncomingBodyBytes, integration.MaxBodyBytes ?? int.MaxValue);
            if (request.ContentLength > limit) return Error(413, "error-payload-too-large");
            var (buffer, length, tooLarge) = await ReadBodyAsync(request.Body, limit, request.ContentLength, cancellationToken).ConfigureAwait(false);
            try
            {
                if (tooLarge) return Error(413, "error-payload-too-large");

                // Step 6: decode and parse (IN-10..IN-18).
                request.Headers.TryGetValue("Content-Type", out var contentType);
                request.Headers.TryGetValue("Content-Encoding", out var contentEncoding);
                var (parsed, error) = BodyParser.Parse(buffer.AsSpan(0, length), contentType, contentEncoding, options.MaxJsonDepth);
                if (error is not null) return Error(error.Status, error.Error, message: error.Message);
                body = parsed!;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        var hasScript = integration.ScriptEnabled && !string.IsNullOrWhiteSpace(integration.Script);
        bool? separateFromBody = body.Object?["separateResponse"] is JsonValue sv && sv.GetValueKind() is JsonValueKind.True or JsonValueKind.False
            ? sv.GetValue<bool>() : null;

        var sender = await _directory.FindUserAsync(integration.Username, byUsername: true, cancellationToken).ConfigureAwait(false);
        if (sender is null) return Error(400, "error-invalid-user");

        if (hasScript)
        {
            // Step 7: the script decides (IN-17, IN-72, IN-73, SCR-10).
            if (options.Scripts.Disabled) return Error(503, "error-scripts-disabled");
            return await RunScriptAndDeliverAsync(request, route, integration, body, sender, separateFromBody, options, cancellationToken).ConfigureAwait(false);
        }

        // Step 8: the empty-body shortcut (IN-16, IN-70).
        switch (body.Kind)
        {
            case BodyKind.Empty:
                return Ok(new JsonObject { ["success"] = true });
            case BodyKind.NonObjectJson:
                return Error(400, "error-invalid-body", message: "body must be a JSON object");
            case BodyKind.Unparseable:
                return Error(400, "error-invalid-json");
        }

        if (body.Object!.Count == 0) return Ok(new JsonObject { ["success"] = true });
        var built = MessageBuilder.Read(body.Object!, integration, MessageLimits.From(options));
        return await DeliverAsync(integration, sender, built, scriptResponse: null, options, cancellationToken).ConfigureAwait(false);
    }

    private async Task<IncomingWebhookResponse> RunScriptAndDeliverAsync(IncomingWebhookRequest request, IncomingRoute route, Integration integration,
        ParsedBody body, ChatUser sender, bool? separateFromBody, ChatIntegrationsOptions options, CancellationToken cancellationToken)
    {
        var (argument, result, outcome) = await RunScriptAsync(request, route, integration, body, sender, cancellationToken).ConfigureAwait(false);
        var answer = outcome.Answer;
        var logs = result.Logs;
        (MessageDraft? Draft, MessageError? Error) built = default;
        if (answer is null)
        {
            var content = outcome.Content!;
            if (content["separateResponse"] is null && separateFromBody is { } sep) content["separateResponse"] = sep;
            built = MessageBuilder.Read(content, integration, MessageLimits.From(options));
            if (built.Draft is { Text.Length: 0, Attachments.Count: 0 } empty)
            {
                // MSG-11: a script's message with no text and no attachments posts nothing and answers as a success
                // (IN-50, or IN-51 with the script's response), as in Rocket.Chat: senders such as GitLab count a 400 as
                // a failed delivery. The script's author learns it from a console warning in the log and the history.
                foreach (var w in empty.Warnings) Warn(integration.Id, w);
                var warning = new ScriptLogEntry("warn", EmptyScriptMessageWarning, _time.GetUtcNow());
                Log.ScriptConsole(_scriptLogger, integration.Id, warning.Level, warning.Message); // IN-74
                Log.ScriptMessageEmpty(_logger, integration.Id);
                logs = [.. logs, warning];
                answer = Success(outcome.Response);
            }
        }

        if (_trial is not null)
        {
            _trial.Record(result, logs, outcome); // a dry run writes no history
        }
        else if (options.RecordIncomingHistory)
        {
            await RecordHistoryAsync(integration, argument, result, logs, outcome, cancellationToken).ConfigureAwait(false);
        }

        return answer ?? await DeliverAsync(integration, sender, built, outcome.Response, options, cancellationToken).ConfigureAwait(false);
    }

    private async Task<IncomingWebhookResponse> DeliverAsync(Integration integration, ChatUser sender, (MessageDraft? Draft, MessageError? Error) built,
        JsonObject? scriptResponse, ChatIntegrationsOptions options, CancellationToken cancellationToken)
    {
        if (built.Error is { } buildError) return Error(400, buildError.Error, field: buildError.Field);
        var d = built.Draft!;
        foreach (var w in d.Warnings) Warn(integration.Id, w);

        var resolver = new DestinationResolver(_directory, sender);
        var defaults = MessageBuilder.Normalise(integration.Channel);

        // Step 9: the override guard (IN-48).
        if (d.Destinations is not null && !integration.OverrideDestinationChannelEnabled)
        {
            if (!await resolver.AllWithinAsync(d.Destinations, defaults, cancellationToken).ConfigureAwait(false))
            {
                return Error(400, OverrideGuardText);
            }
        }

        // Step 10: build and validate the message (MSG-10, MSG-11, MSG-40).
        if (options.SlackCompatibility) await MessageTranslator.TranslateAsync(d, _directory, cancellationToken).ConfigureAwait(false);
        if (d.Text.Length > options.MaxMessageLength) return Error(400, "error-message-size-exceeded");
        if (d.Text.Length == 0 && d.Attachments.Count == 0) return Error(400, "error-empty-message"); // a body without a script; a script's empty message was answered above

        // Step 11: resolve and check every destination before sending (IN-40..IN-47).
        var entries = d.Destinations ?? defaults;
        if (entries.Count > options.MaxDestinations) return Error(400, "error-too-many-destinations");
        var resolved = new List<(string Entry, ChatRoom? Room, string? Error)>(entries.Count);
        foreach (var entry in entries)
        {
            var (room, error) = await resolver.ResolveAsync(entry, cancellationToken).ConfigureAwait(false);
            if (room is not null)
            {
                error = await _directory.CheckMayPostAsync(sender, room, cancellationToken).ConfigureAwait(false);
            }

            resolved.Add((entry, error is null ? room : null, error));
        }

        if (d.SeparateResponse && scriptResponse is null)
        {
            return await SendSeparatelyAsync(integration, sender, d, resolved, cancellationToken).ConfigureAwait(false);
        }

        foreach (var (_, _, error) in resolved)
        {
            if (error is not null) return Error(400, error); // IN-46: nothing is posted anywhere
        }

        // Step 12: send, once per room (IN-45).
        var sentRooms = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (_, room, _) in resolved)
        {
            if (!sentRooms.Add(room!.Id)) continue;
            SendMessageResult sent;
            try
            {
                sent = await _sink.SendAsync(d.ToMessage(room.Id, sender, integration.Id), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.SinkFailed(_logger, ex, integration.Id, room.Id);
                return Error(500, "error-sending-message"); // IN-55
            }

            if (!sent.Succeeded) return Error(400, sent.Error!); // IN-54
        }

        // Step 13: answer (IN-50, IN-51).
        return Success(scriptResponse);
    }

    /// <summary>IN-50, IN-51: <c>{"success":true}</c>, or the script's response with <c>"success":true</c>.</summary>
    private static IncomingWebhookResponse Success(JsonObject? scriptResponse)
    {
        var body = scriptResponse is null ? new JsonObject() : (JsonObject)scriptResponse.DeepClone();
        body["success"] = true;
        return Ok(body);
    }

    private async Task<IncomingWebhookResponse> SendSeparatelyAsync(
        Integration integration, ChatUser sender, MessageDraft draft, List<(string Entry, ChatRoom? Room, string? Error)> resolved, CancellationToken cancellationToken)
    {
        // IN-52: one entry per destination, in list order; a room is posted to once (IN-45).
        var byRoom = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
        var responses = new JsonArray();
        var anySent = false;
        foreach (var (entry, room, error) in resolved)
        {
            if (room is null)
            {
                responses.Add(new JsonObject { ["channel"] = entry, ["error"] = error });
                continue;
            }

            if (!byRoom.TryGetValue(room.Id, out var outcome))
            {
                try
                {
                    var sent = await _sink.SendAsync(draft.ToMessage(room.Id, sender, integration.Id), cancellationToken).ConfigureAwait(false);
                    outcome = sent.Succeeded
                        ? new JsonObject
                        {
                            ["_id"] = sent.MessageId,
                            ["rid"] = sent.RoomId ?? room.Id,
                            ["ts"] = FormatTimestamp(sent.Timestamp),
                            ["msg"] = draft.Text,
                        }
                        : JsonValue.Create(sent.Error!);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    Log.SinkFailed(_logger, ex, integration.Id, room.Id);
                    outcome = JsonValue.Create("error-sending-message"); // IN-55
                }

                byRoom[room.Id] = outcome;
            }

            if (outcome is JsonObject message)
            {
                anySent = true;
                responses.Add(new JsonObject { ["channel"] = entry, ["message"] = message.DeepClone() });
            }
            else
            {
                responses.Add(new JsonObject { ["channel"] = entry, ["error"] = outcome.DeepClone() });
            }
        }

        return new IncomingWebhookResponse
        {
            StatusCode = anySent ? 200 : 400,
            Body = new JsonObject { ["success"] = anySent, ["responses"] = responses },
        };
    }

    private async Task<(JsonObject Argument, ScriptCallResult Result, ScriptStepOutcome Outcome)> RunScriptAsync(
        IncomingWebhookRequest request, IncomingRoute route, Integration integration, ParsedBody body, ChatUser sender, CancellationToken cancellationToken)
    {
        var argument = new JsonObject { ["request"] = ScriptRequestFactory.Create(request, route, body, sender) };
        ScriptCallResult result;
        try
        {
            result = await _scripts.InvokeAsync(
                new ScriptDescriptor(integration.Id, integration.Version, integration.Script, IntegrationType.Incoming),
                HookName,
                argument,
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.ScriptHostThrew(_logger, ex, integration.Id);
            result = new ScriptCallResult { Outcome = ScriptOutcome.Failed, Reason = "exception", ErrorDetail = ex.Message };
        }

        foreach (var entry in result.Logs)
        {
            Log.ScriptConsole(_scriptLogger, integration.Id, entry.Level, entry.Message); // IN-74
        }

        var interpreted = IncomingScriptResult.Interpret(result, _options.CurrentValue.AllowScriptUserOverride);
        if (_trial is null) _telemetry.ScriptCalls.Add(1, new KeyValuePair<string, object?>("hook", HookName), new KeyValuePair<string, object?>("result", interpreted.Reason ?? "ok"));
        if (interpreted.Reason is { } reason)
        {
            Log.ScriptFailed(_logger, integration.Id, reason);
            Log.ScriptFailedDetail(_logger, integration.Id, reason, result.ErrorDetail);
            if (reason != "exception" && _trial is null) _telemetry.ScriptLimitHits.Add(1, new KeyValuePair<string, object?>("reason", reason));
        }

        if (interpreted.Warning is not null) Warn(integration.Id, interpreted.Warning);
        return (argument, result, interpreted);
    }

    /// <summary>IN-74: with <c>RecordIncomingHistory</c>, the script run becomes a history record of type
    /// <c>incoming-webhook</c> (attempt 0), redacted like every record (SEC-16). A failed save is logged, never fatal.</summary>
    private async Task RecordHistoryAsync(Integration integration, JsonObject argument, ScriptCallResult result, IReadOnlyList<ScriptLogEntry> scriptLogs,
        ScriptStepOutcome interpreted, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var history = Delivery.History.AttemptHistory.WithoutAttempt(integration, eventName: null, triggerWord: null,
            argument["request"]?["content"] as JsonObject, now, type: "incoming-webhook");
        history.Step("execute-script-before-running-" + HookName, now);
        var logs = new JsonArray();
        foreach (var entry in scriptLogs)
        {
            logs.Add(new JsonObject { ["level"] = entry.Level, ["message"] = entry.Message, ["ts"] = FormatTimestamp(entry.Timestamp) });
        }

        history.Set("scriptLogs", logs);
        history.Set("statusCode", interpreted.Answer?.StatusCode ?? 200);
        if (interpreted.Reason is { } reason)
        {
            history.Step("execute-script-error-running-" + HookName, now);
            history.Error(reason, result.ErrorDetail);
        }
        else
        {
            history.Step("execute-script-after-running-" + HookName, now);
        }

        try
        {
            await _store.SaveHistoryAsync(history.ToRecord(integration, finished: true, now), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.IncomingHistoryFailed(_logger, ex, integration.Id);
        }
    }

    private static async Task<(byte[] Buffer, int Length, bool TooLarge)> ReadBodyAsync(Stream stream, int limit, long? declared, CancellationToken cancellationToken)
    {
        var initial = declared is > 0 ? (int)Math.Min(declared.Value + 1, limit + 1L) : Math.Min(16 * 1024, limit + 1);
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(initial, 256));
        var length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, limit + 1L));
                buffer.AsSpan(0, length).CopyTo(bigger);
                ArrayPool<byte>.Shared.Return(buffer);
                buffer = bigger;
            }

            var max = Math.Min(buffer.Length - length, limit + 1 - length);
            var n = await stream.ReadAsync(buffer.AsMemory(length, max), cancellationToken).ConfigureAwait(false);
            if (n == 0) return (buffer, length, false);
            length += n;
            if (length > limit) return (buffer, length, true); // IN-20: cut off as soon as it passes the limit
        }
    }

    internal static string FormatTimestamp(DateTimeOffset ts) => ts.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    internal static IncomingWebhookResponse Ok(JsonObject body) => new() { StatusCode = 200, Body = body };

    internal static IncomingWebhookResponse Error(int status, string error, string? message = null, string? field = null, string? reason = null,
        IReadOnlyList<KeyValuePair<string, string>>? headers = null)
    {
        var body = new JsonObject { ["success"] = false, ["error"] = error };
        if (message is not null) body["message"] = message;
        if (reason is not null) body["reason"] = reason;
        if (field is not null) body["field"] = field;
        return new IncomingWebhookResponse { StatusCode = status, Body = body, Headers = headers ?? [] };
    }
}
