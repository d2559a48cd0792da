using System.Diagnostics;
using ChatIntegrations.Scripting.Jint;
using ChatIntegrations.Scripting.Tests.Support;
using static ChatIntegrations.Scripting.Tests.Support.ScriptResultAssertions;

namespace ChatIntegrations.Scripting.Tests.Jint;

/// <summary>Hostile scripts end in their limit with the process alive (SCR-40..SCR-47, SEC-15, SEC-30).</summary>
[TestFixture]
[Parallelizable(ParallelScope.Self)]
public class JintScriptHostSandboxTests
{
    private JintScriptHost _host = null!;

    [OneTimeSetUp]
    public void SetUp() => _host = TestHost.Create();

    [OneTimeTearDown]
    public void TearDown() => _host.Dispose();

    [Test]
    [CancelAfter(30000)]
    public async Task InvokeAsync_InfiniteLoop_SCR47_EndsWithTimeoutOrStatementLimit()
    {
        ShouldFail(await _host.RunAsync("while(true){}"), "timeout", "statement-limit");
    }

    [Test]
    [CancelAfter(30000)]
    public async Task InvokeAsync_InfiniteLoopWithHighStatementLimit_SCR41_EndsWithTimeoutInTime()
    {
        using var host = TestHost.Create(o => { o.MaxStatements = 100_000_000; o.TimeLimit = TimeSpan.FromMilliseconds(300); });
        var watch = Stopwatch.StartNew();
        ShouldFail(await host.RunAsync("while(true){}"), "timeout");
        watch.Elapsed.Should().BeLessThan(TimeSpan.FromMilliseconds(300 + 500));
    }

    [Test]
    [CancelAfter(30000)]
    public async Task InvokeAsync_EmptyMillionLoop_SCR44_Succeeds()
    {
        var result = await _host.RunAsync("for (var i = 0; i < 1e6; i++) {} return i;");
        result.Outcome.Should().Be(ScriptOutcome.Completed, result.Reason + " " + result.ErrorDetail);
        result.Value!.GetValue<long>().Should().Be(1_000_000);
    }

    [TestCase("function f(n) { return f(n + 1); } return f(0);", TestName = "InvokeAsync_SelfRecursion_SCR43_EndsWithRecursionLimit")]
    [TestCase("function F() { new F(); } new F();", TestName = "InvokeAsync_ConstructorRecursion_SCR43_EndsWithRecursionLimit")]
    [TestCase("function g() { [1].map(g); } g();", TestName = "InvokeAsync_RecursionThroughMap_SCR43_EndsWithRecursionLimit")]
    [TestCase("var o = {}; Object.defineProperty(o, 'x', { get: function () { return this.x; } }); return o.x;", TestName = "InvokeAsync_RecursionThroughGetter_SCR43_EndsWithRecursionLimit")]
    [CancelAfter(60000)]
    public async Task InvokeAsync_Recursion(string body)
    {
        ShouldFail(await _host.RunAsync(body), "recursion-limit");
    }

    [Test]
    [CancelAfter(60000)]
    public async Task InvokeAsync_RecursionWithMaxDepth4096_SCR43_EndsWithRecursionLimit()
    {
        using var host = TestHost.Create(o => o.MaxRecursionDepth = 4096);
        ShouldFail(await host.RunAsync("function f(n) { return f(n + 1) + 1; } return f(0);"), "recursion-limit");
        ShouldFail(await host.RunAsync("function F(n) { this.c = new F(n + 1); } new F(0);"), "recursion-limit");
    }

    [Test]
    public void Constructor_SelfTestAtMaxDepth_SCR43_Passes()
    {
        var create = () => TestHost.Create(o => { o.MaxRecursionDepth = 4096; o.ThreadStackBytes = 16 * 1024 * 1024; }).Dispose();
        create.Should().NotThrow();
    }

    [Test]
    [CancelAfter(60000)]
    public async Task InvokeAsync_AllocationBomb_SCR44_EndsWithMemoryLimit()
    {
        using var host = TestHost.Create(o => { o.MaxAllocatedBytes = 256L * 1024 * 1024; o.MaxStatements = 100_000_000; o.TimeLimit = TimeSpan.FromSeconds(30); });
        ShouldFail(await host.RunAsync("var s = 'x'; while (true) { s += s; }"), "memory-limit");
        ShouldFail(await host.RunAsync("var a = []; while (true) { a[a.length] = {}; }"), "memory-limit");
    }

