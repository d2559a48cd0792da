using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChatIntegrations.Administration;
using ChatIntegrations.Delivery;
using ChatIntegrations.Delivery.History;
using ChatIntegrations.Delivery.Retry;
using ChatIntegrations.Delivery.Signing;
using ChatIntegrations.Diagnostics;
using ChatIntegrations.Incoming;
using ChatIntegrations.Outgoing;
using ChatIntegrations.Outgoing.Matching;
using ChatIntegrations.Scripting;
using ChatIntegrations.Scripting.Jint.Http;
using ChatIntegrations.Scripting.Jint.Outgoing;
using ChatIntegrations.Scripting.Jint.Runtime;
using ChatIntegrations.Security.Ssrf;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChatIntegrations;

/// <summary>The dry run behind the dashboard's "try it" panel.</summary>
public sealed partial class IntegrationEngine
{
    /// <summary>Runs an integration's script against a payload the administrator supplies, as a dry run: nothing is
    /// posted, enqueued, recorded in history or sent over HTTP. Needs <see cref="IntegrationOperation.UpdateIntegration"/>
    /// on the integration: whoever may change its script may run one in its place.</summary>
    /// <param name="actor">Who asks.</param>
    /// <param name="integrationId">The id of a saved incoming or outgoing integration.</param>
    /// <param name="input">What to try. Every type accepts <c>script</c> (string, optional): the unsaved source from the
    /// editor; without it the saved script runs. An incoming integration reads <c>body</c> (a string sent as it is, or
    /// any other JSON value sent as JSON), <c>headers</c> (object of strings) and <c>query</c> (string or object of
    /// strings), all optional; a string body without a <c>Content-Type</c> header is sent as <c>application/json</c>
    /// when it parses as JSON, else as <c>application/x-www-form-urlencoded</c>. An outgoing integration reads
    /// <c>message</c> (object, required: <c>text</c>, <c>user</c> or <c>username</c> (defaults to the actor's name),
    /// <c>channel</c> (a room name or id, required) and <c>tmid</c>) and <c>response</c> (object, optional:
    /// <c>status_code</c>, <c>headers</c>, <c>content</c>), the receiver's answer to hand to
    /// <c>process_outgoing_response</c>.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>
    /// <para>The GEN-12 answer. On success it carries <c>console</c> (the captured console entries,
    /// <c>{level, message, ts}</c>, SCR-51), <c>error</c> (<c>{reason, message}</c> with the SCR-47 reason when the script
    /// hit a limit or threw, else <see langword="null"/>), <c>messages</c> (what would be posted, MSG-1, after the
    /// mapping and validation of real traffic), <c>warnings</c> (fields the mapping dropped, MSG-33) and
    /// <c>httpRequests</c> (the script's <c>HTTP</c>/<c>fetch</c> calls, <c>{method, url}</c>, none performed).
    /// Incoming adds <c>response</c> (<c>{statusCode, body}</c>: what the sender would get, IN-50..IN-55). Outgoing adds
    /// <c>trigger</c> (<c>{event, matched, triggerWord}</c>), <c>request</c> (the HTTP request that would be sent:
    /// <c>{method, url, headers, data}</c>, or <see langword="null"/>), <c>outcome</c> (the SCR-21/SCR-28 history step
    /// or delivery result) and <c>replyError</c>. Every string of the answer has the integration's token and signing
    /// secrets replaced, and sensitive headers are redacted (SEC-16).</para>
    /// <para>Errors: <c>error-not-found</c>; <c>not_authorized</c> (nothing runs); <c>error-invalid-field</c> with
    /// <c>field</c> for a value of the wrong type; <c>error-invalid-room</c> for an unknown <c>message.channel</c>;
    /// <c>error-no-script</c> when no script is supplied and the saved one is disabled or empty;
    /// <c>error-scripts-disabled</c> under the <c>Scripts.Disabled</c> kill switch (IN-73);
    /// <c>integration-scripts-disabled</c> for an unsaved script under <c>Scripts.Frozen</c> (SCR-36);
    /// <c>error-invalid-script</c> with <c>diagnostics</c>, as <see cref="ValidateScriptAsync"/>, for a supplied script
    /// that does not validate (SCR-30..SCR-35); <c>error-try-not-supported</c> when the host replaced the script host
    /// with one that cannot run dry runs.</para>
    /// </returns>
    /// <remarks>
    /// <para>The run uses the code of real traffic: for incoming, IN-9 from the body limit and parsing on (the route,
    /// token, enabled check and rate limit are skipped, so a disabled integration can be tried), the script, message
    /// mapping, override guard, destination checks and the sink, which here only records; for outgoing, the trigger
    /// index, the SCR-20 payload, <c>prepare_outgoing_request</c> and its SCR-21/SCR-22 interpretation, the attempt's
    /// headers (DLV-7, DLV-40), and with a <c>response</c>, <c>process_outgoing_response</c> (SCR-25..SCR-28) and the
    /// reply rules (OUT-71..OUT-76). A message that does not fire the trigger is still tried, with
    /// <c>trigger.matched</c> <see langword="false"/>; only the first URL is tried.</para>
    /// <para>The script runs in a private instance under the host's limits (SCR-40..SCR-47), with an empty
    /// <c>Store</c> that is thrown away. <c>HTTP</c> and <c>fetch</c> send nothing: <c>HTTP</c> returns
    /// <c>{error:{message:"not performed in a dry run", code:"EDRYRUN"}}</c> (the SCR-54 error shape) and <c>fetch</c>
    /// rejects with <c>TypeError: fetch failed: not performed in a dry run</c> (<c>cause.code</c> <c>EDRYRUN</c>).</para>
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="integrationId"/> or <paramref name="input"/> is
    /// <see langword="null"/>.</exception>
    public Task<AdministrationResult> TryScriptAsync(ClaimsPrincipal actor, string integrationId, JsonObject input, CancellationToken cancellationToken = default) =>
        Guard(actor, async () =>
        {
            ArgumentNullException.ThrowIfNull(integrationId);
            ArgumentNullException.ThrowIfNull(input);
            var current = Managed(await _store.GetAsync(integrationId, cancellationToken).ConfigureAwait(false));
            if (current is null) return AdministrationResult.Fail("error-not-found");
            if (!await AuthorizeAsync(actor, IntegrationOperation.UpdateIntegration, current, cancellationToken).ConfigureAwait(false)) return Denied();

            string? supplied = null;
            if (input["script"] is { } scriptNode && !TryString(scriptNode, out supplied)) return Invalid("script", "script must be a string");
            var options = _options.CurrentValue;
            IncomingWebhookRequest? incoming = null;
            OutgoingTry? outgoing = null;
            if (current.Type == IntegrationType.Incoming)
            {
                var (request, error) = ReadIncomingTry(input, current);
                if (error is not null) return error;
                incoming = request;
            }
            else
            {
                var (parsed, error) = ReadOutgoingTry(input, ActorName(actor));
                if (error is not null) return error;
                var room = await _directory.FindRoomAsync(parsed!.Channel, cancellationToken).ConfigureAwait(false);
                if (room is null) return AdministrationResult.Fail("error-invalid-room", "message.channel", "message.channel names no room");
                outgoing = parsed with { Room = room };
            }

            var unsaved = supplied is not null && !string.Equals(supplied, current.Script, StringComparison.Ordinal);
            var source = supplied ?? (current.ScriptEnabled ? current.Script : "");
            if (string.IsNullOrWhiteSpace(source))
            {
                return AdministrationResult.Fail("error-no-script", "script", "the integration has no enabled script; supply one in 'script' to try it");
            }

            if (options.Scripts.Disabled) return AdministrationResult.Fail("error-scripts-disabled"); // IN-73: the kill switch stops trials too
            if (unsaved && options.Scripts.Frozen) return AdministrationResult.Fail("integration-scripts-disabled"); // SCR-36: what cannot be saved is not tried
            if (_scripts is not IScriptTrialHost trials) return AdministrationResult.Fail("error-try-not-supported", message: "the script host cannot run dry runs");
            if (supplied is not null)
            {
                var check = await _scripts.ValidateAsync(supplied, current.Type, cancellationToken).ConfigureAwait(false);
                if (!check.IsValid) return IntegrationValidator.InvalidScript(check); // SCR-30, SCR-35
            }

            var tried = current with { Script = source, ScriptEnabled = true };
            var trial = trials.StartTrial(current.Id, source);
            var answer = incoming is not null
                ? await TryIncomingAsync(tried, incoming, trial, cancellationToken).ConfigureAwait(false)
                : await TryOutgoingAsync(tried, outgoing!, trial, options, cancellationToken).ConfigureAwait(false);

            var blocked = new JsonArray();
            foreach (var r in trial.BlockedRequests) blocked.Add(new JsonObject { ["method"] = r.Method, ["url"] = HistoryRedactor.Url(r.Url.ToString()) });
            answer["httpRequests"] = blocked;
            var outcome = answer["error"]?["reason"]?.GetValue<string>() ?? "ok";
            Log.ScriptTried(_logger, current.Id, ActorName(actor), unsaved, outcome);
            return AdministrationResult.Ok(HistoryRedactor.RedactedCopy(answer, HistoryRedactor.SecretsOf(current))); // SEC-16
        });

