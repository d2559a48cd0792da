using System.Diagnostics;
using System.Text.Json.Nodes;
using ChatIntegrations.Scripting.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace ChatIntegrations.Scripting.Tests.Differential;

/// <summary>
/// The async and generator corpus of the front end, run through the real host realm (with the host's native promise
/// helpers and job loop) and in Node.js 20, compared as JSON (SCR-62, SCR-65).
/// </summary>
[NonParallelizable]
public sealed class AsyncCorpusThroughHostTests
{
    private const string NodeDriver = """
        const vm = require('vm'); const fs = require('fs');
        vm.runInThisContext(fs.readFileSync(process.argv[1], 'utf8'), { filename: 'script.js' });
        setImmediate(() => process.stdout.write(JSON.stringify(globalThis.result === undefined ? null : globalThis.result)));
        """;

    [TestCase("async_await_order.js")]
    [TestCase("promise_combinators.js")]
    [TestCase("generators.js")]
    [TestCase("regex_named_groups.js")]
    [CancelAfter(60000)]
    public async Task CorpusScript_ThroughHost_SameJsonAsNode_SCR62_SCR65(string file, CancellationToken cancellationToken)
    {
        var path = Path.Combine(RepoRoot(), "tests", "ChatIntegrations.JavaScript.Tests", "Corpus", file);
        var expected = await RunNodeAsync(path, cancellationToken);

        var services = new ServiceCollection();
        services.AddChatIntegrations();
        await using var provider = services.BuildServiceProvider();
        var host = provider.GetRequiredService<IScriptHost>();

        // The corpus sets globalThis.result from promise reactions at top level; the host drains them when it builds
        // the instance, and the hook hands the value back.
        var source = await File.ReadAllTextAsync(path, cancellationToken) +
            "\nclass Script { process_incoming_request() { return { content: { text: JSON.stringify(globalThis.result === undefined ? null : globalThis.result) } }; } }\n";
        var result = await host.InvokeAsync(TestHost.Script(source), "process_incoming_request", TestHost.Arg(), cancellationToken);
        result.Outcome.Should().Be(ScriptOutcome.Completed, result.ErrorDetail);
        var actual = result.Value!["content"]!["text"]!.GetValue<string>();
        actual.Should().NotBe("null", "the corpus script must produce a result through the host");
        JsonNode.DeepEquals(JsonNode.Parse(actual), JsonNode.Parse(expected)).Should().BeTrue($"host: {actual}\nnode: {expected}");
    }

    private static async Task<string> RunNodeAsync(string script, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-e");
        start.ArgumentList.Add(NodeDriver);
        start.ArgumentList.Add(script);
        Process? process;
        try
        {
            process = Process.Start(start);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            process = null;
        }

        if (process is null)
        {
            if (Environment.GetEnvironmentVariable("CHATINTEGRATIONS_REQUIRE_ALL") == "1") Assert.Fail("needs Node.js (node on PATH)");
            Assert.Ignore("needs Node.js (node on PATH)");
        }

        using (process)
        {
            var output = await process!.StandardOutput.ReadToEndAsync(cancellationToken);
            var error = await process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            process.ExitCode.Should().Be(0, error);
            return output;
        }
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Integrations.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Integrations.sln not found above the test directory.");
    }
}
