using FluentAssertions;
using NUnit.Framework;

namespace ChatIntegrations.JavaScript.Tests;

/// <summary>SCR-57: the ES5 prelude: one hidden helper object, non-enumerable polyfills.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class RuntimePreludeTests
{
    private static string Eval(string expression)
    {
        var engine = ScriptRunner.NewEngine();
        return engine.Execute("JSON.stringify(" + expression + ")").GetCompletionValue().AsString();
    }

    [Test]
    public void RuntimePrelude_IsEs5Source_RunsInJint()
    {
        JavaScriptCompiler.RuntimePrelude.Should().Contain("__ci");
        var act = () => ScriptRunner.NewEngine();
        act.Should().NotThrow();
    }

    [Test]
    [Description("SCR-50: the helpers live on one non-enumerable global, __ci")]
    public void RuntimePrelude_HelperGlobal_IsNonEnumerable()
    {
        Eval("(function () { var ks = []; for (var k in this) ks.push(k); return ks; })()").Should().Be("[]");
        Eval("typeof __ci").Should().Be("\"object\"");
    }

    [Test]
    [Description("SCR-57: polyfills are non-enumerable, so for-in over arrays, strings and objects is unaffected")]
    public void RuntimePrelude_Polyfills_DoNotShowUpInForIn()
    {
        Eval("(function () { var ks = []; for (var k in [1, 2]) ks.push(k); for (var j in {}) ks.push(j); return ks; })()").Should().Be("[\"0\",\"1\"]");
    }

    [TestCase("typeof Symbol === 'function' && typeof Symbol.iterator !== 'undefined'", "true")]
    [TestCase("[new Map([[1, 'a']]).get(1), new Set([1, 1]).size, new WeakMap().has({})]", "[\"a\",1,false]")]
    [TestCase("Object.entries({ a: 1 })", "[[\"a\",1]]")]
    [TestCase("Object.fromEntries([['k', 2]])", "{\"k\":2}")]
    [TestCase("[Array.from('ab'), Array.of(1), [1, [2, [3]]].flat(), [1, 2].at(-1), [NaN].includes(NaN)]", "[[\"a\",\"b\"],[1],[1,2,[3]],2,true]")]
    [TestCase("['x'.padStart(3, '-'), 'ab'.repeat(2), ' a '.trimStart(), 'a.b'.replaceAll('.', '!'), 'abc'.at(-1)]", "[\"--x\",\"abab\",\"a \",\"a!b\",\"c\"]")]
    [TestCase("[Number.isInteger(1), Number.isNaN(NaN), Math.trunc(-1.5), Math.sign(-2), Math.log2(8), Math.cbrt(27), Math.hypot(3, 4)]", "[true,true,-1,-1,3,3,5]")]
    [TestCase("typeof globalThis", "\"object\"")]
    [Description("SCR-57: the polyfilled built-ins work without Node (literal expectations)")]
    public void RuntimePrelude_Builtin_ExpectedValue(string expression, string expectedJson)
    {
        Eval(expression).Should().Be(expectedJson);
    }
}