    private async Task<JsonObject> TryIncomingAsync(Integration integration, IncomingWebhookRequest request, IScriptTrial trial, CancellationToken cancellationToken)
    {
        var sink = new TrialMessageSink(_time);
        var recorder = new IncomingTrialRecorder();
        var pipeline = new IncomingPipeline(_store, _directory, sink, trial, _time, _options, NullLoggerFactory.Instance, _telemetry, recorder);
        var response = await pipeline.TryAsync(request, integration, cancellationToken).ConfigureAwait(false);
        return new JsonObject
        {
            ["type"] = "webhook-incoming",
            ["response"] = new JsonObject { ["statusCode"] = response.StatusCode, ["body"] = response.Body.DeepClone() },
            ["messages"] = Messages(sink),
            ["warnings"] = Strings(recorder.Warnings),
            ["console"] = Console(recorder.Logs),
            ["error"] = recorder.Reason is { } reason ? TryError(reason, recorder.Result?.ErrorDetail) : null,
        };
    }

    private async Task<JsonObject> TryOutgoingAsync(Integration integration, OutgoingTry input, IScriptTrial trial, ChatIntegrationsOptions options,
        CancellationToken cancellationToken)
    {
        var answer = new JsonObject { ["type"] = "webhook-outgoing" };
        var room = input.Room!;
        var user = await _directory.FindUserAsync(input.Username, byUsername: true, cancellationToken).ConfigureAwait(false);
        var actor = user is null ? new UserSnapshot("try-user", input.Username) : new UserSnapshot(user.Id, user.Username) { Name = user.Name };
        TriggerIndex.TryParseEvent(integration.Event, out var listened);
        var now = _time.GetUtcNow();
        var chatEvent = new ChatEvent
        {
            Type = listened,
            Timestamp = now,
            Room = new RoomSnapshot(room.Id, room.Type) { Name = room.Name },
            Actor = actor,
            Owner = actor,
            Message = new MessageSnapshot("try-message", room.Id)
            {
                Text = input.Text, Timestamp = now, ThreadId = input.ThreadId, Sender = new UserReference(actor.Id, actor.Username, actor.Name),
            },
        };

        // OUT-30..OUT-47: the trigger index of real traffic, built from this integration alone.
        var matches = TriggerIndex.Build([integration with { Enabled = true }]).Match(chatEvent);
        var triggerWord = matches.Count > 0 ? matches[0].TriggerWord : null;
        answer["trigger"] = new JsonObject { ["event"] = OutgoingPayload.EventName(listened), ["matched"] = matches.Count > 0, ["triggerWord"] = triggerWord };

        var payload = OutgoingPayload.Build(chatEvent, listened, triggerWord, options);
        var data = DeliveryRequests.Data(integration, payload, options);
        var reply = ReplyContext.Of(payload);
        var url = integration.Urls[0];
        var sink = new TrialMessageSink(_time);
        var warnings = new List<string>();
        var replies = new ReplyPoster(_directory, sink, _options, NullLoggerFactory.Instance, warnings);
        var console = new List<ScriptLogEntry>();
        var script = new ScriptDescriptor(integration.Id, integration.Version, integration.Script, IntegrationType.Outgoing);
        JsonObject? error = null;
        string? replyError = null;
        string outcome;

        // SCR-20, SCR-21: the hook is called directly, so that a failing top level is reported rather than skipped.
        PreparedRequest? prepared = null;
        var send = true;
        var call = await trial.InvokeAsync(script, DeliveryProcessor.PrepareHook,
            new JsonObject { ["request"] = DeliveryRequests.ScriptRequest(integration, url, data, options) }, cancellationToken).ConfigureAwait(false);
        console.AddRange(call.Logs);
        outcome = "pre-http-call";
        switch (call.Outcome)
        {
            case ScriptOutcome.HookMissing:
                break;
            case ScriptOutcome.Completed:
            {
                var interpreted = PrepareResultInterpreter.Interpret(call.Value, TimeSpan.FromMilliseconds(integration.TimeoutMs));
                if (interpreted.Message is { } message)
                {
                    var posted = await replies.PostAsync(integration, message, reply, cancellationToken).ConfigureAwait(false);
                    replyError ??= posted.Error;
                }

                if (interpreted.Kind == PrepareResultKind.Send) prepared = interpreted.Request;
                else
                {
                    send = false;
                    outcome = interpreted.HistoryStep;
                }

                break;
            }

            default:
                send = false;
                outcome = "execute-script-error-running-" + DeliveryProcessor.PrepareHook;
                error = CallError(call);
                break;
        }

        answer["request"] = null;
        if (send)
        {
            prepared ??= DeliveryRequests.Default(integration, url, data); // OUT-60
            var sent = DeliveryRequests.ForAttempt(prepared, DeliveryIds.New(_time), 1, integration, now, options);
            answer["request"] = new JsonObject
            {
                ["method"] = sent.Request.Method,
                ["url"] = HistoryRedactor.Url(sent.Request.Url.ToString()),
                ["headers"] = HistoryRedactor.Headers(sent.Request.Headers),
                ["data"] = sent.Body is { } b ? DeliveryRequests.TryParse(b) ?? (JsonNode)b : null,
            };

            if (input.Response is { } pasted)
            {
                (outcome, var processError, var processReplyError) = await TryResponseAsync(integration, prepared, pasted, trial, script, replies, reply, console, options, cancellationToken)
                    .ConfigureAwait(false);
                error ??= processError;
                replyError ??= processReplyError;
            }
        }

        answer["outcome"] = outcome;
        answer["messages"] = Messages(sink);
        answer["warnings"] = Strings(warnings);
        answer["console"] = Console(console);
        answer["error"] = error;
        answer["replyError"] = replyError;
        return answer;
    }

