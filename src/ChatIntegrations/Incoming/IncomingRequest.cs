using System.Net;
using System.Text.Json.Nodes;

namespace ChatIntegrations;

/// <summary>A host-neutral incoming webhook request (incoming.md): what the host's HTTP server received.</summary>
public sealed class IncomingWebhookRequest
{
    /// <summary>Gets the HTTP method.</summary>
    public required string Method { get; init; }

    /// <summary>Gets the full, still percent-encoded path as received, for example <c>/hooks/ID/TOKEN</c>.</summary>
    public required string Path { get; init; }

    /// <summary>Gets the configured base path under which the webhook routes live. The default is <c>/hooks</c>.</summary>
    public string BasePath { get; init; } = "/hooks";

    /// <summary>Gets the raw query string including the leading <c>?</c>, or an empty string.</summary>
    public string QueryString { get; init; } = "";

    /// <summary>Gets the request headers; names are matched case-insensitively. Repeated headers are joined with
    /// <c>", "</c> by the caller.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets the declared <c>Content-Length</c>, or <see langword="null"/> when none was sent (chunked).</summary>
    public long? ContentLength { get; init; }

    /// <summary>Gets the body stream. The engine reads at most the size limit from it (IN-20).</summary>
    public Stream Body { get; init; } = Stream.Null;

    /// <summary>Gets the client address the throttle of SEC-5 counts; behind a proxy, pass the forwarded address.</summary>
    public IPAddress? RemoteAddress { get; init; }
}

/// <summary>The engine's answer to an incoming webhook request. The host relays it unchanged.</summary>
public sealed class IncomingWebhookResponse
{
    /// <summary>Gets the HTTP status code.</summary>
    public required int StatusCode { get; init; }

    /// <summary>Gets extra response headers (for example <c>Retry-After</c>, <c>X-RateLimit-*</c>, <c>Allow</c>).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    /// <summary>Gets the JSON body; the content type is always <c>application/json; charset=utf-8</c>.</summary>
    public required JsonObject Body { get; init; }
}