    [Test]
    [CancelAfter(30000)]
    public async Task InvokeAsync_CatastrophicRegex_SCR44a_EndsWithTimeoutWithinTimeLimit()
    {
        using var host = TestHost.Create(o => o.TimeLimit = TimeSpan.FromSeconds(1));
        await host.RunAsync("return 1;"); // warm up
        var watch = Stopwatch.StartNew();
        var result = await host.RunAsync("return /^(a+)+$/.test('a'.repeat(30) + '!');");
        watch.Stop();
        ShouldFail(result, "timeout");
        watch.Elapsed.Should().BeLessThan(TimeSpan.FromMilliseconds(1000 + 100 + 150), "SCR-41 allows TimeLimit + 100 ms (plus test overhead)");
    }

    [TestCase("return new RegExp('^(a+)+$').exec('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!');")]
    [TestCase("return 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!'.match('^(a+)+$');")]
    [TestCase("return 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!'.replace(/^(a+)+$/, 'x');")]
    [TestCase("return 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!'.search(/^(a+)+$/);")]
    [TestCase("return 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!'.split(/^(a+)+$/);")]
    [CancelAfter(30000)]
    public async Task InvokeAsync_CatastrophicRegexThroughEachEntry_SCR44a_EndsWithTimeout(string body)
    {
        using var host = TestHost.Create(o => o.TimeLimit = TimeSpan.FromMilliseconds(500));
        ShouldFail(await host.RunAsync(body), "timeout");
    }

    [TestCase("return new Array(5e7).join('xx');", TestName = "InvokeAsync_HugeArrayJoin_SCR44a_EndsWithMemoryLimit")]
    [TestCase("return 'x'.repeat(1e9);", TestName = "InvokeAsync_HugeRepeat_SCR44a_EndsWithMemoryLimit")]
    [TestCase("var a = []; a.length = 5e7; return a.join('xx');", TestName = "InvokeAsync_JoinOfLongSparseArray_SCR44a_EndsWithMemoryLimit")]
    [TestCase("return 'x'.repeat(2e6).split('');", TestName = "InvokeAsync_SplitIntoTooManyParts_SCR44a_EndsWithMemoryLimit")]
    [TestCase("return Math.max.apply(null, { length: 1e9 });", TestName = "InvokeAsync_ApplyWithHugeArguments_SCR44a_EndsWithMemoryLimit")]
    [TestCase("return 'x'.padEnd(1e9);", TestName = "InvokeAsync_HugePad_SCR44a_EndsWithMemoryLimit")]
    [TestCase("var s = 'x'.repeat(1e7); return s.concat(s, s);", TestName = "InvokeAsync_HugeConcat_SCR44a_EndsWithMemoryLimit")]
    [CancelAfter(30000)]
    public async Task InvokeAsync_MemoryBombs(string body)
    {
        ShouldFail(await _host.RunAsync(body), "memory-limit");
    }

    [TestCase("var o = {}; for (var i = 0; i < 200000; i++) { o = { a: o }; } JSON.stringify(o); return 1;", TestName = "InvokeAsync_StringifyDeepObject_SCR44a_EndsWithInvalidResult")]
    [TestCase("var o = {}; for (var i = 0; i < 200000; i++) { o = { a: o }; } return o;", TestName = "InvokeAsync_ReturnDeepObject_SCR71_EndsWithInvalidResult")]
    [TestCase("var o = { a: 1 }; o.self = o; return o;", TestName = "InvokeAsync_ReturnCyclicObject_SCR71_EndsWithInvalidResult")]
    [TestCase("return { text: 'x'.repeat(2 * 1024 * 1024) };", TestName = "InvokeAsync_ReturnHugeResult_SCR45_EndsWithInvalidResult")]
    [CancelAfter(30000)]
    public async Task InvokeAsync_InvalidResults(string body)
    {
        ShouldFail(await _host.RunAsync(body), "invalid-result");
    }