    /// <summary>SCR-25..SCR-28 and the default reply rule (OUT-71) for a response the administrator pasted.</summary>
    private async Task<(string Outcome, JsonObject? Error, string? ReplyError)> TryResponseAsync(Integration integration, PreparedRequest prepared,
        TriedResponse pasted, IScriptTrial trial, ScriptDescriptor script, ReplyPoster replies, ReplyContext reply, List<ScriptLogEntry> console,
        ChatIntegrationsOptions options, CancellationToken cancellationToken)
    {
        var body = Encoding.UTF8.GetBytes(pasted.Content);
        MediaTypeHeaderValue.TryParse(pasted.Headers.GetValueOrDefault("content-type"), out var mediaType);
        var response = new OutboundResponse
        {
            StatusCode = pasted.StatusCode,
            Headers = pasted.Headers,
            Body = body,
            MediaType = mediaType?.MediaType,
            CharSet = mediaType?.CharSet,
            Url = prepared.Url,
        };
        var outcome = AttemptOutcome.Answer(pasted.StatusCode, body.Length > 0);
        var result = new AttemptResult(response, null, outcome, OutcomeClassifier.Classify(outcome, integration.RetryRules));
        var argument = new JsonObject
        {
            ["request"] = DeliveryRequests.ScriptView(prepared),
            ["response"] = DeliveryRequests.ScriptResponse(result, integration.ResponseContentMode, options.MaxJsonDepth),
        };
        var call = await trial.InvokeAsync(script, DeliveryProcessor.ProcessHook, argument, cancellationToken).ConfigureAwait(false);
        console.AddRange(call.Logs);
        if (call.Outcome is not (ScriptOutcome.Completed or ScriptOutcome.HookMissing))
        {
            // As a delivery: a failed process hook leaves default processing to decide.
            var failure = CallError(call);
            var (fallback, replyError) = await DefaultOutcomeAsync(integration, result, replies, reply, cancellationToken).ConfigureAwait(false);
            return (fallback, failure, replyError);
        }

        var processed = call.Outcome == ScriptOutcome.Completed ? ProcessResultInterpreter.Interpret(call.Value) : default;
        switch (processed.Kind)
        {
            case ProcessResultKind.PostMessage:
            {
                var posted = await replies.PostAsync(integration, processed.Content!, reply, cancellationToken).ConfigureAwait(false);
                return (processed.HistoryStep!, null, posted.Error);
            }

            case ProcessResultKind.Stop:
                return (processed.HistoryStep!, null, null);
            default:
            {
                var (step, replyError) = await DefaultOutcomeAsync(integration, result, replies, reply, cancellationToken).ConfigureAwait(false);
                return (step, null, replyError);
            }
        }
    }

