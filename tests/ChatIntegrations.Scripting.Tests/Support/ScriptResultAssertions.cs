namespace ChatIntegrations.Scripting.Tests.Support;

/// <summary>Assertions on a <see cref="ScriptCallResult"/> shared by the host's tests.</summary>
internal static class ScriptResultAssertions
{
    /// <summary>The call failed with one of <paramref name="reasons"/> (SCR-47).</summary>
    public static void ShouldFail(ScriptCallResult result, params string[] reasons)
    {
        result.Outcome.Should().Be(ScriptOutcome.Failed, result.ErrorDetail);
        result.Reason.Should().BeOneOf(reasons, result.ErrorDetail);
    }

    /// <summary>The call completed and returned <paramref name="json"/>.</summary>
    public static void ShouldComplete(ScriptCallResult result, string json)
    {
        result.Outcome.Should().Be(ScriptOutcome.Completed, result.Reason + " " + result.ErrorDetail);
        result.Value!.ToJsonString().Should().Be(json);
    }
}
