using ChatIntegrations.Security;

namespace ChatIntegrations.Outgoing.Matching;

/// <summary>
/// OUT-52: counts the firings of each integration in each room on bot-marked messages in fixed 60 s windows, and
/// tells the caller to drop the firings beyond the threshold for the rest of the window. Counts are per node.
/// </summary>
/// <remarks>Safe for concurrent use. Call <see cref="TryFire"/> only for messages that carry a bot marker; the caller
/// logs each drop and records the history step <c>loop-suspected</c>.</remarks>
internal sealed class LoopBreaker
{
    /// <summary>The default <c>LoopBreakerThreshold</c> (OUT-52).</summary>
    public const int DefaultThreshold = 30;

    /// <summary>The window length of OUT-52.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(60);

    private readonly FixedWindowCounter _counter;
    private readonly int _threshold;

    /// <exception cref="ArgumentNullException"><paramref name="timeProvider"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threshold"/> is less than 1.</exception>
    public LoopBreaker(TimeProvider timeProvider, int threshold = DefaultThreshold)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentOutOfRangeException.ThrowIfLessThan(threshold, 1);
        _counter = new FixedWindowCounter(timeProvider);
        _threshold = threshold;
    }

    /// <summary>Counts one firing of <paramref name="integrationId"/> in <paramref name="roomId"/> on a bot-marked
    /// message.</summary>
    /// <returns><see langword="true"/> when the firing may proceed; <see langword="false"/> when it is beyond the
    /// threshold in the current window and must be dropped.</returns>
    public bool TryFire(string integrationId, string roomId)
    {
        ArgumentNullException.ThrowIfNull(integrationId);
        ArgumentNullException.ThrowIfNull(roomId);

        // The window starts with the first firing after the previous window ended (FixedWindowCounter semantics).
        var state = _counter.Hit(string.Concat(integrationId, "\u001f", roomId), _threshold, Window);
        return !state.Exceeded;
    }
}
