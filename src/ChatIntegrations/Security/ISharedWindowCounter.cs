namespace ChatIntegrations.Security;

/// <summary>A store that can count the incoming rate-limit windows of all the nodes that share it (IN-64), so that N
/// nodes do not allow N times the limit. The engine counts per node unless the store says it shares the count.</summary>
internal interface ISharedWindowCounter
{
    /// <summary>Gets a value indicating whether the store counts windows for all nodes (an option of the store).</summary>
    bool SharesRateLimits { get; }

    /// <summary>Counts one hit for <paramref name="key"/> in its window, opening a new window of
    /// <paramref name="length"/> when the previous one ended at or before <paramref name="now"/> (IN-60).</summary>
    /// <returns>The hits counted in the window, this one included, and the window's end.</returns>
    ValueTask<(long Count, DateTimeOffset End)> HitAsync(string key, DateTimeOffset now, TimeSpan length, CancellationToken cancellationToken);
}
