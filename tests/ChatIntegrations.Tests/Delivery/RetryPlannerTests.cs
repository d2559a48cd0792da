using ChatIntegrations.Delivery.Retry;

namespace ChatIntegrations.Tests.Delivery;

public sealed class RetryPlannerTests
{
    private static Integration Outgoing(bool retry = true, int count = 6, string delay = "powers-of-ten", bool jitter = false) => new()
    {
        Id = "o1", Type = IntegrationType.Outgoing, Token = "t", RetryFailedCalls = retry, RetryCount = count, RetryDelay = delay, UseJitter = jitter,
    };

    [Test]
    public void Decide_DefaultSettings_SevenAttemptsWithTableDelays_DLV10_DLV11_DLV14()
    {
        var integration = Outgoing();
        var decisions = Enumerable.Range(1, 7).Select(a => RetryPlanner.Decide(integration, a, null, RetryLimits.Default)).ToList();

        decisions.Take(6).Select(d => d.Step).Should().Equal("going-to-retry-1", "going-to-retry-2", "going-to-retry-3", "going-to-retry-4", "going-to-retry-5", "going-to-retry-6");
        decisions.Take(6).Select(d => (long)d.Delay.TotalMilliseconds).Should().Equal(100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000);
        decisions.Take(6).Should().OnlyContain(d => d.Retry);
        decisions[6].Should().Be(new RetryDecision(false, TimeSpan.Zero, "too-many-retries"));
    }

    [Test]
    public void Decide_RetryFailedCallsFalse_NotConfigured_DLV10_DLV14() =>
        RetryPlanner.Decide(Outgoing(retry: false), 1, null, RetryLimits.Default).Should().Be(new RetryDecision(false, TimeSpan.Zero, "failed-and-not-configured-to-retry"));

    [Test]
    public void Decide_RetryCountZero_OneAttemptThenTooManyRetries_DLV10_DLV14() =>
        RetryPlanner.Decide(Outgoing(count: 0), 1, null, RetryLimits.Default).Should().Be(new RetryDecision(false, TimeSpan.Zero, "too-many-retries"));

    [Test]
    public void Decide_RetryCountLoweredBelowAttemptsMade_TooManyRetries_DLV6()
    {
        RetryPlanner.Decide(Outgoing(count: 2), 4, null, RetryLimits.Default).Step.Should().Be("too-many-retries");
    }

    [Test]
    public void Decide_IncrementsOfTwoWithRetryAfterAndJitter_UsesAllRules_DLV11_DLV15_DLV16()
    {
        var decision = RetryPlanner.Decide(Outgoing(delay: "increments-of-two", jitter: true), 2, TimeSpan.FromSeconds(3), RetryLimits.Default, () => 1.0);

        // n = 1: formula 4 s; Retry-After 3 s; jitter ×1.2 → 4.8 s.
        decision.Should().Be(new RetryDecision(true, TimeSpan.FromMilliseconds(4_800), "going-to-retry-2"));
    }

    [Test]
    public void Decide_JitterOff_RandomNotUsed_DLV16()
    {
        RetryPlanner.Decide(Outgoing(delay: "powers-of-two"), 1, null, RetryLimits.Default, () => throw new InvalidOperationException())
            .Delay.Should().Be(TimeSpan.FromSeconds(2));
    }

    [Test]
    public void Decide_JitterOnWithoutRandom_StaysWithinBounds_DLV16()
    {
        for (var i = 0; i < 50; i++)
        {
            RetryPlanner.Decide(Outgoing(delay: "powers-of-two", jitter: true), 1, null, RetryLimits.Default).Delay
                .Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(1_600)).And.BeLessThanOrEqualTo(TimeSpan.FromMilliseconds(2_400));
        }
    }
}
