using System.Net;
using ChatIntegrations.Security.Ssrf;

namespace ChatIntegrations.Tests.Security.Ssrf;

public sealed class SsrfPolicyTests
{
    private static SsrfPolicy Policy(params string[] allow)
    {
        var options = new SsrfOptions();
        foreach (var entry in allow) options.AllowList.Add(entry);
        return SsrfPolicy.For(options);
    }

    [TestCase("10.0.0.0/8", "10.1.2.3", false)]
    [TestCase("10.1.0.0/16", "10.2.0.1", true)]
    [TestCase("127.0.0.2/32", "127.0.0.2", false)]
    [TestCase("127.0.0.2/32", "127.0.0.3", true)]
    [TestCase("127.0.0.2", "127.0.0.2", false)]
    [TestCase("fd00::/8", "fd12::1", false)]
    [TestCase("10.0.0.0/8", "::ffff:10.0.0.5", false)]
    [TestCase("10.0.0.0/8", "64:ff9b::a00:5", false)]
    public void IsAddressDenied_AllowListedCidr_OpensTheRange_SEC11(string allow, string address, bool denied) =>
        Policy(allow).IsAddressDenied(IPAddress.Parse(address), localAddresses: null).Should().Be(denied);

    [TestCase("hooks.internal", "hooks.internal", true)]
    [TestCase("hooks.internal", "HOOKS.internal.", true)]
    [TestCase("hooks.internal", "a.hooks.internal", false)]
    [TestCase("*.corp.example", "a.corp.example", true)]
    [TestCase("*.corp.example", "a.b.corp.example", true)]
    [TestCase("*.corp.example", "corp.example", false)]
    [TestCase("*.corp.example", "evilcorp.example", false)]
    [TestCase("localhost", "localhost", true)]
    public void IsNameAllowListed_ExactAndSuffix_Match_SEC11(string allow, string host, bool allowed) =>
        Policy(allow).IsNameAllowListed(host).Should().Be(allowed);

    [Test]
    public void IsNameDenied_AllowListedDeniedName_IsAllowed_SEC11()
    {
        Policy().IsNameDenied("localhost").Should().BeTrue();
        Policy("localhost").IsNameDenied("localhost").Should().BeFalse();
        Policy("*.localhost").IsNameDenied("app.localhost").Should().BeFalse();
    }

    [Test]
    public void IsAddressDenied_NodeOwnAddress_IsDenied_SEC7()
    {
        var local = new HashSet<IPAddress> { IPAddress.Parse("8.8.4.4") };
        Policy().IsAddressDenied(IPAddress.Parse("8.8.4.4"), local).Should().BeTrue();
        Policy().IsAddressDenied(IPAddress.Parse("::ffff:8.8.4.4"), local).Should().BeTrue();
        Policy().IsAddressDenied(IPAddress.Parse("8.8.8.8"), local).Should().BeFalse();
        Policy("8.8.4.4/32").IsAddressDenied(IPAddress.Parse("8.8.4.4"), local).Should().BeFalse();
    }

    [Test]
    public void IsPortAllowed_EmptyList_AllowsAny_SEC8()
    {
        Policy().IsPortAllowed(8080).Should().BeTrue();
        var options = new SsrfOptions();
        options.AllowedPorts.Add(443);
        SsrfPolicy.For(options).IsPortAllowed(443).Should().BeTrue();
        SsrfPolicy.For(options).IsPortAllowed(8080).Should().BeFalse();
    }

    [Test]
    public void For_OptionsChangedAfterUse_SeesTheChange_SEC11()
    {
        var options = new SsrfOptions();
        SsrfPolicy.For(options).IsAddressDenied(IPAddress.Parse("10.0.0.5"), null).Should().BeTrue();
        options.AllowList.Add("10.0.0.0/8");
        SsrfPolicy.For(options).IsAddressDenied(IPAddress.Parse("10.0.0.5"), null).Should().BeFalse();
    }

    [Test]
    public void IsAddressDenied_GuardDisabled_AllowsEverything_SEC12()
    {
        var options = new SsrfOptions { Enabled = false };
        SsrfPolicy.For(options).IsAddressDenied(IPAddress.Parse("169.254.169.254"), null).Should().BeFalse();
        SsrfPolicy.For(options).IsNameDenied("localhost").Should().BeFalse();
    }
}
