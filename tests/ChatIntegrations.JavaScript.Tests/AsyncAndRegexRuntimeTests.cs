using FluentAssertions;
using NUnit.Framework;

namespace ChatIntegrations.JavaScript.Tests;

/// <summary>SCR-61, SCR-62: host-facing runtime contract of the prelude (microtasks, promise state, deferreds, regex flags).</summary>
[TestFixture]
public sealed class AsyncAndRegexRuntimeTests
{
    private static string Eval(string source, string expression)
    {
        var engine = ScriptRunner.NewEngine();
        engine.Execute(ScriptRunner.Compile(source));
        engine.Execute("__ci.drainMicrotasks()");
        return engine.Execute("JSON.stringify(" + expression + ")").GetCompletionValue().AsString();
    }

    [TestCase("u")]
    [TestCase("y")]
    [TestCase("d")]
    [TestCase("gu")]
    [Description("SCR-61: new RegExp with the u, y or d flag throws SyntaxError by name")]
    public void NewRegExp_UnsupportedFlag_ThrowsSyntaxErrorByName(string flags)
    {
        var source = "var r; try { new RegExp('a', '" + flags + "'); r = 'no error'; } catch (e) { r = [e instanceof SyntaxError, e.message]; }";
        var bad = flags[^1];
        Eval(source, "r").Should().Be("[true,\"Regular expression flag '" + bad + "' is not supported\"]");
    }

    [TestCase("/a/u")]
    [TestCase("/a/y")]
    [Description("SCR-61: regex literals with the u or y flag are rejected at save")]
    public void Compile_RegexLiteralUnsupportedFlag_IsRejected(string literal)
    {
        var result = JavaScriptCompiler.Compile("var r = " + literal + ";");
        result.Success.Should().BeFalse();
        result.Diagnostics[0].Message.Should().Contain("is not supported");
    }

    [Test]
    [Description("SCR-62: the host drains the queue; promiseState reads a hook's promise synchronously")]
    public void DrainMicrotasks_AsyncFunction_SettlesAndPromiseStateReportsIt()
    {
        var engine = ScriptRunner.NewEngine();
        engine.Execute(ScriptRunner.Compile("async function f(x) { await null; if (x) throw new Error('no'); return 7; } var ok = f(false), bad = f(true);"));
        engine.Execute("JSON.stringify([__ci.promiseState(ok).state, __ci.hasPendingMicrotasks()])").GetCompletionValue().AsString().Should().Be("[\"pending\",true]");
        engine.Execute("__ci.drainMicrotasks()");
        engine.Execute("JSON.stringify([__ci.promiseState(ok), __ci.promiseState(bad).state, __ci.promiseState(bad).value.message, __ci.hasPendingMicrotasks()])").GetCompletionValue().AsString()
            .Should().Be("[{\"state\":\"fulfilled\",\"value\":7},\"rejected\",\"no\",false]");
    }

    [Test]
    [Description("SCR-62: host I/O settles a deferred; awaiting code resumes on the next drain")]
    public void NewDeferred_ResolvedByHost_ResumesAwaitingFunction()
    {
        var engine = ScriptRunner.NewEngine();
        engine.Execute("var d = __ci.newDeferred();");
        engine.Execute(ScriptRunner.Compile("var p = (async () => (await d.promise) + 1)();"));
        engine.Execute("__ci.drainMicrotasks()");
        engine.Execute("__ci.promiseState(p).state").GetCompletionValue().AsString().Should().Be("pending");
        engine.Execute("d.resolve(41); __ci.drainMicrotasks();");
        engine.Execute("JSON.stringify(__ci.promiseState(p))").GetCompletionValue().AsString().Should().Be("{\"state\":\"fulfilled\",\"value\":42}");
    }

    [TestCase("async function f() {}", "Async functions are not supported")]
    [TestCase("var o = { async m() {} };", "Async functions are not supported")]
    [TestCase("function* g() {}", "Generators are not supported")]
    [TestCase("class C { *g() {} }", "Generators are not supported")]
    [Description("SCR-32: the host may turn async functions and generators off; they are then rejected by name")]
    public void Compile_AsyncAndGeneratorsDisabled_RejectedByName(string source, string message)
    {
        var result = JavaScriptCompiler.Compile(source, new CompilerOptions { AllowAsync = false, AllowGenerators = false });
        result.Success.Should().BeFalse();
        result.Diagnostics[0].Message.Should().Be(message);
    }

    [TestCase("async function* g() {}", "Async generators are not supported")]
    [TestCase("async function f() { for await (const x of y) {} }", "'for await' is not supported")]
    [Description("SCR-61: async generators and for await are rejected by name")]
    public void Compile_AsyncGeneratorOrForAwait_RejectedByName(string source, string message)
    {
        var result = JavaScriptCompiler.Compile(source);
        result.Success.Should().BeFalse();
        result.Diagnostics[0].Message.Should().Be(message);
    }
}
