using FluentAssertions;
using NUnit.Framework;

namespace ChatIntegrations.JavaScript.Tests;

/// <summary>Syntax errors and unsupported constructs: position in the original source, message and code frame.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class JavaScriptCompilerDiagnosticsTests
{
    private static readonly CompilerOptions AsyncAndGeneratorsOff = new() { AllowAsync = false, AllowGenerators = false };

    private static JavaScriptDiagnostic SingleDiagnostic(string source, CompilerOptions? options = null)
    {
        var result = JavaScriptCompiler.Compile(source, options);
        result.Success.Should().BeFalse();
        result.Code.Should().BeNull();
        result.Diagnostics.Should().HaveCount(1);
        return result.Diagnostics[0];
    }

    [Test]
    [Description("SCR-30, SCR-31: an unexpected token is reported at its line and column with a clear message")]
    public void Compile_UnexpectedSemicolon_ReportsLineColumnAndMessage()
    {
        var d = SingleDiagnostic("function f() {\n  let x = 1;\n  return x +;\n}\n");

        d.Line.Should().Be(3);
        d.Column.Should().Be(13);
        d.Message.Should().Be("Unexpected token ';'");
    }

    [Test]
    [Description("SCR-30: the code frame shows the source line and a caret under the column")]
    public void Compile_SyntaxError_CodeFrameHasSourceLineAndCaret()
    {
        var d = SingleDiagnostic("var a = 1;\nvar b = (2;\n");

        d.Line.Should().Be(2);
        d.Column.Should().Be(11);
        var frame = d.CodeFrame.Split('\n');
        frame.Should().HaveCount(2);
        frame[0].Should().EndWith("var b = (2;");
        frame[1].IndexOf('^').Should().Be(frame[0].IndexOf("var b", StringComparison.Ordinal) + 10);
    }

    [Test]
    [Description("SCR-31: a column counts UTF-16 code units and a tab is one column; the caret line keeps the tab")]
    public void Compile_TabsAndAstralCharacters_ColumnCountsUtf16UnitsAndTabAsOne()
    {
        var tab = SingleDiagnostic("\tvar\t= 5;");
        tab.Column.Should().Be(6);
        tab.CodeFrame.Split('\n')[1].Should().EndWith("\t   \t^");

        var astral = SingleDiagnostic("var s = '\U0001F600'; )");
        astral.Column.Should().Be(15);
    }

    [Test]
    [Description("SCR-32: generators are rejected by name at the construct (the spec's example)")]
    public void Compile_GeneratorMethodInClass_RejectedByNameAtLine2Column3()
    {
        var d = SingleDiagnostic("class Script {\n  *items() { yield 1; }\n}\n", AsyncAndGeneratorsOff);

        d.Line.Should().Be(2);
        d.Column.Should().Be(3);
        d.Message.Should().Be("Generators are not supported");
    }

    [TestCase("const a = 1;\nasync function f() {}\n", 2, 1, "Async functions are not supported")]
    [TestCase("const f = async () => 1;", 1, 11, "Async functions are not supported")]
    [TestCase("const f = async x => x;", 1, 11, "Async functions are not supported")]
    [TestCase("class A {\n  async m() {}\n}", 2, 3, "Async functions are not supported")]
    [TestCase("const o = { async m() {} };", 1, 13, "Async functions are not supported")]
    [TestCase("function f() { await g(); }", 1, 16, "Async functions are not supported")]
    [TestCase("const f = function* () {};", 1, 11, "Generators are not supported")]
    [TestCase("function* g() {}", 1, 1, "Generators are not supported")]
    [TestCase("const o = { *g() {} };", 1, 13, "Generators are not supported")]
    [TestCase("import x from 'y';", 1, 1, "'import' is not supported: scripts are not modules")]
    [TestCase("var a;\nexport const b = 1;", 2, 1, "'export' is not supported: scripts are not modules")]
    [TestCase("for await (const x of y) {}", 1, 5, "'for await' is not supported")]
    [TestCase("const n = 10n;", 1, 11, "BigInt literals are not supported")]
    [TestCase("const r = /abc/u;", 1, 11, "Regular expression flag 'u' is not supported")]
    [TestCase("const r = /abc/gy;", 1, 11, "Regular expression flag 'y' is not supported")]
    [TestCase("const r = /abc/d;", 1, 11, "Regular expression flag 'd' is not supported")]
    [TestCase("class A extends Array {}", 1, 17, "Extending Array is not supported")]
    [TestCase("class M extends Map {}", 1, 17, "Extending Map is not supported")]
    [TestCase("class S extends Set {}", 1, 17, "Extending Set is not supported")]
    [TestCase("class P extends Promise {}", 1, 17, "Extending Promise is not supported")]
    [Description("SCR-32, SCR-61: unsupported constructs are rejected by name at the construct's position")]
    public void Compile_UnsupportedConstruct_RejectedByNameAtPosition(string source, int line, int column, string message)
    {
        // Async functions and generators are supported by default; a host may turn them off (then rejected by name).
        var d = SingleDiagnostic(source, AsyncAndGeneratorsOff);

        d.Message.Should().Be(message);
        d.Line.Should().Be(line);
        d.Column.Should().Be(column);
    }

    [TestCase("(", 50_000, ")")]
    [TestCase("[", 50_000, "]")]
    [TestCase("{a:", 50_000, "}")]
    [TestCase("-", 50_000, "")]
    [TestCase("f(", 50_000, ")")]
    [TestCase("a => ", 50_000, "")]
    [TestCase("`${", 20_000, "}`")]
    [Description("SCR-44a: deep nesting is a diagnostic at the construct, never a stack overflow")]
    public void Compile_DeeplyNestedSource_DiagnosticNotStackOverflow(string open, int count, string close)
    {
        var source = "x = " + string.Concat(Enumerable.Repeat(open, count)) + "1" + string.Concat(Enumerable.Repeat(close, count)) + ";";

        var d = SingleDiagnostic(source);

        d.Message.Should().Contain("too deep");
        d.Line.Should().Be(1);
    }

    [Test]
    [Description("SCR-44a: 50,000 nested statements are rejected too")]
    public void Compile_DeeplyNestedStatements_Diagnostic()
    {
        var d = SingleDiagnostic(string.Concat(Enumerable.Repeat("if (a) ", 50_000)) + ";");

        d.Message.Should().Contain("too deep");
    }

    [Test]
    [Description("SCR-44a: the bound is MaxNestingDepth; one level under it compiles, the construct past it is reported")]
    public void Compile_NestingAtAndPastTheBound_OnlyPastIsRejected()
    {
        var options = new CompilerOptions { MaxNestingDepth = 40 };
        string Nested(int n) => "x = " + new string('[', n) + new string(']', n) + ";";

        JavaScriptCompiler.Compile(Nested(30), options).Success.Should().BeTrue();
        var d = SingleDiagnostic(Nested(60), options);
        d.Column.Should().BeLessThan(60);
    }

    [Test]
    [Description("SCR-44a: a very long left-deep operator chain is bounded as well")]
    public void Compile_HugeOperatorChain_Diagnostic()
    {
        var d = SingleDiagnostic("x = " + string.Concat(Enumerable.Repeat("1+", 100_000)) + "1;");

        d.Message.Should().Contain("too complex");
    }

    [TestCase("let y = 2 3", 1, 11, "Unexpected number")]
    [TestCase("var s = \"abc\n", 1, 9, "Unterminated string constant")]
    [TestCase("x = `abc ${1 + }`;", 1, 16, "Unexpected token '}'")]
    [TestCase("var x = {a: 1", 1, 14, "Unexpected end of input")]
    [TestCase("return 1;", 1, 1, "Illegal return statement")]
    [TestCase("const x;", 1, 8, "Missing initializer in const declaration")]
    [TestCase("({ a = 1 });", 1, 6, "Invalid shorthand property initializer")]
    [TestCase("a ?? b || c;", 1, 8, "Cannot mix '??' with '||' or '&&' without parentheses")]
    [TestCase("-2 ** 2;", 1, 4, "Unary operator used immediately before exponentiation expression; parentheses are required")]
    [TestCase("class A { m() { #x; } }", 1, 17, "Unexpected private name '#x'")]
    [TestCase("class A { m() { return this.#y; } }", 1, 29, "Private field '#y' must be declared in an enclosing class")]
    [TestCase("super.x();", 1, 1, "'super' keyword unexpected here")]
    [Description("SCR-30: common syntax errors have positions and clear messages")]
    public void Compile_SyntaxError_PositionAndMessage(string source, int line, int column, string message)
    {
        var d = SingleDiagnostic(source);

        d.Message.Should().Be(message);
        (d.Line, d.Column).Should().Be((line, column));
    }

    [TestCase("let x = 1;\nlet x = 2;", 2, 5)]
    [TestCase("const a = 1; class a {}", 1, 20)]
    [TestCase("function f(p) {\n  let p;\n}", 2, 7)]
    [TestCase("function f() { var v; const v = 1; }", 1, 29)]
    [TestCase("try {} catch (e) { let e; }", 1, 24)]
    [TestCase("switch (1) { case 1: let s; break; case 2: let s; }", 1, 48)]
    [Description("SCR-30: redeclaring a lexical binding in the same scope is an early error, as in Node")]
    public void Compile_DuplicateLexicalDeclaration_Rejected(string source, int line, int column)
    {
        var name = source.Contains("let x", StringComparison.Ordinal) ? "x" : source.Contains("class a", StringComparison.Ordinal) ? "a" :
            source.Contains("let p", StringComparison.Ordinal) ? "p" : source.Contains("const v", StringComparison.Ordinal) ? "v" :
            source.Contains("let e", StringComparison.Ordinal) ? "e" : "s";

        var d = SingleDiagnostic(source);

        d.Message.Should().Be($"Identifier '{name}' has already been declared");
        (d.Line, d.Column).Should().Be((line, column));
    }

    [TestCase("let x = 1; { let x = 2; }")]
    [TestCase("var v = 1; var v = 2;")]
    [TestCase("function f({ a }) { var a; return a; }")]
    [TestCase("function f(...rest) { var rest; }")]
    [TestCase("for (let i = 0; i < 1; i++) { let i = 5; }")]
    [TestCase("const f = function g() { let g = 1; return g; };")]
    [Description("SCR-30: legal shadowing and var redeclaration compile")]
    public void Compile_LegalRedeclaration_Compiles(string source)
    {
        JavaScriptCompiler.Compile(source).Success.Should().BeTrue();
    }

    [Test]
    [Description("SCR-30: seed 002 as captured (damaged) is rejected with a diagnostic at the unterminated comment")]
    public void Compile_DamagedSeed002_RejectedAtUnterminatedComment()
    {
        var source = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Samples", "seed002_damaged.js"));

        var d = SingleDiagnostic(source);

        d.Message.Should().Be("Unterminated comment");
        (d.Line, d.Column).Should().Be((4, 1));
    }

    [Test]
    [Description("SCR-30: a successful compilation has code and no diagnostics")]
    public void Compile_ValidScript_SuccessWithoutDiagnostics()
    {
        var result = JavaScriptCompiler.Compile("class Script { process_incoming_request({ request }) { return { content: request.content }; } }");

        result.Success.Should().BeTrue();
        result.Code.Should().NotBeNullOrEmpty();
        result.Diagnostics.Should().BeEmpty();
    }

    [Test]
    public void Compile_NullSource_Throws()
    {
        var act = () => JavaScriptCompiler.Compile(null!);

        act.Should().Throw<ArgumentNullException>();
    }
}