    /// <summary>Default processing (OUT-70..OUT-80, DLV-13) as a word: the reply of a successful answer is mapped
    /// (OUT-71); other classes are named, nothing is retried or disabled.</summary>
    private static async Task<(string Outcome, string? ReplyError)> DefaultOutcomeAsync(Integration integration, AttemptResult result, ReplyPoster replies,
        ReplyContext reply, CancellationToken cancellationToken)
    {
        switch (result.Classification.Class)
        {
            case OutcomeClass.Success:
                if (DeliveryRequests.TryParse(result.Response!.BodyText) is JsonObject body && ReplyPoster.IsReply(body))
                {
                    var posted = await replies.PostAsync(integration, body, reply, cancellationToken).ConfigureAwait(false);
                    return ("url-response-sent-message", posted.Error);
                }

                return ("succeeded", null);
            case OutcomeClass.Retryable:
                return ("retry", null);
            case OutcomeClass.Disable:
                return (result.Classification.Step ?? OutcomeClassifier.Step410, null);
            default:
                return (result.Classification.Step ?? "failed", null);
        }
    }

    private static (IncomingWebhookRequest?, AdministrationResult?) ReadIncomingTry(JsonObject input, Integration integration)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (input["headers"] is { } headersNode)
        {
            if (headersNode is not JsonObject ho) return (null, Invalid("headers", "headers must be an object of strings"));
            foreach (var (name, value) in ho)
            {
                if (!TryString(value, out var text)) return (null, Invalid("headers", $"header '{name}' must be a string"));
                headers[name] = text;
            }
        }

