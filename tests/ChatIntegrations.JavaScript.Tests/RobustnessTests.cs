using FluentAssertions;
using NUnit.Framework;

namespace ChatIntegrations.JavaScript.Tests;

/// <summary>SCR-30: whatever the input, Compile returns code or diagnostics; it never throws.</summary>
[TestFixture]
public sealed class RobustnessTests
{
    [Test]
    [Description("SCR-30: every prefix and single-character mutations of every corpus script compile to code Jint parses, or yield a diagnostic")]
    public void Compile_TruncatedAndMutatedCorpus_NeverThrows()
    {
        const string Noise = "({[`'\"/\\*#?.;,=>}])";
        var checkedCount = 0;
        foreach (var path in Directory.GetFiles(ScriptRunner.CorpusDirectory, "*.js"))
        {
            var source = File.ReadAllText(path);
            for (var cut = 0; cut < source.Length; cut += 23)
            {
                Check(source[..cut]);
                var mutated = source[..cut] + Noise[cut % Noise.Length] + source[cut..];
                Check(mutated);
            }
        }

        checkedCount.Should().BeGreaterThan(100);

        void Check(string s)
        {
            var result = JavaScriptCompiler.Compile(s);
            (result.Success ^ (result.Diagnostics.Count > 0)).Should().BeTrue();
            if (result.Success)
            {
                // Whatever compiles must be valid ES5 for Jint 2.10.4.
                var parse = () => new Jint.Parser.JavaScriptParser().Parse(result.Code!);
                parse.Should().NotThrow(s);
            }
            else
            {
                result.Diagnostics[0].Line.Should().BeGreaterThan(0);
                result.Diagnostics[0].Column.Should().BeGreaterThan(0);
            }

            checkedCount++;
        }
    }
}
