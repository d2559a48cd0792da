using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatIntegrations.Security.Ssrf;

/// <summary>The innermost handler of the <c>ChatIntegrations.Outgoing</c> client, under Microsoft.Extensions.Http.Resilience's
/// handler: it makes one whole outbound call out of one <see cref="HttpClient.SendAsync(HttpRequestMessage, HttpCompletionOption, CancellationToken)"/>,
/// following redirects itself so that every hop passes the guard below it again (SEC-10), and reading the body up to
/// the caller's limit. So the resilience pipeline above it (DLV-19's timeout, DLV-19a's breaker) sees the whole
/// attempt, every hop and the body read, as one execution.</summary>
/// <remarks>It answers an <see cref="OutboundResponseMessage"/> whose body is already read and whose connection is
/// released. The request must carry its <see cref="OutboundRequest"/> in <see cref="HttpRequestMessage.Options"/>
/// (<see cref="OutboundHttpClient.RequestKey"/>); the first hop is the message itself. Failures without an HTTP answer
/// throw <see cref="OutboundRequestException"/>. A message without one passes through unchanged (still guarded).</remarks>
internal sealed class OutboundAttemptHandler : DelegatingHandler
{
    private static readonly HashSet<string> ComputedHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Content-Length", "Transfer-Encoding", "Connection",
    };

    private static readonly HashSet<string> CredentialHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Authorization", "Proxy-Authorization", "Cookie",
    };

    private readonly IOptionsMonitor<ChatIntegrationsOptions> _options;
    private readonly ILogger _logger;

    public OutboundAttemptHandler(IOptionsMonitor<ChatIntegrationsOptions> options, ILogger<OutboundHttpClient> logger)
    {
        _options = options;
        _logger = logger;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage message, CancellationToken cancellationToken)
    {
        // A plain request (a host using the named client directly) passes through, still guarded below.
        if (!message.Options.TryGetValue(OutboundHttpClient.RequestKey, out var request)) return await base.SendAsync(message, cancellationToken).ConfigureAwait(false);
        return new OutboundResponseMessage(await SendCoreAsync(message, request, cancellationToken).ConfigureAwait(false)) { RequestMessage = message };
    }

    private async Task<OutboundResponse> SendCoreAsync(HttpRequestMessage first, OutboundRequest request, CancellationToken cancellationToken)
    {
        int maxRedirects = request.MaxRedirects ?? _options.CurrentValue.Ssrf.MaxRedirects;
        var url = request.Url;
        var method = new HttpMethod(request.Method);
        var body = request.Body;
        bool keepCredentials = true;
        bool redirected = false;
        for (int hop = 0; ; hop++)
        {
            try
            {
                // The first hop is the caller's message (disposed by the caller); later hops are ours.
                using var hopMessage = hop == 0 ? null : Build(request, method, url, body, keepCredentials);
                using var response = await base.SendAsync(hopMessage ?? first, cancellationToken).ConfigureAwait(false);
                int status = (int)response.StatusCode;
                if (status is 301 or 302 or 303 or 307 or 308 && response.Headers.Location is { } location && request.Redirect != OutboundRedirectMode.Manual)
                {
                    bool preserving = status is 307 or 308;
                    if (request.Redirect == OutboundRedirectMode.Error) throw Redirect($"redirect ({status}) refused by redirect mode 'error'");
                    if (request.Redirect == OutboundRedirectMode.FollowMethodPreserving && !preserving)
                    {
                        return await ReadAsync(response, url, redirected, request.MaxBodyBytes, method, cancellationToken).ConfigureAwait(false);
                    }

                    if (hop >= maxRedirects) throw Redirect($"too many redirects (more than {maxRedirects})");
                    if (!Uri.TryCreate(url, location, out var next)) throw Redirect("redirect to an invalid URL");
                    if (next.Scheme != Uri.UriSchemeHttp && next.Scheme != Uri.UriSchemeHttps) throw Redirect("redirect to a scheme other than http or https"); // SEC-8
                    if (url.Scheme == Uri.UriSchemeHttps && next.Scheme == Uri.UriSchemeHttp) throw Redirect("redirect from https to http refused"); // SEC-10

                    if (!preserving && (status == 303 || method == HttpMethod.Post))
                    {
                        // 303, and 301/302 on POST, continue as GET without a body (browsers, Meteor's HTTP).
                        if (method != HttpMethod.Head) method = HttpMethod.Get;
                        body = null;
                    }

                    // Credentials are not carried to another origin (as fetch and the request library do).
                    keepCredentials &= Uri.Compare(url, next, UriComponents.SchemeAndServer, UriFormat.SafeUnescaped, StringComparison.OrdinalIgnoreCase) == 0;
                    SsrfLog.Redirected(_logger, status, url.IdnHost, next.IdnHost);
                    url = next;
                    redirected = true;
                    continue; // SEC-10: the next hop goes through the guarded handler again
                }

                return await ReadAsync(response, url, redirected, request.MaxBodyBytes, method, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException && ex is not OutboundRequestException { Code: OutboundErrorCodes.Redirect })
            {
                // A timeout surfaces as a cancellation, which Polly turns into TimeoutRejectedException.
                cancellationToken.ThrowIfCancellationRequested();
                var failure = OutboundFailures.Classify(ex, url.IdnHost);
                if (!ReferenceEquals(failure, ex)) SsrfLog.Failed(_logger, url.IdnHost, failure.Code);
                if (ReferenceEquals(failure, ex)) throw;
                throw failure;
            }
        }
    }

    private static OutboundRequestException Redirect(string message) => new(OutboundErrorCodes.Redirect, message);

    /// <summary>Builds one hop's message from <paramref name="request"/>, with the method, URL and body of that hop.</summary>
    internal static HttpRequestMessage Build(OutboundRequest request, HttpMethod method, Uri url, ReadOnlyMemory<byte>? body, bool keepCredentials)
    {
        var message = new HttpRequestMessage(method, url)
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower, // SEC-9: never HTTP/3
        };
        var content = body is { } bytes ? new ReadOnlyMemoryContent(bytes) : null;
        bool hasContentType = false;
        foreach (var (name, value) in request.Headers)
        {
            if (ComputedHeaders.Contains(name)) continue;
            if (!keepCredentials && CredentialHeaders.Contains(name)) continue;
            if (name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase))
            {
                if (content is not null)
                {
                    content.Headers.TryAddWithoutValidation(name, value);
                    hasContentType |= name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase);
                }

                continue;
            }

            message.Headers.TryAddWithoutValidation(name, value);
        }

        if (content is not null && !hasContentType && request.ContentType is { } contentType)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        message.Content = content;
        return message;
    }

    private static async Task<OutboundResponse> ReadAsync(HttpResponseMessage response, Uri url, bool redirected, int maxBytes, HttpMethod method,
        CancellationToken cancellationToken)
    {
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, values) in response.Headers.NonValidated.Concat(response.Content.Headers.NonValidated))
        {
            var key = name.ToLowerInvariant();
            var joined = string.Join(", ", values);
            headers[key] = headers.TryGetValue(key, out var existing) ? existing + ", " + joined : joined;
        }

        byte[] buffer = [];
        int length = 0;
        bool truncated = false;
        if (method != HttpMethod.Head)
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                // A declared length sizes the buffer exactly, so an empty answer (the usual one) allocates nothing.
                // Once it is full, one byte is probed before growing: the declared length is only a hint. Without one
                // the buffer starts at 4 KiB and doubles.
                long? declared = response.Content.Headers.ContentLength is { } d and >= 0 ? d : null;
                buffer = declared is { } exact ? (exact == 0 ? [] : new byte[(int)Math.Min(maxBytes, exact)]) : new byte[(int)Math.Min(maxBytes, 4 * 1024)];
                while (length < maxBytes)
                {
                    if (length == buffer.Length)
                    {
                        byte[]? extra = null;
                        if (declared is not null)
                        {
                            extra = new byte[1];
                            if (await stream.ReadAsync(extra, cancellationToken).ConfigureAwait(false) == 0) break;
                        }

                        Array.Resize(ref buffer, (int)Math.Min(maxBytes, Math.Max(4 * 1024, (long)buffer.Length * 2)));
                        if (extra is not null)
                        {
                            buffer[length++] = extra[0];
                            declared = null;
                            continue;
                        }
                    }

                    int read = await stream.ReadAsync(buffer.AsMemory(length, buffer.Length - length), cancellationToken).ConfigureAwait(false);
                    if (read == 0) break;
                    length += read;
                }

                if (length == maxBytes)
                {
                    // Probe one byte: a body of exactly the limit is not truncated.
                    var probe = new byte[1];
                    truncated = await stream.ReadAsync(probe, cancellationToken).ConfigureAwait(false) > 0;
                }
            }
        }

        var contentType = response.Content.Headers.ContentType;
        return new OutboundResponse
        {
            StatusCode = (int)response.StatusCode,
            ReasonPhrase = response.ReasonPhrase ?? "",
            Headers = headers,
            Body = buffer.AsMemory(0, length),
            Truncated = truncated,
            MediaType = contentType?.MediaType,
            CharSet = contentType?.CharSet,
            Url = url,
            Redirected = redirected,
        };
    }
}

/// <summary>What <see cref="OutboundAttemptHandler"/> answers: the status of the final hop, with the whole call's
/// <see cref="OutboundResponse"/> (body read, connection released).</summary>
internal sealed class OutboundResponseMessage : HttpResponseMessage
{
    public OutboundResponseMessage(OutboundResponse response)
        : base((HttpStatusCode)response.StatusCode)
    {
        Response = response;
    }

    /// <summary>Gets the call's answer.</summary>
    public OutboundResponse Response { get; }
}
