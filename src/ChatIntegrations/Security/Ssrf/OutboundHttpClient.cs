using Microsoft.Extensions.Logging;
using Polly;
using Polly.Timeout;

namespace ChatIntegrations.Security.Ssrf;

/// <summary>Sends outbound requests for deliveries, omnichannel and scripts through the guarded
/// <c>ChatIntegrations.Outgoing</c> client (SEC-6, SEC-9). One call is one
/// <see cref="HttpClient.SendAsync(HttpRequestMessage, HttpCompletionOption, CancellationToken)"/> through that client's
/// handlers: Microsoft.Extensions.Http.Resilience's resilience handler, with one Polly pipeline per delivery endpoint
/// (DLV-19's timeout inside DLV-19a's circuit breaker) or a timeout-only one for calls without a breaker (scripts);
/// then <see cref="OutboundAttemptHandler"/>, which follows redirects itself so that every hop passes the guard
/// (SEC-10) and reads the body up to the caller's limit, so that the timeout and the breaker see the whole call.</summary>
/// <remarks>Thread-safe; register as a singleton. Failures without an HTTP answer throw
/// <see cref="OutboundRequestException"/>; every HTTP status is returned; an open breaker throws Polly's
/// <c>BrokenCircuitException</c> before anything is sent; cancellation by the caller's token throws
/// <see cref="OperationCanceledException"/>.</remarks>
internal sealed class OutboundHttpClient
{
    /// <summary>The name of the resilience handler's pipeline on the <c>ChatIntegrations.Outgoing</c> client.</summary>
    public const string PipelineName = "Attempt";

    /// <summary>Where a message carries its <see cref="OutboundRequest"/>.</summary>
    internal static readonly HttpRequestOptionsKey<OutboundRequest> RequestKey = new("ChatIntegrations.Outbound.Request");

    /// <summary>Where a message carries its <see cref="OutboundBreaker"/>, when it has one.</summary>
    internal static readonly HttpRequestOptionsKey<OutboundBreaker> BreakerKey = new("ChatIntegrations.Outbound.Breaker");

    private readonly IHttpClientFactory _factory;
    private readonly ILogger _logger;

    public OutboundHttpClient(IHttpClientFactory factory, ILogger<OutboundHttpClient> logger)
    {
        _factory = factory;
        _logger = logger;
    }

    /// <summary>The pipeline a message runs in (the resilience handler's pipeline key): its breaker's endpoint, or the
    /// empty key, whose pipeline has the timeout only.</summary>
    internal static string PipelineKeyOf(HttpRequestMessage message) =>
        message.Options.TryGetValue(BreakerKey, out var breaker) ? breaker.Endpoint : "";

    /// <summary>DLV-19: the timeout of the call a pipeline runs, from its message.</summary>
    internal static TimeSpan TimeoutOf(ResilienceContext context) =>
        context.GetRequestMessage() is { } message && message.Options.TryGetValue(RequestKey, out var request) ? request.Timeout : SsrfDefaults.Timeout;

    /// <summary>The breaker of the call a pipeline runs, from its message.</summary>
    internal static OutboundBreaker? BreakerOf(ResilienceContext context) =>
        context.GetRequestMessage() is { } message && message.Options.TryGetValue(BreakerKey, out var breaker) ? breaker : null;

    /// <summary>Sends <paramref name="request"/>, following redirects as its <see cref="OutboundRequest.Redirect"/>
    /// mode says.</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The final answer, whatever its status.</returns>
    /// <exception cref="OutboundRequestException">No usable answer: <c>ESSRF</c>, <c>ETIMEDOUT</c>,
    /// <c>ECONNREFUSED</c>, <c>ECONNRESET</c>, <c>ENOTFOUND</c>, <c>ETLS</c> or <c>EREDIRECT</c>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public Task<OutboundResponse> SendAsync(OutboundRequest request, CancellationToken cancellationToken = default) =>
        SendAsync(request, null, cancellationToken);

    /// <summary>Sends <paramref name="request"/> under <paramref name="breaker"/>'s circuit breaker (DLV-19a).</summary>
    /// <param name="request">The request.</param>
    /// <param name="breaker">The endpoint breaker, or <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The final answer, whatever its status.</returns>
    /// <exception cref="OutboundRequestException">No usable answer, as for <see cref="SendAsync(OutboundRequest, CancellationToken)"/>.</exception>
    /// <exception cref="Polly.CircuitBreaker.BrokenCircuitException">The endpoint's breaker is open: nothing was sent.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<OutboundResponse> SendAsync(OutboundRequest request, OutboundBreaker? breaker, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Timeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(request), "The timeout must be positive.");
        if (request.MaxBodyBytes < 0) throw new ArgumentOutOfRangeException(nameof(request), "The body limit must not be negative.");

        var client = _factory.CreateClient(SsrfDefaults.HttpClientName);
        using var message = OutboundAttemptHandler.Build(request, new HttpMethod(request.Method), request.Url, request.Body, keepCredentials: true);
        message.Options.Set(RequestKey, request);
        if (breaker is not null) message.Options.Set(BreakerKey, breaker);
        try
        {
            using var answer = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            return answer is OutboundResponseMessage outbound
                ? outbound.Response
                : throw new InvalidOperationException("The innermost handler of the ChatIntegrations.Outgoing client must stay OutboundAttemptHandler.");
        }
        catch (TimeoutRejectedException ex)
        {
            SsrfLog.Failed(_logger, request.Url.IdnHost, OutboundErrorCodes.TimedOut);
            throw new OutboundRequestException(OutboundErrorCodes.TimedOut,
                $"request to {request.Url.IdnHost} timed out after {request.Timeout.TotalMilliseconds:0} ms", ex);
        }
    }
}
