namespace ChatIntegrations.Delivery.Retry;

/// <summary>Why an attempt got no HTTP answer (DLV-13).</summary>
internal enum AttemptFailure
{
    /// <summary>The attempt got an HTTP answer.</summary>
    None,
    Timeout,
    ConnectionRefused,
    ConnectionReset,
    DnsFailure,
    TlsFailure,
    /// <summary>Any other transport error (unreachable host or network, protocol error).</summary>
    OtherNetwork,
    /// <summary>Blocked by the SSRF guard (SEC-10): never retried.</summary>
    SsrfBlocked,
    /// <summary>More than 5 redirect hops, or a redirect the guard refused to follow.</summary>
    TooManyRedirects,
}

/// <summary>The class of an attempt's outcome (DLV-13).</summary>
internal enum OutcomeClass
{
    Success,
    Retryable,
    FinalFailure,
    /// <summary>A final failure that also disables the integration (410, OUT-80).</summary>
    Disable,
}

/// <summary>The observable result of one attempt: a final status (after redirects were followed) or a failure.</summary>
/// <param name="StatusCode">The HTTP status, when an answer arrived.</param>
/// <param name="HasBody">Whether the answer had a non-empty body (the <c>rocketchat</c> rules look at it).</param>
/// <param name="Failure">Why no answer arrived.</param>
internal readonly record struct AttemptOutcome(int? StatusCode, bool HasBody, AttemptFailure Failure)
{
    public static AttemptOutcome Answer(int statusCode, bool hasBody) => new(statusCode, hasBody, AttemptFailure.None);

    public static AttemptOutcome Failed(AttemptFailure failure) => new(null, false, failure);
}

/// <summary>A classified outcome, with the history step that the class itself implies, if any (DLV-21).</summary>
internal readonly record struct OutcomeClassification(OutcomeClass Class, string? Step = null);

/// <summary>Classifies attempt outcomes under the <c>standard</c> and <c>rocketchat</c> rules (DLV-13).</summary>
internal static class OutcomeClassifier
{
    public const string Step410 = "after-process-http-status-410";
    public const string Step500 = "after-process-http-status-500";

    /// <summary>Classifies one outcome; any <paramref name="retryRules"/> other than <c>rocketchat</c> means
    /// <c>standard</c>.</summary>
    public static OutcomeClassification Classify(AttemptOutcome outcome, string? retryRules) =>
        retryRules == "rocketchat" ? ClassifyRocketChat(outcome) : ClassifyStandard(outcome);

    private static OutcomeClassification ClassifyStandard(AttemptOutcome outcome)
    {
        if (outcome.StatusCode is not { } status)
        {
            return outcome.Failure switch
            {
                AttemptFailure.SsrfBlocked or AttemptFailure.TooManyRedirects => new(OutcomeClass.FinalFailure),
                _ => new(OutcomeClass.Retryable), // timeout, refused, reset, DNS, TLS and other transport errors
            };
        }

        return status switch
        {
            >= 200 and < 300 => new(OutcomeClass.Success),
            410 => new(OutcomeClass.Disable, Step410),
            408 or 429 or (>= 500 and < 600) => new(OutcomeClass.Retryable),
            _ => new(OutcomeClass.FinalFailure), // 1xx, 3xx not followed or too many hops, other 4xx
        };
    }

    private static OutcomeClassification ClassifyRocketChat(AttemptOutcome outcome)
    {
        // Compatibility: network errors are final.
        if (outcome.StatusCode is not { } status) return new(OutcomeClass.FinalFailure);
        return status switch
        {
            200 or 201 or 202 when outcome.HasBody => new(OutcomeClass.Success),
            410 when outcome.HasBody => new(OutcomeClass.Disable, Step410),
            500 when outcome.HasBody => new(OutcomeClass.FinalFailure, Step500),
            _ => new(OutcomeClass.Retryable),
        };
    }

    /// <summary>Whether a <c>Retry-After</c> header of this status counts (DLV-15).</summary>
    public static bool HonoursRetryAfter(int? statusCode) => statusCode is 429 or 503;

    /// <summary>The <c>httpError.code</c> of a failure in history (DLV-20), in the Node.js style Rocket.Chat tooling knows.</summary>
    public static string? ErrorCode(AttemptFailure failure) => failure switch
    {
        AttemptFailure.None => null,
        AttemptFailure.Timeout => "ETIMEDOUT",
        AttemptFailure.ConnectionRefused => "ECONNREFUSED",
        AttemptFailure.ConnectionReset => "ECONNRESET",
        AttemptFailure.DnsFailure => "ENOTFOUND",
        AttemptFailure.TlsFailure => "ETLS",
        AttemptFailure.SsrfBlocked => "ESSRF",
        AttemptFailure.TooManyRedirects => "ETOOMANYREDIRECTS",
        _ => "ENETWORK",
    };
}
