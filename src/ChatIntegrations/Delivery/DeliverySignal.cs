namespace ChatIntegrations.Delivery;

/// <summary>Wakes the dispatcher in process when deliveries were enqueued or a slot freed (DLV-18).</summary>
/// <remarks>One waiter (the dispatcher loop), any number of signallers. A signal given while nobody waits is kept
/// until the next wait.</remarks>
internal sealed class DeliverySignal
{
    /// <summary>How far the clock may move while the timer is armed before the timer is armed again.</summary>
    internal static readonly TimeSpan ArmingDrift = TimeSpan.FromMilliseconds(1);

    private const int MaxArmings = 4;

    private TaskCompletionSource _pending = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Wakes the waiter, or the next one.</summary>
    public void Set() => Volatile.Read(ref _pending).TrySetResult();

    /// <summary>Waits until signalled or until <paramref name="time"/> reaches <paramref name="deadline"/>.</summary>
    /// <remarks>The deadline is absolute, so a caller that read the clock before a slow step (a store call) does not
    /// sleep longer by that step. A timer is armed relative to the clock's reading at arming, so if the clock moved
    /// meanwhile (a stalled thread; a manual clock moved by another thread) the timer is armed again from the new
    /// reading, and there is no wait once the deadline has passed.</remarks>
    public async Task WaitAsync(DateTimeOffset deadline, TimeProvider time, CancellationToken cancellationToken)
    {
        var current = Volatile.Read(ref _pending);
        var now = time.GetUtcNow();
        if (!current.Task.IsCompleted && now < deadline && !cancellationToken.IsCancellationRequested)
        {
            var fired = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using var timer = time.CreateTimer(static s => ((TaskCompletionSource)s!).TrySetResult(), fired,
                Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            await using var cancelled = cancellationToken.UnsafeRegister(static s => ((TaskCompletionSource)s!).TrySetResult(), fired);
            for (var armings = 1; ; armings++)
            {
                timer.Change(deadline - now, Timeout.InfiniteTimeSpan);
                var armed = time.GetUtcNow();
                if (armed >= deadline)
                {
                    fired.TrySetResult();
                    break;
                }

                if (armed - now < ArmingDrift || armings == MaxArmings) break;
                now = armed;
            }

            await Task.WhenAny(current.Task, fired.Task).ConfigureAwait(false);
        }

        if (current.Task.IsCompleted)
        {
            Interlocked.CompareExchange(ref _pending, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), current);
        }

        cancellationToken.ThrowIfCancellationRequested();
    }
}
