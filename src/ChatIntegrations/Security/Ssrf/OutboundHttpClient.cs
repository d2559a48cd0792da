using System.Net;
using ChatIntegrations.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Registry;
using Polly.Telemetry;
using Polly.Timeout;

namespace ChatIntegrations.Security.Ssrf;

/// <summary>Sends outbound requests for deliveries, omnichannel and scripts through the guarded
/// <c>ChatIntegrations.Outgoing</c> client (SEC-6, SEC-9), following redirects itself so that every hop passes the guard
/// (SEC-10), under one Polly.Core timeout for the whole call (DLV-19), and reading at most the caller's body limit.</summary>
/// <remarks>The timeout wraps every hop and the body read, so it is a pipeline around the call (from the library's
/// registry, <see cref="ResiliencePipelines"/>) rather than a handler of the named client: a handler's timeout would
/// end when the response headers arrive.
/// Thread-safe; register as a singleton. Failures without an HTTP answer throw
/// <see cref="OutboundRequestException"/>; every HTTP status is returned; cancellation by the caller's token throws
/// <see cref="OperationCanceledException"/>.</remarks>
internal sealed class OutboundHttpClient
{
    private static readonly ResiliencePropertyKey<TimeSpan> TimeoutKey = new("ChatIntegrations.Outbound.Timeout");

    private static readonly HashSet<string> ComputedHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Content-Length", "Transfer-Encoding", "Connection",
    };

    private static readonly HashSet<string> CredentialHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Authorization", "Proxy-Authorization", "Cookie",
    };

    private readonly IHttpClientFactory _factory;
    private readonly IOptionsMonitor<ChatIntegrationsOptions> _options;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline _timeout;

    public OutboundHttpClient(IHttpClientFactory factory, IOptionsMonitor<ChatIntegrationsOptions> options, TimeProvider timeProvider,
        ILogger<OutboundHttpClient> logger, ResiliencePipelineRegistry<PipelineKey> registry, IOptions<TelemetryOptions> telemetry)
    {
        _factory = factory;
        _options = options;
        _logger = logger;
        // DLV-19: the per-call timeout is a Polly.Core strategy (HttpClient.Timeout is infinite); it covers connecting,
        // every hop, and reading the body.
        _timeout = registry.GetOrAddPipeline(new PipelineKey(PipelineKey.OutboundTimeout, "", ""), (builder, _) =>
        {
            ResiliencePipelines.Configure(builder, timeProvider, telemetry);
            builder.AddTimeout(new TimeoutStrategyOptions
            {
                TimeoutGenerator = static args => new ValueTask<TimeSpan>(args.Context.Properties.GetValue(TimeoutKey, SsrfDefaults.Timeout)),
            });
        });
    }

    /// <summary>Sends <paramref name="request"/>, following redirects as its <see cref="OutboundRequest.Redirect"/>
    /// mode says.</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The final answer, whatever its status.</returns>
    /// <exception cref="OutboundRequestException">No usable answer: <c>ESSRF</c>, <c>ETIMEDOUT</c>,
    /// <c>ECONNREFUSED</c>, <c>ECONNRESET</c>, <c>ENOTFOUND</c>, <c>ETLS</c> or <c>EREDIRECT</c>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<OutboundResponse> SendAsync(OutboundRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Timeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(request), "The timeout must be positive.");
        if (request.MaxBodyBytes < 0) throw new ArgumentOutOfRangeException(nameof(request), "The body limit must not be negative.");

        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(TimeoutKey, request.Timeout);
        try
        {
            return await _timeout.ExecuteAsync(
                static (ctx, state) => new ValueTask<OutboundResponse>(state.Self.SendCoreAsync(state.Request, ctx.CancellationToken)),
                context,
                (Self: this, Request: request)).ConfigureAwait(false);
        }
        catch (TimeoutRejectedException ex)
        {
            SsrfLog.Failed(_logger, request.Url.IdnHost, OutboundErrorCodes.TimedOut);
            throw new OutboundRequestException(OutboundErrorCodes.TimedOut,
                $"request to {request.Url.IdnHost} timed out after {request.Timeout.TotalMilliseconds:0} ms", ex);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private async Task<OutboundResponse> SendCoreAsync(OutboundRequest request, CancellationToken cancellationToken)
    {
        var client = _factory.CreateClient(SsrfDefaults.HttpClientName);
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
                using var message = Build(request, method, url, body, keepCredentials);
                using var response = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
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

    private static HttpRequestMessage Build(OutboundRequest request, HttpMethod method, Uri url, ReadOnlyMemory<byte>? body, bool keepCredentials)
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
