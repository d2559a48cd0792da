using System.Security.Claims;
using System.Text.Json.Nodes;
using ChatIntegrations.Tests.TestDoubles;

namespace ChatIntegrations.Tests.Administration;

public sealed class AdministrationTests
{
    private EngineFixture _f = null!;

    [SetUp]
    public void SetUp() => _f = new EngineFixture();

    [TearDown]
    public void TearDown() => _f.Dispose();

    private static JsonObject Doc(string json) => JsonNode.Parse(json)!.AsObject();

    [Test]
    public async Task Create_Incoming_ReturnsIdAndGeneratedToken_GEN8_SEC1()
    {
        var r = await _f.Engine.CreateAsync(EngineFixture.Admin, Doc("""{"type":"webhook-incoming","name":"CI","channel":"#general, @alice","username":"rocket.cat"}"""));
        r.Success.Should().BeTrue(r.Body.ToJsonString());
        r.StatusCode.Should().Be(200);
        var i = r.Body["integration"]!;
        i["_id"]!.GetValue<string>().Should().MatchRegex("^[23456789ABCDEFGHJKLMNPQRSTWXYZabcdefghijkmnopqrstuvwxyz]{17}$");
        i["token"]!.GetValue<string>().Should().MatchRegex("^[23456789ABCDEFGHJKLMNPQRSTWXYZabcdefghijkmnopqrstuvwxyz]{48}$");
        i["channel"]!.ToJsonString().Should().Be("""["#general","@alice"]""");
        i["version"]!.GetValue<long>().Should().Be(1);
    }

    [TestCase("""{"type":"webhook-incoming","channel":"#general"}""", "error-invalid-user", "username")]
    [TestCase("""{"type":"webhook-incoming","channel":"#general","username":"ghost"}""", "error-invalid-user", "username")]
    [TestCase("""{"type":"webhook-incoming","username":"rocket.cat"}""", "error-invalid-room", "channel")]
    [TestCase("""{"type":"webhook-incoming","channel":"#nope","username":"rocket.cat"}""", "error-invalid-room", "channel")]
    [TestCase("""{"type":"webhook-incoming","channel":"#general","username":"rocket.cat","enabled":"yes"}""", "error-invalid-field", "enabled")]
    [TestCase("""{"type":"webhook-incoming","channel":"#general","username":"rocket.cat","maxBodyBytes":2000000}""", "error-invalid-field", "maxBodyBytes")]
    [TestCase("""{"type":"webhook-incoming","channel":"#general","username":"rocket.cat","avatar":"javascript:x"}""", "error-invalid-field", "avatar")]
    [TestCase("""{"type":"webhook-incoming","channel":[1],"username":"rocket.cat"}""", "error-invalid-field", "channel")]
    [TestCase("""{"type":"something","channel":"#general","username":"rocket.cat"}""", "error-invalid-field", "type")]
    [TestCase("""{"type":"webhook-outgoing","username":"rocket.cat","urls":[]}""", "error-invalid-urls", "urls")]
    [TestCase("""{"type":"webhook-outgoing","username":"rocket.cat","urls":["ftp://x"]}""", "error-invalid-urls", "urls")]
    [TestCase("""{"type":"webhook-outgoing","username":"rocket.cat","urls":["https://u:p@x.io"]}""", "error-invalid-urls", "urls")]
    [TestCase("""{"type":"webhook-outgoing","username":"rocket.cat","urls":["https://x.io"],"event":"bogus"}""", "error-invalid-field", "event")]
    [TestCase("""{"type":"webhook-outgoing","username":"rocket.cat","urls":["http://169.254.169.254/latest"]}""", "error-url-not-allowed", "urls")]
    [TestCase("""{"type":"webhook-outgoing","username":"rocket.cat","urls":["http://localhost:8080/x"]}""", "error-url-not-allowed", "urls")]
    [TestCase("""{"type":"webhook-outgoing","username":"rocket.cat","urls":["https://x.io"],"event":"userCreated"}""", "error-invalid-targetRoom", "targetRoom")]
    [TestCase("""{"type":"webhook-outgoing","username":"rocket.cat","urls":["https://x.io"],"event":"roomCreated","payloadFormat":"slack-form"}""", "error-format-not-supported-for-event", "payloadFormat")]
    [TestCase("""{"type":"webhook-outgoing","username":"rocket.cat","urls":["https://x.io"],"retryCount":11}""", "error-invalid-field", "retryCount")]
    [TestCase("""{"type":"webhook-outgoing","username":"rocket.cat","urls":["https://x.io"],"channel":"!bad"}""", "error-invalid-channel-start-with-chars", "channel")]
    public async Task Create_InvalidDefinition_NamesTheField_IN1_IN2_OUT2(string json, string error, string field)
    {
        var r = await _f.Engine.CreateAsync(EngineFixture.Admin, Doc(json));
        r.Success.Should().BeFalse();
        r.Error.Should().Be(error);
        r.Body["field"]!.GetValue<string>().Should().Be(field);
        r.StatusCode.Should().Be(400);
        (await _f.Store.ListAsync(new IntegrationQuery())).Total.Should().Be(0);
    }

