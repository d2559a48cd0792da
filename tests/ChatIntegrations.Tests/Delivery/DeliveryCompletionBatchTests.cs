using ChatIntegrations.Delivery;
using ChatIntegrations.Storage;
using ChatIntegrations.Tests.TestDoubles;

namespace ChatIntegrations.Tests.Delivery;

/// <summary>The dispatcher on a store with batched completion (<see cref="IDeliveryCompletionStore"/>, as the SQLite
/// and PostgreSQL stores have): outcomes and history reach the store through batches, and a failed batch leaves its
/// deliveries leased until their leases expire, after which they are attempted again.</summary>
public sealed class DeliveryCompletionBatchTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    [Test]
    [CancelAfter(20_000)]
    public async Task Dispatcher_BatchingStore_RecordsEveryOutcomeAndHistoryExactlyOnce_DLV20_DLV35(CancellationToken ct)
    {
        var store = new BatchingStore();
        await using var f = new DeliveryFixture(o => o.Dispatcher.LeaseDuration = Lease, store: store);
        var receiver = f.Receiver();
        var i = await f.CreateOutgoingAsync(receiver.Url("/hook"));
        for (var n = 0; n < 12; n++) await f.Engine.PublishAsync(DeliveryFixture.Message("hi " + n, messageId: "m" + n), ct);
        await f.StartAsync();

        await DeliveryFixture.WaitUntilAsync(() => Task.FromResult(store.Completed.Count == 12 && f.Dispatcher.InFlight == 0), ct);
        var ids = receiver.Requests.Select(r => r.Headers["webhook-id"]).ToList();
        ids.Should().HaveCount(12).And.OnlyHaveUniqueItems("DLV-35: without crash or lease expiry, each delivery is sent once");
        foreach (var id in ids)
        {
            var d = (await store.GetDeliveryAsync(id, ct))!;
            d.State.Should().Be(DeliveryState.Succeeded);
            d.Attempts.Should().Be(1);
        }

        store.Completed.Should().OnlyHaveUniqueItems().And.BeEquivalentTo(ids, "each outcome is written once, through a batch");
        store.Batches.Should().BeGreaterThan(0);
        var history = await f.HistoryAsync(i.Id);
        history.Should().HaveCount(12);
        history.Select(h => h.DeliveryId).Should().BeEquivalentTo(ids, "one record per attempt (DLV-20)");
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task Dispatcher_CompletionBatchFails_DeliveriesStayLeasedThenAreRetriedAfterLeaseExpiry_DLV34_DLV3(CancellationToken ct)
    {
        var store = new BatchingStore { FailBatches = true };
        await using var f = new DeliveryFixture(o => o.Dispatcher.LeaseDuration = Lease, store: store);
        var receiver = f.Receiver();
        var i = await f.CreateOutgoingAsync(receiver.Url("/hook"));
        for (var n = 0; n < 3; n++) await f.Engine.PublishAsync(DeliveryFixture.Message("hi " + n, messageId: "m" + n), ct);
        await f.StartAsync();

        await DeliveryFixture.WaitUntilAsync(() => Task.FromResult(store.FailedItems >= 3 && f.Dispatcher.InFlight == 0), ct);
        var ids = receiver.Requests.Select(r => r.Headers["webhook-id"]).ToList();
        ids.Should().HaveCount(3).And.OnlyHaveUniqueItems();
        foreach (var id in ids)
        {
            var d = (await store.GetDeliveryAsync(id, ct))!;
            d.State.Should().Be(DeliveryState.Leased, "nothing of a failed batch is applied");
            d.Attempts.Should().Be(0);
        }

        (await f.HistoryAsync(i.Id)).Should().BeEmpty("history is written in the same transaction as the outcome");

        // The store is back; the leases expire and the attempts run again (at least once, DLV-3).
        store.FailBatches = false;
        f.Time.Advance(Lease + TimeSpan.FromMilliseconds(100));
        foreach (var id in ids)
        {
            var d = await f.WaitForStateAsync(id, ct, DeliveryState.Succeeded);
            d.Attempts.Should().Be(1, "the lost attempt was never recorded, so it does not count");
        }

        receiver.Requests.Select(r => r.Headers["webhook-id"]).Should().HaveCount(6);
        receiver.Requests.GroupBy(r => r.Headers["webhook-id"]).Should().OnlyContain(g => g.Count() == 2);
        var history = await f.HistoryAsync(i.Id);
        history.Should().HaveCount(3, "exactly one record per recorded attempt");
        store.Completed.Should().BeEquivalentTo(ids);
    }

    /// <summary>The in-memory store plus batched completion; a batch is applied under one lock (all or nothing), and
    /// can be made to fail as a whole.</summary>
    private sealed class BatchingStore : IIntegrationStore, IDeliveryCompletionStore
    {
        private readonly InMemoryIntegrationStore _inner = new();
        private readonly SemaphoreSlim _gate = new(1, 1);
        private volatile bool _fail;
        private int _failedItems;
        private int _batches;

        public bool FailBatches
        {
            get => _fail;
            set => _fail = value;
        }

        public int FailedItems => Volatile.Read(ref _failedItems);

        public int Batches => Volatile.Read(ref _batches);

        public System.Collections.Concurrent.ConcurrentQueue<string> Completed { get; } = new();

        public async ValueTask<bool[]> CompleteBatchAsync(IReadOnlyList<(DeliveryUpdate Update, HistoryRecord? History, string? Document)> items,
            CancellationToken cancellationToken = default)
        {
            StoreJson.CheckCompletionBatch(items);
            if (_fail)
            {
                Interlocked.Add(ref _failedItems, items.Count);
                throw new IntegrationStoreUnavailableException("database is down (test)");
            }

            await _gate.WaitAsync(cancellationToken);
            try
            {
                Interlocked.Increment(ref _batches);
                var accepted = new bool[items.Count];
                for (var i = 0; i < items.Count; i++)
                {
                    accepted[i] = await _inner.CompleteAsync(items[i].Update, cancellationToken);
                    if (!accepted[i]) continue;
                    Completed.Enqueue(items[i].Update.DeliveryId);
                    if (items[i].History is { } h) await _inner.SaveHistoryAsync(h, cancellationToken);
                }

                return accepted;
            }
            finally
            {
                _gate.Release();
            }
        }

        public ValueTask<Integration?> GetAsync(string id, CancellationToken cancellationToken = default) => _inner.GetAsync(id, cancellationToken);
        public ValueTask<bool> TryAddAsync(Integration integration, CancellationToken cancellationToken = default) => _inner.TryAddAsync(integration, cancellationToken);
        public ValueTask<bool> TryUpdateAsync(Integration integration, long expectedVersion, CancellationToken cancellationToken = default) => _inner.TryUpdateAsync(integration, expectedVersion, cancellationToken);
        public ValueTask<bool> DeleteAsync(string id, CancellationToken cancellationToken = default) => _inner.DeleteAsync(id, cancellationToken);
        public ValueTask<IntegrationPage> ListAsync(IntegrationQuery query, CancellationToken cancellationToken = default) => _inner.ListAsync(query, cancellationToken);
        public ValueTask<bool> EnqueueAsync(IReadOnlyList<DeliveryRecord> deliveries, int maxPending, CancellationToken cancellationToken = default) => _inner.EnqueueAsync(deliveries, maxPending, cancellationToken);
        public ValueTask<IReadOnlyList<DeliveryRecord>> ClaimDueAsync(string nodeId, DateTimeOffset now, TimeSpan leaseDuration, int maxCount, CancellationToken cancellationToken = default) => _inner.ClaimDueAsync(nodeId, now, leaseDuration, maxCount, cancellationToken);
        public ValueTask<bool> RenewLeaseAsync(string deliveryId, string leaseToken, DateTimeOffset leaseExpiresAt, CancellationToken cancellationToken = default) => _inner.RenewLeaseAsync(deliveryId, leaseToken, leaseExpiresAt, cancellationToken);
        public ValueTask<bool> CompleteAsync(DeliveryUpdate update, CancellationToken cancellationToken = default) => throw new InvalidOperationException("completions go through batches");
        public ValueTask<IReadOnlyList<DeliveryRecord>> ReleaseLeasesAsync(string nodeId, DateTimeOffset now, CancellationToken cancellationToken = default) => _inner.ReleaseLeasesAsync(nodeId, now, cancellationToken);
        public ValueTask<DeliveryRecord?> GetDeliveryAsync(string deliveryId, CancellationToken cancellationToken = default) => _inner.GetDeliveryAsync(deliveryId, cancellationToken);
        public ValueTask<DateTimeOffset?> GetNextDueAsync(CancellationToken cancellationToken = default) => _inner.GetNextDueAsync(cancellationToken);
        public ValueTask<PendingDeliveryPage> ListPendingDeliveriesAsync(string integrationId, int offset, int count, CancellationToken cancellationToken = default) => _inner.ListPendingDeliveriesAsync(integrationId, offset, count, cancellationToken);
        public ValueTask<IReadOnlyDictionary<string, DeliveryStats>> GetDeliveryStatsAsync(IReadOnlyCollection<string> integrationIds, DateTimeOffset failuresSince, CancellationToken cancellationToken = default) => _inner.GetDeliveryStatsAsync(integrationIds, failuresSince, cancellationToken);
        public ValueTask SaveHistoryAsync(HistoryRecord record, CancellationToken cancellationToken = default) => _inner.SaveHistoryAsync(record, cancellationToken);
        public ValueTask<HistoryPage> ListHistoryAsync(string integrationId, int offset, int count, CancellationToken cancellationToken = default) => _inner.ListHistoryAsync(integrationId, offset, count, cancellationToken);
        public ValueTask<HistoryRecord?> GetHistoryAsync(string integrationId, string historyId, CancellationToken cancellationToken = default) => _inner.GetHistoryAsync(integrationId, historyId, cancellationToken);
        public ValueTask<int> ClearHistoryAsync(string integrationId, CancellationToken cancellationToken = default) => _inner.ClearHistoryAsync(integrationId, cancellationToken);
        public ValueTask<int> PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken = default) => _inner.PurgeAsync(before, cancellationToken);
        public ValueTask<string?> GetCrmDataAsync(string roomId, CancellationToken cancellationToken = default) => _inner.GetCrmDataAsync(roomId, cancellationToken);
        public ValueTask SetCrmDataAsync(string roomId, string crmData, CancellationToken cancellationToken = default) => _inner.SetCrmDataAsync(roomId, crmData, cancellationToken);
    }
}
