using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatIntegrations.Security.Ssrf;

/// <summary>The request-time half of the guard, in front of the <see cref="SocketsHttpHandler"/> of the
/// <c>ChatIntegrations.Outgoing</c> client: scheme (SEC-8), port, denied names and literal addresses (SEC-7), and the
/// HTTP version (SEC-9: never HTTP/3, whose QUIC connections would bypass the connect callback). With a proxy these
/// checks are all the guard can do (SEC-9). Thread-safe.</summary>
internal sealed class SsrfGuardHandler : DelegatingHandler
{
    private readonly IOptionsMonitor<ChatIntegrationsOptions> _options;
    private readonly ILocalAddressProvider _localAddresses;
    private readonly SsrfDisabledWarning _disabledWarning;
    private readonly ILogger _logger;

    public SsrfGuardHandler(HttpMessageHandler inner, IOptionsMonitor<ChatIntegrationsOptions> options, ILocalAddressProvider localAddresses,
        SsrfDisabledWarning disabledWarning, ILogger<SsrfGuardHandler> logger)
        : base(inner)
    {
        _options = options;
        _localAddresses = localAddresses;
        _disabledWarning = disabledWarning;
        _logger = logger;
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        // SEC-9: HTTP/1.1 or HTTP/2 only.
        if (request.Version > HttpVersion.Version20) request.Version = HttpVersion.Version20;
        request.VersionPolicy = HttpVersionPolicy.RequestVersionOrLower;

        var url = request.RequestUri ?? throw new InvalidOperationException("The request has no URL.");
        var policy = SsrfPolicy.For(_options.CurrentValue.Ssrf);
        if (!policy.Enabled)
        {
            _disabledWarning.WarnIfDue(); // SEC-12
            return base.SendAsync(request, cancellationToken);
        }

        var reason = SsrfGuard.Check(url, policy, _localAddresses.GetAddresses());
        if (reason is not null)
        {
            var host = url.IsAbsoluteUri ? url.IdnHost : "?";
            var port = url.IsAbsoluteUri ? url.Port : 0;
            SsrfLog.Blocked(_logger, host, port, reason);
            // Wrapped like a refusal from the connect callback, so that plain users of the named client see one shape:
            // an HttpRequestException whose inner exception is the OutboundRequestException with code ESSRF.
            var blocked = new OutboundRequestException(OutboundErrorCodes.Ssrf, $"request to {host}:{port} blocked by the SSRF guard: {reason}");
            throw new HttpRequestException(HttpRequestError.ConnectionError, blocked.Message, blocked);
        }

        return base.SendAsync(request, cancellationToken);
    }
}
