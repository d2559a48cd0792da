namespace ChatIntegrations;

/// <summary>
/// Stores integrations, the delivery queue with its leases, history records, and omnichannel <c>crmData</c>.
/// </summary>
/// <remarks>
/// Implementations must support concurrent calls, also from several processes when they share a database. An
/// implementation that cannot reach its backing store throws <see cref="IntegrationStoreUnavailableException"/>; the
/// engine turns that into the GEN-14 behaviour. Times are passed in by the engine (its <see cref="TimeProvider"/>);
/// stores never read a clock of their own.
/// </remarks>
public interface IIntegrationStore
{
    /// <summary>Gets an integration by id.</summary>
    /// <param name="id">The integration id.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The integration, or <see langword="null"/> when there is none.</returns>
    ValueTask<Integration?> GetAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Adds a new integration.</summary>
    /// <param name="integration">The integration.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns><see langword="false"/> when the id is already in use.</returns>
    ValueTask<bool> TryAddAsync(Integration integration, CancellationToken cancellationToken = default);

    /// <summary>Replaces an integration when its stored version equals <paramref name="expectedVersion"/>.</summary>
    /// <param name="integration">The new snapshot.</param>
    /// <param name="expectedVersion">The version the caller read.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns><see langword="false"/> when the integration is gone or its version differs.</returns>
    ValueTask<bool> TryUpdateAsync(Integration integration, long expectedVersion, CancellationToken cancellationToken = default);

    /// <summary>Deletes an integration.</summary>
    /// <param name="id">The integration id.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns><see langword="false"/> when there was none.</returns>
    ValueTask<bool> DeleteAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Lists integrations matching a query, sorted by update time descending, then id (GEN-11).</summary>
    /// <param name="query">The filters and paging.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>One page and the total count.</returns>
    ValueTask<IntegrationPage> ListAsync(IntegrationQuery query, CancellationToken cancellationToken = default);

    /// <summary>Stores new deliveries atomically, unless the queue already holds <paramref name="maxPending"/> or more
    /// unfinished deliveries (DLV-2, DLV-38).</summary>
    /// <param name="deliveries">The deliveries, in state <see cref="DeliveryState.Pending"/>.</param>
    /// <param name="maxPending">The queue bound.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns><see langword="false"/> when the queue is full; then nothing is stored.</returns>
    ValueTask<bool> EnqueueAsync(IReadOnlyList<DeliveryRecord> deliveries, int maxPending, CancellationToken cancellationToken = default);

    /// <summary>Atomically claims up to <paramref name="maxCount"/> deliveries that are due: pending with
    /// <c>NextAttemptAt</c> ≤ <paramref name="now"/>, or leased with an expired lease (DLV-31, DLV-34), oldest due
    /// first. Each claimed delivery gets <paramref name="nodeId"/> as owner, a fresh lease token and
    /// <c>LeaseExpiresAt</c> = <paramref name="now"/> + <paramref name="leaseDuration"/>.</summary>
    /// <param name="nodeId">The claiming node.</param>
    /// <param name="now">The engine's current time.</param>
    /// <param name="leaseDuration">How long the lease lasts without renewal.</param>
    /// <param name="maxCount">The most deliveries to claim.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The claimed deliveries, as stored after the claim.</returns>
    ValueTask<IReadOnlyList<DeliveryRecord>> ClaimDueAsync(string nodeId, DateTimeOffset now, TimeSpan leaseDuration, int maxCount, CancellationToken cancellationToken = default);

    /// <summary>Extends a lease, if <paramref name="leaseToken"/> still holds it (DLV-32, DLV-33).</summary>
    /// <param name="deliveryId">The delivery id.</param>
    /// <param name="leaseToken">The caller's lease token.</param>
    /// <param name="leaseExpiresAt">The new expiry.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns><see langword="false"/> when the lease was lost.</returns>
    ValueTask<bool> RenewLeaseAsync(string deliveryId, string leaseToken, DateTimeOffset leaseExpiresAt, CancellationToken cancellationToken = default);

    /// <summary>Applies the outcome of a leased delivery and releases the lease, if <see cref="DeliveryUpdate.LeaseToken"/>
    /// still holds it (DLV-33).</summary>
    /// <param name="update">The change.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns><see langword="false"/> when the lease was lost; nothing changes then.</returns>
    ValueTask<bool> CompleteAsync(DeliveryUpdate update, CancellationToken cancellationToken = default);

