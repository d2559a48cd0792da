using ChatIntegrations.Scripting.Jint;

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
}
