using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChatIntegrations.Delivery.Retry;
using ChatIntegrations.Delivery.Signing;
using ChatIntegrations.Outgoing;
using ChatIntegrations.Scripting.Jint.Http;
using ChatIntegrations.Scripting.Jint.Outgoing;
using ChatIntegrations.Security.Ssrf;

namespace ChatIntegrations.Delivery;

/// <summary>The result of one HTTP attempt: an answer or a failure, classified (DLV-13).</summary>
internal sealed record AttemptResult(OutboundResponse? Response, OutboundRequestException? Failure, AttemptOutcome Outcome, OutcomeClassification Classification);

/// <summary>The request of one attempt as sent, for history (DLV-20).</summary>
internal sealed record SentRequest(OutboundRequest Request, string? Body);

/// <summary>Builds delivery requests: the default request and the script argument (OUT-60..OUT-62, SCR-20), their
/// stored form (SCR-24), and the per-attempt headers (DLV-7, OUT-61, DLV-40).</summary>
internal static class DeliveryRequests
{
    public const string JsonContentType = "application/json; charset=utf-8";
    public const string FormContentType = "application/x-www-form-urlencoded";
    public const string AttemptHeader = "X-ChatIntegrations-Attempt";

    /// <summary>The body fields: the payload with the current token (DLV-6), or the <c>slack-form</c> fields.</summary>
    public static JsonObject Data(Integration integration, JsonObject payload, ChatIntegrationsOptions options)
    {
        var data = OutgoingPayload.WithToken(payload, integration.Token);
        if (integration.PayloadFormat != "slack-form") return data;
        var form = new JsonObject();
        foreach (var (key, value) in OutgoingPayload.SlackFormFields(data, options)) form[key] = value;
        return form;
    }

    /// <summary>The request sent when there is no script or no <c>prepare_outgoing_request</c> (OUT-60, OUT-62).</summary>
    public static PreparedRequest Default(Integration integration, string url, JsonObject data)
    {
        var form = integration.PayloadFormat == "slack-form";
        return new PreparedRequest
        {
            Method = "POST",
            Url = new Uri(url),
            Headers = [],
            Body = form ? OutgoingPayload.FormEncode(data.Select(p => new KeyValuePair<string, string>(p.Key, p.Value?.ToString() ?? ""))) : data.ToJsonString(),
            ContentType = form ? FormContentType : JsonContentType,
            Timeout = TimeSpan.FromMilliseconds(integration.TimeoutMs),
        };
    }

    /// <summary>The <c>request</c> argument of <c>prepare_outgoing_request</c> (SCR-20).</summary>
    public static JsonObject ScriptRequest(Integration integration, string url, JsonObject data, ChatIntegrationsOptions options)
    {
        var headers = new JsonObject { ["User-Agent"] = options.UserAgent };
        if (integration.PayloadFormat == "slack-form") headers["Content-Type"] = FormContentType;
        return new JsonObject
        {
            ["params"] = new JsonObject(),
            ["method"] = "POST",
            ["url"] = url,
            ["data"] = data.DeepClone(),
            ["headers"] = headers,
        };
    }

    /// <summary>The prepared request as a script sees it in <c>process_outgoing_response</c> (SCR-25).</summary>
    public static JsonObject ScriptView(PreparedRequest request)
    {
        var headers = new JsonObject();
        foreach (var (name, value) in request.Headers) headers[name] = value;
        var o = new JsonObject { ["method"] = request.Method, ["url"] = request.Url.ToString(), ["headers"] = headers };
        if (request.Body is { } body) o["data"] = TryParseObject(body) ?? (JsonNode)body;
        return o;
    }

    /// <summary>Serialises a prepared request for the delivery row (SCR-24).</summary>
    public static string Serialize(PreparedRequest request)
    {
        var headers = new JsonArray();
        foreach (var (name, value) in request.Headers) headers.Add(new JsonArray(name, value));
        var o = new JsonObject
        {
            ["method"] = request.Method,
            ["url"] = request.Url.ToString(),
            ["headers"] = headers,
            ["body"] = request.Body,
            ["contentType"] = request.ContentType,
            ["timeoutMs"] = request.Timeout.TotalMilliseconds,
        };
        return o.ToJsonString();
    }