        var query = "";
        switch (input["query"])
        {
            case null:
                break;
            case JsonObject qo:
                var pairs = new List<string>();
                foreach (var (name, value) in qo)
                {
                    if (!TryString(value, out var text)) return (null, Invalid("query", $"query parameter '{name}' must be a string"));
                    pairs.Add(Uri.EscapeDataString(name) + "=" + Uri.EscapeDataString(text));
                }

                query = string.Join('&', pairs);
                break;
            case var q when TryString(q, out var text):
                query = text.TrimStart('?');
                break;
            default:
                return (null, Invalid("query", "query must be a string or an object of strings"));
        }

        byte[] body = [];
        switch (input["body"])
        {
            case null:
                break;
            case var b when TryString(b, out var text):
                body = Encoding.UTF8.GetBytes(text);
                if (text.Length > 0 && !headers.ContainsKey("Content-Type"))
                {
                    headers["Content-Type"] = DeliveryRequests.TryParse(text) is not null ? "application/json" : "application/x-www-form-urlencoded";
                }

                break;
            case var b:
                body = Encoding.UTF8.GetBytes(b.ToJsonString());
                headers.TryAdd("Content-Type", "application/json");
                break;
        }

        return (new IncomingWebhookRequest
        {
            Method = "POST",
            Path = "/hooks/" + Uri.EscapeDataString(integration.Id) + "/" + Uri.EscapeDataString(integration.Token),
            QueryString = query,
            Headers = headers,
            ContentLength = body.Length,
            Body = new MemoryStream(body, writable: false),
        }, null);
    }

    private static (OutgoingTry?, AdministrationResult?) ReadOutgoingTry(JsonObject input, string actorName)
    {
        if (input["message"] is not JsonObject m) return (null, Invalid("message", "message must be an object with text, user and channel"));
        var text = "";
        if (m["text"] is { } t && !TryString(t, out text)) return (null, Invalid("message.text", "message.text must be a string"));
        var username = actorName;
        if ((m["user"] ?? m["username"]) is { } u && !TryString(u, out username)) return (null, Invalid("message.user", "message.user must be a username string"));
        if (m["channel"] is not { } c || !TryString(c, out var channel) || channel.Trim().TrimStart('#').Length == 0)
        {
            return (null, Invalid("message.channel", "message.channel must name a room"));
        }

        string? threadId = null;
        if (m["tmid"] is { } tm && !TryString(tm, out threadId)) return (null, Invalid("message.tmid", "message.tmid must be a string"));

        TriedResponse? response = null;
        if (input["response"] is { } rn)
        {
            if (rn is not JsonObject r) return (null, Invalid("response", "response must be an object with status_code, headers and content"));
            var statusNode = r["status_code"] ?? r["statusCode"];
            if (statusNode is not JsonValue sv || !sv.TryGetValue<int>(out var status) || status is < 100 or > 599)
            {
                return (null, Invalid("response.status_code", "response.status_code must be an HTTP status (100-599)"));
            }

            var headers = new Dictionary<string, string>(StringComparer.Ordinal);
            if (r["headers"] is { } hn)
            {
                if (hn is not JsonObject ho) return (null, Invalid("response.headers", "response.headers must be an object of strings"));
                foreach (var (name, value) in ho)
                {
                    if (!TryString(value, out var hv)) return (null, Invalid("response.headers", $"header '{name}' must be a string"));
                    headers[name.ToLowerInvariant()] = hv;
                }
            }

            var content = "";
            switch (r["content"])
            {
                case null:
                    break;
                case var cn when TryString(cn, out var ct):
                    content = ct;
                    break;
                case var cn:
                    content = cn.ToJsonString();
                    headers.TryAdd("content-type", "application/json");
                    break;
            }

            response = new TriedResponse(status, headers, content);
        }

        return (new OutgoingTry(text, username.Trim().TrimStart('@'), channel.Trim().TrimStart('#'), threadId, response), null);
    }

    private static bool TryString(JsonNode? node, out string text)
    {
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String)
        {
            text = v.GetValue<string>();
            return true;
        }

        text = "";
        return false;
    }

    private static AdministrationResult Invalid(string field, string message) => AdministrationResult.Fail("error-invalid-field", field, message);

    private static JsonObject TryError(string reason, string? detail) => new() { ["reason"] = reason, ["message"] = detail ?? reason };

    /// <summary>The <c>error</c> of a hook call that did not complete: its SCR-47 reason, or <c>busy</c>.</summary>
    private static JsonObject CallError(ScriptCallResult call) =>
        TryError(call.Outcome == ScriptOutcome.Busy ? "busy" : call.Reason ?? ScriptReasons.Exception, call.ErrorDetail);

    private static JsonArray Messages(TrialMessageSink sink)
    {
        var list = new JsonArray();
        foreach (var m in sink.Messages) list.Add(m.ToJson());
        return list;
    }

    private static JsonArray Strings(IEnumerable<string> items)
    {
        var list = new JsonArray();
        foreach (var s in items) list.Add(s);
        return list;
    }

    private static JsonArray Console(IEnumerable<ScriptLogEntry> entries)
    {
        var list = new JsonArray();
        foreach (var e in entries)
        {
            list.Add(new JsonObject { ["level"] = e.Level, ["message"] = e.Message, ["ts"] = IncomingPipeline.FormatTimestamp(e.Timestamp) });
        }

        return list;
    }

    private sealed record OutgoingTry(string Text, string Username, string Channel, string? ThreadId, TriedResponse? Response)
    {
        public ChatRoom? Room { get; init; }
    }

    private sealed record TriedResponse(int StatusCode, IReadOnlyDictionary<string, string> Headers, string Content);
}
