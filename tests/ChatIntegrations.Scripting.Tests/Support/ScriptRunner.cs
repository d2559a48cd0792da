using ChatIntegrations.Scripting.Jint.Runtime;
using Jint;

namespace ChatIntegrations.Scripting.Tests.Support;

/// <summary>Runs scripts the way a host does (the bundled Jint 4 host) and, as the oracle, in Node.js 20.</summary>
internal static class ScriptRunner
{
    private const string NodeDriver = """
        const vm = require('vm');
        const fs = require('fs');
        const code = fs.readFileSync(process.argv[2], 'utf8');
        vm.runInThisContext(code, { filename: 'script.js' });
        // Async scripts set `result` from a promise reaction: read it once the microtask queue is empty.
        setImmediate(() => process.stdout.write(JSON.stringify(globalThis.result === undefined ? null : globalThis.result)));
        """;

    private static readonly Lazy<bool> NodeAvailable = new(() => ChildProcess.Run("node", ["--version"], TimeSpan.FromSeconds(10)).Exit == 0);

    public static string CorpusDirectory => Path.Combine(TestContext.CurrentContext.TestDirectory, "Differential", "Corpus");

    private static readonly Lazy<ScriptHelpers> LazyHelpers = new(() => new ScriptHelpers(TimeSpan.FromSeconds(3)));

    /// <summary>Gets the host's prepared <c>_</c> and <c>s</c> helpers.</summary>
    public static ScriptHelpers Helpers => LazyHelpers.Value;

    /// <summary>A plain Jint 4 engine with the host's <c>_</c> and <c>s</c> (SCR-55, SCR-56) as globals.</summary>
    public static Engine NewEngine()
    {
        var engine = new Engine(o => o.LimitRecursion(256));
        engine.SetValue("_", engine.Evaluate(Helpers.Underscore));
        engine.SetValue("s", engine.Evaluate(Helpers.UnderscoreString));
        return engine;
    }

    /// <summary>Runs <paramref name="source"/> through the real script host (its sandbox, limits and job loop) and
    /// returns <c>JSON.stringify(result)</c>: the script's top level sets <c>result</c>, and a hook hands it back.</summary>
    public static string RunInHost(string source)
    {
        using var host = TestHost.Create(o => o.TimeLimit = TimeSpan.FromSeconds(20));
        // A corpus script that declares Script itself gets the reporting hook on its own class.
        const string Hook = "process_incoming_request() { return { content: { text: JSON.stringify(globalThis.result === undefined ? null : globalThis.result) } }; }";
        var script = System.Text.RegularExpressions.Regex.IsMatch(source, @"^(class|function) Script\b", System.Text.RegularExpressions.RegexOptions.Multiline)
            ? source + "\n;Script.prototype.process_incoming_request = function " + Hook + ";\n"
            : source + "\n;class Script { " + Hook + " }\n";
        var result = host.InvokeAsync(TestHost.Script(script), "process_incoming_request", TestHost.Arg()).AsTask().GetAwaiter().GetResult();
        if (result.Outcome != ScriptOutcome.Completed)
        {
            Assert.Fail($"the host answered {result.Outcome} {result.Reason}: {result.ErrorDetail}");
        }

        return result.Value!["content"]!["text"]!.GetValue<string>();
    }

    /// <summary>Runs the original source in Node.js and returns <c>JSON.stringify(result)</c>.</summary>
    public static string RunInNode(string source)
    {
        if (!NodeAvailable.Value)
        {
            if (Environment.GetEnvironmentVariable("CHATINTEGRATIONS_REQUIRE_ALL") == "1")
            {
                Assert.Fail("needs Node.js (node on PATH)");
            }

            Assert.Ignore("needs Node.js (node on PATH)");
        }

        var dir = Directory.CreateTempSubdirectory("ci-js-");
        try
        {
            var driver = Path.Combine(dir.FullName, "driver.js");
            var script = Path.Combine(dir.FullName, "script.js");
            File.WriteAllText(driver, NodeDriver);
            File.WriteAllText(script, source);
            var (exit, stdout, stderr) = ChildProcess.Run("node", [driver, script], TimeSpan.FromSeconds(30));
            if (exit != 0)
            {
                Assert.Fail("node failed: " + stderr);
            }

            return stdout;
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
