using FluentAssertions;
using Jint.Runtime;
using NUnit.Framework;

namespace ChatIntegrations.JavaScript.Tests;

/// <summary>SCR-31, SCR-48: lowered code keeps every statement on its source line, so runtime errors point at the admin's lines.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class LinePreservationTests
{
    private static int ThrowLine(string source)
    {
        var code = ScriptRunner.Compile(source);
        var engine = ScriptRunner.NewEngine();
        var act = () => engine.Execute(code);
        return act.Should().Throw<JavaScriptException>().Which.LineNumber;
    }

    [Test]
    [Description("SCR-31: an error thrown at line N of the source is reported by Jint at line N")]
    public void Compile_ThrowInClassMethod_JintReportsSourceLine()
    {
        const string Source = """
            class Script {
              process_incoming_request({ request }) {
                const { content: { text = '' } = {} } = request;
                const words = [...text.split(' ')].map(w => `${w}!`);
                if (words.length > 1) {
                  throw new Error(`too many: ${words.length}`);
                }
                return { content: { text: words.join(' ') } };
              }
            }
            new Script().process_incoming_request({ request: { content: { text: 'a b' } } });
            """;

        ThrowLine(Source).Should().Be(6);
    }

    [Test]
    [Description("SCR-31: a TypeError from a null access deep in lowered constructs is reported at its line")]
    public void Compile_NullAccessAfterMultilineConstructs_JintReportsSourceLine()
    {
        const string Source = """
            const fns = [];
            for (let i = 0; i < 2; i++) {
              fns.push(() => i);
            }
            const t = `line one
            line two ${fns.length}
            line three`;
            const { a = 1,
                    b = 2 } = {};
            class A extends Error {
              x = 1;
              static y = 2;
            }
            const o = null;
            const v = o.missing;
            """;

        ThrowLine(Source).Should().Be(15);
    }

    [Test]
    [Description("SCR-31: an error inside a loop body wrapped for per-iteration bindings keeps its line")]
    public void Compile_ThrowInsideWrappedLoopBody_JintReportsSourceLine()
    {
        const string Source = """
            const out = [];
            for (const x of [1, 2, 3]) {
              out.push(() => x);
              if (x === 2) {
                undefinedFunction(x);
              }
            }
            """;

        ThrowLine(Source).Should().Be(5);
    }

    [Test]
    [Description("SCR-31: field initializers and static blocks keep their lines")]
    public void Compile_ThrowInFieldInitializer_JintReportsSourceLine()
    {
        const string Source = """
            class Script {
              constructor() { this.ok = true; }
              a = 1;
              b = this.a.c.d;
            }
            new Script();
            """;

        ThrowLine(Source).Should().Be(4);
    }

    [Test]
    [Description("SCR-31: the lowered code never has more lines than the source")]
    public void Compile_CorpusScripts_NoExtraLines()
    {
        foreach (var path in Directory.GetFiles(ScriptRunner.CorpusDirectory, "*.js"))
        {
            var source = File.ReadAllText(path);
            var code = ScriptRunner.Compile(source);
            var sourceLines = source.Split('\n').Length;
            code.Split('\n').Length.Should().BeLessThanOrEqualTo(sourceLines, Path.GetFileName(path));
        }
    }
}
