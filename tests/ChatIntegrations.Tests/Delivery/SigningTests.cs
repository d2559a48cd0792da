using System.Text;
using ChatIntegrations.Delivery.Signing;
using ChatIntegrations.Tests.TestDoubles;
using Microsoft.Extensions.Time.Testing;

namespace ChatIntegrations.Tests.Delivery;

public sealed class SigningTests
{
    private const string Secret = "whsec_Q2hhdEludGVncmF0aW9ucy10ZXN0LXNlY3JldC0zMmI=";
    private const string Id = "dlv_0192f5c4a1b27c3e9d4f6a8b0c1d2e3f";
    private const string Timestamp = "1735689600";
    private const string Signature = "v1,vgVcf/slDnYYQypeyLu7TrUK/xkflr1Tr0dlbIb3n8g=";
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"event":"sendMessage","text":"!deploy prod"}""");
    private static readonly DateTimeOffset VectorTime = DateTimeOffset.FromUnixTimeSeconds(1735689600);

    [Test]
    public void CreateHeaders_TestVector_ReproducedExactly_DLV43()
    {
        var headers = WebhookSigner.CreateHeaders(Id, VectorTime, Body, [Secret]);

        headers.Should().Be(new WebhookHeaders(Id, Timestamp, Signature));
    }

    [Test]
    public void SigningSecrets_TestVectorKey_IsAsciiText_DLV43()
    {
        SigningSecrets.TryGetKey(Secret, out var key).Should().BeTrue();
        Encoding.ASCII.GetString(key).Should().Be("ChatIntegrations-test-secret-32b");
    }

    [Test]
    public void Sign_TwoSecrets_NewestFirstSpaceSeparated_DLV41()
    {
        var newer = SigningSecrets.Generate();
        var both = WebhookSigner.Sign(Id, Timestamp, Body, [Secret, newer]);

        both.Should().Be(WebhookSigner.Sign(Id, Timestamp, Body, [newer]) + " " + Signature);
    }

    [Test]
    public void CreateHeaders_NoSecrets_NoSignature_DLV40()
    {
        WebhookSigner.CreateHeaders(Id, VectorTime, Body, []).Should().Be(new WebhookHeaders(Id, Timestamp, null));
    }

    [Test]
    public void CreateHeaders_LaterAttempt_NewTimestampAndSignatureSameId_DLV42()
    {
        var first = WebhookSigner.CreateHeaders(Id, VectorTime, Body, [Secret]);
        var second = WebhookSigner.CreateHeaders(Id, VectorTime.AddSeconds(100), Body, [Secret]);

        second.Id.Should().Be(first.Id);
        second.Timestamp.Should().Be("1735689700");
        second.Signature.Should().NotBe(first.Signature);
    }

    [Test]
    public void Sign_InvalidSecret_Throws_DLV40() =>
        FluentActions.Invoking(() => WebhookSigner.Sign(Id, Timestamp, Body, ["whsec_short"])).Should().Throw<ArgumentException>();

    [Test]
    public void Generate_ThirtyTwoRandomBytes_DLV40()
    {
        var secrets = Enumerable.Range(0, 20).Select(_ => SigningSecrets.Generate()).ToList();

        secrets.Should().OnlyContain(s => s.StartsWith("whsec_"));
        secrets.Select(s => SigningSecrets.TryGetKey(s, out var k) ? k.Length : -1).Should().OnlyContain(n => n == 32);
        secrets.Distinct().Should().HaveCount(20);
    }

    [TestCase(23, false)]
    [TestCase(24, true)]
    [TestCase(32, true)]
    [TestCase(64, true)]
    [TestCase(65, false)]
    public void IsValid_KeyLength24To64OnImport_DLV40(int bytes, bool valid)
    {
        SigningSecrets.IsValid("whsec_" + Convert.ToBase64String(new byte[bytes])).Should().Be(valid);
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("Q2hhdEludGVncmF0aW9ucy10ZXN0LXNlY3JldC0zMmI=")]
    [TestCase("whsec_not base64!")]
    [TestCase("WHSEC_Q2hhdEludGVncmF0aW9ucy10ZXN0LXNlY3JldC0zMmI=")]
    public void IsValid_Malformed_False_DLV40(string? secret) => SigningSecrets.IsValid(secret).Should().BeFalse();

    [Test]
    public void DeliveryIds_New_IsDlvPlus32LowercaseHexOfV7Guid_DLV7()
    {
        var time = new FakeTimeProvider();
        var id = DeliveryIds.New(time);

        id.Should().MatchRegex("^dlv_[0-9a-f]{32}$").And.NotContain(".");
        DeliveryIds.IsValid(id).Should().BeTrue();
        Guid.ParseExact(id[4..], "N").Version.Should().Be(7);
        DeliveryIds.IsValid(Id).Should().BeTrue();
        DeliveryIds.IsValid("dlv_0192F5C4A1B27C3E9D4F6A8B0C1D2E3F").Should().BeFalse();
    }

    [Test]
    public void DeliveryIds_New_SortByTime_DLV7()
    {
        var time = new FakeTimeProvider();
        var a = DeliveryIds.New(time);
        time.Advance(TimeSpan.FromMilliseconds(2));
        var b = DeliveryIds.New(time);

        string.CompareOrdinal(a, b).Should().BeNegative();
    }

    // --- StandardWebhookVerifier (DLV-44) ---

    private static StandardWebhookVerifier Verifier(TimeSpan offset = default) =>
        new(Secret, new FakeTimeProvider(VectorTime + offset));

    [Test]
    public void Verify_TestVector_Accepted_DLV43_DLV44() => Verifier().Verify(Id, Timestamp, Signature, Body).Should().BeTrue();

    [Test]
    public void Verify_OneChangedBodyByte_Rejected_DLV44()
    {
        var body = Body.ToArray();
        body[^3] ^= 0x01;

        Verifier().Verify(Id, Timestamp, Signature, body).Should().BeFalse();
    }

    [Test]
    public void Verify_ChangedIdOrSignature_Rejected_DLV44()
    {
        Verifier().Verify(Id.Replace('f', 'e'), Timestamp, Signature, Body).Should().BeFalse();
        Verifier().Verify(Id, Timestamp, Signature.Replace("vgV", "vgW"), Body).Should().BeFalse();
    }

    [TestCase(-6 * 60, false)]
    [TestCase(6 * 60, false)]
    [TestCase(-5 * 60, true)]
    [TestCase(5 * 60, true)]
    [TestCase(-5 * 60 - 1, false)]
    public void Verify_TimestampTolerance_FiveMinutesEitherWay_DLV44(int nowOffsetSeconds, bool accepted)
    {
        // A negative offset means the receiver's clock is behind, i.e. the timestamp is in its future.
        Verifier(TimeSpan.FromSeconds(nowOffsetSeconds)).Verify(Id, Timestamp, Signature, Body).Should().Be(accepted);
    }

    [Test]
    public void Verify_SixMinuteOldTimestamp_Rejected_DLV44() =>
        Verifier(TimeSpan.FromMinutes(6)).Verify(Id, Timestamp, Signature, Body).Should().BeFalse();

    [Test]
    public void Verify_RotationHeaderWithTwoSignatures_AcceptsEither_DLV41_DLV44()
    {
        var header = WebhookSigner.Sign(Id, Timestamp, Body, [Secret, SigningSecrets.Generate()]);

        Verifier().Verify(Id, Timestamp, header, Body).Should().BeTrue();
        new StandardWebhookVerifier(SigningSecrets.Generate(), new FakeTimeProvider(VectorTime)).Verify(Id, Timestamp, header, Body).Should().BeFalse();
    }

    [TestCase(null, Timestamp, Signature)]
    [TestCase(Id, null, Signature)]
    [TestCase(Id, Timestamp, null)]
    [TestCase(Id, "17356896OO", Signature)]
    [TestCase(Id, "-1735689600", Signature)]
    [TestCase(Id, Timestamp, "v2,vgVcf/slDnYYQypeyLu7TrUK/xkflr1Tr0dlbIb3n8g=")]
    [TestCase(Id, Timestamp, "v1,not-base64")]
    [TestCase(Id, Timestamp, "v1,dmdW")]
    public void Verify_MissingOrMalformedHeaders_Rejected_DLV44(string? id, string? timestamp, string? signature) =>
        Verifier().Verify(id, timestamp, signature, Body).Should().BeFalse();

    [TestCase("Q2hhdEludGVncmF0aW9ucy10ZXN0LXNlY3JldC0zMmI=")]
    [TestCase("whsec_")]
    [TestCase("whsec_***")]
    public void Constructor_InvalidSecret_Throws_DLV44(string secret) =>
        FluentActions.Invoking(() => new StandardWebhookVerifier(secret)).Should().Throw<ArgumentException>();
}
