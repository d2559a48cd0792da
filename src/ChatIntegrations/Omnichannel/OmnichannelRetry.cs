using ChatIntegrations.Delivery.Retry;

namespace ChatIntegrations.Omnichannel;

/// <summary>Classifies omnichannel attempts and plans their retries (OMNI-31..OMNI-33), instead of DLV-13.</summary>
internal static class OmnichannelRetry
{
    public const int StandardMaxAttempts = 5;
    public const int DelayFactor = 4;
    public const int LegacyRetries = 10;
    public static readonly TimeSpan LegacyDelay = TimeSpan.FromSeconds(10);

    /// <summary>OMNI-31..OMNI-33. <paramref name="policy"/> is <c>standard</c> (any other value) or <c>legacy</c>.</summary>
    public static OutcomeClassification Classify(AttemptOutcome outcome, string policy)
    {
        if (outcome.StatusCode is not { } status)
        {
            // The SSRF guard and redirect limits are never retried (SEC-6); other transport errors are.
            return outcome.Failure is AttemptFailure.SsrfBlocked or AttemptFailure.TooManyRedirects
                ? new(OutcomeClass.FinalFailure)
                : new(OutcomeClass.Retryable);
        }

        if (status == 200) return new(OutcomeClass.Success);
        if (policy == "legacy") return new(OutcomeClass.Retryable); // OMNI-33: every non-200 outcome
        return status is 429 or (>= 500 and < 600) ? new(OutcomeClass.Retryable) : new(OutcomeClass.FinalFailure); // OMNI-32
    }

    /// <summary>What follows a retryable failure of attempt <paramref name="attempt"/> (1-based) under the current
    /// settings (DLV-6): <c>standard</c> allows 5 attempts with 4 × <c>timeoutMs</c> between them, a longer
    /// <c>Retry-After</c> winning up to <c>MaxRetryAfter</c>; <c>legacy</c> allows 10 retries 10 s apart.</summary>
    public static RetryDecision Decide(OmnichannelSettings settings, int attempt, TimeSpan? retryAfter, RetryLimits limits)
    {
        var legacy = settings.RetryPolicy == "legacy";
        var maxAttempts = legacy ? LegacyRetries + 1 : StandardMaxAttempts;
        if (attempt >= maxAttempts) return new(false, TimeSpan.Zero, RetryPlanner.TooManyRetries);
        TimeSpan delay;
        if (legacy)
        {
            delay = LegacyDelay;
        }
        else
        {
            delay = TimeSpan.FromMilliseconds((long)settings.TimeoutMs * DelayFactor);
            if (retryAfter is { } after)
            {
                var floor = after < limits.MaxRetryAfter ? after : limits.MaxRetryAfter;
                if (floor > delay) delay = floor;
            }
        }

        if (delay > limits.MaxRetryDelay) delay = limits.MaxRetryDelay;
        return new(true, delay, RetrySchedule.GoingToRetryStep(attempt));
    }
}
