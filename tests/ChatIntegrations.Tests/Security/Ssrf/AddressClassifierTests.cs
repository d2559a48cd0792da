using System.Net;
using ChatIntegrations.Security.Ssrf;

namespace ChatIntegrations.Tests.Security.Ssrf;

public sealed class AddressClassifierTests
{
    // SEC-7: every row of the table, at both ends of each range where it matters.
    [TestCase("0.0.0.0")]
    [TestCase("0.255.255.255")]
    [TestCase("127.0.0.1")]
    [TestCase("127.255.255.254")]
    [TestCase("::")]
    [TestCase("::1")]
    [TestCase("10.0.0.0")]
    [TestCase("10.0.0.5")]
    [TestCase("10.255.255.255")]
    [TestCase("172.16.0.1")]
    [TestCase("172.31.255.255")]
    [TestCase("192.168.1.1")]
    [TestCase("fc00::1")]
    [TestCase("fdff:ffff::1")]
    [TestCase("169.254.169.254")]
    [TestCase("169.254.0.1")]
    [TestCase("fe80::1")]
    [TestCase("febf::1")]
    [TestCase("100.64.0.1")]
    [TestCase("100.127.255.255")]
    [TestCase("192.0.0.8")]
    [TestCase("198.18.0.1")]
    [TestCase("198.19.255.255")]
    [TestCase("224.0.0.1")]
    [TestCase("239.255.255.255")]
    [TestCase("240.0.0.1")]
    [TestCase("255.255.255.255")]
    [TestCase("ff02::1")]
    [TestCase("192.0.2.10")]
    [TestCase("198.51.100.7")]
    [TestCase("203.0.113.9")]
    [TestCase("2001:db8::1")]
    [TestCase("fec0::1")]
    [TestCase("100::1")]
    [TestCase("2001:0:4136:e378:8000:63bf:3fff:fdd2")] // Teredo
    [TestCase("64:ff9b:1::a00:5")] // local-use NAT64
    public void IsDeniedAddress_RangeOfTheTable_IsDenied_SEC7(string address) =>
        AddressClassifier.IsDeniedAddress(IPAddress.Parse(address)).Should().BeTrue();

    // SEC-7: IPv4-mapped, IPv4-compatible, NAT64 and 6to4 are judged by the embedded IPv4 address.
    [TestCase("::ffff:127.0.0.1", true)]
    [TestCase("::ffff:10.0.0.5", true)]
    [TestCase("::ffff:169.254.169.254", true)]
    [TestCase("::ffff:8.8.8.8", false)]
    [TestCase("::10.0.0.5", true)]
    [TestCase("::127.0.0.1", true)]
    [TestCase("::8.8.8.8", false)]
    [TestCase("64:ff9b::a00:5", true)] // 10.0.0.5
    [TestCase("64:ff9b::a9fe:a9fe", true)] // 169.254.169.254
    [TestCase("64:ff9b::808:808", false)] // 8.8.8.8
    [TestCase("2002:7f00:1::1", true)] // 6to4 of 127.0.0.1
    [TestCase("2002:a00:5::1", true)] // 6to4 of 10.0.0.5
    [TestCase("2002:808:808::1", false)] // 6to4 of 8.8.8.8
    public void IsDeniedAddress_EmbeddedIPv4_JudgedByTheIPv4Address_SEC7(string address, bool denied) =>
        AddressClassifier.IsDeniedAddress(IPAddress.Parse(address)).Should().Be(denied);

    [TestCase("8.8.8.8")]
    [TestCase("1.1.1.1")]
    [TestCase("172.15.255.255")]
    [TestCase("172.32.0.0")]
    [TestCase("100.63.255.255")]
    [TestCase("100.128.0.0")]
    [TestCase("192.0.1.1")]
    [TestCase("198.17.255.255")]
    [TestCase("198.20.0.0")]
    [TestCase("223.255.255.255")]
    [TestCase("2606:4700:4700::1111")]
    [TestCase("2001:4860:4860::8888")]
    [TestCase("100:0:0:1::1")] // just past 100::/64
    [TestCase("64:ff9b:2::1")]
    public void IsDeniedAddress_PublicAddress_IsAllowed_SEC7(string address) =>
        AddressClassifier.IsDeniedAddress(IPAddress.Parse(address)).Should().BeFalse();

    [TestCase("localhost", true)]
    [TestCase("LOCALHOST.", true)]
    [TestCase("api.localhost", true)]
    [TestCase("metadata", true)]
    [TestCase("metadata.google.internal", true)]
    [TestCase("Metadata.Google.Internal.", true)]
    [TestCase("localhost.example.com", false)]
    [TestCase("mylocalhost", false)]
    [TestCase("metadata.example.com", false)]
    [TestCase("hooks.example.com", false)]
    public void IsDeniedName_NamesOfTheTable_DeniedBeforeResolution_SEC7(string host, bool denied) =>
        AddressClassifier.IsDeniedName(host).Should().Be(denied);

    [Test]
    public void IsDeniedAddress_LinkLocalWithScope_IsDenied_SEC7()
    {
        var scoped = IPAddress.Parse("fe80::1%2");
        AddressClassifier.IsDeniedAddress(scoped).Should().BeTrue();
    }
}