    // MSG-20: the integration's own avatar setting follows the message avatar rule.
    [TestCase("/avatar/bot.png", true)]
    [TestCase("data:image/png;base64,iVBORw0KGgo=", true)]
    [TestCase("//evil.example/x.png", false)]
    [TestCase("vbscript:x", false)]
    public async Task Create_IntegrationAvatar_FollowsMessageAvatarRule_MSG20(string avatar, bool accepted)
    {
        var r = await _f.Engine.CreateAsync(EngineFixture.Admin, new JsonObject
        {
            ["type"] = "webhook-incoming", ["username"] = "rocket.cat", ["channel"] = "#general", ["avatar"] = avatar,
        });
        r.Success.Should().Be(accepted, r.Body.ToJsonString());
        if (!accepted) r.Body["field"]!.GetValue<string>().Should().Be("avatar");
    }

    [Test]
    public async Task Create_OutgoingSelectors_StoredAsIds_OUT30_OUT31()
    {
        var r = await _f.Engine.CreateAsync(EngineFixture.Admin, Doc("""
            {"type":"webhook-outgoing","username":"rocket.cat","urls":["https://x.io/hook"],"channel":"#general, @alice, ALL_PRIVATE_GROUPS, R_OPS"}
            """));
        r.Success.Should().BeTrue(r.Body.ToJsonString());
        r.Body["integration"]!["channel"]!.ToJsonString().Should().Be("""["#R_GENERAL","@u-alice","all_private_groups","R_OPS"]""");
    }

    [TestCase("#nowhere")]
    [TestCase("@ghost")]
    [TestCase("general")]
    public async Task Create_OutgoingSelectorNotResolving_InvalidRoom_OUT30(string selector)
    {
        var r = await _f.Engine.CreateAsync(EngineFixture.Admin, new JsonObject
        {
            ["type"] = "webhook-outgoing", ["username"] = "rocket.cat", ["urls"] = new JsonArray("https://x.io/hook"), ["channel"] = new JsonArray(selector),
        });
        r.Error.Should().Be("error-invalid-room");
        r.Body["message"]!.GetValue<string>().Should().Be(selector);
    }

    [Test]
    public async Task Create_InvalidScriptWithCodeFrame_DiagnosticCarriesIt_SCR30()
    {
        _f.Scripts.Validate = _ => new ScriptValidationResult { Diagnostics = [new ScriptDiagnostic(1, 5, "Unexpected token ';'") { CodeFrame = "> 1 | x = ;\n    |     ^" }] };
        var r = await _f.Engine.CreateAsync(EngineFixture.Admin, Doc("""{"type":"webhook-incoming","channel":"#general","username":"rocket.cat","scriptEnabled":true,"script":"x = ;"}"""));
        JsonNode.DeepEquals(r.Body, JsonNode.Parse("""{"success":false,"error":"error-invalid-script","diagnostics":[{"line":1,"column":5,"message":"Unexpected token ';'","codeFrame":"> 1 | x = ;\n    |     ^"}]}""")).Should().BeTrue(r.Body.ToJsonString());
    }

