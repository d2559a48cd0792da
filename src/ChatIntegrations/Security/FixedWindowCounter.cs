using System.Collections.Concurrent;

namespace ChatIntegrations.Security;

/// <summary>
/// Per-key fixed windows that start with the first counted event after the previous window ended (IN-60, SEC-5).
/// Counts are kept per node.
/// </summary>
internal sealed class FixedWindowCounter
{
    private readonly ConcurrentDictionary<string, Window> _windows = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private long _lastSweep;

    public FixedWindowCounter(TimeProvider time) => _time = time;

    /// <summary>Counts one event for <paramref name="key"/> and reports the window after counting.</summary>
    public WindowState Hit(string key, int permits, TimeSpan length)
    {
        var now = _time.GetUtcNow();
        SweepOccasionally(now);
        var window = _windows.GetOrAdd(key, static _ => new Window());
        lock (window)
        {
            if (window.Count == 0 || now >= window.End)
            {
                window.End = now + length;
                window.Count = 0;
            }

            window.Count++;
            return new WindowState(window.Count, permits, window.End, now);
        }
    }

    /// <summary>Reports the current window for <paramref name="key"/> without counting.</summary>
    public WindowState Peek(string key, int permits)
    {
        var now = _time.GetUtcNow();
        if (_windows.TryGetValue(key, out var window))
        {
            lock (window)
            {
                if (window.Count > 0 && now < window.End) return new WindowState(window.Count, permits, window.End, now);
            }
        }

        return new WindowState(0, permits, now, now);
    }

    public void Reset(string key) => _windows.TryRemove(key, out _);

    private void SweepOccasionally(DateTimeOffset now)
    {
        var ticks = now.UtcTicks;
        var last = Interlocked.Read(ref _lastSweep);
        if (ticks - last < TimeSpan.TicksPerMinute || Interlocked.CompareExchange(ref _lastSweep, ticks, last) != last) return;
        foreach (var pair in _windows)
        {
            if (now >= pair.Value.End) _windows.TryRemove(pair);
        }
    }

    private sealed class Window
    {
        public int Count;
        public DateTimeOffset End;
    }
}

/// <summary>The state of one window after a hit.</summary>
internal readonly record struct WindowState(int Count, int Permits, DateTimeOffset End, DateTimeOffset Now)
{
    public bool Exceeded => Count > Permits;

    public int Remaining => Math.Max(0, Permits - Count);

    /// <summary>Seconds until the window ends, rounded up (IN-62).</summary>
    public int RetryAfterSeconds => Math.Max(1, (int)Math.Ceiling((End - Now).TotalSeconds));
}
