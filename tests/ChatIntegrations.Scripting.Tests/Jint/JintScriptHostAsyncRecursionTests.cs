using ChatIntegrations.Scripting.Tests.Support;

namespace ChatIntegrations.Scripting.Tests.Jint;

/// <summary>SCR-43 through the front end's async functions: the host starts them natively (<c>__ci.async</c>), which
/// Jint does not count on its own for the body it calls, so a deep recursion must still end with
/// <c>recursion-limit</c>, never a stack overflow that would take the script thread down.</summary>
public class JintScriptHostAsyncRecursionTests
{
    [TestCase("async function f(n) { return 1 + await f(n + 1); } return f(0);", TestName = "InvokeAsync_AsyncSelfRecursion_SCR43_EndsWithRecursionLimit")]
    [TestCase("async function f(n) { try { return await f(n + 1); } finally { n++; } } return f(0);", TestName = "InvokeAsync_AsyncRecursionWithTry_SCR43_EndsWithRecursionLimit")]
    [TestCase("var o = { async m(n) { return this.m(n + 1); } }; return o.m(0);", TestName = "InvokeAsync_AsyncMethodRecursion_SCR43_EndsWithRecursionLimit")]
    [TestCase("var f = async (n) => [n, await f(n + 1)]; return f(0);", TestName = "InvokeAsync_AsyncArrowRecursion_SCR43_EndsWithRecursionLimit")]
    [CancelAfter(60000)]
    public async Task InvokeAsync_AsyncRecursion(string body)
    {
        using var host = TestHost.Create();
        ShouldFail(await host.RunAsync(body));
    }

    [Test]
    [CancelAfter(60000)]
    public async Task InvokeAsync_AsyncRecursionWithMaxDepth4096_SCR43_EndsWithRecursionLimit()
    {
        using var host = TestHost.Create(o => o.MaxRecursionDepth = 4096);
        ShouldFail(await host.RunAsync("async function f(n) { return 1 + await f(n + 1); } return f(0);"));
        ShouldFail(await host.RunAsync("async function f(n) { try { return await f(n + 1); } catch (e) { throw e; } } return f(0);"));

        // The host still works after the limit was hit.
        var ok = await host.RunAsync("async function f(n) { return n === 0 ? 0 : 1 + await f(n - 1); } return f(50);");
        ok.Outcome.Should().Be(ScriptOutcome.Completed, ok.Reason + " " + ok.ErrorDetail);
        ok.Value!.GetValue<long>().Should().Be(50);
    }

    private static void ShouldFail(ScriptCallResult result)
    {
        result.Outcome.Should().Be(ScriptOutcome.Failed, result.ErrorDetail);
        result.Reason.Should().Be("recursion-limit", result.ErrorDetail);
    }
}