    [Test]
    public async Task Create_InvalidScript_RejectedWithDiagnostics_SCR30()
    {
        _f.Scripts.Validate = _ => new ScriptValidationResult { Diagnostics = [new ScriptDiagnostic(3, 15, "Unexpected token ';'")] };
        var r = await _f.Engine.CreateAsync(EngineFixture.Admin, Doc("""{"type":"webhook-incoming","channel":"#general","username":"rocket.cat","scriptEnabled":true,"script":"x"}"""));
        JsonNode.DeepEquals(r.Body, JsonNode.Parse("""{"success":false,"error":"error-invalid-script","diagnostics":[{"line":3,"column":15,"message":"Unexpected token ';'"}]}""")).Should().BeTrue(r.Body.ToJsonString());
        (await _f.Store.ListAsync(new IntegrationQuery())).Total.Should().Be(0);
    }

    [Test]
    public async Task Import_RocketChatDocument_KeepsIdAndTokenAndUrlWorks_GEN8()
    {
        var doc = Doc("""
            {"_id":"a8KxYZ9rt2","type":"webhook-incoming","name":"Old","enabled":true,"channel":"#general","username":"rocket.cat",
             "token":"old/Token+With=Chars1234","scriptEngine":"isolated-vm","_createdAt":"2020-01-01T00:00:00.000Z","userId":"x"}
            """);
        var r = await _f.Engine.ImportAsync(EngineFixture.Admin, doc);
        r.Success.Should().BeTrue(r.Body.ToJsonString());
        r.Body["integration"]!["_id"]!.GetValue<string>().Should().Be("a8KxYZ9rt2");
        r.Body["defaulted"]!.AsArray().Select(n => n!.GetValue<string>()).Should().Contain("overrideDestinationChannelEnabled");
        var post = await _f.PostAsync("a8KxYZ9rt2", "old/Token+With=Chars1234", """{"text":"still works"}""");
        post.StatusCode.Should().Be(200);
        (await _f.Engine.ImportAsync(EngineFixture.Admin, doc)).Error.Should().Be("error-duplicate-id");
        (await _f.Engine.ImportAsync(EngineFixture.Admin, doc)).StatusCode.Should().Be(409);
    }

    [TestCase("info")]
    [TestCase("validate-script")]
    [TestCase("has space")]
    public async Task Import_BadId_Rejected_GEN8(string id)
    {
        var r = await _f.Engine.ImportAsync(EngineFixture.Admin, Doc($$"""{"_id":"{{id}}","type":"webhook-incoming","channel":"#general","username":"rocket.cat"}"""));
        r.Error.Should().Be("error-invalid-field");
        r.Body["field"]!.GetValue<string>().Should().Be("_id");
    }

    [Test]
    public async Task Import_ShortToken_Rejected_SEC1()
    {
        var r = await _f.Engine.ImportAsync(EngineFixture.Admin, Doc("""{"type":"webhook-incoming","channel":"#general","username":"rocket.cat","token":"short"}"""));
        r.Body["field"]!.GetValue<string>().Should().Be("token");
    }

    [Test]
    public async Task Update_WithStaleVersion_ConflictAndNothingChanges_GEN9()
    {
        var (id, _) = await _f.CreateIncomingAsync("""{"name":"one"}""");
        var ok = await _f.Engine.UpdateAsync(EngineFixture.Admin, id, Doc("""{"name":"two"}"""), expectedVersion: 1);
        ok.Body["integration"]!["version"]!.GetValue<long>().Should().Be(2);
        var stale = await _f.Engine.UpdateAsync(EngineFixture.Admin, id, Doc("""{"name":"three"}"""), expectedVersion: 1);
        stale.Error.Should().Be("error-version-conflict");
        stale.StatusCode.Should().Be(409);
        (await _f.Store.GetAsync(id))!.Name.Should().Be("two");
    }

    [Test]
    public async Task Update_IncomingToken_IsNotChangeable_IN1()
    {
        var (id, token) = await _f.CreateIncomingAsync();
        await _f.Engine.UpdateAsync(EngineFixture.Admin, id, Doc("""{"token":"attacker-chosen-token-1234"}"""));
        (await _f.Store.GetAsync(id))!.Token.Should().Be(token);
    }

    [Test]
    public async Task Update_BooleanFalse_RoundTrips_OUT4()
    {
        var (id, _) = await _f.CreateIncomingAsync();
        await _f.Engine.UpdateAsync(EngineFixture.Admin, id, Doc("""{"enabled":false}"""));
        (await _f.Engine.GetAsync(EngineFixture.Admin, id)).Body["integration"]!["enabled"]!.GetValue<bool>().Should().BeFalse();
    }