    /// <summary>Reads a request stored by <see cref="Serialize"/>; <see langword="null"/> when unreadable.</summary>
    public static PreparedRequest? Deserialize(string? text)
    {
        if (string.IsNullOrEmpty(text)) return null;
        try
        {
            var o = JsonNode.Parse(text)!.AsObject();
            var headers = new List<KeyValuePair<string, string>>();
            foreach (var h in o["headers"]!.AsArray()) headers.Add(new(h![0]!.GetValue<string>(), h[1]!.GetValue<string>()));
            return new PreparedRequest
            {
                Method = o["method"]!.GetValue<string>(),
                Url = new Uri(o["url"]!.GetValue<string>()),
                Headers = headers,
                Body = o["body"]?.GetValue<string>(),
                ContentType = o["contentType"]?.GetValue<string>(),
                Timeout = TimeSpan.FromMilliseconds(o["timeoutMs"]!.GetValue<double>()),
            };
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or NullReferenceException or UriFormatException or FormatException)
        {
            return null;
        }
    }

    /// <summary>The request of attempt <paramref name="attempt"/>: the prepared request plus <c>User-Agent</c>,
    /// <c>Accept</c>, <c>webhook-id</c>, <c>webhook-timestamp</c>, the attempt number and, with secrets, the signature
    /// over the exact body bytes (DLV-7, DLV-40..DLV-42, OUT-61). Headers the script set are kept (SCR-22).</summary>
    public static SentRequest ForAttempt(PreparedRequest prepared, string deliveryId, int attempt, Integration integration, DateTimeOffset now,
        ChatIntegrationsOptions options)
    {
        var body = prepared.Body is { } text ? Encoding.UTF8.GetBytes(text) : null;
        var signed = WebhookSigner.CreateHeaders(deliveryId, now, body ?? [], integration.SigningSecrets);
        var headers = new List<KeyValuePair<string, string>>(prepared.Headers.Where(h => !h.Key.Equals(AttemptHeader, StringComparison.OrdinalIgnoreCase)));
        void AddIfAbsent(string name, string? value)
        {
            if (value is not null && !headers.Any(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase))) headers.Add(new(name, value));
        }

        AddIfAbsent("User-Agent", options.UserAgent);
        AddIfAbsent("Accept", "application/json");
        AddIfAbsent(WebhookHeaders.IdHeader, signed.Id);
        AddIfAbsent(WebhookHeaders.TimestampHeader, signed.Timestamp);
        AddIfAbsent(WebhookHeaders.SignatureHeader, signed.Signature);
        headers.Add(new(AttemptHeader, attempt.ToString(CultureInfo.InvariantCulture)));
        var request = new OutboundRequest
        {
            Method = prepared.Method,
            Url = prepared.Url,
            Headers = headers,
            Body = body,
            ContentType = prepared.ContentType,
            Timeout = prepared.Timeout,
            Redirect = OutboundRedirectMode.FollowMethodPreserving, // DLV-13: 307/308 followed, other 3xx final
            MaxRedirects = 5,
            MaxBodyBytes = options.MaxResponseBodyBytes, // OUT-71
        };
        return new SentRequest(request, prepared.Body);
    }

    /// <summary>The <c>response</c> argument of <c>process_outgoing_response</c> (SCR-26, SCR-27).</summary>
    public static JsonObject ScriptResponse(AttemptResult result, string responseContentMode, int maxJsonDepth)
    {
        if (result.Response is not { } response)
        {
            return new JsonObject
            {
                ["status_code"] = null,
                ["error"] = new JsonObject { ["message"] = result.Failure?.Message ?? "request failed", ["code"] = result.Failure?.Code },
                ["content"] = null,
                ["content_raw"] = "",
                ["headers"] = new JsonObject(),
            };
        }

        var text = response.BodyText;
        JsonNode? content = text;
        if (responseContentMode != "raw" && MeteorHttp.IsJsonMediaType(response.MediaType))
        {
            content = TryParse(text, maxJsonDepth);
        }

        var headers = new JsonObject();
        foreach (var (name, value) in response.Headers) headers[name] = value;
        return new JsonObject
        {
            ["status_code"] = response.StatusCode,
            ["error"] = response.StatusCode >= 400
                ? new JsonObject { ["message"] = MeteorHttp.FailureMessage(response.StatusCode, text), ["status_code"] = response.StatusCode }
                : null,
            ["content"] = content,
            ["content_raw"] = text,
            ["headers"] = headers,
        };
    }

    public static JsonNode? TryParse(string text, int maxDepth = 64)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        try
        {
            return JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { MaxDepth = maxDepth });
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static JsonObject? TryParseObject(string text) => TryParse(text) as JsonObject;
}
