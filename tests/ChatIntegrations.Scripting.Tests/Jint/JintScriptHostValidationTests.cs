using ChatIntegrations.Scripting.Jint;
using ChatIntegrations.Scripting.Tests.Support;

namespace ChatIntegrations.Scripting.Tests.Jint;

/// <summary>Save-time validation (SCR-30..SCR-33).</summary>
public class JintScriptHostValidationTests
{
    private JintScriptHost _host = null!;

    [OneTimeSetUp]
    public void SetUp() => _host = TestHost.Create();

    [OneTimeTearDown]
    public void TearDown() => _host.Dispose();

    [Test]
    [CancelAfter(30000)]
    public async Task ValidateAsync_ValidIncoming_SCR30_IsValid()
    {
        (await _host.ValidateAsync(TestHost.Incoming("return 1;"), IntegrationType.Incoming)).IsValid.Should().BeTrue();
    }

    [Test]
    [CancelAfter(30000)]
    public async Task ValidateAsync_SyntaxError_SCR31_ReportsPosition()
    {
        var result = await _host.ValidateAsync("function Script() {}\nvar x = ;", IntegrationType.Incoming);
        result.Diagnostics.Should().ContainSingle().Which.Line.Should().Be(2);
    }

    [Test]
    [CancelAfter(30000)]
    public async Task ValidateAsync_DryRunStore_UsesConfiguredMaxStoreKeys_SEC14_SCR33_SCR52()
    {
        using var host = TestHost.Create(o => o.MaxStoreKeys = 10);
        var fits = await host.ValidateAsync(TestHost.Incoming("return 1;", "for (var i = 0; i < 10; i++) { Store.set('k' + i, i); }"), IntegrationType.Incoming);
        fits.IsValid.Should().BeTrue();
        var over = await host.ValidateAsync(TestHost.Incoming("return 1;", "for (var i = 0; i < 11; i++) { Store.set('k' + i, i); }"), IntegrationType.Incoming);
        over.Diagnostics.Should().ContainSingle().Which.Message.Should().Contain("Store limit exceeded");
    }

    [Test]
    [CancelAfter(30000)]
    public async Task ValidateAsync_NoScriptClass_SCR33_IsRejected()
    {
        var result = await _host.ValidateAsync("var x = 1;", IntegrationType.Outgoing);
        result.Diagnostics.Should().ContainSingle().Which.Message.Should().Contain("Script");
    }

    [Test]
    [CancelAfter(30000)]
    public async Task ValidateAsync_IncomingWithoutHook_SCR33_IsRejected()
    {
        var result = await _host.ValidateAsync("function Script() {}\nScript.prototype.other = function () {};", IntegrationType.Incoming);
        result.Diagnostics.Should().ContainSingle().Which.Message.Should().Contain("process_incoming_request");
        (await _host.ValidateAsync("function Script() {}", IntegrationType.Outgoing)).IsValid.Should().BeTrue();
    }

    [Test]
    [CancelAfter(30000)]
    public async Task ValidateAsync_TopLevelThrows_SCR33_ReportsExceptionPosition()
    {
        var result = await _host.ValidateAsync("var a = 1;\n  throw new Error('boom');\n" + TestHost.Incoming("return 1;"), IntegrationType.Incoming);
        var diagnostic = result.Diagnostics.Should().ContainSingle().Subject;
        diagnostic.Line.Should().Be(2);
        diagnostic.Message.Should().Contain("boom");
    }

    [Test]
    [CancelAfter(30000)]
    public async Task ValidateAsync_HttpAtTopLevel_SCR33_IsNotAvailable()
    {
        var result = await _host.ValidateAsync("HTTP('GET', 'http://a.test/');\n" + TestHost.Incoming("return 1;"), IntegrationType.Incoming);
        result.Diagnostics.Should().ContainSingle().Which.Message.Should().Contain("not available during validation");
    }

    [Test]
    [CancelAfter(30000)]
    public async Task ValidateAsync_DeepNesting_SEC30_IsRejectedWithoutCrash()
    {
        var source = new string('(', 50_000) + "1" + new string(')', 50_000);
        var result = await _host.ValidateAsync(source, IntegrationType.Incoming);
        result.IsValid.Should().BeFalse();
        result.Diagnostics[0].Message.Should().Contain("MaxSyntaxDepth");
    }

    [Test]
    [CancelAfter(30000)]
    public async Task ValidateAsync_TooLarge_SCR40_IsRejected()
    {
        var result = await _host.ValidateAsync(new string(' ', 300 * 1024) + TestHost.Incoming("return 1;"), IntegrationType.Incoming);
        result.Diagnostics.Should().ContainSingle().Which.Message.Should().Contain("MaxSourceBytes");
    }
}
