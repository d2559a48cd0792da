namespace ChatIntegrations.Security.Ssrf;

/// <summary>Puts an outbound call under the circuit breaker of an endpoint (DLV-19a). Deliveries pass one; script
/// calls do not, so they never open or feel a delivery endpoint's breaker.</summary>
/// <param name="Endpoint">The breaker's endpoint: scheme, host and port of the delivery's URL
/// (<c>https://host:443</c>), never a path.</param>
/// <param name="CountsAsFailure">Whether the call's answer (or failure without one) counts as a failure for the
/// breaker: an attempt classed retryable under the delivery's own rules (DLV-13, OMNI-31..OMNI-33).</param>
internal sealed record OutboundBreaker(string Endpoint, Func<OutboundResponse?, Exception?, bool> CountsAsFailure);
