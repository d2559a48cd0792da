namespace ChatIntegrations.Storage.Tests;

/// <summary>The batched completion of the durable stores (the internal <c>IDeliveryCompletionStore</c>), checked the
/// same way on SQLite and PostgreSQL: per item as <c>CompleteAsync</c> + <c>SaveHistoryAsync</c> (DLV-33, DLV-20), and
/// all or nothing (DLV-34).</summary>
public static class CompletionBatchChecks
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    public delegate ValueTask<bool[]> Batch(IReadOnlyList<(DeliveryUpdate Update, HistoryRecord? History, string? Document)> items, CancellationToken cancellationToken);

    /// <summary>Current tokens are applied with their records; a stale token changes nothing and its record is not
    /// written.</summary>
    public static async Task CurrentAndStaleTokensAsync(IIntegrationStore store, Batch batch, CancellationToken ct)
    {
        await store.EnqueueAsync([Some.Delivery("d1"), Some.Delivery("d2"), Some.Delivery("d3")], 100, ct);
        var claimed = (await store.ClaimDueAsync("node-a", Some.T0, Lease, 3, ct)).ToDictionary(d => d.Id);
        var done = Some.T0.AddSeconds(2);
        var retryAt = Some.T0.AddSeconds(10);
        var h1 = Some.History("h1", deliveryId: "d1");
        var h2 = Some.History("h2", deliveryId: "d2");
        var h3 = Some.History("h3", deliveryId: "d3");
        var accepted = await batch(
        [
            (new DeliveryUpdate { DeliveryId = "d1", LeaseToken = claimed["d1"].LeaseToken!, State = DeliveryState.Succeeded, Attempts = 1, NextAttemptAt = Some.T0, UpdatedAt = done }, h1, h1.Document.ToJsonString()),
            (new DeliveryUpdate { DeliveryId = "d2", LeaseToken = claimed["d2"].LeaseToken!, State = DeliveryState.Pending, Attempts = 1, NextAttemptAt = retryAt, PreparedRequest = "{}", PreparedVersion = 3, UpdatedAt = done }, h2, null),
            (new DeliveryUpdate { DeliveryId = "d3", LeaseToken = "stale-token", State = DeliveryState.Succeeded, Attempts = 1, UpdatedAt = done }, h3, null),
        ], ct);

        accepted.Should().Equal(true, true, false);
        (await store.GetDeliveryAsync("d1", ct)).Should().Be(claimed["d1"] with
        {
            State = DeliveryState.Succeeded, Attempts = 1, LeaseOwner = null, LeaseToken = null, LeaseExpiresAt = null, UpdatedAt = done,
        });
        (await store.GetDeliveryAsync("d2", ct)).Should().Be(claimed["d2"] with
        {
            State = DeliveryState.Pending, Attempts = 1, NextAttemptAt = retryAt, PreparedRequest = "{}", PreparedVersion = 3,
            LeaseOwner = null, LeaseToken = null, LeaseExpiresAt = null, UpdatedAt = done,
        });
        (await store.GetDeliveryAsync("d3", ct)).Should().Be(claimed["d3"], "DLV-33: a stale holder's update changes nothing");
        (await store.GetNextDueAsync(ct)).Should().Be(retryAt < claimed["d3"].LeaseExpiresAt ? retryAt : claimed["d3"].LeaseExpiresAt);

        (await store.GetHistoryAsync("int-1", "h1", ct))!.Document.ToJsonString().Should().Be(h1.Document.ToJsonString());
        (await store.GetHistoryAsync("int-1", "h2", ct))!.Document.ToJsonString().Should().Be(h2.Document.ToJsonString());
        (await store.GetHistoryAsync("int-1", "h3", ct)).Should().BeNull("DLV-33: no record for a rejected update");
    }

    /// <summary>When one item fails in the database, the whole batch is rolled back: the deliveries stay leased (their
    /// leases expire, DLV-34) and no record is written.</summary>
    public static async Task FailingItemAppliesNothingAsync(IIntegrationStore store, Batch batch, CancellationToken ct)
    {
        await store.EnqueueAsync([Some.Delivery("d1"), Some.Delivery("d2")], 100, ct);
        var claimed = (await store.ClaimDueAsync("node-a", Some.T0, Lease, 2, ct)).ToDictionary(d => d.Id);
        var good = Some.History("h1", deliveryId: "d1");
        var broken = Some.History("h2", deliveryId: "d2") with { IntegrationId = null! }; // violates NOT NULL in the database
        var act = async () => await batch(
        [
            (new DeliveryUpdate { DeliveryId = "d1", LeaseToken = claimed["d1"].LeaseToken!, State = DeliveryState.Succeeded, Attempts = 1, UpdatedAt = Some.T0 }, good, null),
            (new DeliveryUpdate { DeliveryId = "d2", LeaseToken = claimed["d2"].LeaseToken!, State = DeliveryState.Succeeded, Attempts = 1, UpdatedAt = Some.T0 }, broken, "{}"),
        ], ct);

        await act.Should().ThrowAsync<Exception>();
        (await store.GetDeliveryAsync("d1", ct)).Should().Be(claimed["d1"], "the batch is one transaction");
        (await store.GetDeliveryAsync("d2", ct)).Should().Be(claimed["d2"]);
        (await store.GetHistoryAsync("int-1", "h1", ct)).Should().BeNull();
    }

    /// <summary>A batch may not leave a delivery leased, nor complete one delivery twice.</summary>
    public static async Task InvalidBatchThrowsAsync(IIntegrationStore store, Batch batch, CancellationToken ct)
    {
        await store.EnqueueAsync([Some.Delivery("d1")], 100, ct);
        var d = (await store.ClaimDueAsync("node-a", Some.T0, Lease, 1, ct)).Single();
        var leased = async () => await batch([(new DeliveryUpdate { DeliveryId = "d1", LeaseToken = d.LeaseToken!, State = DeliveryState.Leased }, null, null)], ct);
        await leased.Should().ThrowAsync<ArgumentException>();
        var twice = async () => await batch(
        [
            (new DeliveryUpdate { DeliveryId = "d1", LeaseToken = d.LeaseToken!, State = DeliveryState.Succeeded }, null, null),
            (new DeliveryUpdate { DeliveryId = "d1", LeaseToken = d.LeaseToken!, State = DeliveryState.Failed }, null, null),
        ], ct);
        await twice.Should().ThrowAsync<ArgumentException>();
        (await store.GetDeliveryAsync("d1", ct)).Should().Be(d);
        (await batch([], ct)).Should().BeEmpty();
    }
}
