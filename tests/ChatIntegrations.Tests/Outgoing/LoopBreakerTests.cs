using ChatIntegrations.Outgoing.Matching;
using ChatIntegrations.Tests.TestDoubles;
using Microsoft.Extensions.Time.Testing;

namespace ChatIntegrations.Tests.Outgoing;

public sealed class LoopBreakerTests
{
    [Test]
    public void TryFire_ThirtyFiringsInWindow_AllowedThe31stDropped_OUT52()
    {
        var breaker = new LoopBreaker(new FakeTimeProvider());

        var results = Enumerable.Range(0, 32).Select(_ => breaker.TryFire("i1", "R1")).ToList();

        results.Take(30).Should().OnlyContain(r => r);
        results.Skip(30).Should().OnlyContain(r => !r);
    }

    [Test]
    public void TryFire_WindowEnds_NewWindowStartsWithNextFiring_OUT52()
    {
        var time = new FakeTimeProvider();
        var breaker = new LoopBreaker(time, threshold: 2);
        breaker.TryFire("i1", "R1").Should().BeTrue();
        time.Advance(TimeSpan.FromSeconds(30));
        breaker.TryFire("i1", "R1").Should().BeTrue();
        breaker.TryFire("i1", "R1").Should().BeFalse();

        time.Advance(TimeSpan.FromSeconds(29));
        breaker.TryFire("i1", "R1").Should().BeFalse(); // 59 s after the window began: still dropped

        time.Advance(TimeSpan.FromSeconds(1));
        breaker.TryFire("i1", "R1").Should().BeTrue(); // the window began at 0 s and ended at 60 s
        time.Advance(TimeSpan.FromSeconds(50));
        breaker.TryFire("i1", "R1").Should().BeTrue();
        breaker.TryFire("i1", "R1").Should().BeFalse(); // the new window began at 60 s, not at 0 s
    }

    [Test]
    public void TryFire_CountsPerIntegrationAndRoom_OUT52()
    {
        var breaker = new LoopBreaker(new FakeTimeProvider(), threshold: 1);

        breaker.TryFire("i1", "R1").Should().BeTrue();
        breaker.TryFire("i1", "R2").Should().BeTrue();
        breaker.TryFire("i2", "R1").Should().BeTrue();
        breaker.TryFire("i1", "R1").Should().BeFalse();
    }

    [Test]
    public void Constructor_ThresholdBelowOne_Throws_OUT52() =>
        FluentActions.Invoking(() => new LoopBreaker(new FakeTimeProvider(), 0)).Should().Throw<ArgumentOutOfRangeException>();
}
