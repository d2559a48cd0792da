using FluentAssertions;
using NUnit.Framework;

namespace ChatIntegrations.JavaScript.Tests;

/// <summary>
/// SCR-60, SCR-63: lowered code run in Jint 2.10.4 gives the expected literal results. These need no Node.js, so the
/// suite stays meaningful on machines without it.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class LoweringExpectationsTests
{
    [TestCase("class Script { process_incoming_request({ request }) { return { content: { text: `${request.content.user?.name ?? 'anon'}: ${request.content.text}` } }; } }\nvar result = new Script().process_incoming_request({ request: { content: { text: 'hi' } } });", "{\"content\":{\"text\":\"anon: hi\"}}")]
    [TestCase("const fs = []; for (let i = 0; i < 3; i++) fs.push(() => i); var result = fs.map(f => f());", "[0,1,2]")]
    [TestCase("var result = []; outer: for (let i = 0; i < 3; i++) { for (let j = 0; j < 3; j++) { result.push(() => i + j); if (j === 1) continue outer; if (i === 2) break outer; } } result = result.map(f => f());", "[0,1,1,2,2]")]
    [TestCase("const [a, , b = 5, ...r] = [1, 2, undefined, 4, 5]; const { x: { y = 'd' } = {}, ...o } = { z: 1 }; var result = [a, b, r, y, o];", "[1,5,[4,5],\"d\",{\"z\":1}]")]
    [TestCase("function f(a, { b = 2 } = {}, ...rest) { return [a, b, rest]; } var result = f(1, undefined, 3, 4);", "[1,2,[3,4]]")]
    [TestCase("class E extends Error { constructor(m) { super(m); this.name = 'E'; } } let e; try { throw new E('boom'); } catch (x) { e = x; } var result = [e.message, e.name, e instanceof E, e instanceof Error, String(e)];", "[\"boom\",\"E\",true,true,\"E: boom\"]")]
    [TestCase("const m = new Map([['a', 1]]); const out = []; for (const [k, v] of m) out.push(k + v); for (const c of 'hé') out.push(c); var result = out;", "[\"a1\",\"h\",\"é\"]")]
    [TestCase("const o = { f() { return this.v; }, v: 3 }; let n = null; n ??= 4; var result = [o?.f(), o.g?.(), 2 ** 10, n, 1_000];", "[3,null,1024,4,1000]")]
    [TestCase("function tag(s, ...v) { return s.raw.join('|') + v.join(','); } var result = tag`a${1}\\n${2}`;", "\"a|\\\\n|1,2\"")]
    [TestCase("class C { static #n = 0; #v; constructor(v) { this.#v = v; C.#n++; } get v() { return this.#v; } static count() { return C.#n; } } new C(1); var result = [new C(2).v, C.count(), Object.keys(new C(3))];", "[2,2,[]]")]
    [Description("SCR-60: lowered constructs give the expected results in Jint")]
    public void Compile_Construct_ExpectedResultInJint(string source, string expectedJson)
    {
        ScriptRunner.RunInJint(source).Should().Be(expectedJson);
    }

    [Test]
    [Description("SCR-63: class bodies stay sloppy: assigning an undeclared name creates a global and plain-call this is the global (unlike native ES2015, so no Node oracle)")]
    public void Compile_ClassBody_RunsSloppy()
    {
        const string Source = """
            class Script {
              run() { leaked = 'global'; return (function () { return this; })() === globalThis; }
            }
            String.prototype.capitalizeFirstLetter = function () { return this.charAt(0).toUpperCase() + this.slice(1); };
            var result = [new Script().run(), leaked, 'hello'.capitalizeFirstLetter()];
            """;

        ScriptRunner.RunInJint(Source).Should().Be("[true,\"global\",\"Hello\"]");
    }

    [Test]
    [Description("SCR-63: the output never adds 'use strict'")]
    public void Compile_AnyScript_NoUseStrictAdded()
    {
        ScriptRunner.Compile("class A { m() { return 1; } }").Should().NotContain("use strict");
    }
}