    [Test]
    [CancelAfter(30000)]
    public async Task InvokeAsync_SandboxEscapes_SEC15_ThrowEvalErrorNotAllowed()
    {
        var result = await _host.RunAsync(
            """
            var out = {};
            function probe(name, f) {
              try { out[name] = 'returned ' + typeof f(); }
              catch (e) { out[name] = (e instanceof EvalError ? 'EvalError: ' : 'other: ') + e.message; }
            }
            probe('thisConstructor', function () { return this.constructor.constructor('return this')(); });
            probe('Function', function () { return Function('return this')(); });
            probe('newFunction', function () { return new Function('return this')(); });
            probe('functionConstructor', function () { return (function () {}).constructor('return this')(); });
            probe('eval', function () { return eval('1'); });
            probe('indirectEval', function () { return (0, eval)('1'); });
            return out;
            """);
        result.Outcome.Should().Be(ScriptOutcome.Completed, result.ErrorDetail);
        foreach (var (name, value) in result.Value!.AsObject())
        {
            value!.GetValue<string>().Should().Be("EvalError: not allowed", name);
        }
    }

    [Test]
    [CancelAfter(30000)]
    public async Task InvokeAsync_ForbiddenGlobals_SCR50_AreUndefined()
    {
        var result = await _host.RunAsync(
            "return [typeof require, typeof module, typeof exports, typeof process, typeof Buffer, typeof setTimeout, typeof setInterval, typeof System, typeof importNamespace, typeof clrHelper].join(',');");
        result.Value!.GetValue<string>().Should().Be(string.Join(',', Enumerable.Repeat("undefined", 10)));
    }

    [Test]
    [CancelAfter(30000)]
    public async Task InvokeAsync_Globals_SCR50_AreExactlyTheSandboxOnes()
    {
        var result = await _host.RunAsync("return [typeof console, typeof Store, typeof HTTP, (function () { return this; })() === globalThis].join(',');");
        result.Value!.GetValue<string>().Should().Be("object,object,function,true");
    }

    [Test]
    [CancelAfter(30000)]
    public async Task InvokeAsync_PrototypePollution_SCR72_DoesNotLeakToAnotherIntegration()
    {
        var polluter = await _host.RunAsync("Object.prototype.polluted = 'yes'; Array.prototype.join = function () { return 'hacked'; }; String.prototype.capitalizeFirstLetter = function () { return 'C'; }; return 'x'.capitalizeFirstLetter();");
        polluter.Value!.GetValue<string>().Should().Be("C", "SCR-64 allows extending built-ins in the own realm");
        var victim = await _host.RunAsync("return [typeof ({}).polluted, [1, 2].join('-'), typeof ''.capitalizeFirstLetter].join(',');");
        victim.Value!.GetValue<string>().Should().Be("undefined,1-2,undefined");
    }

    [TestCase("throw { a: 1 };")]
    [TestCase("throw 'plain string';")]
    [TestCase("throw 42;")]
    [TestCase("throw null;")]
    [CancelAfter(30000)]
    public async Task InvokeAsync_ThrowsNonErrorValue_SCR48_FailsWithException(string body)
    {
        ShouldFail(await _host.RunAsync(body), "exception");
        (await _host.RunAsync("return 1;")).Outcome.Should().Be(ScriptOutcome.Completed);
    }

    [Test]
    [CancelAfter(30000)]
    public async Task InvokeAsync_ThrowsError_SCR48_DetailHasMessageAndOriginalLine()
    {
        var result = await _host.RunAsync("var x = 1;\nthrow new TypeError('bad thing');");
        ShouldFail(result, "exception");
        result.ErrorDetail.Should().Contain("TypeError: bad thing").And.Contain("at 5:");
    }

    [Test]
    [CancelAfter(30000)]
    public async Task InvokeAsync_LimitHitCannotBeCaught_SCR47_FinallyDoesNotRescue()
    {
        var result = await _host.RunAsync("try { while (true) {} } catch (e) { return 'caught'; } finally { return 'finally'; }");
        ShouldFail(result, "timeout", "statement-limit");
    }
}
