using FluentAssertions;
using NUnit.Framework;

namespace ChatIntegrations.JavaScript.Tests;

/// <summary>
/// SCR-65: every corpus script, run by Node.js 20 from its original source and by Jint 2.10.4 after lowering (with
/// the prelude), produces the same JSON. Covers the SCR-60 constructs and the SCR-57 built-ins.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class DifferentialCorpusTests
{
    private static IEnumerable<TestCaseData> CorpusScripts() =>
        Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Corpus"), "*.js")
            .Order(StringComparer.Ordinal)
            .Select(path => new TestCaseData(Path.GetFileName(path)).SetName("Compile_CorpusScript_SameJsonAsNode(" + Path.GetFileNameWithoutExtension(path) + ")"));

    [TestCaseSource(nameof(CorpusScripts))]
    [Description("SCR-57, SCR-60, SCR-65: lowered code in Jint gives the same JSON as the original in Node.js")]
    public void Compile_CorpusScript_SameJsonAsNode(string fileName)
    {
        var source = File.ReadAllText(Path.Combine(ScriptRunner.CorpusDirectory, fileName));

        var expected = ScriptRunner.RunInNode(source);
        var actual = ScriptRunner.RunInJint(source);

        actual.Should().Be(expected);
    }
}
