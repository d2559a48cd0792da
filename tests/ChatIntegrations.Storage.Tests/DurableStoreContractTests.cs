namespace ChatIntegrations.Storage.Tests;

/// <summary>The contract of the durable stores (SQLite, PostgreSQL): everything every store does, plus the batched
/// completion of finished attempts (the internal <c>IDeliveryCompletionStore</c>, see <see cref="CompletionBatchChecks"/>).</summary>
public abstract class DurableStoreContractTests : IntegrationStoreContractTests
{
    private static CancellationToken Ct => TestContext.CurrentContext.CancellationToken;

    /// <summary>Opens an empty store for one test, with its batched completion.</summary>
    protected abstract (IIntegrationStore Store, CompletionBatchChecks.Batch Batch) OpenBatched();

    [Test]
    public async Task CompleteBatchAsync_CurrentAndStaleTokens_AppliesCurrentOnesWithTheirRecordsOnly()
    {
        // DLV-33, DLV-20: per item, as CompleteAsync followed by SaveHistoryAsync.
        var (store, batch) = OpenBatched();
        await CompletionBatchChecks.CurrentAndStaleTokensAsync(store, batch, Ct);
    }

    [Test]
    public async Task CompleteBatchAsync_OneItemFailsInTheDatabase_AppliesNothingAndLeavesDeliveriesLeased()
    {
        // DLV-34: a failed batch leaves its deliveries leased; their leases expire and they are attempted again.
        var (store, batch) = OpenBatched();
        await CompletionBatchChecks.FailingItemAppliesNothingAsync(store, batch, Ct);
    }

    [Test]
    public async Task CompleteBatchAsync_LeasedStateOrSameDeliveryTwice_ThrowsArgumentExceptionAndChangesNothing()
    {
        // DLV-4, DLV-5
        var (store, batch) = OpenBatched();
        await CompletionBatchChecks.InvalidBatchThrowsAsync(store, batch, Ct);
    }
}
