using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json.Nodes;

namespace ChatIntegrations.Storage.Tests;

/// <summary>The behaviour every <see cref="IIntegrationStore"/> must have, run against each implementation.</summary>
[CancelAfter(60_000)]
public abstract class IntegrationStoreContractTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    /// <summary>Creates an empty store for one test.</summary>
    protected abstract Task<IIntegrationStore> CreateStoreAsync();

    /// <summary>Opens a second store on the same data (another process or node); the in-memory store shares the
    /// instance.</summary>
    protected virtual Task<IIntegrationStore> OpenSecondStoreAsync(IIntegrationStore first) => Task.FromResult(first);

    private static CancellationToken Ct => TestContext.CurrentContext.CancellationToken;

    // ---- integrations (GEN-5, GEN-11) ---------------------------------------------------------------------------

    [Test]
    public async Task GetAsync_Missing_ReturnsNull()
    {
        // GEN-5
        var store = await CreateStoreAsync();
        (await store.GetAsync("nope", Ct)).Should().BeNull();
    }

    [Test]
    public async Task TryAddAsync_NewId_RoundTripsEveryProperty()
    {
        // GEN-5, GEN-8: all properties of Integration survive storage.
        var store = await CreateStoreAsync();
        var full = Some.FullIntegration();
        (await store.TryAddAsync(full, Ct)).Should().BeTrue();
        var read = await store.GetAsync(full.Id, Ct);
        read.Should().BeEquivalentTo(full, o => o.ComparingByMembers<Integration>().ComparingByMembers<RateLimitSettings>()
            .Using<DateTimeOffset>(c => c.Subject.Should().Be(c.Expectation).And.HaveOffset(c.Expectation.Offset)).WhenTypeIs<DateTimeOffset>());
        read!.CreatedAt.Ticks.Should().Be(full.CreatedAt.Ticks);
    }

    [Test]
    public void FullIntegration_EveryProperty_DiffersFromDefault()
    {
        // GEN-5: keeps the round-trip test honest when Integration gains a property.
        var full = Some.FullIntegration();
        var plain = new Integration { Id = "x", Type = IntegrationType.Incoming, Token = "t" };
        foreach (var p in typeof(Integration).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var a = p.GetValue(full);
            var b = p.GetValue(plain);
            var same = a is System.Collections.IEnumerable ea and not string && b is System.Collections.IEnumerable eb and not string
                ? ea.Cast<object>().SequenceEqual(eb.Cast<object>())
                : Equals(a, b);
            same.Should().BeFalse($"Some.FullIntegration must set {p.Name} to a non-default value");
        }
    }

    [Test]
    public async Task TryAddAsync_DuplicateId_ReturnsFalseAndKeepsFirst()
    {
        // GEN-5
        var store = await CreateStoreAsync();
        (await store.TryAddAsync(Some.Integration(name: "first"), Ct)).Should().BeTrue();
        (await store.TryAddAsync(Some.Integration(name: "second"), Ct)).Should().BeFalse();
        (await store.GetAsync("int-1", Ct))!.Name.Should().Be("first");
    }

    [Test]
    public async Task TryUpdateAsync_ExpectedVersionMatches_ReplacesSnapshot()
    {
        // GEN-5: optimistic versions.
        var store = await CreateStoreAsync();
        await store.TryAddAsync(Some.Integration(), Ct);
        var v2 = Some.Integration(name: "renamed", version: 2, enabled: false, updatedAt: Some.T0.AddMinutes(1));
        (await store.TryUpdateAsync(v2, expectedVersion: 1, Ct)).Should().BeTrue();
        var read = (await store.GetAsync("int-1", Ct))!;
        read.Name.Should().Be("renamed");
        read.Version.Should().Be(2);
        read.Enabled.Should().BeFalse();
    }

    [Test]
    public async Task TryUpdateAsync_StaleVersion_ReturnsFalseAndKeepsCurrent()
    {
        // GEN-5
        var store = await CreateStoreAsync();
        await store.TryAddAsync(Some.Integration(), Ct);
        await store.TryUpdateAsync(Some.Integration(name: "v2", version: 2), 1, Ct);
        (await store.TryUpdateAsync(Some.Integration(name: "lost", version: 2), 1, Ct)).Should().BeFalse();
        (await store.GetAsync("int-1", Ct))!.Name.Should().Be("v2");
    }

    [Test]
    public async Task TryUpdateAsync_Missing_ReturnsFalse()
    {
        // GEN-5
        var store = await CreateStoreAsync();
        (await store.TryUpdateAsync(Some.Integration(version: 2), 1, Ct)).Should().BeFalse();
        (await store.GetAsync("int-1", Ct)).Should().BeNull();
    }

    [Test]
    public async Task DeleteAsync_ExistingThenMissing_ReturnsTrueThenFalse()
    {
        // GEN-5
        var store = await CreateStoreAsync();
        await store.TryAddAsync(Some.Integration(), Ct);
        (await store.DeleteAsync("int-1", Ct)).Should().BeTrue();
        (await store.DeleteAsync("int-1", Ct)).Should().BeFalse();
        (await store.GetAsync("int-1", Ct)).Should().BeNull();
    }

    [Test]
    public async Task ListAsync_Filters_MatchTypeNameSubstringCaseInsensitiveAndEnabled()
    {
        // GEN-11
        var store = await CreateStoreAsync();
        await store.TryAddAsync(Some.Integration("a", "Deploy Bot", IntegrationType.Outgoing, enabled: true), Ct);
        await store.TryAddAsync(Some.Integration("b", "deploy hook", IntegrationType.Incoming, enabled: true), Ct);
        await store.TryAddAsync(Some.Integration("c", "Alerts", IntegrationType.Outgoing, enabled: false), Ct);
        await store.TryAddAsync(Some.Integration("d", "ÜNÏCODE report", IntegrationType.Incoming, enabled: false), Ct);

        async Task<string[]> Ids(IntegrationQuery q) => (await store.ListAsync(q, Ct)).Items.Select(i => i.Id).Order(StringComparer.Ordinal).ToArray();
        (await Ids(new IntegrationQuery())).Should().Equal("a", "b", "c", "d");
        (await Ids(new IntegrationQuery { Type = IntegrationType.Outgoing })).Should().Equal("a", "c");
        (await Ids(new IntegrationQuery { Name = "DEPLOY" })).Should().Equal("a", "b");
        (await Ids(new IntegrationQuery { Name = "oy h" })).Should().Equal("b");
        (await Ids(new IntegrationQuery { Name = "ünïcode" })).Should().Equal("d");
        (await Ids(new IntegrationQuery { Name = "%" })).Should().BeEmpty();
        (await Ids(new IntegrationQuery { Enabled = false })).Should().Equal("c", "d");
        (await Ids(new IntegrationQuery { Type = IntegrationType.Incoming, Enabled = true, Name = "hook" })).Should().Equal("b");
        (await store.ListAsync(new IntegrationQuery { Type = IntegrationType.Omnichannel }, Ct)).Total.Should().Be(0);
    }

    [Test]
    public async Task ListAsync_Paging_SortsByUpdatedAtDescendingThenIdAndCountsTotal()
    {
        // GEN-11
        var store = await CreateStoreAsync();
        await store.TryAddAsync(Some.Integration("b", updatedAt: Some.T0.AddMinutes(1)), Ct);
        await store.TryAddAsync(Some.Integration("a", updatedAt: Some.T0.AddMinutes(1)), Ct);
        await store.TryAddAsync(Some.Integration("c", updatedAt: Some.T0.AddMinutes(2)), Ct);
        await store.TryAddAsync(Some.Integration("d", updatedAt: Some.T0), Ct);
        await store.TryAddAsync(Some.Integration("x", IntegrationType.Incoming.ToString(), IntegrationType.Incoming, updatedAt: Some.T0.AddMinutes(9)), Ct);

        var first = await store.ListAsync(new IntegrationQuery { Type = IntegrationType.Outgoing, Count = 2 }, Ct);
        first.Items.Select(i => i.Id).Should().Equal("c", "a");
        first.Total.Should().Be(4);
        var second = await store.ListAsync(new IntegrationQuery { Type = IntegrationType.Outgoing, Offset = 2, Count = 2 }, Ct);
        second.Items.Select(i => i.Id).Should().Equal("b", "d");
        second.Total.Should().Be(4);
    }

    [Test]
    public async Task ListAsync_OffsetBeyondEnd_ReturnsEmptyPageWithTotal()
    {
        // GEN-11
        var store = await CreateStoreAsync();
        await store.TryAddAsync(Some.Integration("a"), Ct);
        var page = await store.ListAsync(new IntegrationQuery { Offset = 10 }, Ct);
        page.Items.Should().BeEmpty();
        page.Total.Should().Be(1);
    }

    // ---- enqueue (DLV-1, DLV-2, DLV-38) -------------------------------------------------------------------------

    [Test]
    public async Task EnqueueAsync_UnderBound_StoresEveryField()
    {
        // DLV-1, DLV-2
        var store = await CreateStoreAsync();
        var d = Some.Delivery("dlv-1") with
        {
            Kind = DeliveryKind.Omnichannel,
            IntegrationId = "omnichannel",
            PreparedRequest = """{"method":"POST"}""",
            PreparedVersion = 2,
            Attempts = 1,
            ReplayOf = "dlv-0",
            Event = null,
            TriggerWord = null,
            NextAttemptAt = Some.T0.AddSeconds(5),
            CreatedAt = Some.T0.AddSeconds(-1),
            UpdatedAt = Some.T0.AddSeconds(1),
        };
        (await store.EnqueueAsync([d, Some.Delivery("dlv-2")], 100, Ct)).Should().BeTrue();
        (await store.GetDeliveryAsync("dlv-1", Ct)).Should().Be(d);
        (await store.GetDeliveryAsync("dlv-2", Ct)).Should().Be(Some.Delivery("dlv-2"));
    }

    [Test]
    public async Task GetDeliveryAsync_Missing_ReturnsNull()
    {
        // DLV-1
        var store = await CreateStoreAsync();
        (await store.GetDeliveryAsync("dlv-none", Ct)).Should().BeNull();
    }

    [Test]
    public async Task EnqueueAsync_QueueFull_ReturnsFalseAndStoresNothing()
    {
        // DLV-38: all or nothing.
        var store = await CreateStoreAsync();
        (await store.EnqueueAsync([Some.Delivery("d1"), Some.Delivery("d2"), Some.Delivery("d3")], 3, Ct)).Should().BeTrue();
        (await store.EnqueueAsync([Some.Delivery("d4"), Some.Delivery("d5")], 3, Ct)).Should().BeFalse();
        (await store.GetDeliveryAsync("d4", Ct)).Should().BeNull();
        (await store.GetDeliveryAsync("d5", Ct)).Should().BeNull();
    }

    [Test]
    public async Task EnqueueAsync_LeasedCountsFinishedDoesNot_AgainstBound()
    {
        // DLV-38: the bound counts unfinished (pending and leased) deliveries.
        var store = await CreateStoreAsync();
        await store.EnqueueAsync([Some.Delivery("d1"), Some.Delivery("d2")], 10, Ct);
        var claimed = await store.ClaimDueAsync("node-a", Some.T0, Lease, 1, Ct);
        (await store.EnqueueAsync([Some.Delivery("d3")], 2, Ct)).Should().BeFalse("one pending and one leased fill a bound of 2");
        await store.CompleteAsync(new DeliveryUpdate { DeliveryId = claimed[0].Id, LeaseToken = claimed[0].LeaseToken!, State = DeliveryState.Succeeded, Attempts = 1, UpdatedAt = Some.T0 }, Ct);
        (await store.EnqueueAsync([Some.Delivery("d3")], 2, Ct)).Should().BeTrue();
    }

    [Test]
    public async Task EnqueueAsync_TwoNodesEnqueueOneByOneUpToTheBound_StoresExactlyTheBoundAndFreedRoomIsReused()
    {
        // DLV-38 stays exact whatever shortcut a store takes to avoid counting the queue on every enqueue: two nodes
        // (two store instances on the same data) fill the bound one delivery at a time, and room freed by a finished
        // delivery is seen at once.
        var a = await CreateStoreAsync();
        var b = await OpenSecondStoreAsync(a);
        for (var n = 0; n < 6; n++)
        {
            (await (n % 2 == 0 ? a : b).EnqueueAsync([Some.Delivery("d" + n)], 6, Ct)).Should().BeTrue($"d{n} is within the bound of 6");
        }

        (await a.EnqueueAsync([Some.Delivery("d6")], 6, Ct)).Should().BeFalse();
        (await b.EnqueueAsync([Some.Delivery("d6")], 6, Ct)).Should().BeFalse();
        (await a.GetDeliveryAsync("d6", Ct)).Should().BeNull();

        var claimed = await b.ClaimDueAsync("node-b", Some.T0, Lease, 2, Ct);
        await b.CompleteAsync(new DeliveryUpdate { DeliveryId = claimed[0].Id, LeaseToken = claimed[0].LeaseToken!, State = DeliveryState.Failed, Attempts = 1, UpdatedAt = Some.T0 }, Ct);
        (await a.EnqueueAsync([Some.Delivery("d6")], 6, Ct)).Should().BeTrue("one delivery finished");
        (await b.EnqueueAsync([Some.Delivery("d7")], 6, Ct)).Should().BeFalse("the freed room is taken");
        (await a.EnqueueAsync([Some.Delivery("d7")], 7, Ct)).Should().BeTrue("a larger bound applies at once");
        (await a.EnqueueAsync([Some.Delivery("d8"), Some.Delivery("d9")], 7, Ct)).Should().BeFalse();
        await b.CompleteAsync(new DeliveryUpdate { DeliveryId = claimed[1].Id, LeaseToken = claimed[1].LeaseToken!, State = DeliveryState.Cancelled, Attempts = 0, UpdatedAt = Some.T0 }, Ct);
        (await b.EnqueueAsync([Some.Delivery("d8"), Some.Delivery("d9")], 7, Ct)).Should().BeTrue("below the bound, a batch may end above it (all or nothing)");
        (await a.EnqueueAsync([Some.Delivery("d10")], 8, Ct)).Should().BeFalse("8 unfinished fill a bound of 8");
    }

    [Test]
    public async Task EnqueueAsync_DuplicateId_ThrowsAndStoresNothingOfTheBatch()
    {
        // DLV-2, DLV-38: a failed batch leaves no partial rows.
        var store = await CreateStoreAsync();
        await store.EnqueueAsync([Some.Delivery("d1")], 10, Ct);
        var act = async () => await store.EnqueueAsync([Some.Delivery("d2"), Some.Delivery("d1")], 10, Ct);
        await act.Should().ThrowAsync<InvalidOperationException>();
        (await store.GetDeliveryAsync("d2", Ct)).Should().BeNull();
    }

    // ---- claims and leases (DLV-31..DLV-34, DLV-39) -------------------------------------------------------------

    [Test]
    public async Task ClaimDueAsync_DueDeliveries_ClaimsOldestFirstWithLeaseFields()
    {
        // DLV-31
        var store = await CreateStoreAsync();
        await store.EnqueueAsync([
            Some.Delivery("d-late", Some.T0.AddSeconds(3)),
            Some.Delivery("d-b", Some.T0.AddSeconds(1)),
            Some.Delivery("d-a", Some.T0.AddSeconds(1)),
            Some.Delivery("d-first", Some.T0),
            Some.Delivery("d-future", Some.T0.AddHours(1)),
        ], 100, Ct);
        var now = Some.T0.AddSeconds(10);
        var claimed = await store.ClaimDueAsync("node-a", now, Lease, 10, Ct);
        claimed.Select(d => d.Id).Should().Equal("d-first", "d-a", "d-b", "d-late");
        foreach (var d in claimed)
        {
            d.State.Should().Be(DeliveryState.Leased);
            d.LeaseOwner.Should().Be("node-a");
            d.LeaseExpiresAt.Should().Be(now + Lease);
            d.LeaseToken.Should().NotBeNullOrEmpty();
            d.Attempts.Should().Be(0);
            d.UpdatedAt.Should().Be(now);
            (await store.GetDeliveryAsync(d.Id, Ct)).Should().Be(d, "the claim returns the rows as stored");
        }

        claimed.Select(d => d.LeaseToken).Should().OnlyHaveUniqueItems();
        (await store.GetDeliveryAsync("d-future", Ct))!.State.Should().Be(DeliveryState.Pending);
    }

    [Test]
    public async Task ClaimDueAsync_MaxCount_ClaimsAtMostThatMany()
    {
        // DLV-31, DLV-39: at most MaxConcurrency at a time.
        var store = await CreateStoreAsync();
        await store.EnqueueAsync(Enumerable.Range(0, 5).Select(i => Some.Delivery($"d{i}", Some.T0.AddSeconds(i))).ToList(), 100, Ct);
        (await store.ClaimDueAsync("n", Some.T0.AddMinutes(1), Lease, 2, Ct)).Select(d => d.Id).Should().Equal("d0", "d1");
        (await store.ClaimDueAsync("n", Some.T0.AddMinutes(1), Lease, 2, Ct)).Select(d => d.Id).Should().Equal("d2", "d3");
    }

    [Test]
    public async Task ClaimDueAsync_NothingDue_ReturnsEmpty()
    {
        // DLV-18, DLV-31: a delivery is due at NextAttemptAt, not before.
        var store = await CreateStoreAsync();
        await store.EnqueueAsync([Some.Delivery("d1", Some.T0.AddSeconds(1))], 100, Ct);
        (await store.ClaimDueAsync("n", Some.T0.AddMilliseconds(999), Lease, 10, Ct)).Should().BeEmpty();
        (await store.ClaimDueAsync("n", Some.T0.AddSeconds(1), Lease, 10, Ct)).Should().ContainSingle();
    }

    [Test]
    public async Task ClaimDueAsync_LeaseExpired_ReclaimsWithNewTokenAndNoExtraAttempt()
    {
        // DLV-34
        var store = await CreateStoreAsync();
        await store.EnqueueAsync([Some.Delivery("d1") with { Attempts = 2 }], 100, Ct);
        var first = (await store.ClaimDueAsync("node-a", Some.T0, Lease, 10, Ct)).Single();
        (await store.ClaimDueAsync("node-b", Some.T0 + Lease - TimeSpan.FromMilliseconds(1), Lease, 10, Ct)).Should().BeEmpty("the lease still holds");
        var second = (await store.ClaimDueAsync("node-b", Some.T0 + Lease, Lease, 10, Ct)).Single();
        second.LeaseOwner.Should().Be("node-b");
        second.LeaseToken.Should().NotBe(first.LeaseToken);
        second.LeaseExpiresAt.Should().Be(Some.T0 + Lease + Lease);
        second.Attempts.Should().Be(2);
    }

    [Test]
    public async Task RenewLeaseAsync_CurrentToken_ExtendsLease()
    {
        // DLV-32
        var store = await CreateStoreAsync();
        await store.EnqueueAsync([Some.Delivery("d1")], 100, Ct);
        var d = (await store.ClaimDueAsync("node-a", Some.T0, Lease, 1, Ct)).Single();
        var until = Some.T0.AddMinutes(5);
        (await store.RenewLeaseAsync(d.Id, d.LeaseToken!, until, Ct)).Should().BeTrue();
        (await store.GetDeliveryAsync(d.Id, Ct))!.LeaseExpiresAt.Should().Be(until);
        (await store.ClaimDueAsync("node-b", Some.T0 + Lease, Lease, 1, Ct)).Should().BeEmpty("the renewed lease has not expired");
        (await store.GetNextDueAsync(Ct)).Should().Be(until);
    }

    [Test]
    public async Task RenewLeaseAsync_StaleHolderAfterTakeover_ReturnsFalse()
    {
        // DLV-33
        var store = await CreateStoreAsync();
        await store.EnqueueAsync([Some.Delivery("d1")], 100, Ct);
        var stale = (await store.ClaimDueAsync("node-a", Some.T0, Lease, 1, Ct)).Single();
        var current = (await store.ClaimDueAsync("node-b", Some.T0 + Lease, Lease, 1, Ct)).Single();
        (await store.RenewLeaseAsync(stale.Id, stale.LeaseToken!, Some.T0.AddHours(1), Ct)).Should().BeFalse();
        (await store.GetDeliveryAsync("d1", Ct))!.LeaseExpiresAt.Should().Be(current.LeaseExpiresAt);
        (await store.RenewLeaseAsync("d1", "not-a-token", Some.T0.AddHours(1), Ct)).Should().BeFalse();
        (await store.RenewLeaseAsync("dlv-missing", "x", Some.T0.AddHours(1), Ct)).Should().BeFalse();
    }

    [Test]
    public async Task CompleteAsync_CurrentToken_AppliesOutcomeAndReleasesLease()
    {
        // DLV-4, DLV-33
        var store = await CreateStoreAsync();
        await store.EnqueueAsync([Some.Delivery("d1")], 100, Ct);
        var d = (await store.ClaimDueAsync("node-a", Some.T0, Lease, 1, Ct)).Single();
        var done = Some.T0.AddSeconds(3);
        (await store.CompleteAsync(new DeliveryUpdate
        {
            DeliveryId = d.Id, LeaseToken = d.LeaseToken!, State = DeliveryState.Failed, Attempts = 7,
            NextAttemptAt = done, PreparedRequest = """{"url":"x"}""", PreparedVersion = 3, UpdatedAt = done,
        }, Ct)).Should().BeTrue();
        var read = (await store.GetDeliveryAsync(d.Id, Ct))!;
        read.Should().Be(d with
        {
            State = DeliveryState.Failed, Attempts = 7, NextAttemptAt = done, PreparedRequest = """{"url":"x"}""", PreparedVersion = 3,
            LeaseOwner = null, LeaseToken = null, LeaseExpiresAt = null, UpdatedAt = done,
        });
        (await store.GetNextDueAsync(Ct)).Should().BeNull("a finished delivery is never due");
        (await store.CompleteAsync(new DeliveryUpdate { DeliveryId = d.Id, LeaseToken = d.LeaseToken!, State = DeliveryState.Succeeded }, Ct))
            .Should().BeFalse("the lease was released");
    }

    [Test]
    public async Task CompleteAsync_PendingWithRetry_IsDueAgainAtNextAttempt()
    {
        // DLV-18: retries are scheduled through the store.
        var store = await CreateStoreAsync();
        await store.EnqueueAsync([Some.Delivery("d1")], 100, Ct);
        var d = (await store.ClaimDueAsync("node-a", Some.T0, Lease, 1, Ct)).Single();
        var retryAt = Some.T0.AddSeconds(10);
        await store.CompleteAsync(new DeliveryUpdate { DeliveryId = d.Id, LeaseToken = d.LeaseToken!, State = DeliveryState.Pending, Attempts = 1, NextAttemptAt = retryAt, UpdatedAt = Some.T0 }, Ct);
        (await store.GetNextDueAsync(Ct)).Should().Be(retryAt);
        (await store.ClaimDueAsync("node-a", retryAt.AddMilliseconds(-1), Lease, 1, Ct)).Should().BeEmpty();
        (await store.ClaimDueAsync("node-a", retryAt, Lease, 1, Ct)).Single().Attempts.Should().Be(1);
    }

    [Test]
    public async Task CompleteAsync_StaleHolderAfterTakeover_IsRejectedAndChangesNothing()
    {
        // DLV-33: the node whose lease expired drops its result.
        var store = await CreateStoreAsync();
        await store.EnqueueAsync([Some.Delivery("d1")], 100, Ct);
        var stale = (await store.ClaimDueAsync("node-a", Some.T0, Lease, 1, Ct)).Single();
        var current = (await store.ClaimDueAsync("node-b", Some.T0 + Lease, Lease, 1, Ct)).Single();
        (await store.CompleteAsync(new DeliveryUpdate { DeliveryId = "d1", LeaseToken = stale.LeaseToken!, State = DeliveryState.Succeeded, Attempts = 1, UpdatedAt = Some.T0.AddHours(1) }, Ct))
            .Should().BeFalse();
        (await store.GetDeliveryAsync("d1", Ct)).Should().Be(current);
        (await store.CompleteAsync(new DeliveryUpdate { DeliveryId = "d1", LeaseToken = current.LeaseToken!, State = DeliveryState.Succeeded, Attempts = 1, UpdatedAt = Some.T0.AddHours(1) }, Ct))
            .Should().BeTrue();
    }

    [Test]
    public async Task CompleteAsync_StateLeased_ThrowsArgumentException()
    {
        // DLV-4: no transition leaves a completed delivery leased.
        var store = await CreateStoreAsync();
        var act = async () => await store.CompleteAsync(new DeliveryUpdate { DeliveryId = "d1", LeaseToken = "t", State = DeliveryState.Leased }, Ct);
        await act.Should().ThrowAsync<ArgumentException>();
    }

    [Test]
    public async Task ReleaseLeasesAsync_OwnLeases_ReturnsThemAsBeforeAndMakesThemDueNow()
    {
        // DLV-39: no attempt counted; other nodes' leases are untouched.
        var store = await CreateStoreAsync();
        await store.EnqueueAsync([Some.Delivery("d1") with { Attempts = 1 }, Some.Delivery("d2"), Some.Delivery("d3")], 100, Ct);
        var mine = await store.ClaimDueAsync("node-a", Some.T0, Lease, 2, Ct);
        var theirs = (await store.ClaimDueAsync("node-b", Some.T0, Lease, 1, Ct)).Single();
        var restart = Some.T0.AddSeconds(30);

        var released = await store.ReleaseLeasesAsync("node-a", restart, Ct);

        released.OrderBy(d => d.Id, StringComparer.Ordinal).Should().Equal(mine.OrderBy(d => d.Id, StringComparer.Ordinal));
        foreach (var d in mine)
        {
            (await store.GetDeliveryAsync(d.Id, Ct)).Should().Be(d with
            {
                State = DeliveryState.Pending, NextAttemptAt = restart, LeaseOwner = null, LeaseToken = null, LeaseExpiresAt = null, UpdatedAt = restart,
            });
        }

        (await store.GetDeliveryAsync(theirs.Id, Ct)).Should().Be(theirs);
        (await store.ReleaseLeasesAsync("node-a", restart, Ct)).Should().BeEmpty();
        (await store.ClaimDueAsync("node-a", restart, Lease, 10, Ct)).Select(d => d.Attempts).Should().BeEquivalentTo([1, 0]);
    }

    [Test]
    public async Task GetNextDueAsync_PendingAndLeased_ReturnsEarliestDueTime()
    {
        // DLV-18: a pending NextAttemptAt or a lease expiry, whichever is first; finished deliveries are ignored.
        var store = await CreateStoreAsync();
        (await store.GetNextDueAsync(Ct)).Should().BeNull();
        await store.EnqueueAsync([Some.Delivery("d1", Some.T0), Some.Delivery("d2", Some.T0.AddMinutes(10))], 100, Ct);
        (await store.GetNextDueAsync(Ct)).Should().Be(Some.T0);
        var d = (await store.ClaimDueAsync("n", Some.T0, TimeSpan.FromMinutes(1), 1, Ct)).Single();
        (await store.GetNextDueAsync(Ct)).Should().Be(Some.T0.AddMinutes(1));
        await store.CompleteAsync(new DeliveryUpdate { DeliveryId = d.Id, LeaseToken = d.LeaseToken!, State = DeliveryState.Cancelled, UpdatedAt = Some.T0 }, Ct);
        (await store.GetNextDueAsync(Ct)).Should().Be(Some.T0.AddMinutes(10));
    }

    [Test]
    public async Task ClaimDueAsync_TwoConcurrentClaimers_ClaimEachDeliveryExactlyOnce()
    {
        // DLV-31, DLV-35: claims are atomic, also between processes or nodes sharing the data.
        var first = await CreateStoreAsync();
        var second = await OpenSecondStoreAsync(first);
        const int total = 1000;
        (await first.EnqueueAsync(Enumerable.Range(0, total).Select(i => Some.Delivery($"d{i:D4}", Some.T0.AddMilliseconds(i % 50))).ToList(), 10 * total, Ct)).Should().BeTrue();
        var claims = new ConcurrentBag<(string Node, string Id)>();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        async Task Claimer(IIntegrationStore store, string node)
        {
            await start.Task;
            while (true)
            {
                var batch = await store.ClaimDueAsync(node, Some.T0.AddSeconds(1), TimeSpan.FromHours(1), 7, Ct);
                if (batch.Count == 0) return;
                foreach (var d in batch) claims.Add((node, d.Id));
            }
        }

        var a = Task.Factory.StartNew(() => Claimer(first, "node-a"), Ct, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
        var b = Task.Factory.StartNew(() => Claimer(second, "node-b"), Ct, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
        start.SetResult();
        await Task.WhenAll(a, b);

        claims.Should().HaveCount(total);
        claims.Select(c => c.Id).Should().OnlyHaveUniqueItems();
        foreach (var (node, id) in claims.Take(50)) (await first.GetDeliveryAsync(id, Ct))!.LeaseOwner.Should().Be(node);
    }

    // ---- pending deliveries and delivery figures (dashboard, issue 15) -------------------------------------------

    [Test]
    public async Task ListPendingDeliveriesAsync_PendingLeasedAndFinished_ListsUnfinishedOfIntegrationByNextAttemptAndPages()
    {
        // DLV-4: pending (queued or scheduled for a retry) and leased deliveries are unfinished; GEN-11 paging.
        var store = await CreateStoreAsync();
        await store.EnqueueAsync(
        [
            Some.Delivery("d-late", Some.T0.AddMinutes(30)),
            Some.Delivery("d-b", Some.T0.AddMinutes(5)),
            Some.Delivery("d-a", Some.T0.AddMinutes(5)),
            Some.Delivery("d-now", Some.T0),
            Some.Delivery("d-done", Some.T0.AddMinutes(1)),
            Some.Delivery("d-other", Some.T0, integrationId: "int-2"),
        ], 100, Ct);
        (await store.ClaimDueAsync("node-a", Some.T0, Lease, 2, Ct)).Select(d => d.Id).Should().Equal("d-now", "d-other");
        var done = (await store.ClaimDueAsync("node-a", Some.T0.AddMinutes(1), Lease, 1, Ct)).Single();
        done.Id.Should().Be("d-done");
        await store.CompleteAsync(new DeliveryUpdate { DeliveryId = done.Id, LeaseToken = done.LeaseToken!, State = DeliveryState.Succeeded, Attempts = 1, UpdatedAt = Some.T0.AddMinutes(1) }, Ct);

        var first = await store.ListPendingDeliveriesAsync("int-1", 0, 2, Ct);
        first.Total.Should().Be(4);
        first.Items.Select(d => d.Id).Should().Equal("d-now", "d-a");
        var now = first.Items[0];
        now.State.Should().Be(DeliveryState.Leased);
        now.LeaseOwner.Should().Be("node-a");
        now.LeaseExpiresAt.Should().Be(Some.T0 + Lease);
        now.Should().BeEquivalentTo(new
        {
            Kind = DeliveryKind.Outgoing,
            IntegrationId = "int-1",
            Event = "sendMessage",
            TriggerWord = "!deploy",
            Attempts = 0,
            NextAttemptAt = Some.T0,
            CreatedAt = Some.T0,
            LastError = (string?)null,
            LastErrorAt = (DateTimeOffset?)null,
        });
        var second = await store.ListPendingDeliveriesAsync("int-1", 2, 2, Ct);
        second.Items.Select(d => d.Id).Should().Equal("d-b", "d-late");
        second.Items.Should().AllSatisfy(d => d.State.Should().Be(DeliveryState.Pending));
        second.Items[1].Should().Match<PendingDelivery>(d => d.NextAttemptAt == Some.T0.AddMinutes(30) && d.LeaseOwner == null && d.LeaseExpiresAt == null);
        (await store.ListPendingDeliveriesAsync("int-1", 10, 2, Ct)).Should().Match<PendingDeliveryPage>(p => p.Items.Count == 0 && p.Total == 4);
        (await store.ListPendingDeliveriesAsync("int-2", 0, 25, Ct)).Items.Select(d => d.Id).Should().Equal("d-other");
        (await store.ListPendingDeliveriesAsync("nobody", 0, 25, Ct)).Total.Should().Be(0);
    }

    [Test]
    public async Task ListPendingDeliveriesAsync_RetryScheduledAfterFailedAttempts_ShowsNextAttemptAttemptsAndLatestError()
    {
        // DLV-14: a retryable failure puts the delivery back to pending with its next attempt time; DLV-20, DLV-22:
        // the error comes from the newest failed attempt record of that delivery (already redacted, SEC-16).
        var store = await CreateStoreAsync();
        await store.EnqueueAsync([Some.Delivery("d1", Some.T0), Some.Delivery("d2", Some.T0)], 100, Ct);
        var claimed = await store.ClaimDueAsync("node-a", Some.T0, Lease, 1, Ct);
        var d1 = claimed.Single();
        await store.CompleteAsync(new DeliveryUpdate { DeliveryId = d1.Id, LeaseToken = d1.LeaseToken!, State = DeliveryState.Pending, Attempts = 2, NextAttemptAt = Some.T0.AddMinutes(10), UpdatedAt = Some.T0.AddSeconds(3) }, Ct);
        await store.SaveHistoryAsync(Attempt("h1", d1.Id, Some.T0.AddSeconds(1), error: true, "going-to-retry-1", "ECONNREFUSED"), Ct);
        await store.SaveHistoryAsync(Attempt("h2", d1.Id, Some.T0.AddSeconds(3), error: true, "going-to-retry-2", "http-status-503"), Ct);
        await store.SaveHistoryAsync(Attempt("h3", d1.Id, Some.T0.AddSeconds(4), error: false, "cancelled-by-shutdown"), Ct);
        await store.SaveHistoryAsync(Attempt("h4", "d2", Some.T0.AddSeconds(5), error: true, "too-many-retries"), Ct);

        var page = await store.ListPendingDeliveriesAsync("int-1", 0, 10, Ct);
        page.Items.Select(d => d.Id).Should().Equal("d2", d1.Id);
        var retry = page.Items[1];
        retry.State.Should().Be(DeliveryState.Pending);
        retry.Attempts.Should().Be(2);
        retry.NextAttemptAt.Should().Be(Some.T0.AddMinutes(10));
        retry.UpdatedAt.Should().Be(Some.T0.AddSeconds(3));
        retry.LastError.Should().Be("http-status-503");
        retry.LastErrorAt.Should().Be(Some.T0.AddSeconds(3));
        page.Items[0].LastError.Should().Be("too-many-retries", "a record without errorReason gives its step");
    }

    [Test]
    public async Task GetDeliveryStatsAsync_AttemptRecords_GivesLatestFinishedOutcomeAndFailuresSinceCutOff()
    {
        // DLV-20, DLV-22: figures from the attempt records only; shutdown and restart records are no outcome (DLV-30,
        // DLV-39); unfinished records are no outcome; records without an attempt (queue-full, incoming) are ignored.
        var store = await CreateStoreAsync();
        var since = Some.T0.AddHours(1);
        await store.SaveHistoryAsync(Attempt("a-old-fail", "d1", Some.T0, error: true, "going-to-retry-1"), Ct);
        await store.SaveHistoryAsync(Attempt("a-fail-1", "d1", since, error: true, "going-to-retry-2"), Ct);
        await store.SaveHistoryAsync(Attempt("a-ok", "d2", since.AddMinutes(5), error: false, "after-process-send-message"), Ct);
        await store.SaveHistoryAsync(Attempt("a-fail-2", "d3", since.AddMinutes(6), error: true, "too-many-retries"), Ct);
        await store.SaveHistoryAsync(Attempt("a-cancelled", "d4", since.AddMinutes(7), error: false, "cancelled-by-shutdown"), Ct);
        await store.SaveHistoryAsync(Attempt("a-running", "d5", since.AddMinutes(8), error: false, "pre-http-call", finished: false), Ct);
        await store.SaveHistoryAsync(Attempt("no-attempt", null, since.AddMinutes(9), error: true, "queue-full"), Ct);
        await store.SaveHistoryAsync(Attempt("b-ok", "d6", since.AddMinutes(1), error: false, "after-http-call", integrationId: "int-2"), Ct);
        await store.SaveHistoryAsync(Attempt("b-ok-old", "d7", Some.T0, error: true, "too-many-retries", integrationId: "int-2"), Ct);

        var stats = await store.GetDeliveryStatsAsync(["int-1", "int-2"], since, Ct);

        stats.Should().HaveCount(2);
        stats["int-1"].Should().Be(new DeliveryStats("int-1", DeliveryOutcome.Failed, since.AddMinutes(6), "too-many-retries", 2));
        stats["int-2"].Should().Be(new DeliveryStats("int-2", DeliveryOutcome.Succeeded, since.AddMinutes(1), "after-http-call", 0));
    }

    [Test]
    public async Task GetDeliveryStatsAsync_IdsWithoutRecordsAndDuplicates_GivesEmptyFiguresOncePerId()
    {
        // One entry per distinct id, so a list page can show every row.
        var store = await CreateStoreAsync();
        await store.SaveHistoryAsync(Attempt("h", "d1", Some.T0, error: false, "after-http-call"), Ct);
        var stats = await store.GetDeliveryStatsAsync(["quiet", "int-1", "quiet"], Some.T0, Ct);
        stats.Keys.Should().BeEquivalentTo(["quiet", "int-1"]);
        stats["quiet"].Should().Be(new DeliveryStats("quiet", null, null, null, 0));
        stats["int-1"].LastOutcome.Should().Be(DeliveryOutcome.Succeeded);
        (await store.GetDeliveryStatsAsync([], Some.T0, Ct)).Should().BeEmpty();
    }

    private static HistoryRecord Attempt(string id, string? deliveryId, DateTimeOffset at, bool error, string step, string? reason = null,
        bool finished = true, string integrationId = "int-1")
    {
        var doc = new JsonObject { ["_id"] = id, ["type"] = "outgoing-webhook", ["step"] = step, ["error"] = error, ["finished"] = finished };
        if (reason is not null) doc["errorReason"] = reason;
        return new HistoryRecord
        {
            Id = id,
            IntegrationId = integrationId,
            DeliveryId = deliveryId,
            Attempt = deliveryId is null ? 0 : 1,
            CreatedAt = at,
            UpdatedAt = at,
            Document = doc,
        };
    }

    // ---- history (DLV-20..DLV-26) and crmData (OMNI-35) ---------------------------------------------------------

    [Test]
    public async Task SaveHistoryAsync_NewThenSameId_InsertsThenReplaces()
    {
        // DLV-20: a record is updated step by step.
        var store = await CreateStoreAsync();
        var h = Some.History("h1");
        await store.SaveHistoryAsync(h, Ct);
        var read = (await store.GetHistoryAsync("int-1", "h1", Ct))!;
        read.Should().BeEquivalentTo(h, o => o.Excluding(x => x.Document));
        JsonNode.DeepEquals(read.Document, h.Document).Should().BeTrue();

        var updated = h with { UpdatedAt = Some.T0.AddSeconds(5), Document = new JsonObject { ["step"] = "too-many-retries", ["error"] = true } };
        await store.SaveHistoryAsync(updated, Ct);
        var again = (await store.GetHistoryAsync("int-1", "h1", Ct))!;
        again.UpdatedAt.Should().Be(updated.UpdatedAt);
        again.Document["step"]!.GetValue<string>().Should().Be("too-many-retries");
        (await store.ListHistoryAsync("int-1", 0, 10, Ct)).Total.Should().Be(1);
    }

    [Test]
    public async Task SaveHistoryAsync_DocumentWithNulCharacterAndKeyOrder_RoundTripsExactly()
    {
        // DLV-20: history keeps what receivers sent, whatever the characters; nothing is lost on save.
        var store = await CreateStoreAsync();
        var h = Some.History("hn") with { Document = new JsonObject { ["z"] = "a\u0000b", ["a"] = 1 } };
        await store.SaveHistoryAsync(h, Ct);
        var read = (await store.GetHistoryAsync("int-1", "hn", Ct))!;
        read.Document["z"]!.GetValue<string>().Should().Be("a\u0000b");
        read.Document.Select(p => p.Key).Should().Equal("z", "a");
    }

    [Test]
    public async Task SaveHistoryAsync_RecordWithoutAttempt_KeepsNullDeliveryAndAttemptZero()
    {
        // DLV-20: queue-full and incoming records have attempt 0 and no deliveryId.
        var store = await CreateStoreAsync();
        await store.SaveHistoryAsync(Some.History("h0", deliveryId: null), Ct);
        var read = (await store.GetHistoryAsync("int-1", "h0", Ct))!;
        read.DeliveryId.Should().BeNull();
        read.Attempt.Should().Be(0);
    }

    [Test]
    public async Task ListHistoryAsync_SeveralIntegrations_FiltersSortsNewestFirstAndPages()
    {
        // DLV-24, GEN-11
        var store = await CreateStoreAsync();
        await store.SaveHistoryAsync(Some.History("h-b", updatedAt: Some.T0.AddSeconds(2)), Ct);
        await store.SaveHistoryAsync(Some.History("h-a", updatedAt: Some.T0.AddSeconds(2)), Ct);
        await store.SaveHistoryAsync(Some.History("h-new", updatedAt: Some.T0.AddSeconds(9)), Ct);
        await store.SaveHistoryAsync(Some.History("h-old", updatedAt: Some.T0), Ct);
        await store.SaveHistoryAsync(Some.History("h-omni", "omnichannel", Some.T0.AddHours(1)), Ct);

        var first = await store.ListHistoryAsync("int-1", 0, 3, Ct);
        first.Items.Select(h => h.Id).Should().Equal("h-new", "h-a", "h-b");
        first.Total.Should().Be(4);
        var second = await store.ListHistoryAsync("int-1", 3, 3, Ct);
        second.Items.Select(h => h.Id).Should().Equal("h-old");
        (await store.ListHistoryAsync("int-1", 10, 3, Ct)).Should().Match<HistoryPage>(p => p.Items.Count == 0 && p.Total == 4);
        (await store.ListHistoryAsync("omnichannel", 0, 25, Ct)).Items.Select(h => h.Id).Should().Equal("h-omni");
        (await store.ListHistoryAsync("nobody", 0, 25, Ct)).Total.Should().Be(0);
    }

    [Test]
    public async Task GetHistoryAsync_OtherIntegrationOrMissing_ReturnsNull()
    {
        // DLV-24: records are per integration.
        var store = await CreateStoreAsync();
        await store.SaveHistoryAsync(Some.History("h1"), Ct);
        (await store.GetHistoryAsync("int-2", "h1", Ct)).Should().BeNull();
        (await store.GetHistoryAsync("int-1", "h2", Ct)).Should().BeNull();
    }

    [Test]
    public async Task ClearHistoryAsync_OneIntegration_DeletesOnlyItsRecords()
    {
        // DLV-26
        var store = await CreateStoreAsync();
        await store.SaveHistoryAsync(Some.History("h1"), Ct);
        await store.SaveHistoryAsync(Some.History("h2"), Ct);
        await store.SaveHistoryAsync(Some.History("h3", "int-2"), Ct);
        (await store.ClearHistoryAsync("int-1", Ct)).Should().Be(2);
        (await store.ListHistoryAsync("int-1", 0, 25, Ct)).Total.Should().Be(0);
        (await store.ListHistoryAsync("int-2", 0, 25, Ct)).Total.Should().Be(1);
        (await store.ClearHistoryAsync("int-1", Ct)).Should().Be(0);
    }

    [Test]
    public async Task PurgeAsync_BeforeCutOff_DeletesOldHistoryAndFinishedDeliveriesOnly()
    {
        // DLV-25: finished deliveries follow the history retention; unfinished ones stay.
        var store = await CreateStoreAsync();
        var cutOff = Some.T0.AddDays(30);
        await store.SaveHistoryAsync(Some.History("h-old", updatedAt: cutOff.AddMilliseconds(-1)), Ct);
        await store.SaveHistoryAsync(Some.History("h-keep", updatedAt: cutOff), Ct);
        await store.EnqueueAsync([Some.Delivery("d-done"), Some.Delivery("d-recent"), Some.Delivery("d-pending")], 100, Ct);
        foreach (var d in await store.ClaimDueAsync("n", Some.T0, Lease, 2, Ct))
        {
            var when = d.Id == "d-done" ? Some.T0.AddDays(1) : cutOff.AddDays(1);
            await store.CompleteAsync(new DeliveryUpdate { DeliveryId = d.Id, LeaseToken = d.LeaseToken!, State = DeliveryState.Succeeded, Attempts = 1, UpdatedAt = when }, Ct);
        }

        (await store.PurgeAsync(cutOff, Ct)).Should().Be(2);
        (await store.GetHistoryAsync("int-1", "h-old", Ct)).Should().BeNull();
        (await store.GetHistoryAsync("int-1", "h-keep", Ct)).Should().NotBeNull();
        (await store.GetDeliveryAsync("d-done", Ct)).Should().BeNull();
        (await store.GetDeliveryAsync("d-recent", Ct)).Should().NotBeNull();
        (await store.GetDeliveryAsync("d-pending", Ct)).Should().NotBeNull("an unfinished delivery is never purged");
    }

    [Test]
    public async Task SetCrmDataAsync_ThenGet_ReturnsLatestValuePerRoom()
    {
        // OMNI-35
        var store = await CreateStoreAsync();
        (await store.GetCrmDataAsync("room-1", Ct)).Should().BeNull();
        await store.SetCrmDataAsync("room-1", """{"a":1}""", Ct);
        await store.SetCrmDataAsync("room-1", """{"a":2}""", Ct);
        await store.SetCrmDataAsync("room-2", "plain text ✓", Ct);
        (await store.GetCrmDataAsync("room-1", Ct)).Should().Be("""{"a":2}""");
        (await store.GetCrmDataAsync("room-2", Ct)).Should().Be("plain text ✓");
    }
}
