namespace ChatIntegrations.Tests.TestDoubles;

/// <summary>A store whose backing database is down: every call throws (GEN-14).</summary>
internal sealed class UnavailableStore : IIntegrationStore
{
    private static IntegrationStoreUnavailableException Down() => new("database is down");

    public ValueTask<Integration?> GetAsync(string id, CancellationToken cancellationToken = default) => throw Down();
    public ValueTask<bool> TryAddAsync(Integration integration, CancellationToken cancellationToken = default) => throw Down();
    public ValueTask<bool> TryUpdateAsync(Integration integration, long expectedVersion, CancellationToken cancellationToken = default) => throw Down();
    public ValueTask<bool> DeleteAsync(string id, CancellationToken cancellationToken = default) => throw Down();
    public ValueTask<IntegrationPage> ListAsync(IntegrationQuery query, CancellationToken cancellationToken = default) => throw Down();
    public ValueTask<bool> EnqueueAsync(IReadOnlyList<DeliveryRecord> deliveries, int maxPending, CancellationToken cancellationToken = default) => throw Down();
    public ValueTask<IReadOnlyList<DeliveryRecord>> ClaimDueAsync(string nodeId, DateTimeOffset now, TimeSpan leaseDuration, int maxCount, CancellationToken cancellationToken = default) => throw Down();
    public ValueTask<bool> RenewLeaseAsync(string deliveryId, string leaseToken, DateTimeOffset leaseExpiresAt, CancellationToken cancellationToken = default) => throw Down();
    public ValueTask<bool> CompleteAsync(DeliveryUpdate update, CancellationToken cancellationToken = default) => throw Down();
    public ValueTask<IReadOnlyList<DeliveryRecord>> ReleaseLeasesAsync(string nodeId, DateTimeOffset now, CancellationToken cancellationToken = default) => throw Down();
    public ValueTask<DeliveryRecord?> GetDeliveryAsync(string deliveryId, CancellationToken cancellationToken = default) => throw Down();
    public ValueTask<DateTimeOffset?> GetNextDueAsync(CancellationToken cancellationToken = default) => throw Down();
    public ValueTask<PendingDeliveryPage> ListPendingDeliveriesAsync(string integrationId, int offset, int count, CancellationToken cancellationToken = default) => throw Down();
    public ValueTask<IReadOnlyDictionary<string, DeliveryStats>> GetDeliveryStatsAsync(IReadOnlyCollection<string> integrationIds, DateTimeOffset failuresSince, CancellationToken cancellationToken = default) => throw Down();
    public ValueTask SaveHistoryAsync(HistoryRecord record, CancellationToken cancellationToken = default) => throw Down();
    public ValueTask<HistoryPage> ListHistoryAsync(string integrationId, int offset, int count, CancellationToken cancellationToken = default) => throw Down();
    public ValueTask<HistoryRecord?> GetHistoryAsync(string integrationId, string historyId, CancellationToken cancellationToken = default) => throw Down();
    public ValueTask<int> ClearHistoryAsync(string integrationId, CancellationToken cancellationToken = default) => throw Down();
    public ValueTask<int> PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken = default) => throw Down();
    public ValueTask<string?> GetCrmDataAsync(string roomId, CancellationToken cancellationToken = default) => throw Down();
    public ValueTask SetCrmDataAsync(string roomId, string crmData, CancellationToken cancellationToken = default) => throw Down();
}
