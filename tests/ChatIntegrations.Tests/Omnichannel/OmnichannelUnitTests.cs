using ChatIntegrations.Delivery.Retry;
using ChatIntegrations.Omnichannel;

namespace ChatIntegrations.Tests.Omnichannel;

/// <summary>Pure parts: User-Agent derivation (OMNI-21), classification and retry planning (OMNI-31..OMNI-33),
/// crmData values (OMNI-35).</summary>
public sealed class OmnichannelUnitTests
{
    [TestCase("Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0", "Linux x86_64", "Firefox 133.0")]
    [TestCase("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", "Windows 10", "Chrome 131.0.0.0")]
    [TestCase("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.86", "Windows 10", "Edge 131.0.2903.86")]
    [TestCase("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Safari/605.1.15", "Mac OS 10.15.7", "Safari 17.6")]
    [TestCase("Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1", "iOS 17.6", "Mobile Safari 17.6")]
    [TestCase("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36", "Android 14", "Chrome 131.0.0.0")]
    public void UserAgentInfo_CommonBrowsers_NameVersionStrings_OMNI21(string ua, string os, string browser)
    {
        UserAgentInfo.OperatingSystem(ua).Should().Be(os);
        UserAgentInfo.Browser(ua).Should().Be(browser);
    }

    [Test]
    public void UserAgentInfo_Unknown_Null_OMNI21()
    {
        UserAgentInfo.OperatingSystem("curl/8.5.0").Should().BeNull();
        UserAgentInfo.Browser("curl/8.5.0").Should().BeNull();
    }

    [TestCase(200, "standard", OutcomeClass.Success)]
    [TestCase(201, "standard", OutcomeClass.FinalFailure)]
    [TestCase(204, "standard", OutcomeClass.FinalFailure)]
    [TestCase(301, "standard", OutcomeClass.FinalFailure)]
    [TestCase(400, "standard", OutcomeClass.FinalFailure)]
    [TestCase(408, "standard", OutcomeClass.FinalFailure)]
    [TestCase(410, "standard", OutcomeClass.FinalFailure)]
    [TestCase(429, "standard", OutcomeClass.Retryable)]
    [TestCase(500, "standard", OutcomeClass.Retryable)]
    [TestCase(599, "standard", OutcomeClass.Retryable)]
    [TestCase(201, "legacy", OutcomeClass.Retryable)]
    [TestCase(404, "legacy", OutcomeClass.Retryable)]
    [TestCase(200, "legacy", OutcomeClass.Success)]
    public void Classify_Status_FollowsOmnichannelRules_OMNI31_OMNI32_OMNI33(int status, string policy, object expected) =>
        OmnichannelRetry.Classify(AttemptOutcome.Answer(status, hasBody: false), policy).Class.Should().Be((OutcomeClass)expected);

    [TestCase(AttemptFailure.Timeout, OutcomeClass.Retryable)]
    [TestCase(AttemptFailure.ConnectionRefused, OutcomeClass.Retryable)]
    [TestCase(AttemptFailure.ConnectionReset, OutcomeClass.Retryable)]
    [TestCase(AttemptFailure.DnsFailure, OutcomeClass.Retryable)]
    [TestCase(AttemptFailure.TlsFailure, OutcomeClass.Retryable)]
    [TestCase(AttemptFailure.SsrfBlocked, OutcomeClass.FinalFailure)]
    public void Classify_NetworkFailure_RetriedExceptSsrf_OMNI32(object failure, object expected)
    {
        OmnichannelRetry.Classify(AttemptOutcome.Failed((AttemptFailure)failure), "standard").Class.Should().Be((OutcomeClass)expected);
        OmnichannelRetry.Classify(AttemptOutcome.Failed((AttemptFailure)failure), "legacy").Class.Should().Be((OutcomeClass)expected);
    }

    [Test]
    public void Decide_Standard_FiveAttemptsAtFourTimesTimeout_RetryAfterWinsUpToCap_OMNI32()
    {
        var limits = new RetryLimits(TimeSpan.FromHours(1), TimeSpan.FromHours(24));
        var settings = new OmnichannelSettings { TimeoutMs = 5000 };

        for (var attempt = 1; attempt <= 4; attempt++)
        {
            var d = OmnichannelRetry.Decide(settings, attempt, null, limits);
            d.Should().Be(new RetryDecision(true, TimeSpan.FromSeconds(20), $"going-to-retry-{attempt}"));
        }

        OmnichannelRetry.Decide(settings, 5, null, limits).Should().Be(new RetryDecision(false, TimeSpan.Zero, "too-many-retries"));
        OmnichannelRetry.Decide(settings, 1, TimeSpan.FromSeconds(5), limits).Delay.Should().Be(TimeSpan.FromSeconds(20), "a shorter Retry-After loses");
        OmnichannelRetry.Decide(settings, 1, TimeSpan.FromHours(3), limits).Delay.Should().Be(TimeSpan.FromHours(1), "capped by MaxRetryAfter (DLV-15)");
    }

    [Test]
    public void Decide_Legacy_TenRetriesTenSecondsApart_OMNI33()
    {
        var limits = new RetryLimits(TimeSpan.FromHours(1), TimeSpan.FromHours(24));
        var settings = new OmnichannelSettings { RetryPolicy = "legacy" };

        OmnichannelRetry.Decide(settings, 1, TimeSpan.FromMinutes(5), limits).Should().Be(new RetryDecision(true, TimeSpan.FromSeconds(10), "going-to-retry-1"));
        OmnichannelRetry.Decide(settings, 10, null, limits).Should().Be(new RetryDecision(true, TimeSpan.FromSeconds(10), "going-to-retry-10"));
        OmnichannelRetry.Decide(settings, 11, null, limits).Retry.Should().BeFalse();
    }

    [TestCase("text", "hello", "\"hello\"")]
    [TestCase("json", "[1,2]", "[1,2]")]
    [TestCase("json", "{broken", "\"{broken\"")]
    [TestCase("legacy-data", """{"data":"x"}""", "\"x\"")]
    [TestCase("legacy-data", "[1]", null)]
    [TestCase("text", "", null)]
    public void CrmValue_Modes_StoredJsonText_OMNI35(string mode, string body, string? expected) =>
        OmnichannelPayload.CrmValue(body, mode).Should().Be(expected);
}
