using System.Net;
using System.Text.Json.Nodes;
using ChatIntegrations.AspNetCore.Tests.Infrastructure;
using FluentAssertions;
using NUnit.Framework;

namespace ChatIntegrations.AspNetCore.Tests;

/// <summary>The administration REST routes of GEN-13 and the GEN-12 envelope.</summary>
[TestFixture]
[CancelAfter(20_000)]
public sealed class AdministrationEndpointsTests
{
    private SampleServer _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _server = await SampleServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    private Task<Answer> Send(HttpMethod method, string path, string? body = null) => _server.SendAsync(method, path, body);

    // GEN-9, GEN-8: create returns the 17-character id and the token.
    [Test]
    public async Task Create_IncomingDefinition_ReturnsIdAndToken()
    {
        var r = await Send(HttpMethod.Post, "/api/integrations", """{"type":"webhook-incoming","name":"ci","channel":"#general","username":"rocket.cat"}""");

        r.Status.Should().Be(HttpStatusCode.OK, r.Text);
        r.Json!["success"]!.GetValue<bool>().Should().BeTrue();
        r.Json["integration"]!["_id"]!.GetValue<string>().Should().HaveLength(17);
        r.Json["integration"]!["token"]!.GetValue<string>().Should().NotBeNullOrEmpty();
    }

    // GEN-8: a Rocket.Chat export keeps its _id and token; Rocket.Chat-only keys are ignored; the URL works.
    [Test]
    public async Task Import_RocketChatExport_KeepsIdAndTokenAndUrlWorks()
    {
        var id = "rcExport" + Guid.NewGuid().ToString("N")[..9];
        const string token = "F7gH2kL9mN3pQ5rS8tV1wX4yZ6aB0cDe";
        var export = new JsonObject
        {
            ["_id"] = id, ["type"] = "webhook-incoming", ["name"] = "From Rocket.Chat", ["enabled"] = true,
            ["username"] = "rocket.cat", ["channel"] = new JsonArray("#general"), ["alias"] = "Imported", ["avatar"] = "", ["emoji"] = ":ghost:",
            ["scriptEnabled"] = false, ["scriptEngine"] = "isolated-vm", ["script"] = "", ["token"] = token,
            ["userId"] = "rocket.cat", ["_createdAt"] = "2024-03-01T10:00:00.000Z", ["_createdBy"] = new JsonObject { ["_id"] = "x", ["username"] = "admin" },
            ["_updatedAt"] = "2024-03-01T10:00:00.000Z",
        };

        var r = await Send(HttpMethod.Post, "/api/integrations/import", export.ToJsonString());
        var post = await _server.PostJsonAsync($"/hooks/{id}/{token}", """{"text":"imported works"}""");

        r.Status.Should().Be(HttpStatusCode.OK, r.Text);
        r.Json!["integration"]!["_id"]!.GetValue<string>().Should().Be(id);
        r.Json["integration"]!["token"]!.GetValue<string>().Should().Be(token);
        r.Json["defaulted"]!.AsArray().Select(n => n!.GetValue<string>()).Should().Contain("overrideDestinationChannelEnabled");
        post.Status.Should().Be(HttpStatusCode.OK, post.Text);
        _server.LastMessage("general").Text.Should().Be("imported works");
        _server.LastMessage("general").Alias.Should().Be("Imported");
    }

    // GEN-8: an _id already in use → 409 error-duplicate-id.
    [Test]
    public async Task Import_DuplicateId_Returns409()
    {
        var id = "dup" + Guid.NewGuid().ToString("N")[..8];
        var doc = $$"""{"_id":"{{id}}","type":"webhook-incoming","channel":"#general","username":"rocket.cat"}""";
        (await Send(HttpMethod.Post, "/api/integrations/import", doc)).Status.Should().Be(HttpStatusCode.OK);

        var r = await Send(HttpMethod.Post, "/api/integrations/import", doc);

        r.Status.Should().Be(HttpStatusCode.Conflict);
        r.Error.Should().Be("error-duplicate-id");
    }

    // IN-2, GEN-12: invalid definitions name the field.
    [TestCase("""{"type":"webhook-incoming","channel":"#nope","username":"rocket.cat"}""", "error-invalid-room", "channel")]
    [TestCase("""{"type":"webhook-bogus","channel":"#general","username":"rocket.cat"}""", "error-invalid-field", "type")]
    [TestCase("""{"type":"webhook-incoming","channel":"#general","username":"rocket.cat","enabled":"yes"}""", "error-invalid-field", "enabled")]
    [TestCase("""{"type":"webhook-incoming","channel":"#general","username":"rocket.cat","maxBodyBytes":99999999}""", "error-invalid-field", "maxBodyBytes")]
    public async Task Create_InvalidDefinition_Returns400NamingField(string body, string error, string field)
    {
        var r = await Send(HttpMethod.Post, "/api/integrations", body);

        r.Status.Should().Be(HttpStatusCode.BadRequest, r.Text);
        r.Error.Should().Be(error);
        r.Json!["field"]!.GetValue<string>().Should().Be(field);
    }

