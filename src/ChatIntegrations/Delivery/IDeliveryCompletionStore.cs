namespace ChatIntegrations.Delivery;

/// <summary>An optional, internal capability of the built-in stores: completes a leased delivery and saves the history
/// record of the attempt in one transaction (one round trip), instead of <see cref="IIntegrationStore.CompleteAsync"/>
/// followed by <see cref="IIntegrationStore.SaveHistoryAsync"/>.</summary>
/// <remarks>Same guarantees as the two calls: the update is conditioned on the lease token (DLV-33), and the history
/// record is written only when that update was accepted; nothing is written otherwise. Both commit together before the
/// call returns.</remarks>
internal interface IDeliveryCompletionStore
{
    /// <summary>Applies <paramref name="update"/> and, when it was accepted and <paramref name="history"/> is not
    /// null, saves <paramref name="history"/> (insert or replace). Returns whether the update was accepted.</summary>
    ValueTask<bool> CompleteWithHistoryAsync(DeliveryUpdate update, HistoryRecord? history, CancellationToken cancellationToken = default);
}
