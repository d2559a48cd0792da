namespace ChatIntegrations.Delivery;

/// <summary>DLV-6: one read of an integration, shared by the deliveries of that integration that one claim returned.
/// The read starts when the first of them needs it, so after their claim and before any of their attempts runs;
/// every attempt therefore still follows what changed before it was claimed.</summary>
/// <remarks>Thread-safe. A failed read fails every attempt that shares it, as a read of its own would have.</remarks>
internal sealed class SharedIntegrationRead
{
    private readonly Lazy<Task<Integration?>> _read;

    public SharedIntegrationRead(IIntegrationStore store, string integrationId, CancellationToken cancellationToken)
    {
        IntegrationId = integrationId;
        _read = new Lazy<Task<Integration?>>(() => store.GetAsync(integrationId, cancellationToken).AsTask(), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public string IntegrationId { get; }

    /// <summary>Gets the integration (null when deleted); <paramref name="cancellationToken"/> stops this caller's
    /// wait, not the shared read.</summary>
    public Task<Integration?> GetAsync(CancellationToken cancellationToken) => _read.Value.WaitAsync(cancellationToken);
}
