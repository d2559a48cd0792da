using ChatIntegrations.Delivery;
using ChatIntegrations.Tests.TestDoubles;

namespace ChatIntegrations.Tests.Delivery;

/// <summary>The dispatcher's wake-up (DLV-18): a signal or the clock ends its wait, and a clock that moves while the
/// timer is being armed neither delays nor skips the wake-up.</summary>
public sealed class DeliverySignalTests
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);

    [Test]
    [CancelAfter(10_000)]
    public async Task WaitAsync_SignalGivenBeforeWait_ReturnsWithoutTimer(CancellationToken ct)
    {
        var time = new TrackingTimeProvider();
        var signal = new DeliverySignal();
        signal.Set();

        await signal.WaitAsync(time.GetUtcNow() + TimeSpan.FromMinutes(1), time, ct);

        time.ActiveTimers.Should().Be(0);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task WaitAsync_SignalGivenDuringWait_WakesAndDisarmsTimer(CancellationToken ct)
    {
        var time = new TrackingTimeProvider();
        var signal = new DeliverySignal();
        var wait = signal.WaitAsync(time.GetUtcNow() + TimeSpan.FromMinutes(1), time, ct);
        time.HasTimerDueAt(time.GetUtcNow() + TimeSpan.FromMinutes(1)).Should().BeTrue();

        signal.Set();
        await wait;

        time.ActiveTimers.Should().Be(0);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task WaitAsync_ClockReachesDeadline_Wakes(CancellationToken ct)
    {
        var time = new TrackingTimeProvider();
        var wait = new DeliverySignal().WaitAsync(time.GetUtcNow() + Poll, time, ct);

        time.Advance(Poll - TimeSpan.FromMilliseconds(1));
        time.ActiveTimers.Should().Be(1, "not due yet");
        time.Advance(TimeSpan.FromMilliseconds(1));

        await wait;
        time.ActiveTimers.Should().Be(0);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task WaitAsync_ClockPassesDeadlineWhileArming_ReturnsWithoutWaiting(CancellationToken ct)
    {
        // The flake this fixes: the dispatcher read the clock, a test moved it 20 s, then the 50 ms timer was armed
        // from the new time, and nothing moved the clock again.
        var time = new TrackingTimeProvider();
        time.Arming = () =>
        {
            time.Arming = null;
            time.Advance(TimeSpan.FromSeconds(20));
        };

        await new DeliverySignal().WaitAsync(time.GetUtcNow() + Poll, time, ct);

        time.ActiveTimers.Should().Be(0);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task WaitAsync_ClockMovesPartWayWhileArming_TimerDueAtOriginalDeadline(CancellationToken ct)
    {
        var time = new TrackingTimeProvider();
        var deadline = time.GetUtcNow() + Poll;
        time.Arming = () =>
        {
            time.Arming = null;
            time.Advance(TimeSpan.FromMilliseconds(30));
        };

        var wait = new DeliverySignal().WaitAsync(time.GetUtcNow() + Poll, time, ct);

        time.HasTimerDueAt(deadline).Should().BeTrue("the timer is armed again from the moved clock");
        time.ActiveTimers.Should().Be(1);
        time.Advance(deadline - time.GetUtcNow());
        await wait;
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task WaitAsync_DeadlinePassedBeforeWait_ReturnsWithoutTimer(CancellationToken ct)
    {
        // The dispatcher counts its deadline from the clock it read for the claim; the clock may have moved past it
        // during the store calls since.
        var time = new TrackingTimeProvider();
        var deadline = time.GetUtcNow() + Poll;
        time.Advance(TimeSpan.FromSeconds(20));

        await new DeliverySignal().WaitAsync(deadline, time, ct);

        time.ActiveTimers.Should().Be(0);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task WaitAsync_Cancelled_ThrowsAndDisarmsTimer(CancellationToken ct)
    {
        var time = new TrackingTimeProvider();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var wait = new DeliverySignal().WaitAsync(time.GetUtcNow() + TimeSpan.FromMinutes(1), time, cts.Token);

        await cts.CancelAsync();

        await wait.Invoking(w => w).Should().ThrowAsync<OperationCanceledException>();
        time.ActiveTimers.Should().Be(0);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task WaitAsync_SignalGivenWhileNobodyWaits_KeptForNextWaitOnly(CancellationToken ct)
    {
        var time = new TrackingTimeProvider();
        var signal = new DeliverySignal();
        signal.Set();
        await signal.WaitAsync(time.GetUtcNow() + TimeSpan.FromMinutes(1), time, ct);

        var second = signal.WaitAsync(time.GetUtcNow() + TimeSpan.FromMinutes(1), time, ct);

        second.IsCompleted.Should().BeFalse("the signal was used by the first wait");
        time.Advance(TimeSpan.FromMinutes(1));
        await second;
    }
}
