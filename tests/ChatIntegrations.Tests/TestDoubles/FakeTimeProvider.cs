namespace ChatIntegrations.Tests.TestDoubles;

/// <summary>A manual clock: time moves only when a test calls <see cref="Advance"/>, which also fires the timers created
/// with <see cref="CreateTimer"/> that fell due (so <c>Task.Delay(…, timeProvider)</c> and Polly's timers work).</summary>
internal sealed class FakeTimeProvider : TimeProvider
{
    private readonly Lock _lock = new();
    private readonly List<FakeTimer> _timers = [];
    private DateTimeOffset _now;
    private long _timestamp;

    public FakeTimeProvider(DateTimeOffset? start = null) => _now = start ?? new DateTimeOffset(2025, 1, 1, 10, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock) return _now;
    }

    public override long GetTimestamp()
    {
        lock (_lock) return _timestamp;
    }

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <summary>Gets the number of active timers (for waiting until a component sleeps).</summary>
    public int ActiveTimers
    {
        get
        {
            lock (_lock) return _timers.Count;
        }
    }

    /// <summary>Whether a timer is set to fire exactly at <paramref name="due"/> (for waiting until a component has
    /// re-armed a periodic wait before advancing again).</summary>
    public bool HasTimerDueAt(DateTimeOffset due)
    {
        lock (_lock) return _timers.Any(t => t.Due == due);
    }

    /// <summary>Gets or sets an action run each time a timer is armed, before the clock is read for its due time (to
    /// move the clock while a component arms a timer, as a stalled thread or another thread would).</summary>
    public Action? Arming { get; set; }

    /// <summary>Moves time forward, firing due timers in due order, each at its due time.</summary>
    public void Advance(TimeSpan by)
    {
        DateTimeOffset target;
        lock (_lock) target = _now + by;
        while (true)
        {
            FakeTimer? next;
            lock (_lock)
            {
                next = _timers.Where(t => t.Due <= target).OrderBy(t => t.Due).FirstOrDefault();
                if (next is null)
                {
                    _timestamp += (target - _now).Ticks;
                    _now = target;
                    return;
                }

                if (next.Due > _now)
                {
                    _timestamp += (next.Due - _now).Ticks;
                    _now = next.Due;
                }

                if (next.Period is { } period && period > TimeSpan.Zero) next.Due = _now + period;
                else _timers.Remove(next);
            }

            next.Fire();
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new FakeTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    private sealed class FakeTimer(FakeTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        public DateTimeOffset Due { get; set; }

        public TimeSpan? Period { get; private set; }

        public void Fire() => callback(state);

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            if (dueTime != Timeout.InfiniteTimeSpan) owner.Arming?.Invoke();
            lock (owner._lock)
            {
                owner._timers.Remove(this);
                if (dueTime == Timeout.InfiniteTimeSpan) return true;
                Due = owner._now + dueTime;
                Period = period == Timeout.InfiniteTimeSpan ? null : period;
                owner._timers.Add(this);
            }

            return true;
        }

        public void Dispose()
        {
            lock (owner._lock) owner._timers.Remove(this);
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
