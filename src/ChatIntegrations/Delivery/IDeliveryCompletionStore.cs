namespace ChatIntegrations.Delivery;

/// <summary>An optional, internal capability of the built-in stores: completes several leased deliveries, each with the
/// history record of its attempt, in one transaction (one lock, one commit, one round trip), instead of one
/// <see cref="IIntegrationStore.CompleteAsync"/> and one <see cref="IIntegrationStore.SaveHistoryAsync"/> per
/// delivery. <see cref="DeliveryCompletionQueue"/> feeds it.</summary>
/// <remarks>Per item, the same guarantees as the two calls: the update is conditioned on the lease token (DLV-33), and
/// the history record is written only when that update was accepted. The batch is atomic: when the call throws, no
/// item was applied (the deliveries stay leased, and their leases expire, DLV-34); when it returns, every accepted item
/// is durably committed together with its record. Thread-safe.</remarks>
internal interface IDeliveryCompletionStore
{
    /// <summary>Applies each item's <c>Update</c> and, when it was accepted and <c>History</c> is not null, saves
    /// <c>History</c> (insert or replace; <c>Document</c>, when not null, is its document already serialised). Returns,
    /// per item and in order, whether the update was accepted.</summary>
    /// <exception cref="ArgumentException">An update has the state <see cref="DeliveryState.Leased"/>, or two items
    /// complete the same delivery.</exception>
    /// <exception cref="IntegrationStoreUnavailableException">The store cannot serve now; nothing was applied.</exception>
    ValueTask<bool[]> CompleteBatchAsync(IReadOnlyList<(DeliveryUpdate Update, HistoryRecord? History, string? Document)> items,
        CancellationToken cancellationToken = default);
}
