namespace ChatIntegrations.Delivery;

/// <summary>Group commit for finished attempts: the outcomes that arrive while one batch is being written are written
/// together by the next, in one store transaction (<see cref="IDeliveryCompletionStore.CompleteBatchAsync"/>).</summary>
/// <remarks>
/// <para>There is no timer and no waiting for a batch to fill: the first outcome is written at once, and a batch grows
/// only while the store is busy with the previous one, so a lone delivery pays no extra latency (DLV-18) and a busy
/// node pays one commit per batch instead of one per delivery.</para>
/// <para>A caller's task completes only after its batch committed (or failed), so a delivery is reported done only
/// once its outcome and history record are durable (DLV-2, DLV-20). When a batch fails, every caller in it gets the
/// exception and nothing of the batch was applied: the deliveries stay leased until their leases expire and are
/// attempted again (DLV-34). An unexpected failure of a batch of several is retried item by item, so that one bad item
/// cannot fail the others.</para>
/// <para>Thread-safe. At most one batch is written at a time per queue.</para>
/// </remarks>
internal sealed class DeliveryCompletionQueue
{
    /// <summary>The largest batch written in one transaction.</summary>
    internal const int MaxBatch = 256;

    private readonly IDeliveryCompletionStore _store;
    private readonly Queue<Item> _queue = new();
    private readonly Lock _lock = new();
    private bool _writing;

    public DeliveryCompletionQueue(IDeliveryCompletionStore store) => _store = store;

    /// <summary>Queues one outcome; completes with whether the lease-conditioned update was accepted (DLV-33), once it
    /// is committed.</summary>
    /// <remarks><paramref name="cancellationToken"/> withdraws the outcome only while it still waits for a batch;
    /// once taken into a batch it is committed or failed with the batch, never left in doubt, so that a caller never
    /// records a second outcome (such as <c>cancelled-by-shutdown</c>) for an attempt whose outcome was stored.</remarks>
    /// <exception cref="OperationCanceledException">Withdrawn before it was written.</exception>
    /// <exception cref="IntegrationStoreUnavailableException">The batch could not be written; nothing of it was
    /// applied.</exception>
    public Task<bool> CompleteAsync(DeliveryUpdate update, HistoryRecord? history, string? document, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var item = new Item(update, history, document, cancellationToken);
        bool start;
        lock (_lock)
        {
            _queue.Enqueue(item);
            start = !_writing;
            _writing = true;
        }

        // The writer runs on the pool, so that the caller (an attempt's continuation) never writes other attempts'
        // batches on its own stack.
        if (start) _ = Task.Run(WriteAllAsync, CancellationToken.None);
        return item.Result.Task;
    }

    private async Task WriteAllAsync()
    {
        var batch = new List<Item>(MaxBatch);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            batch.Clear();
            ids.Clear();
            lock (_lock)
            {
                while (batch.Count < MaxBatch && _queue.TryPeek(out var next))
                {
                    // Two outcomes of one delivery never share a batch: the later waits for the next one.
                    if (!ids.Add(next.Update.DeliveryId)) break;
                    _queue.Dequeue();
                    if (next.CancellationToken.IsCancellationRequested)
                    {
                        ids.Remove(next.Update.DeliveryId);
                        next.Result.TrySetCanceled(next.CancellationToken);
                        continue;
                    }

                    batch.Add(next);
                }

                if (batch.Count == 0)
                {
                    _writing = false;
                    return;
                }
            }

            await WriteAsync(batch).ConfigureAwait(false);
        }
    }

    private async Task WriteAsync(List<Item> batch)
    {
        try
        {
            var accepted = await _store.CompleteBatchAsync(Entries(batch), CancellationToken.None).ConfigureAwait(false);
            for (var i = 0; i < batch.Count; i++) batch[i].Result.TrySetResult(accepted[i]);
        }
        catch (Exception ex) when (batch.Count > 1 && ex is not IntegrationStoreUnavailableException)
        {
            // Not an outage but something about one item (a bug, a constraint): isolate it.
            foreach (var item in batch) await WriteAsync([item]).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            foreach (var item in batch) item.Result.TrySetException(ex);
        }
    }

    private static (DeliveryUpdate, HistoryRecord?, string?)[] Entries(List<Item> batch)
    {
        var entries = new (DeliveryUpdate, HistoryRecord?, string?)[batch.Count];
        for (var i = 0; i < batch.Count; i++) entries[i] = (batch[i].Update, batch[i].History, batch[i].Document);
        return entries;
    }

    private sealed class Item(DeliveryUpdate update, HistoryRecord? history, string? document, CancellationToken cancellationToken)
    {
        public DeliveryUpdate Update { get; } = update;

        public HistoryRecord? History { get; } = history;

        public string? Document { get; } = document;

        public CancellationToken CancellationToken { get; } = cancellationToken;

        public TaskCompletionSource<bool> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
