using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChatIntegrations.Scripting.Jint.Http;

namespace ChatIntegrations.Scripting.Jint.Outgoing;

/// <summary>What the engine does after <c>prepare_outgoing_request</c> (SCR-21).</summary>
internal enum PrepareResultKind
{
    /// <summary>Falsy or not an object: no HTTP call, the delivery ends <c>cancelled</c> (<c>after-prepare-no-opts</c>).</summary>
    Cancelled,

    /// <summary>No <c>url</c> or no <c>method</c>: no HTTP call; <c>succeeded</c> if a message was posted, else
    /// <c>cancelled</c> (<c>after-prepare-no-url_or_method</c>).</summary>
    NoUrlOrMethod,

    /// <summary>The request is sent (<c>pre-http-call</c>).</summary>
    Send,

    /// <summary>Final failure at <c>after-prepare-invalid-url</c>.</summary>
    InvalidUrl,

    /// <summary>Final failure at <c>after-prepare-invalid-method</c>.</summary>
    InvalidMethod,

    /// <summary>Final failure at <c>after-prepare-invalid-auth</c>.</summary>
    InvalidAuth,
}

/// <summary>The interpretation of a <c>prepare_outgoing_request</c> result.</summary>
internal sealed class PrepareResultInterpretation
{
    public required PrepareResultKind Kind { get; init; }

    /// <summary>Gets the history step of the request part (SCR-21).</summary>
    public required string HistoryStep { get; init; }

    /// <summary>Gets the message to post now (rules OUT-72..OUT-76), when the result has one; the caller records
    /// <c>after-prepare-send-message</c> or <c>after-prepare-send-message-failed</c>.</summary>
    public JsonObject? Message { get; init; }

    /// <summary>Gets the request to send when <see cref="Kind"/> is <see cref="PrepareResultKind.Send"/>.</summary>
    public PreparedRequest? Request { get; init; }
}

/// <summary>A request after the SCR-22 rules; stored with the delivery and reused for retries (SCR-24).</summary>
internal sealed class PreparedRequest
{
    public required string Method { get; init; }

    public required Uri Url { get; init; }

    /// <summary>Gets the headers set by the script, without <c>Host</c>, <c>Content-Length</c> and
    /// <c>Transfer-Encoding</c>; the engine adds <c>User-Agent</c>, <c>webhook-*</c> and the signature when absent.</summary>
    public required IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; }

    /// <summary>Gets the body, or <see langword="null"/> (always for <c>GET</c> and <c>HEAD</c>).</summary>
    public string? Body { get; init; }

    /// <summary>Gets the content type of <see cref="Body"/>: the script's <c>Content-Type</c> header when it set one.</summary>
    public string? ContentType { get; init; }

    public required TimeSpan Timeout { get; init; }
}

/// <summary>Pure interpretation of <c>prepare_outgoing_request</c> results (SCR-21, SCR-22, SCR-23).</summary>
internal static class PrepareResultInterpreter
{
    private static readonly HashSet<string> Methods = new(StringComparer.Ordinal) { "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD" };

