using ChatIntegrations.Tests.Security.Ssrf;
using ChatIntegrations.Tests.TestDoubles;

namespace ChatIntegrations.Tests.Delivery;

/// <summary>Leasing while an attempt runs (DLV-31..DLV-34): renewal every <c>LeaseDuration / 3</c>, takeover after
/// expiry, and the first node dropping its result. Real loopback receivers hold the request while the manual clock moves.</summary>
public sealed class DeliveryLeaseTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30); // the smallest allowed LeaseDuration: renewal every 10 s

    private static DeliveryFixture NewFixture() => new(o => o.Dispatcher.LeaseDuration = Lease);

    /// <summary>A receiver that holds each request until <paramref name="release"/> is set, then answers 200.</summary>
    private static TinyHttpServer HoldingReceiver(DeliveryFixture f, ManualResetEventSlim release, CancellationToken ct) =>
        f.Receiver(_ =>
        {
            release.Wait(ct);
            return new TinyResponse(200, "ok");
        });

    private static async Task<string> FirstRequestDeliveryIdAsync(TinyHttpServer receiver, CancellationToken ct)
    {
        await DeliveryFixture.WaitUntilAsync(() => Task.FromResult(!receiver.Requests.IsEmpty), ct);
        return receiver.Requests.First().Headers["webhook-id"];
    }

    /// <summary>Starts the dispatcher with one attempt held at a receiver until <paramref name="release"/> is set:
    /// the receiver, the integration, the clock when the attempt was claimed, and the delivery id.</summary>
    private static async Task<(TinyHttpServer Receiver, Integration Integration, DateTimeOffset T0, string Id)> HoldOneAttemptAsync(
        DeliveryFixture f, ManualResetEventSlim release, CancellationToken ct)
    {
        var receiver = HoldingReceiver(f, release, ct);
        var i = await f.CreateOutgoingAsync(receiver.Url("/hook"), """{"timeoutMs":60000}""");
        await f.StartAsync();
        var t0 = f.Time.GetUtcNow();
        await f.Engine.PublishAsync(DeliveryFixture.Message("hi"), ct);
        return (receiver, i, t0, await FirstRequestDeliveryIdAsync(receiver, ct));
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task ProcessAsync_AttemptOutlastsLease_RenewsLeaseEveryThirdOfLeaseDuration_DLV32_DLV31(CancellationToken ct)
    {
        await using var f = NewFixture();
        using var release = new ManualResetEventSlim();
        try
        {
            var (receiver, i, t0, id) = await HoldOneAttemptAsync(f, release, ct);
            var claimed = (await f.Store.GetDeliveryAsync(id, ct))!;
            claimed.State.Should().Be(DeliveryState.Leased);
            claimed.LeaseOwner.Should().Be("node-a");
            claimed.LeaseExpiresAt.Should().Be(t0 + Lease, "DLV-31: leaseExpiresAt = now + LeaseDuration at the claim");

            // Three renewals, at +10 s, +20 s and +30 s: the attempt now outlives the original lease.
            for (var n = 1; n <= 3; n++)
            {
                var renewalAt = t0 + (Lease / 3 * n);
                await DeliveryFixture.WaitUntilAsync(() => Task.FromResult(f.Time.HasTimerDueAt(renewalAt)), ct);
                f.Time.Advance(renewalAt - f.Time.GetUtcNow());
                await DeliveryFixture.WaitUntilAsync(async () => (await f.Store.GetDeliveryAsync(id, ct))!.LeaseExpiresAt == renewalAt + Lease, ct);
            }

            var renewed = (await f.Store.GetDeliveryAsync(id, ct))!;
            renewed.State.Should().Be(DeliveryState.Leased);
            renewed.LeaseToken.Should().Be(claimed.LeaseToken, "a renewal keeps the lease token");
            (await f.Store.ClaimDueAsync("node-b", f.Time.GetUtcNow(), Lease, 10, ct)).Should().BeEmpty("the renewed lease is not claimable");

            release.Set();
            var d = await f.WaitForStateAsync(id, ct, DeliveryState.Succeeded);
            d.Attempts.Should().Be(1);
            receiver.Requests.Should().ContainSingle();
            (await f.HistoryAsync(i.Id)).Should().ContainSingle().Which.Document["step"]!.GetValue<string>().Should().Be("after-http-call");
        }
        finally
        {
            release.Set();
        }
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task ProcessAsync_LeaseTakenOverThenRenewalFails_AbandonsAttemptWithoutRecordingOutcome_DLV32_DLV33(CancellationToken ct)
    {
        await using var f = NewFixture();
        using var release = new ManualResetEventSlim();
        try
        {
            var (receiver, i, t0, id) = await HoldOneAttemptAsync(f, release, ct);

            // Node B's clock is past node A's lease expiry (node A's renewals stalled): it takes the delivery over.
            var takeover = (await f.Store.ClaimDueAsync("node-b", t0 + Lease + TimeSpan.FromSeconds(1), Lease, 10, ct)).Should().ContainSingle().Subject;
            takeover.Id.Should().Be(id);

            // Node A's next renewal (+10 s) is rejected: it cancels its HTTP call and records nothing.
            await DeliveryFixture.WaitUntilAsync(() => Task.FromResult(f.Time.HasTimerDueAt(t0 + Lease / 3)), ct);
            f.Time.Advance(Lease / 3);
            await DeliveryFixture.WaitUntilAsync(() => Task.FromResult(f.Dispatcher.InFlight == 0), ct);

            var d = (await f.Store.GetDeliveryAsync(id, ct))!;
            d.State.Should().Be(DeliveryState.Leased);
            d.LeaseOwner.Should().Be("node-b");
            d.LeaseToken.Should().Be(takeover.LeaseToken, "node A must not touch node B's lease");
            d.Attempts.Should().Be(0, "the abandoned attempt is not counted (DLV-34)");
            (await f.HistoryAsync(i.Id)).Should().BeEmpty("DLV-32: no outcome is recorded for an abandoned attempt");
            receiver.Requests.Should().ContainSingle();
        }
        finally
        {
            release.Set();
        }
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task ProcessAsync_AnswerArrivesAfterTakeover_ResultDropped_DLV33(CancellationToken ct)
    {
        await using var f = NewFixture();
        using var release = new ManualResetEventSlim();
        try
        {
            var (receiver, i, t0, id) = await HoldOneAttemptAsync(f, release, ct);
            var takeover = (await f.Store.ClaimDueAsync("node-b", t0 + Lease + TimeSpan.FromSeconds(1), Lease, 10, ct)).Should().ContainSingle().Subject;

            // The receiver answers before node A's next renewal: node A's completion is conditioned on its stale token.
            release.Set();
            await DeliveryFixture.WaitUntilAsync(() => Task.FromResult(f.Dispatcher.InFlight == 0), ct);

            var d = (await f.Store.GetDeliveryAsync(id, ct))!;
            d.State.Should().Be(DeliveryState.Leased, "node A's update is rejected (DLV-33)");
            d.LeaseOwner.Should().Be("node-b");
            d.LeaseToken.Should().Be(takeover.LeaseToken);
            d.Attempts.Should().Be(0);
            (await f.HistoryAsync(i.Id)).Should().BeEmpty("DLV-33: the node that lost its lease drops its result, history included");

            // Node B's own completion still goes through.
            (await f.Store.CompleteAsync(new DeliveryUpdate
            {
                DeliveryId = id, LeaseToken = takeover.LeaseToken!, State = DeliveryState.Succeeded, Attempts = 1, NextAttemptAt = d.NextAttemptAt,
                UpdatedAt = f.Time.GetUtcNow(),
            }, ct)).Should().BeTrue();
        }
        finally
        {
            release.Set();
        }
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task Dispatcher_LeaseOfCrashedNodeExpires_ClaimedAgainWithoutExtraAttempt_DLV34_DLV3(CancellationToken ct)
    {
        await using var f = NewFixture();
        var receiver = f.Receiver();
        var i = await f.CreateOutgoingAsync(receiver.Url("/hook"));
        await f.Engine.PublishAsync(DeliveryFixture.Message("hi"), ct);
        var crashed = (await f.Store.ClaimDueAsync("node-x", f.Time.GetUtcNow(), Lease, 10, ct)).Should().ContainSingle().Subject; // node X then crashes
        await f.StartAsync();

        f.Time.Advance(Lease - TimeSpan.FromMilliseconds(1));
        await DeliveryFixture.WaitUntilAsync(() => Task.FromResult(f.Time.ActiveTimers > 0), ct);
        receiver.Requests.Should().BeEmpty("the lease has not expired yet");
        (await f.Store.GetDeliveryAsync(crashed.Id, ct))!.LeaseOwner.Should().Be("node-x");

        f.Time.Advance(TimeSpan.FromMilliseconds(100)); // past expiry, within one poll interval
        var d = await f.WaitForStateAsync(crashed.Id, ct, DeliveryState.Succeeded);

        d.Attempts.Should().Be(1, "the expired lease does not count an attempt");
        receiver.Requests.Should().ContainSingle().Which.Headers["X-ChatIntegrations-Attempt"].Should().Be("1");
        (await f.HistoryAsync(i.Id)).Should().ContainSingle();
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task ProcessAsync_AttemptsEndBeforeFirstRenewal_StopRenewalWithoutThrowing_DLV32(CancellationToken ct)
    {
        // The usual attempt ends long before LeaseDuration / 3: stopping its renewal is the normal path, and an exception
        // per delivery cost more than the rest of the renewal. Counted: first-chance exceptions raised inside the renewal.
        await using var f = NewFixture();
        var receiver = f.Receiver(_ => new TinyResponse(200, "ok"));
        var i = await f.CreateOutgoingAsync(receiver.Url("/hook"));
        var thrownInRenewal = 0;
        void Count(object? sender, System.Runtime.ExceptionServices.FirstChanceExceptionEventArgs e)
        {
            if (Environment.StackTrace.Contains("DeliveryProcessor.RenewAsync", StringComparison.Ordinal)) Interlocked.Increment(ref thrownInRenewal);
        }

        AppDomain.CurrentDomain.FirstChanceException += Count;
        try
        {
            await f.StartAsync();
            for (var n = 0; n < 5; n++) await f.Engine.PublishAsync(DeliveryFixture.Message($"hi {n}", messageId: $"m{n}"), ct);
            await DeliveryFixture.WaitUntilAsync(async () => (await f.HistoryAsync(i.Id)).Count == 5, ct);
            await f.Dispatcher.StopAsync(ct); // waits for the attempts, renewal stops included
        }
        finally
        {
            AppDomain.CurrentDomain.FirstChanceException -= Count;
        }

        receiver.Requests.Should().HaveCount(5);
        thrownInRenewal.Should().Be(0);
    }
}