    // IN-1: the post-as user must exist.
    [Test]
    public async Task Create_UnknownUser_Returns400()
    {
        var r = await Send(HttpMethod.Post, "/api/integrations", """{"type":"webhook-incoming","channel":"#general","username":"ghost"}""");

        r.Status.Should().Be(HttpStatusCode.BadRequest);
        r.Error.Should().Be("error-invalid-user");
    }

    // GEN-12 (adapter): bad JSON and non-object bodies.
    [TestCase("{\"type\":", "error-invalid-json")]
    [TestCase("", "error-invalid-json")]
    [TestCase("[1]", "error-invalid-body")]
    [TestCase("\"x\"", "error-invalid-body")]
    public async Task Create_BadBody_Returns400(string body, string error)
    {
        var r = await Send(HttpMethod.Post, "/api/integrations", body);

        r.Status.Should().Be(HttpStatusCode.BadRequest);
        r.Error.Should().Be(error);
        r.Json!["success"]!.GetValue<bool>().Should().BeFalse();
        if (error == "error-invalid-json") r.Json["message"]!.GetValue<string>().Should().NotBeEmpty();
    }

    // GEN-9, GEN-13: PUT takes expectedVersion from the body; a stale version → 409 and nothing changes.
    [Test]
    public async Task Update_ExpectedVersion_AppliesOrConflicts()
    {
        var (id, _) = await _server.CreateIncomingAsync();

        var ok = await Send(HttpMethod.Put, $"/api/integrations/{id}", """{"name":"renamed","expectedVersion":1}""");
        var stale = await Send(HttpMethod.Put, $"/api/integrations/{id}", """{"name":"again","expectedVersion":1}""");
        var bad = await Send(HttpMethod.Put, $"/api/integrations/{id}", """{"name":"again","expectedVersion":"one"}""");
        var get = await Send(HttpMethod.Get, $"/api/integrations/{id}");

        ok.Status.Should().Be(HttpStatusCode.OK, ok.Text);
        ok.Json!["integration"]!["version"]!.GetValue<long>().Should().Be(2);
        ok.Json["integration"]!.AsObject().ContainsKey("expectedVersion").Should().BeFalse();
        stale.Status.Should().Be(HttpStatusCode.Conflict);
        stale.Error.Should().Be("error-version-conflict");
        bad.Status.Should().Be(HttpStatusCode.BadRequest);
        bad.Json!["field"]!.GetValue<string>().Should().Be("expectedVersion");
        get.Json!["integration"]!["name"]!.GetValue<string>().Should().Be("renamed");
    }

    // GEN-12: error-not-found → 404 on every per-id route.
    [TestCase("GET", "/api/integrations/nosuchid")]
    [TestCase("PUT", "/api/integrations/nosuchid")]
    [TestCase("DELETE", "/api/integrations/nosuchid")]
    [TestCase("POST", "/api/integrations/nosuchid/token")]
    [TestCase("GET", "/api/integrations/nosuchid/export")]
    public async Task PerIdRoutes_UnknownId_Return404(string method, string path)
    {
        var r = await Send(new HttpMethod(method), path, method == "PUT" ? """{"name":"x"}""" : null);

        r.Status.Should().Be(HttpStatusCode.NotFound);
        r.Text.Should().Be("""{"success":false,"error":"error-not-found"}""");
    }

    // GEN-9: delete removes the integration and its URL.
    [Test]
    public async Task Delete_Existing_RemovesIntegrationAndUrl()
    {
        var (id, token) = await _server.CreateIncomingAsync();

        var r = await Send(HttpMethod.Delete, $"/api/integrations/{id}");
        var post = await _server.PostJsonAsync($"/hooks/{id}/{token}", """{"text":"x"}""");

        r.Status.Should().Be(HttpStatusCode.OK);
        post.Status.Should().Be(HttpStatusCode.NotFound);
    }

