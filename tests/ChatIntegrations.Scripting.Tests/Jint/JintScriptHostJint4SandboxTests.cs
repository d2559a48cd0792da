using System.Diagnostics;
using ChatIntegrations.Scripting.Tests.Support;
using static ChatIntegrations.Scripting.Tests.Support.ScriptResultAssertions;

namespace ChatIntegrations.Scripting.Tests.Jint;

/// <summary>
/// The sandbox settings that Jint 4 does not make by default, and the bounds it leaves open, each shown to end a
/// hostile script in a limit hit while the process stays healthy (SCR-40..SCR-47, SCR-44a, SCR-50, SCR-63).
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class JintScriptHostJint4SandboxTests
{
    // ---- StackOverflowGuard: recursion that never enters a script function through Jint's call path -------------

    [TestCase("var o = {}; o.toString = function () { return String(o); }; return '' + o;")]
    [TestCase("var p = new Proxy({}, { get: function (t, k, r) { return r[k]; } }); return p.x;")]
    [TestCase("var o = { toJSON: function () { return JSON.parse(JSON.stringify(o)); } }; return JSON.stringify(o);")]
    [CancelAfter(60000)]
    public async Task InvokeAsync_RecursionThroughNativeCode_SCR43_EndsInRecursionLimit(string body)
    {
        using var host = TestHost.Create(o => { o.MaxRecursionDepth = 4096; o.ThreadStackBytes = 64 * 1024 * 1024; });
        ShouldFail(await host.RunAsync(body), "recursion-limit");
        ShouldComplete(await host.RunAsync("return 1;"), "1"); // the host is healthy afterwards
    }

    [Test]
    [CancelAfter(60000)]
    public async Task InvokeAsync_CaughtStackOverflow_SCR43_IsARangeErrorTheScriptSees()
    {
        using var host = TestHost.Create(o => { o.MaxRecursionDepth = 4096; o.ThreadStackBytes = 64 * 1024 * 1024; });
        ShouldComplete(
            await host.RunAsync("var p = new Proxy({}, { get: function (t, k, r) { return r[k]; } }); try { return p.x; } catch (e) { return e instanceof RangeError; }"),
            "true");
    }

    // ---- globals that could suspend or allocate before any limit is checked ------------------------------------

    [Test]
    [CancelAfter(30000)]
    public async Task InvokeAsync_BinaryAndAgentGlobals_SCR50_AreAbsent()
    {
        // Without AgentCanSuspend = false and the removal, Atomics.wait would park the script thread past every
        // limit, and new Uint8Array(1e9) would reserve a gigabyte before the memory check.
        using var host = TestHost.Create();
        ShouldComplete(
            await host.RunAsync("return ['Atomics', 'SharedArrayBuffer', 'ArrayBuffer', 'DataView', 'Uint8Array', 'Float64Array', 'WebAssembly', 'ShadowRealm', 'require', 'process', 'setTimeout'].filter(function (n) { return typeof globalThis[n] !== 'undefined'; });"),
            "[]");
    }

    [TestCase("return eval('1');")]
    [TestCase("return Function('return 1')();")]
    [TestCase("return new Function('return 1')();")]
    [TestCase("return (function () {}).constructor('return 1')();")]
    [TestCase("return (async function () {}).constructor('return 1')();")]
    [TestCase("return (function* () {}).constructor('yield 1')().next().value;")]
    [TestCase("return (async function* () {}).constructor('yield 1');")]
    [CancelAfter(30000)]
    public async Task InvokeAsync_StringCompilation_SCR50_ThrowsEvalErrorNotAllowed(string body)
    {
        using var host = TestHost.Create();
        ShouldComplete(await host.RunAsync("try { " + body + " } catch (e) { return e.name + ': ' + e.message; }"), "\"EvalError: not allowed\"");
    }

    [Test]
    [CancelAfter(30000)]
    public async Task InvokeAsync_FunctionStillWorksAsAType_SCR50_InstanceofAndPrototype()
    {
        using var host = TestHost.Create();
        ShouldComplete(
            await host.RunAsync("var f = function () {}; return [f instanceof Function, typeof Function.prototype.call, Object.getPrototypeOf(f) === Function.prototype];"),
            "[true,\"function\",true]");
    }

    // ---- bounds Jint 4 leaves open (SCR-44a) -----------------------------------------------------------------

    [TestCase("var a = []; a.length = 5e7; return a.join('xx').length;")]
    [TestCase("var a = []; a.length = 5e7; return a.join('').length;")]
    [TestCase("var a = []; a.length = 5e7; return a.indexOf(1);")]
    [TestCase("return Array.prototype.join.call({ length: 1e9 }, 'x').length;")]
    [TestCase("var a = []; a.length = 5e7; a.forEach(function () {}); return 1;")]
    [TestCase("return 'x'.repeat(2e8).length;")]
    [TestCase("return 'x'.padStart(2e8).length;")]
    [TestCase("var s = 'x'.repeat(1 << 20); return s.concat(s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s, s).length;")]
    [TestCase("var o = {}; var s = 'x'.repeat(1 << 22); for (var i = 0; i < 8; i++) { o['k' + i] = s; } return JSON.stringify(o).length;")]
    [CancelAfter(60000)]
    public async Task InvokeAsync_BuiltInBuildsTooMuch_SCR44a_EndsInMemoryLimitQuickly(string body)
    {
        using var host = TestHost.Create();
        await host.RunAsync("return 1;");
        var watch = Stopwatch.StartNew();
        ShouldFail(await host.RunAsync(body), "memory-limit");
        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(3), "the bound is checked before the built-in walks the length or builds the string");
    }

    [Test]
    [CancelAfter(60000)]
    public async Task InvokeAsync_ReplaceBuildsTooLongAString_SCR44a_EndsInMemoryLimit()
    {
        // replace cannot know its result's length in advance: it is checked when the native call returns.
        using var host = TestHost.Create(o => o.MaxStringLength = 1 << 20);
        ShouldFail(await host.RunAsync("var s = 'x'.repeat(1 << 20); return s.replace(/x/g, 'yy').length;"), "memory-limit");
        ShouldComplete(await host.RunAsync("return 'x'.repeat(1 << 19).replace(/x/g, 'yy').length;"), "1048576");
    }

    [Test]
    [CancelAfter(60000)]
    public async Task InvokeAsync_StringDoubling_SCR44a_EndsInMemoryLimit()
    {
        // Jint concatenates lazily, so s += s allocates almost nothing until Jint's own string length bound.
        using var host = TestHost.Create(o => o.MaxStatements = 100_000_000);
        ShouldFail(await host.RunAsync("var s = 'x'; while (true) { s += s; }"), "memory-limit");
    }

    [Test]
    [CancelAfter(60000)]
    public async Task InvokeAsync_ArrayGrownByPush_SCR44a_HoldsMaxArrayLengthThenEndsInMemoryLimit()
    {
        using var host = TestHost.Create(o => { o.MaxArrayLength = 100_000; o.MaxStatements = 10_000_000; });
        ShouldComplete(await host.RunAsync("var a = []; for (var i = 0; i < 100000; i++) { a.push(i); } return a.length;"), "100000");
        ShouldFail(await host.RunAsync("var a = []; while (true) { a.push(1); }"), "memory-limit");
        ShouldFail(await host.RunAsync("return new Array(1e7).length;"), "memory-limit");
    }

    [TestCase("return { get x() { while (true) {} } };", "timeout", "statement-limit")]
    [TestCase("return { toJSON: function () { while (true) {} } };", "timeout", "statement-limit")]
    [TestCase("var e = new Error('x'); Object.defineProperty(e, 'message', { get: function () { while (true) {} } }); throw e;", "timeout", "statement-limit")]
    [TestCase("throw { get name() { while (true) {} }, message: 'm' };", "timeout", "statement-limit")]
    [CancelAfter(60000)]
    public async Task InvokeAsync_LoopingGetterReadByTheHost_SCR47_EndsInALimit(string body, string reason, string alternative)
    {
        using var host = TestHost.Create(o => o.TimeLimit = TimeSpan.FromMilliseconds(500));
        ShouldFail(await host.RunAsync(body), reason, alternative);
        ShouldComplete(await host.RunAsync("return 2;"), "2");
    }

    // ---- save time (SCR-30, SCR-44a, SCR-61) ---------------------------------------------------------------

    [Test]
    [CancelAfter(60000)]
    public async Task ValidateAsync_ImportCall_SCR61_IsRefusedAtItsPosition()
    {
        using var host = TestHost.Create();
        var result = await host.ValidateAsync("class Script {\n  process_incoming_request() {\n    return import('x');\n  }\n}", IntegrationType.Incoming);
        result.Diagnostics.Should().ContainSingle().Which.Should().Match<ScriptDiagnostic>(d => d.Line == 3 && d.Column == 12 && d.Message.Contains("import"));
    }

    [Test]
    [CancelAfter(60000)]
    public async Task ValidateAsync_DeepExpression_SCR44a_IsRefusedWithPositionAndCodeFrame()
    {
        using var host = TestHost.Create();
        var deep = "class Script {\n  process_incoming_request() {\n    return " + string.Join(" + ", Enumerable.Repeat("1", 400)) + ";\n  }\n}";
        var result = await host.ValidateAsync(deep, IntegrationType.Incoming);
        var diagnostic = result.Diagnostics.Should().ContainSingle().Subject;
        diagnostic.Line.Should().Be(3);
        diagnostic.Message.Should().Contain("MaxSyntaxDepth");
        diagnostic.CodeFrame.Should().StartWith("> 3 | ");
    }

    [TestCase(50_000)]
    [TestCase(5_000)]
    [CancelAfter(60000)]
    public async Task ValidateAsync_VeryDeepBrackets_SCR44a_AreRefusedWithoutReachingTheEngine(int depth)
    {
        using var host = TestHost.Create();
        var source = "class Script { process_incoming_request() { return " + new string('[', depth) + new string(']', depth) + "; } }";
        var result = await host.ValidateAsync(source, IntegrationType.Incoming);
        var diagnostic = result.Diagnostics.Should().ContainSingle().Subject;
        diagnostic.Line.Should().Be(1);
        diagnostic.Column.Should().BeGreaterThan(50);
        var call = await host.InvokeAsync(TestHost.Script(source), "process_incoming_request", TestHost.Arg());
        call.Outcome.Should().Be(ScriptOutcome.EvaluationFailed, "a script refused at save never runs");
    }

    [Test]
    [CancelAfter(60000)]
    public async Task ValidateAsync_SyntaxError_SCR30_HasCodeFrameWithCaret()
    {
        using var host = TestHost.Create();
        var result = await host.ValidateAsync("class Script {\n\tprocess_incoming_request() { return 1 +; }\n}", IntegrationType.Incoming);
        var diagnostic = result.Diagnostics.Should().ContainSingle().Subject;
        diagnostic.Line.Should().Be(2);
        diagnostic.CodeFrame.Split('\n').Should().HaveCount(2).And.Subject.Last().Should().EndWith("^");
    }

    // ---- sloppy class bodies (SCR-63) ----------------------------------------------------------------------

    [Test]
    [CancelAfter(30000)]
    public async Task InvokeAsync_UndeclaredAssignmentsInClassMethods_SCR63_Work()
    {
        // Published scripts assign undeclared names inside class methods, which Rocket.Chat's Babel output ran sloppy.
        using var host = TestHost.Create();
        var source = """
            class Script {
              process_incoming_request({ request }) {
                msg = 'n=';
                for (i = 0; i < 3; i++) { msg += i; }
                ({ a: first, b: [second] } = { a: 1, b: [2] });
                [third] = [3];
                for (key in { k: 1 }) {}
                count++;
                return { content: { text: msg + ' ' + first + second + third + key + typeof globalThis.msg } };
              }
            }
            var count = 0;
            """;
        var result = await host.InvokeAsync(TestHost.Script(source), "process_incoming_request", TestHost.Arg());
        ShouldComplete(result, """{"content":{"text":"n=012 123kstring"}}""");
    }

    [Test]
    [CancelAfter(30000)]
    public async Task InvokeAsync_UseStrictScript_SCR63_IsHonoured()
    {
        using var host = TestHost.Create();
        var source = "'use strict';\nfunction f() { undeclaredName = 1; }\nclass Script { process_incoming_request() { try { f(); return 'sloppy'; } catch (e) { return e.name; } } }";
        var result = await host.InvokeAsync(TestHost.Script(source), "process_incoming_request", TestHost.Arg());
        ShouldComplete(result, "\"ReferenceError\"");
    }

    // ---- globalisation and Rocket.Chat-visible built-ins ---------------------------------------------------

    [Test]
    [CancelAfter(30000)]
    public async Task InvokeAsync_NormalizeAndLocaleCompare_SCR57_BehaveAsInNode()
    {
        // The host runs with ICU (no InvariantGlobalization): NFD splits accents as Node does.
        using var host = TestHost.Create();
        ShouldComplete(
            await host.RunAsync("return ['Crème Brûlée'.normalize('NFD').replace(/[\\u0300-\\u036f]/g, ''), 'é'.normalize('NFD').length, ['b', 'a', 'C'].sort(function (x, y) { return x.localeCompare(y); })];"),
            "[\"Creme Brulee\",2,[\"a\",\"b\",\"C\"]]");
    }

    [Test]
    [CancelAfter(30000)]
    public async Task InvokeAsync_EmptyMatchGlobalRegex_SCR44a_ReturnsAsInNode()
    {
        // 'ab'.match(/x*/g) never returned on the old engine and took the node down.
        using var host = TestHost.Create();
        ShouldComplete(
            await host.RunAsync("return ['ab'.match(/x*/g), 'ab'.replace(/x*/g, '-'), 'ab'.split(/x*/), Array.from('ab'.matchAll(/x*/g), function (m) { return m.index; })];"),
            "[[\"\",\"\",\"\"],\"-a-b-\",[\"a\",\"b\"],[0,1,2]]");
    }
}
