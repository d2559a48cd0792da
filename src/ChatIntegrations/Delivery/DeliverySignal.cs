namespace ChatIntegrations.Delivery;

/// <summary>Wakes the dispatcher in process when deliveries were enqueued or a slot freed (DLV-18).</summary>
/// <remarks>One waiter (the dispatcher loop), any number of signallers. A signal given while nobody waits is kept
/// until the next wait.</remarks>
internal sealed class DeliverySignal
{
    private TaskCompletionSource _pending = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Wakes the waiter, or the next one.</summary>
    public void Set() => Volatile.Read(ref _pending).TrySetResult();

    /// <summary>Waits until signalled or until <paramref name="timeout"/> has passed on <paramref name="time"/>.</summary>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        var current = Volatile.Read(ref _pending);
        if (!current.Task.IsCompleted && timeout > TimeSpan.Zero)
        {
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var delay = Task.Delay(timeout, time, cts.Token);
            await Task.WhenAny(current.Task, delay).ConfigureAwait(false);
            await cts.CancelAsync().ConfigureAwait(false);
        }

        if (current.Task.IsCompleted)
        {
            Interlocked.CompareExchange(ref _pending, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), current);
        }

        cancellationToken.ThrowIfCancellationRequested();
    }
}