    /// <summary>Interprets <paramref name="returned"/>.</summary>
    /// <param name="returned">The hook's result as copied out (SCR-71).</param>
    /// <param name="defaultTimeout">The integration's <c>timeoutMs</c> (DLV-19).</param>
    public static PrepareResultInterpretation Interpret(JsonNode? returned, TimeSpan defaultTimeout)
    {
        if (returned is not JsonObject result)
        {
            return new() { Kind = PrepareResultKind.Cancelled, HistoryStep = "after-prepare-no-opts" };
        }

        var message = result["message"] as JsonObject;
        var url = result["url"];
        var method = result["method"];
        if (IsMissing(url) || IsMissing(method))
        {
            return new() { Kind = PrepareResultKind.NoUrlOrMethod, HistoryStep = "after-prepare-no-url_or_method", Message = message };
        }

        if (url is not JsonValue u || u.GetValueKind() != JsonValueKind.String
            || !Uri.TryCreate(u.GetValue<string>(), UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return new() { Kind = PrepareResultKind.InvalidUrl, HistoryStep = "after-prepare-invalid-url", Message = message };
        }

        var verb = method is JsonValue m && m.GetValueKind() == JsonValueKind.String ? m.GetValue<string>().ToUpperInvariant() : null;
        if (verb is null || !Methods.Contains(verb))
        {
            return new() { Kind = PrepareResultKind.InvalidMethod, HistoryStep = "after-prepare-invalid-method", Message = message };
        }

        var headers = new List<KeyValuePair<string, string>>();
        if (result["headers"] is JsonObject h)
        {
            foreach (var (name, value) in h)
            {
                if (name.Equals("Host", StringComparison.OrdinalIgnoreCase) || name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)
                    || name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
                {
                    continue; // SCR-22: always computed by the engine
                }

                if (value is JsonValue v && Scalar(v) is { } text)
                {
                    headers.Add(new(name, text));
                }
            }
        }

        // SCR-22/SCR-23: auth "user:pass" becomes Basic.
        var auth = result["auth"];
        if (!IsMissing(auth))
        {
            if (auth is not JsonValue a || a.GetValueKind() != JsonValueKind.String || !a.GetValue<string>().Contains(':', StringComparison.Ordinal))
            {
                return new() { Kind = PrepareResultKind.InvalidAuth, HistoryStep = "after-prepare-invalid-auth", Message = message };
            }

            headers.RemoveAll(p => p.Key.Equals("Authorization", StringComparison.OrdinalIgnoreCase));
            headers.Add(new("Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(a.GetValue<string>()))));
        }

        string? scriptContentType = headers.FirstOrDefault(p => p.Key.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)).Value;
        string? body = null;
        string? contentType = null;
        var data = result["data"];
        var content = result["content"];
        bool hasData = !IsMissing(data);
        bool hasContent = !hasData && content is JsonValue c && c.GetValueKind() == JsonValueKind.String;
        if (hasData)
        {
            if (data is JsonValue dv && dv.GetValueKind() == JsonValueKind.String)
            {
                body = dv.GetValue<string>();
                contentType = "text/plain; charset=utf-8";
            }
            else if (IsForm(scriptContentType))
            {
                body = MeteorHttp.FormEncode(FormPairs(data));
                contentType = "application/x-www-form-urlencoded";
            }
            else
            {
                body = data!.ToJsonString();
                contentType = "application/json; charset=utf-8";
            }
        }
        else if (hasContent)
        {
            body = content!.GetValue<string>();
            contentType = "text/plain; charset=utf-8";
        }

        var target = uri.ToString();
        if (result["params"] is JsonObject parameters)
        {
            var encoded = MeteorHttp.FormEncode(FormPairs(parameters));
            if (verb is "GET" or "HEAD" || hasData || hasContent)
            {
                target = MeteorHttp.AppendQuery(target, encoded);
            }
            else
            {
                body = encoded;
                contentType = "application/x-www-form-urlencoded";
            }
        }

        var timeout = defaultTimeout;
        if (result["timeout"] is JsonValue t && t.GetValueKind() == JsonValueKind.Number)
        {
            timeout = TimeSpan.FromMilliseconds(Math.Clamp(t.GetValue<double>(), 1000, 60000));
        }

        bool bodyless = verb is "GET" or "HEAD";
        return new()
        {
            Kind = PrepareResultKind.Send,
            HistoryStep = "pre-http-call",
            Message = message,
            Request = new PreparedRequest
            {
                Method = verb,
                Url = new Uri(target),
                Headers = headers,
                Body = bodyless ? null : body,
                ContentType = bodyless || body is null ? null : scriptContentType ?? contentType,
                Timeout = timeout,
            },
        };
    }

    private static bool IsMissing(JsonNode? node) => node is null;

    private static bool IsForm(string? contentType) =>
        contentType is not null && contentType.Split(';')[0].Trim().Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase);

    private static string? Scalar(JsonValue value) => value.GetValueKind() switch
    {
        JsonValueKind.String => value.GetValue<string>(),
        JsonValueKind.Number => value.ToJsonString(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => null,
    };

    private static IEnumerable<KeyValuePair<string, string>> FormPairs(JsonNode? node)
    {
        if (node is not JsonObject obj)
        {
            yield break;
        }

        foreach (var (name, value) in obj)
        {
            yield return new(name, value switch
            {
                null => string.Empty,
                JsonValue v => Scalar(v) ?? string.Empty,
                _ => value.ToJsonString(),
            });
        }
    }
}

/// <summary>What the engine does after <c>process_outgoing_response</c> (SCR-28).</summary>
internal enum ProcessResultKind
{
    /// <summary>Anything else: default processing (OUT-70..OUT-80, DLV-13).</summary>
    Default,

    /// <summary><c>{content:{…}}</c>: post it; finished, no retry (<c>after-process-send-message</c>).</summary>
    PostMessage,

    /// <summary><c>false</c>: finished, no reply, no retry (<c>after-process-false-result</c>).</summary>
    Stop,
}

/// <summary>The interpretation of a <c>process_outgoing_response</c> result.</summary>
/// <param name="Kind">What to do.</param>
/// <param name="Content">The message to post for <see cref="ProcessResultKind.PostMessage"/>.</param>
/// <param name="HistoryStep">The history step, or <see langword="null"/> for default processing.</param>
internal readonly record struct ProcessResultInterpretation(ProcessResultKind Kind, JsonObject? Content, string? HistoryStep);

/// <summary>Pure interpretation of <c>process_outgoing_response</c> results (SCR-28).</summary>
internal static class ProcessResultInterpreter
{
    public static ProcessResultInterpretation Interpret(JsonNode? returned)
    {
        if (returned is JsonObject obj && obj["content"] is JsonObject content)
        {
            return new(ProcessResultKind.PostMessage, content, "after-process-send-message");
        }

        if (returned is JsonValue value && value.GetValueKind() == JsonValueKind.False)
        {
            return new(ProcessResultKind.Stop, null, "after-process-false-result");
        }

        return new(ProcessResultKind.Default, null, null);
    }
}
