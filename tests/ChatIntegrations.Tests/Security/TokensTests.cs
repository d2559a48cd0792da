using ChatIntegrations.Security;

namespace ChatIntegrations.Tests.Security;

public sealed class TokensTests
{
    [Test]
    public void NewToken_UsesAlphabetAndLength_SEC1()
    {
        var tokens = Enumerable.Range(0, 200).Select(_ => Tokens.NewToken()).ToList();
        tokens.Should().OnlyContain(t => t.Length == 48 && t.All(c => Tokens.Alphabet.Contains(c)));
        tokens.Distinct().Should().HaveCount(200);
    }

    [Test]
    public void FixedTimeEquals_ComparesDigests_SEC3()
    {
        Tokens.FixedTimeEquals("abc", "abc").Should().BeTrue();
        Tokens.FixedTimeEquals("abc", "abd").Should().BeFalse();
        Tokens.FixedTimeEquals("abc", "abcd").Should().BeFalse();
        Tokens.FixedTimeEquals(null, "abc").Should().BeFalse();
        Span<byte> a = stackalloc byte[32];
        Span<byte> b = stackalloc byte[32];
        Tokens.Digest("short", a);
        Tokens.Digest(new string('x', 5000), b);
        a.Length.Should().Be(b.Length); // equal-length digests whatever the input length
    }

    [TestCase("a", false)]
    [TestCase("0123456789abcdef", true)]
    [TestCase("with space 123456", false)]
    [TestCase("old/Token+With=Chars", true)]
    public void IsValidIncomingToken_Rules_SEC1(string token, bool valid) => Tokens.IsValidIncomingToken(token).Should().Be(valid);
}
