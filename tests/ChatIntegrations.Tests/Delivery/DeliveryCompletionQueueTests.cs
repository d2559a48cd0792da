using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using ChatIntegrations.Delivery;

namespace ChatIntegrations.Tests.Delivery;

/// <summary>Group commit of finished attempts (<see cref="DeliveryCompletionQueue"/>): every outcome is written exactly
/// once, callers learn the result only after their batch committed, and a failed batch applies nothing.</summary>
public sealed class DeliveryCompletionQueueTests
{
    [Test]
    [CancelAfter(10_000)]
    public async Task CompleteAsync_OutcomesArriveWhileABatchIsWritten_NextBatchWritesThemTogetherEachOnce_DLV20_DLV33(CancellationToken ct)
    {
        var store = new RecordingCompletionStore();
        var queue = new DeliveryCompletionQueue(store);
        store.HoldNextBatch();
        var first = queue.CompleteAsync(Update("d0"), Record("d0"), null, ct);
        await store.BatchStarted.WaitAsync(ct);

        var rest = Enumerable.Range(1, 40).Select(i => queue.CompleteAsync(Update("d" + i), Record("d" + i), "{}", ct)).ToList();
        rest.Should().OnlyContain(t => !t.IsCompleted, "a caller learns its outcome only once its batch committed");
        store.Release();

        (await first).Should().BeTrue();
        (await Task.WhenAll(rest)).Should().OnlyContain(accepted => accepted);
        store.Batches.Should().HaveCount(2, "the 40 outcomes that arrived meanwhile share one transaction");
        store.Batches.SelectMany(b => b).Select(i => i.Update.DeliveryId).Should().OnlyHaveUniqueItems().And.HaveCount(41);
        store.Batches[1].Should().OnlyContain(i => i.History != null && i.Document == "{}");
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task CompleteAsync_StaleLeaseToken_ReturnsFalseForThatOutcomeOnly_DLV33(CancellationToken ct)
    {
        var store = new RecordingCompletionStore { Accept = u => u.LeaseToken != "stale" };
        var queue = new DeliveryCompletionQueue(store);
        store.HoldNextBatch();
        var first = queue.CompleteAsync(Update("d0"), null, null, ct);
        await store.BatchStarted.WaitAsync(ct);
        var current = queue.CompleteAsync(Update("d1"), Record("d1"), null, ct);
        var stale = queue.CompleteAsync(Update("d2", token: "stale"), Record("d2"), null, ct);
        store.Release();

        (await first).Should().BeTrue();
        (await current).Should().BeTrue();
        (await stale).Should().BeFalse("a node whose lease was taken over drops its result");
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task CompleteAsync_BatchTransactionFails_EveryCallerInItGetsTheErrorAndNothingIsRetriedInProcess_DLV34(CancellationToken ct)
    {
        var store = new RecordingCompletionStore();
        var queue = new DeliveryCompletionQueue(store);
        store.HoldNextBatch();
        var first = queue.CompleteAsync(Update("d0"), null, null, ct);
        await store.BatchStarted.WaitAsync(ct);
        store.Fail = items => items.Any(i => i.Update.DeliveryId != "d0") ? new IntegrationStoreUnavailableException("database is down (test)") : null;
        var batch = Enumerable.Range(1, 5).Select(i => queue.CompleteAsync(Update("d" + i), Record("d" + i), null, ct)).ToList();
        store.Release();

        (await first).Should().BeTrue();
        foreach (var t in batch)
        {
            await FluentActions.Awaiting(() => t).Should().ThrowAsync<IntegrationStoreUnavailableException>();
        }

        store.Calls.Should().Be(2, "an outage is not retried item by item: the leases expire and the attempts run again");
        store.Applied.Should().ContainSingle().Which.Should().Be("d0");
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task CompleteAsync_OneItemBreaksItsBatch_OthersAreWrittenOneByOneAndOnlyThatItemFails_DLV20(CancellationToken ct)
    {
        var store = new RecordingCompletionStore();
        var queue = new DeliveryCompletionQueue(store);
        store.HoldNextBatch();
        var first = queue.CompleteAsync(Update("d0"), null, null, ct);
        await store.BatchStarted.WaitAsync(ct);
        store.Fail = items => items.Any(i => i.Update.DeliveryId == "bad") ? new InvalidOperationException("constraint (test)") : null;
        var good = new[] { "d1", "d2", "d3" }.Select(id => queue.CompleteAsync(Update(id), Record(id), null, ct)).ToList();
        var bad = queue.CompleteAsync(Update("bad"), Record("bad"), null, ct);
        store.Release();

        await first;
        (await Task.WhenAll(good)).Should().OnlyContain(accepted => accepted);
        await FluentActions.Awaiting(() => bad).Should().ThrowAsync<InvalidOperationException>();
        store.Applied.Should().BeEquivalentTo(["d0", "d1", "d2", "d3"], "each good outcome is recorded exactly once");
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task CompleteAsync_TwoOutcomesOfOneDelivery_NeverShareABatch_DLV5(CancellationToken ct)
    {
        var store = new RecordingCompletionStore();
        var queue = new DeliveryCompletionQueue(store);
        store.HoldNextBatch();
        var first = queue.CompleteAsync(Update("d0"), null, null, ct);
        await store.BatchStarted.WaitAsync(ct);
        var a = queue.CompleteAsync(Update("d1", state: DeliveryState.Pending), null, null, ct);
        var b = queue.CompleteAsync(Update("d1", state: DeliveryState.Succeeded), null, null, ct);
        store.Release();

        await Task.WhenAll(first, a, b);
        store.Batches.Should().HaveCount(3);
        store.Batches.Should().OnlyContain(batch => batch.Select(i => i.Update.DeliveryId).Distinct().Count() == batch.Count);
        store.Batches[2].Single().Update.State.Should().Be(DeliveryState.Succeeded, "written in the order given");
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task CompleteAsync_CancelledWhileWaitingForABatch_IsNotWritten_DLV30(CancellationToken ct)
    {
        var store = new RecordingCompletionStore();
        var queue = new DeliveryCompletionQueue(store);
        store.HoldNextBatch();
        var first = queue.CompleteAsync(Update("d0"), null, null, ct);
        await store.BatchStarted.WaitAsync(ct);
        using var cts = new CancellationTokenSource();
        var withdrawn = queue.CompleteAsync(Update("d1"), Record("d1"), null, cts.Token);
        var kept = queue.CompleteAsync(Update("d2"), Record("d2"), null, ct);
        await cts.CancelAsync();
        store.Release();

        await first;
        (await kept).Should().BeTrue();
        await FluentActions.Awaiting(() => withdrawn).Should().ThrowAsync<OperationCanceledException>();
        store.Applied.Should().NotContain("d1");
    }

    private static DeliveryUpdate Update(string id, string token = "t", DeliveryState state = DeliveryState.Succeeded) =>
        new() { DeliveryId = id, LeaseToken = token, State = state, Attempts = 1 };

    private static HistoryRecord Record(string deliveryId) => new()
    {
        Id = deliveryId + "-1-h",
        IntegrationId = "int-1",
        DeliveryId = deliveryId,
        Attempt = 1,
        Document = new JsonObject { ["step"] = "after-http-call" },
    };

    /// <summary>Records each batch; can hold a batch open (to let others queue up) and fail batches.</summary>
    private sealed class RecordingCompletionStore : IDeliveryCompletionStore
    {
        private readonly Lock _lock = new();
        private TaskCompletionSource? _hold;
        private TaskCompletionSource? _held;
        private int _calls;

        public List<List<(DeliveryUpdate Update, HistoryRecord? History, string? Document)>> Batches { get; } = [];

        public ConcurrentQueue<string> Applied { get; } = new();

        public int Calls => Volatile.Read(ref _calls);

        public TaskCompletionSource BatchStartedSource { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task BatchStarted => BatchStartedSource.Task;

        public Func<DeliveryUpdate, bool> Accept { get; init; } = _ => true;

        public Func<IReadOnlyList<(DeliveryUpdate Update, HistoryRecord? History, string? Document)>, Exception?> Fail { get; set; } = _ => null;

        public void HoldNextBatch() => _hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => (_held ?? _hold)?.TrySetResult();

        public async ValueTask<bool[]> CompleteBatchAsync(IReadOnlyList<(DeliveryUpdate Update, HistoryRecord? History, string? Document)> items,
            CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _calls);
            BatchStartedSource.TrySetResult();
            if (_hold is { } hold)
            {
                _held = hold;
                _hold = null;
                await hold.Task.WaitAsync(cancellationToken);
            }

            if (Fail(items) is { } error) throw error; // atomic: nothing of the batch is applied
            lock (_lock) Batches.Add([.. items]);
            var accepted = items.Select(i => Accept(i.Update)).ToArray();
            for (var i = 0; i < items.Count; i++)
            {
                if (accepted[i]) Applied.Enqueue(items[i].Update.DeliveryId);
            }

            return accepted;
        }
    }
}
