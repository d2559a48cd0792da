using ChatIntegrations.Scripting.Jint;
using ChatIntegrations.Scripting.Jint.Runtime;

namespace ChatIntegrations.Scripting.Tests.Jint;

public class ScriptOptionsTests
{
    [Test]
    public void Validate_Defaults_SCR40_AreValid()
    {
        new ScriptOptions().Validate().Should().BeNull();
    }

    [TestCase(nameof(ScriptOptions.MaxStatements), 0)]
    [TestCase(nameof(ScriptOptions.MaxRecursionDepth), 8)]
    [TestCase(nameof(ScriptOptions.MaxResultDepth), 1000)]
    [TestCase(nameof(ScriptOptions.MaxHttpCalls), -1)]
    [TestCase(nameof(ScriptOptions.MaxArrayLength), int.MaxValue)]
    public void Validate_OutOfRange_SCR40_IsRejectedByName(string property, int value)
    {
        var options = new ScriptOptions();
        typeof(ScriptOptions).GetProperty(property)!.SetValue(options, value);
        options.Validate().Should().Contain(property);
    }

    [TestCase(nameof(ScriptOptions.MaxStoreKeys), 0)]
    [TestCase(nameof(ScriptOptions.MaxStoreKeys), -1)]
    [TestCase(nameof(ScriptOptions.MaxStoreKeys), ScriptDefaults.MaxStoreKeysMin - 1)]
    [TestCase(nameof(ScriptOptions.MaxStoreKeys), ScriptDefaults.MaxStoreKeysMax + 1)]
    [TestCase(nameof(ScriptOptions.MaxStoreBytes), 0)]
    [TestCase(nameof(ScriptOptions.MaxStoreBytes), -1)]
    [TestCase(nameof(ScriptOptions.MaxStoreBytes), ScriptDefaults.MaxStoreBytesMin - 1)]
    [TestCase(nameof(ScriptOptions.MaxStoreBytes), ScriptDefaults.MaxStoreBytesMax + 1)]
    [TestCase(nameof(ScriptOptions.MaxHttpResponseBytes), 0)]
    [TestCase(nameof(ScriptOptions.MaxHttpResponseBytes), -1)]
    [TestCase(nameof(ScriptOptions.MaxHttpResponseBytes), ScriptDefaults.MaxHttpResponseBytesMin - 1)]
    [TestCase(nameof(ScriptOptions.MaxHttpResponseBytes), ScriptDefaults.MaxHttpResponseBytesMax + 1)]
    public void Validate_StoreOrResponseLimitOutOfRange_IsRejectedByName_SEC14_SCR52_SCR53(string property, int value)
    {
        var options = new ScriptOptions();
        typeof(ScriptOptions).GetProperty(property)!.SetValue(options, value);
        options.Validate().Should().Contain(property);
    }

    [TestCase(nameof(ScriptOptions.MaxStoreKeys), ScriptDefaults.MaxStoreKeysMin)]
    [TestCase(nameof(ScriptOptions.MaxStoreKeys), ScriptDefaults.MaxStoreKeysMax)]
    [TestCase(nameof(ScriptOptions.MaxStoreBytes), ScriptDefaults.MaxStoreBytesMin)]
    [TestCase(nameof(ScriptOptions.MaxStoreBytes), ScriptDefaults.MaxStoreBytesMax)]
    [TestCase(nameof(ScriptOptions.MaxHttpResponseBytes), ScriptDefaults.MaxHttpResponseBytesMin)]
    [TestCase(nameof(ScriptOptions.MaxHttpResponseBytes), ScriptDefaults.MaxHttpResponseBytesMax)]
    public void Validate_StoreOrResponseLimitAtBound_IsValid_SEC14_SCR52_SCR53(string property, int value)
    {
        var options = new ScriptOptions();
        typeof(ScriptOptions).GetProperty(property)!.SetValue(options, value);
        options.Validate().Should().BeNull();
    }

    [Test]
    public void Validate_StoreLargerThanNodeBudget_NamesBothOptions_SEC14_SCR52()
    {
        var options = new ScriptOptions { MaxStoreBytes = 2 * 1024 * 1024, MaxStoreBytesPerNode = 1024 * 1024 };
        options.Validate().Should().Contain("MaxStoreBytes 2097152").And.Contain("MaxStoreBytesPerNode 1048576");
        options.MaxStoreBytesPerNode = 2 * 1024 * 1024;
        options.Validate().Should().BeNull("a Store may take the whole node budget");
    }

    [Test]
    public void Constructor_InvalidStoreLimit_Throws_SEC14_SCR52()
    {
        var create = () => Support.TestHost.Create(o => o.MaxStoreKeys = 0);
        create.Should().Throw<ArgumentException>().WithMessage("*MaxStoreKeys*");
    }

    [Test]
    public void Validate_UnlimitedTime_SCR40_IsRejected()
    {
        var options = new ScriptOptions { TimeLimit = Timeout.InfiniteTimeSpan, WallClockLimit = TimeSpan.FromHours(1) };
        options.Validate().Should().Contain("TimeLimit").And.Contain("WallClockLimit");
    }

    [Test]
    public void Validate_DepthTooLargeForStack_SCR43_NamesBothOptions()
    {
        var options = new ScriptOptions { MaxRecursionDepth = 4096, ThreadStackBytes = 4 * 1024 * 1024 };
        options.Validate().Should().Contain("MaxRecursionDepth").And.Contain("ThreadStackBytes");
    }

    [Test]
    public void Constructor_InvalidOptions_SCR40_Throws()
    {
        var create = () => Support.TestHost.Create(o => o.MaxHttpCalls = 1000);
        create.Should().Throw<ArgumentException>().WithMessage("*MaxHttpCalls*");
    }

    [Test]
    [Description("SCR-41: the runtime prelude is realm set-up, not script code: a host with the lowest MaxStatements starts (self-test) and runs hooks")]
    public async Task MaxStatements_Lowest_SCR41_HostStartsAndRunsHooks()
    {
        using var host = Support.TestHost.Create(o => o.MaxStatements = ScriptDefaults.MaxStatementsMin);
        var arg = Support.TestHost.Arg("{\"request\":{\"content\":{\"text\":\"hi\"}}}");

        var sync = await host.InvokeAsync(Support.TestHost.Script("class Script { process_incoming_request({ request }) { return { content: { text: request.content.text } }; } }"), "process_incoming_request", arg).AsTask();
        sync.Outcome.Should().Be(ScriptOutcome.Completed, sync.ErrorDetail);
        sync.Value!["content"]!["text"]!.GetValue<string>().Should().Be("hi");

        var async = await host.InvokeAsync(Support.TestHost.Script("class Script { async process_incoming_request({ request }) { const c = await request.content; return { content: { text: c.text } }; } }"), "process_incoming_request", arg).AsTask();
        async.Outcome.Should().Be(ScriptOutcome.Completed, async.ErrorDetail);
        async.Value!["content"]!["text"]!.GetValue<string>().Should().Be("hi");

        // The limit still bounds the hook itself.
        var loop = await host.InvokeAsync(Support.TestHost.Script("class Script { process_incoming_request() { let n = 0; for (let i = 0; i < 5000; i++) { n += i; } return { content: { text: String(n) } }; } }"), "process_incoming_request", arg).AsTask();
        loop.Reason.Should().Be(ScriptReasons.StatementLimit);
    }
}
