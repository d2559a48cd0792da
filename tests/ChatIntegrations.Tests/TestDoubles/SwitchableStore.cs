using System.Collections.Concurrent;
using ChatIntegrations.Storage;

namespace ChatIntegrations.Tests.TestDoubles;

/// <summary>An in-memory store whose "database" can be switched off (GEN-14): while <see cref="Down"/> is set, every
/// call throws <see cref="IntegrationStoreUnavailableException"/>. Records the clock time of every failed call and every
/// purge, so that tests can check back-off and purge timing.</summary>
internal sealed class SwitchableStore : IIntegrationStore
{
    private readonly InMemoryIntegrationStore _inner = new();
    private volatile bool _down;

    /// <summary>Gets or sets the clock used to time-stamp calls (set it to the fixture's clock).</summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;

    public bool Down
    {
        get => _down;
        set => _down = value;
    }

    /// <summary>Gets the clock time of each call refused while down, in call order.</summary>
    public ConcurrentQueue<(string Call, DateTimeOffset At)> Refused { get; } = new();

    /// <summary>Gets each purge call: the clock time and its <c>before</c> argument.</summary>
    public ConcurrentQueue<(DateTimeOffset At, DateTimeOffset Before)> Purges { get; } = new();

    private void Check(string call)
    {
        if (!_down) return;
        Refused.Enqueue((call, Clock.GetUtcNow()));
        throw new IntegrationStoreUnavailableException("database is down (test switch)");
    }

    /// <summary>Gets the integration reads (<c>get:&lt;integration id&gt;</c>) and delivery claims
    /// (<c>claim:&lt;delivery id&gt;</c>), in call order.</summary>
    public ConcurrentQueue<string> Calls { get; } = new();

    public ValueTask<Integration?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        Check(nameof(GetAsync));
        Calls.Enqueue("get:" + id);
        return _inner.GetAsync(id, cancellationToken);
    }

    public ValueTask<bool> TryAddAsync(Integration integration, CancellationToken cancellationToken = default) { Check(nameof(TryAddAsync)); return _inner.TryAddAsync(integration, cancellationToken); }
    public ValueTask<bool> TryUpdateAsync(Integration integration, long expectedVersion, CancellationToken cancellationToken = default) { Check(nameof(TryUpdateAsync)); return _inner.TryUpdateAsync(integration, expectedVersion, cancellationToken); }
    public ValueTask<bool> DeleteAsync(string id, CancellationToken cancellationToken = default) { Check(nameof(DeleteAsync)); return _inner.DeleteAsync(id, cancellationToken); }
    public ValueTask<IntegrationPage> ListAsync(IntegrationQuery query, CancellationToken cancellationToken = default) { Check(nameof(ListAsync)); return _inner.ListAsync(query, cancellationToken); }
    public ValueTask<bool> EnqueueAsync(IReadOnlyList<DeliveryRecord> deliveries, int maxPending, CancellationToken cancellationToken = default) { Check(nameof(EnqueueAsync)); return _inner.EnqueueAsync(deliveries, maxPending, cancellationToken); }
    public async ValueTask<IReadOnlyList<DeliveryRecord>> ClaimDueAsync(string nodeId, DateTimeOffset now, TimeSpan leaseDuration, int maxCount, CancellationToken cancellationToken = default)
    {
        Check(nameof(ClaimDueAsync));
        var claimed = await _inner.ClaimDueAsync(nodeId, now, leaseDuration, maxCount, cancellationToken);
        foreach (var d in claimed) Calls.Enqueue("claim:" + d.Id);
        return claimed;
    }
    public ValueTask<bool> RenewLeaseAsync(string deliveryId, string leaseToken, DateTimeOffset leaseExpiresAt, CancellationToken cancellationToken = default) { Check(nameof(RenewLeaseAsync)); return _inner.RenewLeaseAsync(deliveryId, leaseToken, leaseExpiresAt, cancellationToken); }
    public ValueTask<bool> CompleteAsync(DeliveryUpdate update, CancellationToken cancellationToken = default) { Check(nameof(CompleteAsync)); return _inner.CompleteAsync(update, cancellationToken); }
    public ValueTask<IReadOnlyList<DeliveryRecord>> ReleaseLeasesAsync(string nodeId, DateTimeOffset now, CancellationToken cancellationToken = default) { Check(nameof(ReleaseLeasesAsync)); return _inner.ReleaseLeasesAsync(nodeId, now, cancellationToken); }
    public ValueTask<DeliveryRecord?> GetDeliveryAsync(string deliveryId, CancellationToken cancellationToken = default) { Check(nameof(GetDeliveryAsync)); return _inner.GetDeliveryAsync(deliveryId, cancellationToken); }
    public ValueTask<DateTimeOffset?> GetNextDueAsync(CancellationToken cancellationToken = default) { Check(nameof(GetNextDueAsync)); return _inner.GetNextDueAsync(cancellationToken); }
    public ValueTask<PendingDeliveryPage> ListPendingDeliveriesAsync(string integrationId, int offset, int count, CancellationToken cancellationToken = default) { Check(nameof(ListPendingDeliveriesAsync)); return _inner.ListPendingDeliveriesAsync(integrationId, offset, count, cancellationToken); }
    public ValueTask<IReadOnlyDictionary<string, DeliveryStats>> GetDeliveryStatsAsync(IReadOnlyCollection<string> integrationIds, DateTimeOffset failuresSince, CancellationToken cancellationToken = default) { Check(nameof(GetDeliveryStatsAsync)); return _inner.GetDeliveryStatsAsync(integrationIds, failuresSince, cancellationToken); }
    public ValueTask SaveHistoryAsync(HistoryRecord record, CancellationToken cancellationToken = default) { Check(nameof(SaveHistoryAsync)); return _inner.SaveHistoryAsync(record, cancellationToken); }
    public ValueTask<HistoryPage> ListHistoryAsync(string integrationId, int offset, int count, CancellationToken cancellationToken = default) { Check(nameof(ListHistoryAsync)); return _inner.ListHistoryAsync(integrationId, offset, count, cancellationToken); }
    public ValueTask<HistoryRecord?> GetHistoryAsync(string integrationId, string historyId, CancellationToken cancellationToken = default) { Check(nameof(GetHistoryAsync)); return _inner.GetHistoryAsync(integrationId, historyId, cancellationToken); }
    public ValueTask<int> ClearHistoryAsync(string integrationId, CancellationToken cancellationToken = default) { Check(nameof(ClearHistoryAsync)); return _inner.ClearHistoryAsync(integrationId, cancellationToken); }

    public ValueTask<int> PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken = default)
    {
        Check(nameof(PurgeAsync));
        Purges.Enqueue((Clock.GetUtcNow(), before));
        return _inner.PurgeAsync(before, cancellationToken);
    }

    public ValueTask<string?> GetCrmDataAsync(string roomId, CancellationToken cancellationToken = default) { Check(nameof(GetCrmDataAsync)); return _inner.GetCrmDataAsync(roomId, cancellationToken); }
    public ValueTask SetCrmDataAsync(string roomId, string crmData, CancellationToken cancellationToken = default) { Check(nameof(SetCrmDataAsync)); return _inner.SetCrmDataAsync(roomId, crmData, cancellationToken); }
}
