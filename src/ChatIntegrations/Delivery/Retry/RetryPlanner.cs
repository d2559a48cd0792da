namespace ChatIntegrations.Delivery.Retry;

/// <summary>What to do after a retryable failure (DLV-14).</summary>
/// <param name="Retry">Whether the delivery goes back to <c>pending</c>.</param>
/// <param name="Delay">The delay until <c>nextAttemptAt</c>, when retrying.</param>
/// <param name="Step">The history step: <c>going-to-retry-&lt;k&gt;</c>, <c>too-many-retries</c> or
/// <c>failed-and-not-configured-to-retry</c>.</param>
internal readonly record struct RetryDecision(bool Retry, TimeSpan Delay, string Step);

/// <summary>Decides retries from the integration's current settings (DLV-6, DLV-10, DLV-14).</summary>
internal static class RetryPlanner
{
    public const string TooManyRetries = "too-many-retries";
    public const string NotConfigured = "failed-and-not-configured-to-retry";

    /// <summary>Decides what follows a retryable failure of attempt number <paramref name="attempt"/> (1-based).</summary>
    /// <param name="integration">The integration as re-read before the attempt (DLV-6).</param>
    /// <param name="attempt">The 1-based number of the attempt that failed; attempts already made count against the
    /// current <c>retryCount</c>.</param>
    /// <param name="retryAfter">The <c>Retry-After</c> of a 429 or 503 answer, else <see langword="null"/>.</param>
    /// <param name="limits">The caps of DLV-15 and DLV-17.</param>
    /// <param name="random">Uniform values in [0, 1) for jitter; used only when <c>useJitter</c> is on (DLV-16).</param>
    /// <exception cref="ArgumentNullException"><paramref name="integration"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="attempt"/> is less than 1.</exception>
    public static RetryDecision Decide(Integration integration, int attempt, TimeSpan? retryAfter, RetryLimits limits, Func<double>? random = null)
    {
        ArgumentNullException.ThrowIfNull(integration);
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        if (!integration.RetryFailedCalls) return new(false, TimeSpan.Zero, NotConfigured);

        // Retry n (0-based) follows attempt n + 1; retryCount is the number of retries (DLV-10).
        var n = attempt - 1;
        if (n >= integration.RetryCount) return new(false, TimeSpan.Zero, TooManyRetries);

        // DLV-12 rejects other values on save; a stored one from elsewhere falls back to the default algorithm.
        if (!RetrySchedule.TryParseKind(integration.RetryDelay, out var kind)) kind = RetryDelayKind.PowersOfTen;
        var jitter = integration.UseJitter ? random ?? Random.Shared.NextDouble : null;
        var delay = RetrySchedule.Delay(kind, n, retryAfter, limits, jitter);
        return new(true, delay, RetrySchedule.GoingToRetryStep(n + 1));
    }
}