    /// <summary>Returns to pending, due at <paramref name="now"/>, every delivery leased by <paramref name="nodeId"/>,
    /// without counting an attempt (DLV-39).</summary>
    /// <param name="nodeId">The restarting node.</param>
    /// <param name="now">The engine's current time.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The deliveries that were released, as they were before release.</returns>
    ValueTask<IReadOnlyList<DeliveryRecord>> ReleaseLeasesAsync(string nodeId, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Gets a delivery by id.</summary>
    /// <param name="deliveryId">The delivery id.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The delivery, or <see langword="null"/>.</returns>
    ValueTask<DeliveryRecord?> GetDeliveryAsync(string deliveryId, CancellationToken cancellationToken = default);

    /// <summary>Gets the earliest time a delivery falls due (a pending <c>NextAttemptAt</c> or a lease expiry), for the
    /// dispatcher's sleep (DLV-18).</summary>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The time, or <see langword="null"/> when the queue is empty.</returns>
    ValueTask<DateTimeOffset?> GetNextDueAsync(CancellationToken cancellationToken = default);

    /// <summary>Lists an integration's unfinished deliveries (pending, scheduled for a retry, or leased), earliest
    /// <c>NextAttemptAt</c> first, then id, with the error of each one's latest failed attempt (GEN-11).</summary>
    /// <param name="integrationId">The integration id, or <c>omnichannel</c>.</param>
    /// <param name="offset">Items to skip.</param>
    /// <param name="count">Page size.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>One page and the total number of unfinished deliveries of the integration.</returns>
    /// <remarks>The last error comes from the newest history record of the delivery with <c>error: true</c>; a
    /// delivery of an integration that records no history (DLV-23) has none.</remarks>
    ValueTask<PendingDeliveryPage> ListPendingDeliveriesAsync(string integrationId, int offset, int count, CancellationToken cancellationToken = default);

    /// <summary>Gets the delivery figures of several integrations at once, from the history records of their delivery
    /// attempts (records with a delivery id): the latest finished outcome, and the failed attempts since
    /// <paramref name="failuresSince"/>.</summary>
    /// <param name="integrationIds">The integration ids; duplicates are ignored.</param>
    /// <param name="failuresSince">The start of the failure count (the engine passes its now − 1 hour).</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>One entry per distinct requested id, also for ids without records (then empty figures).</returns>
    /// <remarks>Durable stores answer with one statement, whatever the number of ids.</remarks>
    ValueTask<IReadOnlyDictionary<string, DeliveryStats>> GetDeliveryStatsAsync(IReadOnlyCollection<string> integrationIds, DateTimeOffset failuresSince, CancellationToken cancellationToken = default);

    /// <summary>Inserts or replaces a history record (DLV-20).</summary>
    /// <param name="record">The record.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>A task that completes when the record is stored.</returns>
    ValueTask SaveHistoryAsync(HistoryRecord record, CancellationToken cancellationToken = default);

    /// <summary>Lists an integration's history, newest <c>UpdatedAt</c> first, then id (DLV-24, GEN-11).</summary>
    /// <param name="integrationId">The integration id, or <c>omnichannel</c>.</param>
    /// <param name="offset">Items to skip.</param>
    /// <param name="count">Page size.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>One page and the total.</returns>
    ValueTask<HistoryPage> ListHistoryAsync(string integrationId, int offset, int count, CancellationToken cancellationToken = default);

    /// <summary>Gets one history record of an integration.</summary>
    /// <param name="integrationId">The integration id, or <c>omnichannel</c>.</param>
    /// <param name="historyId">The record id.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The record, or <see langword="null"/>.</returns>
    ValueTask<HistoryRecord?> GetHistoryAsync(string integrationId, string historyId, CancellationToken cancellationToken = default);

    /// <summary>Deletes all history records of an integration (DLV-26).</summary>
    /// <param name="integrationId">The integration id, or <c>omnichannel</c>.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The number of records deleted.</returns>
    ValueTask<int> ClearHistoryAsync(string integrationId, CancellationToken cancellationToken = default);

    /// <summary>Deletes history records and finished deliveries last updated before <paramref name="before"/> (DLV-25).</summary>
    /// <param name="before">The retention cut-off.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The number of rows deleted.</returns>
    ValueTask<int> PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken = default);

    /// <summary>Gets the <c>crmData</c> kept for a live-chat room (OMNI-35).</summary>
    /// <param name="roomId">The live-chat room id.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The stored text, or <see langword="null"/>.</returns>
    ValueTask<string?> GetCrmDataAsync(string roomId, CancellationToken cancellationToken = default);

    /// <summary>Keeps the <c>crmData</c> of a live-chat room (OMNI-35).</summary>
    /// <param name="roomId">The live-chat room id.</param>
    /// <param name="crmData">The text to keep.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>A task that completes when the value is stored.</returns>
    ValueTask SetCrmDataAsync(string roomId, string crmData, CancellationToken cancellationToken = default);
}

/// <summary>Filters and paging for <see cref="IIntegrationStore.ListAsync"/> (GEN-11).</summary>
public sealed record IntegrationQuery
{
    /// <summary>Gets the type filter.</summary>
    public IntegrationType? Type { get; init; }

    /// <summary>Gets the case-insensitive name substring filter.</summary>
    public string? Name { get; init; }

    /// <summary>Gets the enabled filter.</summary>
    public bool? Enabled { get; init; }

    /// <summary>Gets the number of items to skip. The default is 0.</summary>
    public int Offset { get; init; }

    /// <summary>Gets the page size (1–100). The default is 25.</summary>
    public int Count { get; init; } = 25;
}

/// <summary>One page of integrations.</summary>
/// <param name="Items">The page.</param>
/// <param name="Total">The total number of matches.</param>
public sealed record IntegrationPage(IReadOnlyList<Integration> Items, int Total);

/// <summary>Thrown by a store that cannot reach its backing storage (GEN-14).</summary>
public sealed class IntegrationStoreUnavailableException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="IntegrationStoreUnavailableException"/> class.</summary>
    public IntegrationStoreUnavailableException() : base("The integration store is unavailable.") { }

    /// <summary>Initializes a new instance of the <see cref="IntegrationStoreUnavailableException"/> class.</summary>
    /// <param name="message">The message.</param>
    public IntegrationStoreUnavailableException(string message) : base(message) { }

    /// <summary>Initializes a new instance of the <see cref="IntegrationStoreUnavailableException"/> class.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public IntegrationStoreUnavailableException(string message, Exception innerException) : base(message, innerException) { }
}
