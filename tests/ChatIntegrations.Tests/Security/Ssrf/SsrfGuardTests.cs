using ChatIntegrations.Security.Ssrf;

namespace ChatIntegrations.Tests.Security.Ssrf;

public sealed class SsrfGuardTests
{
    // SEC-30 row "SSRF through the outgoing URL", save half (SEC-13).
    [TestCase("http://169.254.169.254/")]
    [TestCase("http://169.254.169.254/latest/meta-data/")]
    [TestCase("https://127.0.0.1:8443/x")]
    [TestCase("http://[::1]/")]
    [TestCase("http://[::ffff:10.0.0.5]/")]
    [TestCase("http://[fe80::1%25eth0]/")]
    [TestCase("http://0x7f.1/")] // Uri canonicalises to 127.0.0.1
    [TestCase("http://2130706433/")]
    [TestCase("http://localhost:3000/")]
    [TestCase("http://api.localhost/")]
    [TestCase("http://metadata.google.internal/computeMetadata/v1/")]
    [TestCase("http://metadata/")]
    public void IsDeniedLiteral_DeniedLiteralOrName_IsDenied_SEC13(string url) =>
        SsrfGuard.IsDeniedLiteral(new Uri(url), new SsrfOptions()).Should().BeTrue();

    [TestCase("https://hooks.example.com/x")]
    [TestCase("http://8.8.8.8/")]
    [TestCase("http://internal-name-resolving-anywhere/")] // judged at connect time (SEC-9)
    public void IsDeniedLiteral_PublicOrUnresolvedName_IsAllowed_SEC13(string url) =>
        SsrfGuard.IsDeniedLiteral(new Uri(url), new SsrfOptions()).Should().BeFalse();

    [Test]
    public void IsDeniedLiteral_AllowListed_IsAllowed_SEC11_SEC13()
    {
        var options = new SsrfOptions();
        options.AllowList.Add("169.254.0.0/16");
        options.AllowList.Add("localhost");
        SsrfGuard.IsDeniedLiteral(new Uri("http://169.254.169.254/"), options).Should().BeFalse();
        SsrfGuard.IsDeniedLiteral(new Uri("http://localhost/"), options).Should().BeFalse();
    }

    [Test]
    public void IsDeniedLiteral_GuardDisabled_IsAllowed_SEC12() =>
        SsrfGuard.IsDeniedLiteral(new Uri("http://169.254.169.254/"), new SsrfOptions { Enabled = false }).Should().BeFalse();
}
