using Microsoft.Extensions.Time.Testing;

namespace ChatIntegrations.Tests.TestDoubles;

/// <summary>Microsoft's <see cref="FakeTimeProvider"/> with the two things it keeps internal and these tests need:
/// which timers are armed and when they fall due (to wait until a component sleeps, or has re-armed a wait, before
/// moving the clock), and <see cref="Arming"/>, a hook that moves the clock while a component arms a timer, as a
/// stalled thread or another thread would (DeliverySignal's re-arming, DLV-18).</summary>
/// <remarks>Everything else (the clock, <c>Advance</c>, firing due timers in due order) is the package's: its
/// <c>Advance</c> sets the clock to the target first and then runs the due callbacks synchronously on the calling
/// thread, and a timer armed with a zero due time fires during <c>Change</c>.</remarks>
internal sealed class TrackingTimeProvider(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly Lock _lock = new();
    private readonly HashSet<TrackedTimer> _armed = [];

    public TrackingTimeProvider()
        : this(new DateTimeOffset(2025, 1, 1, 10, 0, 0, TimeSpan.Zero))
    {
    }

    /// <summary>Gets the number of armed timers (for waiting until a component sleeps).</summary>
    public int ActiveTimers
    {
        get
        {
            lock (_lock) return _armed.Count;
        }
    }

    /// <summary>Gets or sets an action run each time a timer is armed, before the clock is read for its due time.</summary>
    public Action? Arming { get; set; }

    /// <summary>Whether an armed timer falls due exactly at <paramref name="due"/> (for waiting until a component has
    /// re-armed a periodic wait before advancing again).</summary>
    public bool HasTimerDueAt(DateTimeOffset due)
    {
        lock (_lock) return _armed.Any(t => t.Due == due);
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new TrackedTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    private ITimer CreateInnerTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        base.CreateTimer(callback, state, dueTime, period);

    private sealed class TrackedTimer(TrackingTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        private ITimer? _inner;
        private TimeSpan _period;

        public DateTimeOffset Due { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            bool armed = dueTime != Timeout.InfiniteTimeSpan;
            if (armed) owner.Arming?.Invoke();
            lock (owner._lock)
            {
                _period = period == Timeout.InfiniteTimeSpan ? TimeSpan.Zero : period;
                if (armed)
                {
                    Due = owner.GetUtcNow() + dueTime;
                    owner._armed.Add(this);
                }
                else
                {
                    owner._armed.Remove(this);
                }
            }

            // The package's timer may fire right here (a zero due time), so it is changed outside the lock.
            if (_inner is null)
            {
                _inner = owner.CreateInnerTimer(static s => ((TrackedTimer)s!).Fire(), this, dueTime, period);
                return true;
            }

            return _inner.Change(dueTime, period);
        }

        public void Dispose()
        {
            lock (owner._lock) owner._armed.Remove(this);
            _inner?.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }

        private void Fire()
        {
            lock (owner._lock)
            {
                if (_period > TimeSpan.Zero) Due += _period;
                else owner._armed.Remove(this);
            }

            callback(state);
        }
    }
}