    [Test]
    public async Task Update_UnknownId_NotFound_GEN12()
    {
        var r = await _f.Engine.UpdateAsync(EngineFixture.Admin, "missing", Doc("{}"));
        r.Body.ToJsonString().Should().Be("""{"success":false,"error":"error-not-found"}""");
        r.StatusCode.Should().Be(404);
    }

    [Test]
    public async Task Update_FrozenScripts_RefusesScriptChangeOnly_SCR36()
    {
        using var f = new EngineFixture(o => o.Scripts.Frozen = true);
        var (id, _) = await f.CreateIncomingAsync();
        (await f.Engine.UpdateAsync(EngineFixture.Admin, id, Doc("""{"scriptEnabled":true,"script":"class Script{}"}"""))).Error.Should().Be("integration-scripts-disabled");
        (await f.Engine.UpdateAsync(EngineFixture.Admin, id, Doc("""{"name":"ok"}"""))).Success.Should().BeTrue();
    }

    [Test]
    public async Task RegenerateToken_OldTokenFailsAtOnce_GEN10()
    {
        var (id, token) = await _f.CreateIncomingAsync();
        var r = await _f.Engine.RegenerateTokenAsync(EngineFixture.Admin, id);
        var fresh = r.Body["token"]!.GetValue<string>();
        fresh.Should().NotBe(token).And.HaveLength(48);
        r.Body["version"]!.GetValue<long>().Should().Be(2);
        (await _f.PostAsync(id, token, """{"text":"x"}""")).StatusCode.Should().Be(404);
        (await _f.PostAsync(id, fresh, """{"text":"x"}""")).StatusCode.Should().Be(200);
    }

    [Test]
    public async Task Delete_ThenGet_NotFound_GEN9()
    {
        var (id, token) = await _f.CreateIncomingAsync();
        (await _f.Engine.DeleteAsync(EngineFixture.Admin, id)).Success.Should().BeTrue();
        (await _f.Engine.GetAsync(EngineFixture.Admin, id)).StatusCode.Should().Be(404);
        (await _f.PostAsync(id, token, """{"text":"x"}""")).StatusCode.Should().Be(404);
    }

    [Test]
    public async Task List_FiltersPagesAndOmitsTokens_GEN11()
    {
        for (var n = 0; n < 5; n++)
        {
            await _f.CreateIncomingAsync($$"""{"name":"Alpha {{n}}","enabled":{{(n % 2 == 0 ? "true" : "false")}}}""");
            _f.Time.Advance(TimeSpan.FromSeconds(1));
        }

        await _f.CreateIncomingAsync("""{"name":"beta"}""");
        var page = await _f.Engine.ListAsync(EngineFixture.Admin, new IntegrationQuery { Name = "alpha", Offset = 1, Count = 2 });
        page.Body["total"]!.GetValue<int>().Should().Be(5);
        page.Body["count"]!.GetValue<int>().Should().Be(2);
        page.Body["offset"]!.GetValue<int>().Should().Be(1);
        var items = page.Body["integrations"]!.AsArray();
        items.Select(i => i!["name"]!.GetValue<string>()).Should().Equal("Alpha 3", "Alpha 2");
        items.Should().OnlyContain(i => !i!.AsObject().ContainsKey("token"));
        var enabled = await _f.Engine.ListAsync(EngineFixture.Admin, new IntegrationQuery { Enabled = false, Type = IntegrationType.Incoming });
        enabled.Body["total"]!.GetValue<int>().Should().Be(2);
        (await _f.Engine.ListAsync(EngineFixture.Admin, new IntegrationQuery { Count = 101 })).Body["field"]!.GetValue<string>().Should().Be("count");
        (await _f.Engine.ListAsync(EngineFixture.Admin, new IntegrationQuery { Offset = -1 })).Body["field"]!.GetValue<string>().Should().Be("offset");
    }

    [Test]
    public async Task Export_WithoutSecrets_OmitsTokenAndReimportsElsewhere_GEN8()
    {
        var (id, token) = await _f.CreateIncomingAsync("""{"name":"exp","alias":"CI"}""");
        var plain = await _f.Engine.ExportAsync(EngineFixture.Admin, id);
        plain.Body["integration"]!.AsObject().ContainsKey("token").Should().BeFalse();
        var secret = await _f.Engine.ExportAsync(EngineFixture.Admin, id, includeSecrets: true);
        secret.Body["integration"]!["token"]!.GetValue<string>().Should().Be(token);

        using var other = new EngineFixture();
        var imported = await other.Engine.ImportAsync(EngineFixture.Admin, secret.Body["integration"]!.AsObject());
        imported.Success.Should().BeTrue(imported.Body.ToJsonString());
        (await other.PostAsync(id, token, """{"text":"moved"}""")).StatusCode.Should().Be(200);
        other.Chat.Sent.Single().Alias.Should().Be("CI");
    }

