using System.Globalization;

namespace ChatIntegrations.Delivery.Retry;

/// <summary>The retry delay algorithms of DLV-11.</summary>
internal enum RetryDelayKind
{
    PowersOfTen,
    PowersOfTwo,
    IncrementsOfTwo,
}

/// <summary>The limits that bound a retry delay (DLV-15, DLV-17).</summary>
/// <param name="MaxRetryAfter">The largest <c>Retry-After</c> honoured (DLV-15).</param>
/// <param name="MaxRetryDelay">The largest single delay (DLV-17).</param>
internal readonly record struct RetryLimits(TimeSpan MaxRetryAfter, TimeSpan MaxRetryDelay)
{
    /// <summary>Gets the spec defaults: 1 h and 24 h.</summary>
    public static RetryLimits Default { get; } = new(TimeSpan.FromHours(1), TimeSpan.FromHours(24));
}

/// <summary>Pure retry-delay arithmetic (DLV-11, DLV-15..DLV-17). The dispatcher stores the result as
/// <c>nextAttemptAt</c> (DLV-18); nothing here waits.</summary>
internal static class RetrySchedule
{
    /// <summary>Parses a stored <c>retryDelay</c> (lower-cased on save, DLV-11).</summary>
    public static bool TryParseKind(string? value, out RetryDelayKind kind)
    {
        switch (value)
        {
            case "powers-of-ten": kind = RetryDelayKind.PowersOfTen; return true;
            case "powers-of-two": kind = RetryDelayKind.PowersOfTwo; return true;
            case "increments-of-two": kind = RetryDelayKind.IncrementsOfTwo; return true;
            default: kind = default; return false;
        }
    }

    /// <summary>The DLV-11 delay before retry number <paramref name="n"/> (0 for the first retry), uncapped.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="n"/> is negative.</exception>
    public static TimeSpan FormulaDelay(RetryDelayKind kind, int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);

        // Exponents beyond 12 (about 31 years) only matter after the DLV-17 cap, so they are clamped to keep the arithmetic exact.
        var milliseconds = kind switch
        {
            RetryDelayKind.PowersOfTen => Pow(10, Math.Min(n + 2, 12)),        // 10^(n+2)
            RetryDelayKind.PowersOfTwo => Pow(2, Math.Min(n + 1, 30)) * 1000, // 2^(n+1) · 1000
            RetryDelayKind.IncrementsOfTwo => (n + 1L) * 2000,                // (n+1) · 2000
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        return TimeSpan.FromMilliseconds(milliseconds);
    }

    /// <summary>
    /// The delay before retry <paramref name="n"/>: the formula, raised to <c>min(Retry-After, MaxRetryAfter)</c>
    /// (DLV-15), jittered by a factor in [0.8, 1.2] but never below that Retry-After (DLV-16), and capped at
    /// <c>MaxRetryDelay</c> (DLV-17).
    /// </summary>
    /// <param name="kind">The algorithm.</param>
    /// <param name="n">The 0-based retry number.</param>
    /// <param name="retryAfter">The parsed <c>Retry-After</c> of a 429 or 503 answer, else <see langword="null"/>.</param>
    /// <param name="limits">The caps.</param>
    /// <param name="jitter">A source of uniform values in [0, 1) when <c>useJitter</c> is on, else <see langword="null"/>.</param>
    public static TimeSpan Delay(RetryDelayKind kind, int n, TimeSpan? retryAfter, RetryLimits limits, Func<double>? jitter = null)
    {
        var delay = FormulaDelay(kind, n);
        var floor = TimeSpan.Zero;
        if (retryAfter is { } after)
        {
            floor = Min(Max(after, TimeSpan.Zero), limits.MaxRetryAfter);
            delay = Max(delay, floor);
        }

        if (jitter is not null)
        {
            var unit = Math.Clamp(jitter(), 0.0, 1.0);
            var factor = 0.8 + (0.4 * unit);
            delay = Max(TimeSpan.FromMilliseconds(Math.Round(delay.TotalMilliseconds * factor)), floor);
        }

        return Min(delay, limits.MaxRetryDelay);
    }

    /// <summary>
    /// Parses a <c>Retry-After</c> value (DLV-15): delta-seconds, or an HTTP-date relative to <paramref name="now"/>,
    /// where a date in the past counts as zero.
    /// </summary>
    /// <returns><see langword="false"/> when the value is absent or malformed.</returns>
    public static bool TryParseRetryAfter(string? value, DateTimeOffset now, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(value)) return false;
        var text = value.AsSpan().Trim();
        if (IsDigits(text))
        {
            // Saturate absurdly large values; MaxRetryAfter caps them anyway.
            retryAfter = long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds <= TimeSpan.MaxValue.TotalSeconds / 2
                ? TimeSpan.FromSeconds(seconds)
                : TimeSpan.MaxValue / 2;
            return true;
        }

        // RFC 9110 §5.6.7: IMF-fixdate, plus the obsolete RFC 850 and asctime forms.
        string[] formats = ["r", "dddd, dd-MMM-yy HH:mm:ss 'GMT'", "ddd MMM d HH:mm:ss yyyy"];
        if (!DateTimeOffset.TryParseExact(text.ToString(), formats, CultureInfo.InvariantCulture,
                DateTimeStyles.AllowWhiteSpaces | DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var date))
        {
            return false;
        }

        retryAfter = Max(date - now, TimeSpan.Zero);
        return true;
    }

    /// <summary>The DLV-14 step name of scheduling retry <paramref name="k"/> (1-based: k = n + 1).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is less than 1.</exception>
    public static string GoingToRetryStep(int k)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        return string.Create(CultureInfo.InvariantCulture, $"going-to-retry-{k}");
    }

    private static long Pow(long b, int e)
    {
        var r = 1L;
        for (var i = 0; i < e; i++) r *= b;
        return r;
    }

    private static bool IsDigits(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
        {
            if (c is < '0' or > '9') return false;
        }

        return s.Length > 0;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
