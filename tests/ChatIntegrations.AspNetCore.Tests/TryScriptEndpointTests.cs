using System.Net;
using System.Text.Json.Nodes;
using ChatIntegrations.AspNetCore.Tests.Infrastructure;
using FluentAssertions;
using NUnit.Framework;

namespace ChatIntegrations.AspNetCore.Tests;

/// <summary><c>POST /api/integrations/{id}/try</c> on real Kestrel: the dry run of issue 15 item 2 through the admin
/// REST routes (GEN-12, GEN-13), with the sample host's chat as the sink that must stay untouched.</summary>
[TestFixture]
[CancelAfter(30_000)]
public sealed class TryScriptEndpointTests
{
    private const string Script = """
        class Script {
          process_incoming_request({ request }) {
            console.log('event', request.headers['x-event']);
            return { content: { text: 'Build ' + request.content.status } };
          }
        }
        """;

    private SampleServer _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _server = await SampleServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    // IN-9, SCR-51: the unsaved script runs against the pasted body and headers; the chat gets nothing.
    [Test]
    public async Task Try_UnsavedIncomingScript_AnswersWhatWouldBePostedAndPostsNothing()
    {
        var (id, _) = await _server.CreateIncomingAsync();
        var before = _server.MessageCount("general");
        var body = new JsonObject { ["script"] = Script, ["body"] = """{"status":"green"}""", ["headers"] = new JsonObject { ["X-Event"] = "push" } };

        var r = await _server.PostJsonAsync($"/api/integrations/{id}/try", body.ToJsonString());

        r.Status.Should().Be(HttpStatusCode.OK, r.Text);
        r.Json!["messages"]![0]!["msg"]!.GetValue<string>().Should().Be("Build green");
        r.Json["console"]![0]!["message"]!.GetValue<string>().Should().Be("event push");
        r.Json["response"]!["statusCode"]!.GetValue<int>().Should().Be(200);
        _server.MessageCount("general").Should().Be(before);
    }

    // SCR-47: a limit hit is an answer of the dry run, not an HTTP error.
    [Test]
    public async Task Try_ScriptHitsALimit_Answers200WithTheReason()
    {
        var (id, _) = await _server.CreateIncomingAsync();
        var body = new JsonObject { ["script"] = "class Script { process_incoming_request() { const a = []; while (true) a.push('xxxxxxxxxxxxxxxx'); } }" };

        var r = await _server.PostJsonAsync($"/api/integrations/{id}/try", body.ToJsonString());

        r.Status.Should().Be(HttpStatusCode.OK, r.Text);
        r.Json!["error"]!["reason"]!.GetValue<string>().Should().BeOneOf("memory-limit", "statement-limit", "timeout");
        r.Json["messages"]!.AsArray().Should().BeEmpty();
    }

    [Test]
    public async Task Try_UnknownIntegration_Returns404()
    {
        var r = await _server.PostJsonAsync("/api/integrations/doesNotExist42/try", "{}");

        r.Status.Should().Be(HttpStatusCode.NotFound);
        r.Error.Should().Be("error-not-found");
    }

    [TestCase("""{"headers":"X-Event: push"}""", "headers")]
    [TestCase("""{"script":["class Script {}"]}""", "script")]
    public async Task Try_WrongTypeInBody_Returns400NamingTheField(string body, string field)
    {
        var (id, _) = await _server.CreateIncomingAsync();

        var r = await _server.PostJsonAsync($"/api/integrations/{id}/try", body);

        r.Status.Should().Be(HttpStatusCode.BadRequest, r.Text);
        r.Error.Should().Be("error-invalid-field");
        r.Json!["field"]!.GetValue<string>().Should().Be(field);
    }

    [Test]
    public async Task Try_BodyNotAnObject_Returns400()
    {
        var (id, _) = await _server.CreateIncomingAsync();

        var r = await _server.PostJsonAsync($"/api/integrations/{id}/try", "[1]");

        r.Status.Should().Be(HttpStatusCode.BadRequest);
        r.Error.Should().Be("error-invalid-body");
    }

    // SCR-30: a supplied script that does not parse gets the diagnostics of validate-script.
    [Test]
    public async Task Try_BrokenScript_Returns400WithDiagnostics()
    {
        var (id, _) = await _server.CreateIncomingAsync();
        var body = new JsonObject { ["script"] = "class Script {\n  process_incoming_request({ request ) {}\n}" };

        var r = await _server.PostJsonAsync($"/api/integrations/{id}/try", body.ToJsonString());

        r.Status.Should().Be(HttpStatusCode.BadRequest, r.Text);
        r.Error.Should().Be("error-invalid-script");
        r.Json!["diagnostics"]![0]!["line"]!.GetValue<int>().Should().Be(2);
    }

    [Test]
    public async Task Try_NoScriptSavedOrSupplied_Returns400ErrorNoScript()
    {
        var (id, _) = await _server.CreateIncomingAsync();

        var r = await _server.PostJsonAsync($"/api/integrations/{id}/try", """{"body":"{}"}""");

        r.Status.Should().Be(HttpStatusCode.BadRequest, r.Text);
        r.Error.Should().Be("error-no-script");
    }
}
