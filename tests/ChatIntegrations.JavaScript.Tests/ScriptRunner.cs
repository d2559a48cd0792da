using System.ComponentModel;
using System.Diagnostics;
using Jint;
using NUnit.Framework;

namespace ChatIntegrations.JavaScript.Tests;

/// <summary>Runs scripts the way a host does (prelude, then lowered code in Jint 2.10.4) and, as the oracle, in Node.js.</summary>
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

    private static readonly Lazy<bool> NodeAvailable = new(() =>
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo("node", "--version") { RedirectStandardOutput = true, UseShellExecute = false });
            p!.WaitForExit(10_000);
            return p.ExitCode == 0;
        }
        catch (Win32Exception)
        {
            return false;
        }
    });

    public static string CorpusDirectory => Path.Combine(TestContext.CurrentContext.TestDirectory, "Corpus");

    public static string Compile(string source, CompilerOptions? options = null)
    {
        var result = JavaScriptCompiler.Compile(source, options);
        if (!result.Success)
        {
            Assert.Fail("Compilation failed: " + string.Join("; ", result.Diagnostics.Select(d => $"{d.Line}:{d.Column} {d.Message}\n{d.CodeFrame}")));
        }

        return result.Code!;
    }

    public static Engine NewEngine()
    {
        var engine = new Engine(o => o.LimitRecursion(256));
        engine.Execute("Object.defineProperty(this, '__ci_cp', { value: function () {}, writable: true, enumerable: false, configurable: true });");
        engine.Execute(JavaScriptCompiler.RuntimePrelude);
        return engine;
    }

    /// <summary>Compiles and runs <paramref name="source"/> in Jint and returns <c>JSON.stringify(result)</c>.</summary>
    public static string RunInJint(string source)
    {
        var code = Compile(source);
        var engine = NewEngine();
        engine.Execute(code);
        engine.Execute("__ci.drainMicrotasks()");
        return engine.Execute("JSON.stringify(typeof result === 'undefined' ? null : result)").GetCompletionValue().AsString();
    }

    /// <summary>Runs the original source in Node.js and returns <c>JSON.stringify(result)</c>.</summary>
    public static string RunInNode(string source)
    {
        if (!NodeAvailable.Value)
        {
            Assert.Ignore("needs Node.js (node on PATH)");
        }

        var dir = Directory.CreateTempSubdirectory("ci-js-");
        try
        {
            var driver = Path.Combine(dir.FullName, "driver.js");
            var script = Path.Combine(dir.FullName, "script.js");
            File.WriteAllText(driver, NodeDriver);
            File.WriteAllText(script, source);
            var psi = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            psi.ArgumentList.Add(driver);
            psi.ArgumentList.Add(script);
            using var p = Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(30_000))
            {
                p.Kill(entireProcessTree: true);
                Assert.Fail("node did not finish in 30 s");
            }

            if (p.ExitCode != 0)
            {
                Assert.Fail("node failed: " + stderr.Result);
            }

            return stdout.Result;
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
