using FluentAssertions;
using NUnit.Framework;

namespace ChatIntegrations.JavaScript.Tests;

/// <summary>SCR-44: __ci_cp() checkpoints at every function entry and loop iteration.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class CheckpointTests
{
    private static double CountCheckpoints(string source)
    {
        var code = ScriptRunner.Compile(source);
        var engine = ScriptRunner.NewEngine();
        engine.Execute("var __cp_count = 0; __ci_cp = function () { __cp_count++; };");
        engine.Execute(code);
        return engine.Execute("__cp_count").GetCompletionValue().AsNumber();
    }

    [TestCase("for (var i = 0; i < 5; i++) {}", 5)]
    [TestCase("var i = 0; while (i < 4) i++;", 4)]
    [TestCase("var i = 0; do { i++; } while (i < 3);", 3)]
    [TestCase("for (var k in { a: 1, b: 2 }) {}", 2)]
    [TestCase("for (const x of [1, 2, 3]) {}", 3)]
    [TestCase("function f() {} f(); f();", 2)]
    [TestCase("const f = () => 1; f(); f(); f();", 3)]
    [TestCase("class A { m() {} } const a = new A(); a.m();", 3)] // class IIFE, constructor, method
    [Description("SCR-44: one checkpoint per loop iteration and per function entry")]
    public void Compile_Construct_CallsCheckpoint(string source, int expected)
    {
        CountCheckpoints(source).Should().Be(expected);
    }

    [Test]
    [Description("SCR-44: the per-iteration function of a loop with captured bindings is a function entry too")]
    public void Compile_WrappedLoopBody_CheckpointsIterationAndWrapper()
    {
        CountCheckpoints("const fs = []; for (let i = 0; i < 3; i++) { fs.push(() => i); }").Should().Be(6);
    }

    [Test]
    [Description("SCR-44: a script cannot shadow or replace the checkpoint or the helpers: its __ci* identifiers are renamed")]
    public void Compile_ScriptDeclaresCheckpointName_CannotShadowIt()
    {
        CountCheckpoints("function f() { var __ci_cp = function () {}; for (var i = 0; i < 3; i++) {} } f(); __ci_cp = null; var __ci = 1;").Should().Be(4);
    }

    [Test]
    [Description("SCR-44: checkpoints can be switched off")]
    public void Compile_EmitCheckpointsFalse_NoCheckpointCalls()
    {
        var result = JavaScriptCompiler.Compile("function f() { for (;;) { break; } }", new CompilerOptions { EmitCheckpoints = false });

        result.Code.Should().NotContain("__ci_cp");
    }

    [Test]
    [Description("SCR-63: a 'use strict' directive stays a directive: the checkpoint goes after it")]
    public void Compile_UseStrictDirective_CheckpointAfterDirective()
    {
        var code = ScriptRunner.Compile("function f() { 'use strict'; return this; }\nvar result = f() === undefined;");
        var engine = ScriptRunner.NewEngine();
        engine.Execute(code);

        engine.Execute("result").GetCompletionValue().AsBoolean().Should().BeTrue();
    }
}
