using ChatIntegrations.Delivery.Retry;

namespace ChatIntegrations.Tests.Delivery;

public sealed class RetryScheduleTests
{
    private static readonly DateTimeOffset Now = new(2025, 1, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly RetryLimits Uncapped = new(TimeSpan.FromHours(1), TimeSpan.MaxValue);

    [TestCase("powers-of-ten", new long[] { 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000 }, 11_111_100)]
    [TestCase("powers-of-two", new long[] { 2_000, 4_000, 8_000, 16_000, 32_000, 64_000 }, 126_000)]
    [TestCase("increments-of-two", new long[] { 2_000, 4_000, 6_000, 8_000, 10_000, 12_000 }, 42_000)]
    public void FormulaDelay_FirstSixRetries_MatchTable_DLV11(string name, long[] expectedMs, long totalMs)
    {
        RetrySchedule.TryParseKind(name, out var kind).Should().BeTrue();

        var delays = Enumerable.Range(0, 6).Select(n => (long)RetrySchedule.FormulaDelay(kind, n).TotalMilliseconds).ToArray();

        delays.Should().Equal(expectedMs);
        delays.Sum().Should().Be(totalMs);
    }

    [Test]
    public void FormulaDelay_PowersOfTenTotal_IsThreeHoursFiveMinutesEleven_DLV11()
    {
        var total = Enumerable.Range(0, 6).Aggregate(TimeSpan.Zero, (sum, n) => sum + RetrySchedule.FormulaDelay(RetryDelayKind.PowersOfTen, n));

        total.Should().Be(new TimeSpan(0, 3, 5, 11, 100));
    }

    [TestCase("Powers-Of-Ten")]
    [TestCase("fibonacci")]
    [TestCase("")]
    [TestCase(null)]
    public void TryParseKind_OtherValues_Rejected_DLV12(string? value) => RetrySchedule.TryParseKind(value, out _).Should().BeFalse();

    [Test]
    public void Delay_LateRetriesOfTenRetries_CappedAtMaxRetryDelay_DLV17()
    {
        RetrySchedule.Delay(RetryDelayKind.PowersOfTen, 5, null, RetryLimits.Default).Should().Be(TimeSpan.FromMilliseconds(10_000_000));
        RetrySchedule.Delay(RetryDelayKind.PowersOfTen, 6, null, RetryLimits.Default).Should().Be(TimeSpan.FromHours(24)); // 10^8 ms ≈ 27.8 h
        RetrySchedule.Delay(RetryDelayKind.PowersOfTen, 9, null, RetryLimits.Default).Should().Be(TimeSpan.FromHours(24));
        RetrySchedule.Delay(RetryDelayKind.PowersOfTwo, 9, null, RetryLimits.Default).Should().Be(TimeSpan.FromSeconds(1024));
        RetrySchedule.Delay(RetryDelayKind.PowersOfTen, 60, null, RetryLimits.Default).Should().Be(TimeSpan.FromHours(24));
    }

    [TestCase(0, 30, 30_000)]       // Retry-After above the formula wins
    [TestCase(3, 30, 100_000)]      // formula above Retry-After wins
    [TestCase(0, 7200, 3_600_000)]  // Retry-After capped by MaxRetryAfter (1 h)
    [TestCase(0, 0, 100)]
    public void Delay_RetryAfter_MaxOfFormulaAndCappedRetryAfter_DLV15(int n, int retryAfterSeconds, long expectedMs)
    {
        RetrySchedule.Delay(RetryDelayKind.PowersOfTen, n, TimeSpan.FromSeconds(retryAfterSeconds), RetryLimits.Default)
            .Should().Be(TimeSpan.FromMilliseconds(expectedMs));
    }

    [Test]
    public void Delay_RetryAfterAboveMaxRetryDelay_StillCappedByMaxRetryDelay_DLV15_DLV17()
    {
        var limits = new RetryLimits(TimeSpan.FromHours(2), TimeSpan.FromMinutes(30));

        RetrySchedule.Delay(RetryDelayKind.PowersOfTwo, 0, TimeSpan.FromHours(2), limits).Should().Be(TimeSpan.FromMinutes(30));
    }

    [TestCase(0.0, 1_600)]
    [TestCase(0.5, 2_000)]
    [TestCase(0.999999, 2_400)]
    public void Delay_Jitter_FactorBetween08And12_DLV16(double unit, long expectedMs)
    {
        RetrySchedule.Delay(RetryDelayKind.PowersOfTwo, 0, null, Uncapped, () => unit).Should().Be(TimeSpan.FromMilliseconds(expectedMs));
    }

    [Test]
    public void Delay_JitterBelowRetryAfter_RaisedToRetryAfter_DLV16()
    {
        // formula 2 s, Retry-After 10 s → 10 s; jitter 0.8 would make 8 s, but never below Retry-After.
        RetrySchedule.Delay(RetryDelayKind.PowersOfTwo, 0, TimeSpan.FromSeconds(10), Uncapped, () => 0.0).Should().Be(TimeSpan.FromSeconds(10));
        RetrySchedule.Delay(RetryDelayKind.PowersOfTwo, 0, TimeSpan.FromSeconds(10), Uncapped, () => 0.75).Should().Be(TimeSpan.FromSeconds(11));
    }

    [Test]
    public void Delay_JitterNeverAboveMaxRetryDelay_DLV16_DLV17()
    {
        var limits = new RetryLimits(TimeSpan.FromHours(1), TimeSpan.FromSeconds(2));

        RetrySchedule.Delay(RetryDelayKind.PowersOfTwo, 0, null, limits, () => 0.99).Should().Be(TimeSpan.FromSeconds(2));
    }

    [TestCase("120", 120)]
    [TestCase(" 5 ", 5)]
    [TestCase("0", 0)]
    [TestCase("Wed, 01 Jan 2025 10:01:30 GMT", 90)]
    [TestCase("Wednesday, 01-Jan-25 10:01:30 GMT", 90)]
    [TestCase("Wed Jan  1 10:01:30 2025", 90)]
    [TestCase("Wed, 01 Jan 2025 09:00:00 GMT", 0)]
    public void TryParseRetryAfter_DeltaSecondsOrHttpDate_PastIsZero_DLV15(string value, int expectedSeconds)
    {
        RetrySchedule.TryParseRetryAfter(value, Now, out var after).Should().BeTrue();
        after.Should().Be(TimeSpan.FromSeconds(expectedSeconds));
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("-5")]
    [TestCase("1.5")]
    [TestCase("soon")]
    public void TryParseRetryAfter_Malformed_False_DLV15(string? value) => RetrySchedule.TryParseRetryAfter(value, Now, out _).Should().BeFalse();

    [Test]
    public void TryParseRetryAfter_Huge_SaturatesAndIsCapped_DLV15()
    {
        RetrySchedule.TryParseRetryAfter("99999999999999999999999", Now, out var after).Should().BeTrue();
        RetrySchedule.Delay(RetryDelayKind.PowersOfTen, 0, after, RetryLimits.Default).Should().Be(TimeSpan.FromHours(1));
    }

    [TestCase(1, "going-to-retry-1")]
    [TestCase(6, "going-to-retry-6")]
    public void GoingToRetryStep_IsOneBased_DLV14(int k, string step) => RetrySchedule.GoingToRetryStep(k).Should().Be(step);

    [Test]
    public void GoingToRetryStep_Zero_Throws_DLV14() => FluentActions.Invoking(() => RetrySchedule.GoingToRetryStep(0)).Should().Throw<ArgumentOutOfRangeException>();
}