    [Test]
    public async Task AnyOperation_NoAuthorizer_DeniedByDefault_SEC20()
    {
        using var f = new EngineFixture(allowAll: false);
        var r = await f.Engine.CreateAsync(EngineFixture.Admin, Doc("""{"type":"webhook-incoming","channel":"#general","username":"rocket.cat"}"""));
        r.Body.ToJsonString().Should().Be("""{"success":false,"error":"not_authorized"}""");
        r.StatusCode.Should().Be(403);
    }

    [Test]
    public async Task Create_PostAsDenied_NotAuthorized_SEC21()
    {
        var auth = new DelegateAuthorizer((_, op, res) => !(op == IntegrationOperation.PostAs && res.User == "rocket.cat"));
        using var f = new EngineFixture(authorizer: auth);
        var r = await f.Engine.CreateAsync(EngineFixture.Admin, Doc("""{"type":"webhook-incoming","channel":"#general","username":"rocket.cat"}"""));
        r.Error.Should().Be("not_authorized");
        var ok = await f.Engine.CreateAsync(EngineFixture.Admin, Doc("""{"type":"webhook-incoming","channel":"#general","username":"alice"}"""));
        ok.Success.Should().BeTrue();
    }

    [Test]
    public async Task ExportSecrets_NeedsItsOwnPermission_SEC21()
    {
        var auth = new DelegateAuthorizer((_, op, _) => op != IntegrationOperation.ExportSecrets);
        using var f = new EngineFixture(authorizer: auth);
        var (id, _) = await f.CreateIncomingAsync();
        (await f.Engine.ExportAsync(EngineFixture.Admin, id, includeSecrets: true)).Error.Should().Be("not_authorized");
        (await f.Engine.ExportAsync(EngineFixture.Admin, id)).Success.Should().BeTrue();
    }

    [Test]
    public async Task HandleIncoming_AuthorizerDeniesEverything_WebhookStillPostsWithoutAsking_SEC22()
    {
        var allow = true;
        var asked = 0;
        var auth = new DelegateAuthorizer((_, _, _) =>
        {
            asked++;
            return allow;
        });
        using var f = new EngineFixture(authorizer: auth);
        var (id, token) = await f.CreateIncomingAsync();
        allow = false;
        var askedBefore = asked;

        var r = await f.PostAsync(id, token, """{"text":"the URL token is the credential"}""");

        r.StatusCode.Should().Be(200, r.Body.ToJsonString());
        f.Chat.Sent.Single().Text.Should().Be("the URL token is the credential");
        asked.Should().Be(askedBefore, "executing a webhook is not an administrative operation");
        (await f.Engine.GetAsync(EngineFixture.Admin, id)).Error.Should().Be("not_authorized", "the authorizer does deny administration");
    }

    [Test]
    public async Task ValidateScript_ReturnsDiagnosticsWithoutSaving_SCR35()
    {
        _f.Scripts.Validate = s => s.Contains("bad") ? new ScriptValidationResult { Diagnostics = [new ScriptDiagnostic(1, 2, "x")] } : ScriptValidationResult.Valid;
        (await _f.Engine.ValidateScriptAsync(EngineFixture.Admin, "ok", IntegrationType.Incoming)).Success.Should().BeTrue();
        (await _f.Engine.ValidateScriptAsync(EngineFixture.Admin, "bad", IntegrationType.Incoming)).Body["diagnostics"]![0]!["column"]!.GetValue<int>().Should().Be(2);
    }

    private sealed class DelegateAuthorizer(Func<ClaimsPrincipal, IntegrationOperation, IntegrationResource, bool> decide) : IIntegrationAuthorizer
    {
        public ValueTask<bool> AuthorizeAsync(ClaimsPrincipal actor, IntegrationOperation operation, IntegrationResource resource, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(decide(actor, operation, resource));
    }
}
