using ChatIntegrations.Scripting.Jint;
using ChatIntegrations.Scripting.Tests.Support;

namespace ChatIntegrations.Scripting.Tests.Jint;

/// <summary>Scripts as administrators write them, through the ES2022 front end (SCR-1, SCR-60).</summary>
public class JintScriptHostModernSyntaxTests
{
    private JintScriptHost _host = null!;

    [OneTimeSetUp]
    public void SetUp() => _host = TestHost.Create();

    [OneTimeTearDown]
    public void TearDown() => _host.Dispose();

    [Test]
    [CancelAfter(30000)]
    public async Task InvokeAsync_WorkedIncomingExample_SCR10_ReturnsContent()
    {
        const string source = """
            class Script {
              process_incoming_request({ request }) {
                const { ref, repository, pusher, commits = [] } = request.content;
                if (!ref?.startsWith('refs/heads/')) return { response: { ignored: true } };
                const branch = ref.slice('refs/heads/'.length);
                return { content: {
                  text: `${pusher?.name ?? 'someone'} pushed ${commits.length} commit(s) to ${repository.full_name}:${branch}`,
                  attachments: commits.map(({ id, message }) => ({ text: `${id.slice(0, 7)} ${message}` })) } };
              }
            }
            """;
        var result = await _host.InvokeAsync(TestHost.Script(source), "process_incoming_request", TestHost.Arg(
            """{"request":{"content":{"ref":"refs/heads/main","repository":{"full_name":"acme/api"},"pusher":{"name":"alice"},"commits":[{"id":"a1b2c3d9","message":"Fix login"},{"id":"e4f5a6b0","message":"Add tests"}]}}}"""));
        result.Outcome.Should().Be(ScriptOutcome.Completed, result.Reason + " " + result.ErrorDetail);
        result.Value!.ToJsonString().Should().Be("{\"content\":{\"text\":\"alice pushed 2 commit(s) to acme/api:main\",\"attachments\":[{\"text\":\"a1b2c3d Fix login\"},{\"text\":\"e4f5a6b Add tests\"}]}}");
    }

    [Test]
    [CancelAfter(30000)]
    public async Task InvokeAsync_SeedScript_SCR1_RunsDocumentedSample()
    {
        const string source = """
            /* exported Script */
            /* globals console, _, s */
            class Script {
              process_incoming_request({ request }) {
                console.log(request.content);
                return {
                  content:{
                    text: request.content.text
                   }
                };
              }
            }
            """;
        var result = await _host.InvokeAsync(TestHost.Script(source), "process_incoming_request", TestHost.Arg("""{"request":{"content":{"text":"Example message"}}}"""));
        result.Outcome.Should().Be(ScriptOutcome.Completed, result.Reason + " " + result.ErrorDetail);
        result.Value!.ToJsonString().Should().Be("{\"content\":{\"text\":\"Example message\"}}");
        result.Logs.Single().Message.Should().Be("{\"text\":\"Example message\"}");
    }

    [Test]
    [CancelAfter(30000)]
    public async Task InvokeAsync_ModernLoops_SCR44_StillEndInLimits()
    {
        var result = await _host.InvokeAsync(TestHost.Script("class Script { process_incoming_request() { const f = n => f(n + 1); return f(0); } }"), "process_incoming_request", TestHost.Arg());
        result.Reason.Should().Be("recursion-limit");
        var loop = await _host.InvokeAsync(TestHost.Script("class Script { process_incoming_request() { let n = 0; for (let i = 0; i < 1e6; i++) { n++; } return n; } }"), "process_incoming_request", TestHost.Arg());
        loop.Outcome.Should().Be(ScriptOutcome.Completed, loop.Reason + " " + loop.ErrorDetail);
    }

    [Test]
    [CancelAfter(30000)]
    public async Task ValidateAsync_ModernSyntaxError_SCR31_ReportsOriginalPosition()
    {
        var result = await _host.ValidateAsync("class Script {\n  process_incoming_request() { return 1 +; }\n}", IntegrationType.Incoming);
        result.Diagnostics.Should().ContainSingle().Which.Line.Should().Be(2);
    }
}