    // GEN-11: filters, paging and totals; list omits tokens.
    [Test]
    public async Task List_FiltersAndPaging_AnswerPage()
    {
        var prefix = "lst" + Guid.NewGuid().ToString("N")[..6];
        for (var i = 0; i < 3; i++) await _server.CreateIncomingAsync(new JsonObject { ["name"] = $"{prefix}-{i}", ["enabled"] = i != 2 });

        var page1 = await Send(HttpMethod.Get, $"/api/integrations?name={prefix.ToUpperInvariant()}&count=2");
        var page2 = await Send(HttpMethod.Get, $"/api/integrations?name={prefix}&count=2&offset=2");
        var disabled = await Send(HttpMethod.Get, $"/api/integrations?name={prefix}&enabled=false");
        var outgoing = await Send(HttpMethod.Get, $"/api/integrations?name={prefix}&type=webhook-outgoing");

        page1.Status.Should().Be(HttpStatusCode.OK, page1.Text);
        page1.Json!["integrations"]!.AsArray().Should().HaveCount(2);
        page1.Json["total"]!.GetValue<int>().Should().Be(3);
        page1.Json["count"]!.GetValue<int>().Should().Be(2);
        page1.Json["integrations"]!.AsArray().Should().OnlyContain(i => !i!.AsObject().ContainsKey("token"));
        page2.Json!["integrations"]!.AsArray().Should().HaveCount(1);
        page2.Json["offset"]!.GetValue<int>().Should().Be(2);
        disabled.Json!["integrations"]!.AsArray().Should().ContainSingle().Which!["name"]!.GetValue<string>().Should().Be($"{prefix}-2");
        outgoing.Json!["total"]!.GetValue<int>().Should().Be(0);
    }

    // GEN-11, GEN-13: invalid query values name the field.
    [TestCase("offset=-1", "offset")]
    [TestCase("offset=x", "offset")]
    [TestCase("count=0", "count")]
    [TestCase("count=101", "count")]
    [TestCase("count=many", "count")]
    [TestCase("type=webhook", "type")]
    [TestCase("enabled=maybe", "enabled")]
    public async Task List_InvalidQuery_Returns400WithField(string query, string field)
    {
        var r = await Send(HttpMethod.Get, "/api/integrations?" + query);

        r.Status.Should().Be(HttpStatusCode.BadRequest, r.Text);
        r.Error.Should().Be("error-invalid-field");
        r.Json!["field"]!.GetValue<string>().Should().Be(field);
    }

    // GEN-8: export omits the token unless includeSecrets; the export imports again.
    [Test]
    public async Task Export_WithoutSecrets_OmitsToken()
    {
        var (id, token) = await _server.CreateIncomingAsync();

        var plain = await Send(HttpMethod.Get, $"/api/integrations/{id}/export");
        var secret = await Send(HttpMethod.Get, $"/api/integrations/{id}/export?includeSecrets=true");

        plain.Status.Should().Be(HttpStatusCode.OK, plain.Text);
        plain.Json!["integration"]!["_id"]!.GetValue<string>().Should().Be(id);
        plain.Json["integration"]!.AsObject().ContainsKey("token").Should().BeFalse();
        plain.Text.Should().NotContain(token);
        secret.Json!["integration"]!["token"]!.GetValue<string>().Should().Be(token);
    }

    // GEN-10: a regenerated token replaces the old one at once.
    [Test]
    public async Task RegenerateToken_OldTokenFails_NewTokenWorks()
    {
        var (id, oldToken) = await _server.CreateIncomingAsync();

        var r = await Send(HttpMethod.Post, $"/api/integrations/{id}/token");
        var newToken = r.Json!["token"]!.GetValue<string>();
        var oldPost = await _server.PostJsonAsync($"/hooks/{id}/{oldToken}", """{"text":"old"}""");
        var newPost = await _server.PostJsonAsync($"/hooks/{id}/{newToken}", """{"text":"new"}""");

        r.Status.Should().Be(HttpStatusCode.OK);
        r.Json["_id"]!.GetValue<string>().Should().Be(id);
        r.Json["version"]!.GetValue<long>().Should().Be(2);
        newToken.Should().NotBe(oldToken);
        oldPost.Status.Should().Be(HttpStatusCode.NotFound);
        newPost.Status.Should().Be(HttpStatusCode.OK, newPost.Text);
    }

    // SCR-35, GEN-13: validate-script checks its own body before asking the engine.
    [TestCase("""{"type":"webhook-incoming"}""", "script")]
    [TestCase("""{"script":42}""", "script")]
    [TestCase("""{"script":"class Script {}","type":"bogus"}""", "type")]
    public async Task ValidateScript_BadBody_Returns400WithField(string body, string field)
    {
        var r = await Send(HttpMethod.Post, "/api/integrations/validate-script", body);

        r.Status.Should().Be(HttpStatusCode.BadRequest, r.Text);
        r.Error.Should().Be("error-invalid-field");
        r.Json!["field"]!.GetValue<string>().Should().Be(field);
    }

    // SCR-35: a well-formed request reaches the engine and answers the GEN-12 envelope.
    [Test]
    public async Task ValidateScript_WellFormedRequest_AnswersEnvelope()
    {
        var r = await Send(HttpMethod.Post, "/api/integrations/validate-script", """{"script":"class Script { process_incoming_request({request}) { return {content:{text:'x'}}; } }","type":"webhook-incoming"}""");

        r.Json!.ContainsKey("success").Should().BeTrue(r.Text);
        ((int)r.Status).Should().BeOneOf(200, 400);
    }
}
