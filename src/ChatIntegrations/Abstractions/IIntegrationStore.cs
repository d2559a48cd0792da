namespace ChatIntegrations;

/// <summary>
/// Stores integrations (and, with later capabilities, deliveries and history).
/// </summary>
/// <remarks>
/// Implementations must support concurrent calls. An implementation that cannot reach its backing store throws
/// <see cref="IntegrationStoreUnavailableException"/>; the engine turns that into the GEN-14 answers.
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
