using ChatIntegrations.Delivery.Retry;

namespace ChatIntegrations.Tests.Delivery;

public sealed class OutcomeClassifierTests
{
    [TestCase(200, false, "Success")]
    [TestCase(204, false, "Success")]
    [TestCase(299, true, "Success")]
    [TestCase(410, false, "Disable")]
    [TestCase(408, false, "Retryable")]
    [TestCase(429, false, "Retryable")]
    [TestCase(500, true, "Retryable")]
    [TestCase(503, false, "Retryable")]
    [TestCase(599, false, "Retryable")]
    [TestCase(301, false, "FinalFailure")]
    [TestCase(307, false, "FinalFailure")]
    [TestCase(400, true, "FinalFailure")]
    [TestCase(401, false, "FinalFailure")]
    [TestCase(404, false, "FinalFailure")]
    [TestCase(451, false, "FinalFailure")]
    [TestCase(101, false, "FinalFailure")]
    public void Classify_StandardStatus_FollowsTable_DLV13(int status, bool body, string expected)
    {
        OutcomeClassifier.Classify(AttemptOutcome.Answer(status, body), "standard").Class.Should().Be(Enum.Parse<OutcomeClass>(expected));
    }

    [TestCase("Timeout", "Retryable")]
    [TestCase("ConnectionRefused", "Retryable")]
    [TestCase("ConnectionReset", "Retryable")]
    [TestCase("DnsFailure", "Retryable")]
    [TestCase("TlsFailure", "Retryable")]
    [TestCase("OtherNetwork", "Retryable")]
    [TestCase("SsrfBlocked", "FinalFailure")]
    [TestCase("TooManyRedirects", "FinalFailure")]
    public void Classify_StandardNetworkFailure_FollowsTable_DLV13(string failure, string expected)
    {
        OutcomeClassifier.Classify(AttemptOutcome.Failed(Enum.Parse<AttemptFailure>(failure)), "standard").Class.Should().Be(Enum.Parse<OutcomeClass>(expected));
    }

    [Test]
    public void Classify_410_DisablesWithStep_DLV13_OUT80()
    {
        OutcomeClassifier.Classify(AttemptOutcome.Answer(410, false), "standard").Should().Be(new OutcomeClassification(OutcomeClass.Disable, "after-process-http-status-410"));
    }

    [TestCase(200, true, "Success", null)]
    [TestCase(201, true, "Success", null)]
    [TestCase(202, true, "Success", null)]
    [TestCase(200, false, "Retryable", null)]
    [TestCase(204, false, "Retryable", null)]
    [TestCase(203, true, "Retryable", null)]
    [TestCase(410, true, "Disable", "after-process-http-status-410")]
    [TestCase(410, false, "Retryable", null)]
    [TestCase(500, true, "FinalFailure", "after-process-http-status-500")]
    [TestCase(500, false, "Retryable", null)]
    [TestCase(404, true, "Retryable", null)]
    [TestCase(302, false, "Retryable", null)]
    public void Classify_RocketChatRules_FollowCompatibilitySwitch_DLV13(int status, bool body, string expected, string? step)
    {
        OutcomeClassifier.Classify(AttemptOutcome.Answer(status, body), "rocketchat").Should().Be(new OutcomeClassification(Enum.Parse<OutcomeClass>(expected), step));
    }

    [TestCase("Timeout")]
    [TestCase("ConnectionRefused")]
    [TestCase("SsrfBlocked")]
    public void Classify_RocketChatNetworkFailure_Final_DLV13(string failure)
    {
        OutcomeClassifier.Classify(AttemptOutcome.Failed(Enum.Parse<AttemptFailure>(failure)), "rocketchat").Class.Should().Be(OutcomeClass.FinalFailure);
    }

    [TestCase(429, true)]
    [TestCase(503, true)]
    [TestCase(500, false)]
    [TestCase(null, false)]
    public void HonoursRetryAfter_Only429And503_DLV15(int? status, bool expected) => OutcomeClassifier.HonoursRetryAfter(status).Should().Be(expected);

    [Test]
    public void ErrorCode_SsrfBlocked_IsESSRF_DLV13() => OutcomeClassifier.ErrorCode(AttemptFailure.SsrfBlocked).Should().Be("ESSRF");
}
