using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Jint;
using FluentAssertions;
using NUnit.Framework;

using ChatIntegrations.Scripting.Tests.Support;

namespace ChatIntegrations.Scripting.Tests.Helpers;

/// <summary>
/// SCR-55, SCR-56: our <c>_</c> and <c>s</c> (<c>Underscore.js</c>,
/// <c>UnderscoreString.js</c>) on Jint 4 give the same JSON as the real underscore
/// 1.13 and underscore.string 3.3 on Node.js, case by case (<see cref="UnderscoreDifferentialCases"/>).
/// </summary>
/// <remarks>
/// The real libraries are installed once per run with <c>npm install --prefix &lt;temp&gt;</c>, or taken from the
/// folder named by <c>CHATINTEGRATIONS_NODE_MODULES</c> (the prefix folder or its <c>node_modules</c>). All cases run in
/// one Node.js process and one Jint engine. Without Node.js/npm, or when the install fails, the tests are ignored,
/// unless <c>CHATINTEGRATIONS_REQUIRE_ALL=1</c>, which makes them fail.
/// </remarks>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class UnderscoreDifferentialTests
{
    private const string NodeDriver = """
        const fs = require('fs');
        const path = require('path');
        const vm = require('vm');
        const dir = process.argv[2];
        const _ = require(path.join(dir, 'underscore'));
        const s = require(path.join(dir, 'underscore.string'));
        const run = vm.runInThisContext(fs.readFileSync(process.argv[3], 'utf8'), { filename: 'cases.js' });
        process.stdout.write(run(_, s));
        """;

    private static readonly string[] Cases = SplitCases(UnderscoreDifferentialCases.Underscore)
        .Concat(SplitCases(UnderscoreDifferentialCases.UnderscoreString))
        .ToArray();

    private static readonly Lazy<Outcome> Results = new(Run, LazyThreadSafetyMode.ExecutionAndPublication);

    private static DirectoryInfo? installDirectory;

    private static IEnumerable<TestCaseData> CaseSource()
    {
        var underscoreCount = SplitCases(UnderscoreDifferentialCases.Underscore).Length;
        for (var i = 0; i < Cases.Length; i++)
        {
            var library = i < underscoreCount ? "_" : "s";
            var shown = Cases[i].Length > 70 ? Cases[i][..70] + "…" : Cases[i];
            yield return new TestCaseData(i).SetName($"Helper_Case_SameJsonAsRealLibrary({library} #{i.ToString("D3", CultureInfo.InvariantCulture)}: {shown})");
        }
    }

    [OneTimeTearDown]
    public static void DeleteInstall()
    {
        var dir = Interlocked.Exchange(ref installDirectory, null);
        try
        {
            dir?.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A temporary folder; the OS cleans it up eventually.
        }
        catch (UnauthorizedAccessException)
        {
            // As above.
        }
    }

    [TestCaseSource(nameof(CaseSource))]
    [Description("SCR-55, SCR-56: the helper call gives the same JSON (or throws likewise) in Jint with ours as in Node.js with the real library")]
    public void Helper_Case_SameJsonAsRealLibrary(int index)
    {
        var outcome = Results.Value;
        if (outcome.Problem is not null)
        {
            if (Environment.GetEnvironmentVariable("CHATINTEGRATIONS_REQUIRE_ALL") == "1")
            {
                Assert.Fail(outcome.Problem + " (CHATINTEGRATIONS_REQUIRE_ALL=1)");
            }

            Assert.Ignore(outcome.Problem);
        }

        var expected = outcome.Node![index];
        var actual = outcome.Jint![index];
        SameJson(actual, expected).Should().BeTrue($"case `{Cases[index]}` gave {actual} in Jint but {expected} in Node.js");
    }

    [Test]
    [Description("SCR-55, SCR-56: the whole differential batch needs one Node.js process and one Jint engine")]
    public void Helper_Batch_RunsAllCasesOnce()
    {
        var outcome = Results.Value;
        if (outcome.Problem is not null)
        {
            Assert.Ignore(outcome.Problem);
        }

        outcome.Node.Should().HaveCount(Cases.Length);
        outcome.Jint.Should().HaveCount(Cases.Length);
        TestContext.Out.WriteLine($"{Cases.Length} cases; Node.js {outcome.NodeTime.TotalMilliseconds:F0} ms (install {outcome.InstallTime.TotalMilliseconds:F0} ms), Jint {outcome.JintTime.TotalMilliseconds:F0} ms");
    }

    private static string[] SplitCases(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>One program for both engines: a function of (_, s) returning a JSON array of per-case results.</summary>
    private static string BatchProgram()
    {
        var sb = new StringBuilder();
        sb.Append("(function (_, s) {\n  var cases = [\n");
        foreach (var c in Cases)
        {
            sb.Append("    function () { return ").Append(c).Append("; },\n");
        }

        sb.Append("""
              null];
              // Non-ASCII as \uXXXX, so that lone surrogates survive and both engines' JSON compares as text.
              function ascii(json) {
                var o = '';
                for (var k = 0; k < json.length; k++) {
                  var c = json.charCodeAt(k);
                  o += c < 128 ? json.charAt(k) : '\\u' + ('000' + c.toString(16)).slice(-4);
                }
                return o;
              }
              var out = [];
              for (var i = 0; i < cases.length - 1; i++) {
                var r;
                try {
                  var v = cases[i]();
                  r = v === undefined ? 'undefined' : JSON.stringify(v);
                  if (r === undefined) { r = 'undefined'; }
                } catch (e) {
                  r = '!throws ' + (e && e.name);
                }
                out.push(ascii(r));
              }
              return JSON.stringify(out);
            })
            """);
        return sb.ToString();
    }

    private static bool SameJson(string actual, string expected)
    {
        if (actual == expected)
        {
            return true;
        }

        if (actual.StartsWith('!') || expected.StartsWith('!') || actual == "undefined" || expected == "undefined")
        {
            return false;
        }

        try
        {
            return JsonNode.DeepEquals(JsonNode.Parse(actual), JsonNode.Parse(expected));
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static Outcome Run()
    {
        var program = BatchProgram();

        var jintWatch = Stopwatch.StartNew();
        var engine = ScriptRunner.NewEngine();
        engine.SetValue("_", engine.Evaluate(ScriptRunner.Helpers.Underscore));
        engine.SetValue("s", engine.Evaluate(ScriptRunner.Helpers.UnderscoreString));
        engine.SetValue("__ci_batch", engine.Evaluate(program));
        var jintJson = engine.Evaluate("__ci_batch(_, s)").AsString();
        jintWatch.Stop();
        var jint = JsonSerializer.Deserialize<string[]>(jintJson)!;

        var installWatch = Stopwatch.StartNew();
        var (modules, problem) = NodeModules();
        installWatch.Stop();
        if (modules is null)
        {
            return new Outcome(problem, null, jint, TimeSpan.Zero, installWatch.Elapsed, jintWatch.Elapsed);
        }

        var nodeWatch = Stopwatch.StartNew();
        var dir = Directory.CreateTempSubdirectory("ci-underscore-run-");
        try
        {
            var driver = Path.Combine(dir.FullName, "driver.js");
            var cases = Path.Combine(dir.FullName, "cases.js");
            File.WriteAllText(driver, NodeDriver);
            File.WriteAllText(cases, program);
            var (exit, stdout, stderr) = ChildProcess.Run("node", [driver, modules, cases], TimeSpan.FromSeconds(60));
            if (exit != 0)
            {
                return new Outcome("needs Node.js: node failed on the batch: " + stderr, null, jint, nodeWatch.Elapsed, installWatch.Elapsed, jintWatch.Elapsed);
            }

            var node = JsonSerializer.Deserialize<string[]>(stdout)!;
            return new Outcome(null, node, jint, nodeWatch.Elapsed, installWatch.Elapsed, jintWatch.Elapsed);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    /// <summary>The node_modules folder holding underscore and underscore.string, or why there is none.</summary>
    private static (string? Modules, string? Problem) NodeModules()
    {
        var given = Environment.GetEnvironmentVariable("CHATINTEGRATIONS_NODE_MODULES");
        if (!string.IsNullOrEmpty(given))
        {
            foreach (var candidate in new[] { Path.Combine(given, "node_modules"), given })
            {
                if (Directory.Exists(Path.Combine(candidate, "underscore")) && Directory.Exists(Path.Combine(candidate, "underscore.string")))
                {
                    return (candidate, null);
                }
            }

            return (null, $"CHATINTEGRATIONS_NODE_MODULES={given} holds no underscore and underscore.string");
        }

        const string Needs = "needs Node.js and npm (node and npm on PATH, and the npm registry) to install underscore@1.13 and underscore.string@3.3";
        if (ChildProcess.Run("node", ["--version"], TimeSpan.FromSeconds(20)).Exit != 0)
        {
            return (null, Needs + ": node is missing");
        }

        var dir = Directory.CreateTempSubdirectory("ci-underscore-");
        installDirectory = dir;
        var npm = OperatingSystem.IsWindows() ? "npm.cmd" : "npm";
        var (exit, _, stderr) = ChildProcess.Run(
            npm,
            ["install", "--prefix", dir.FullName, "--no-audit", "--no-fund", "--loglevel=error", "underscore@1.13", "underscore.string@3.3"],
            TimeSpan.FromSeconds(180));
        var modules = Path.Combine(dir.FullName, "node_modules");
        if (exit != 0 || !Directory.Exists(Path.Combine(modules, "underscore")) || !Directory.Exists(Path.Combine(modules, "underscore.string")))
        {
            return (null, Needs + ": npm install failed: " + stderr.Trim());
        }

        return (modules, null);
    }

    private sealed record Outcome(string? Problem, string[]? Node, string[] Jint, TimeSpan NodeTime, TimeSpan InstallTime, TimeSpan JintTime);
}
