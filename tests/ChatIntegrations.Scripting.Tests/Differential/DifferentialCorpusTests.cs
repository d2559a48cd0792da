using ChatIntegrations.Scripting.Tests.Support;

namespace ChatIntegrations.Scripting.Tests.Differential;

/// <summary>
/// SCR-65: every corpus script, run by Node.js 20 and by the bundled host (Jint 4 in our sandbox, through
/// <see cref="IScriptHost"/>), produces the same JSON. Covers the SCR-60/SCR-61 constructs, the SCR-57 built-ins, the
/// await order of SCR-62 and the behaviours real published scripts rely on (empty-match regular expressions,
/// <c>normalize</c>, <c>toUTCString</c>, Annex B string methods).
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class DifferentialCorpusTests
{
    private static IEnumerable<TestCaseData> CorpusScripts() =>
        Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Differential", "Corpus"), "*.js")
            .Order(StringComparer.Ordinal)
            .Select(path => new TestCaseData(Path.GetFileName(path)).SetName("InvokeAsync_CorpusScript_SameJsonAsNode(" + Path.GetFileNameWithoutExtension(path) + ")"));

    [TestCaseSource(nameof(CorpusScripts))]
    [Description("SCR-57, SCR-60, SCR-61, SCR-62, SCR-65: the host gives the same JSON as Node.js")]
    [CancelAfter(120_000)]
    public void InvokeAsync_CorpusScript_SameJsonAsNode(string fileName)
    {
        var source = File.ReadAllText(Path.Combine(ScriptRunner.CorpusDirectory, fileName));

        var expected = ScriptRunner.RunInNode(source);
        var actual = ScriptRunner.RunInHost(source);

        actual.Should().Be(expected);
    }
}
