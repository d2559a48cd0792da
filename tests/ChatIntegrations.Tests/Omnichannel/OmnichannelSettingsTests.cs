using System.Security.Claims;
using System.Text.Json.Nodes;
using ChatIntegrations.Tests.Security.Ssrf;
using ChatIntegrations.Tests.TestDoubles;
using static ChatIntegrations.Tests.Omnichannel.OmnichannelKit;

namespace ChatIntegrations.Tests.Omnichannel;

/// <summary>Settings (OMNI-1, OMNI-3), secret visibility (GEN-9), authorisation (SEC-21) and the test call (OMNI-36).</summary>
public sealed class OmnichannelSettingsTests
{
    [Test]
    [CancelAfter(10_000)]
    public async Task GetOmnichannelSettingsAsync_NothingSaved_ReturnsDefaults_OMNI1(CancellationToken ct)
    {
        using var f = new EngineFixture();

        var result = await f.Engine.GetOmnichannelSettingsAsync(EngineFixture.Admin, ct);

        result.Success.Should().BeTrue();
        Canonical(result.Body["settings"]!.ToJsonString()).Should().Be(Canonical("""
            {"url":"","secretTokenSet":false,"timeoutMs":5000,"onStart":false,"onQueued":false,"onTaken":false,"onForward":false,
             "onClose":false,"onVisitorMessage":false,"onAgentMessage":false,"onOfflineMessage":false,"onLeadCapture":false,
             "onEdit":true,"sendNavigationHistory":false,"retryPolicy":"standard","crmDataMode":"text","signingSecretCount":0,"version":0}
            """));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task SaveOmnichannelSettingsAsync_EveryKey_StoredUnderItsOwnKeyAndSecretNeverReturned_OMNI1_OMNI3_GEN9(CancellationToken ct)
    {
        using var f = new EngineFixture();
        var doc = new JsonObject
        {
            ["url"] = "https://crm.example.com/hook", ["secretToken"] = Secret, ["timeoutMs"] = 7000, ["retryPolicy"] = "LEGACY", ["crmDataMode"] = "json",
        };
        foreach (var (key, _) in ChatIntegrations.Omnichannel.OmnichannelSettings.Toggles) doc[key] = key is "onTaken" or "sendNavigationHistory";

        var saved = await f.Engine.SaveOmnichannelSettingsAsync(EngineFixture.Admin, doc, ct);
        var read = await f.Engine.GetOmnichannelSettingsAsync(EngineFixture.Admin, ct);

        saved.Success.Should().BeTrue(saved.Body.ToJsonString());
        foreach (var answer in new[] { saved, read })
        {
            answer.Body.ToJsonString().Should().NotContain(Secret);
            var s = answer.Body["settings"]!;
            s["secretTokenSet"]!.GetValue<bool>().Should().BeTrue();
            s["url"]!.GetValue<string>().Should().Be("https://crm.example.com/hook");
            s["timeoutMs"]!.GetValue<int>().Should().Be(7000);
            s["retryPolicy"]!.GetValue<string>().Should().Be("legacy");
            s["crmDataMode"]!.GetValue<string>().Should().Be("json");
            foreach (var (key, _) in ChatIntegrations.Omnichannel.OmnichannelSettings.Toggles)
            {
                s[key]!.GetValue<bool>().Should().Be(key is "onTaken" or "sendNavigationHistory", key);
            }
        }

        // The settings record is not an integration: generic operations never expose the secret (GEN-9).
        (await f.Engine.GetAsync(EngineFixture.Admin, IntegrationEngine.OmnichannelWebhookId, ct)).Error.Should().Be("error-not-found");
        (await f.Engine.ExportAsync(EngineFixture.Admin, IntegrationEngine.OmnichannelWebhookId, includeSecrets: true, ct)).Error.Should().Be("error-not-found");
        (await f.Engine.RegenerateTokenAsync(EngineFixture.Admin, IntegrationEngine.OmnichannelWebhookId, ct)).Error.Should().Be("error-not-found");
        (await f.Engine.DeleteAsync(EngineFixture.Admin, IntegrationEngine.OmnichannelWebhookId, ct)).Error.Should().Be("error-not-found");
        var list = await f.Engine.ListAsync(EngineFixture.Admin, new IntegrationQuery(), ct);
        list.Body["integrations"]!.AsArray().Should().BeEmpty();
        list.Body["total"]!.GetValue<int>().Should().Be(0);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task SaveOmnichannelSettingsAsync_PartialChange_KeepsOtherValuesAndSecret_OMNI1(CancellationToken ct)
    {
        using var f = new EngineFixture();
        (await f.Engine.SaveOmnichannelSettingsAsync(EngineFixture.Admin, new JsonObject { ["url"] = "https://crm.example.com/a", ["secretToken"] = Secret, ["onClose"] = true }, ct))
            .Success.Should().BeTrue();

        var result = await f.Engine.SaveOmnichannelSettingsAsync(EngineFixture.Admin, new JsonObject { ["onStart"] = true }, ct);

        var s = result.Body["settings"]!;
        s["url"]!.GetValue<string>().Should().Be("https://crm.example.com/a");
        s["secretTokenSet"]!.GetValue<bool>().Should().BeTrue();
        s["onClose"]!.GetValue<bool>().Should().BeTrue();
        s["onStart"]!.GetValue<bool>().Should().BeTrue();
        s["version"]!.GetValue<long>().Should().Be(2);
        (await f.Store.GetAsync(IntegrationEngine.OmnichannelWebhookId, ct))!.Token.Should().Be(Secret);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task SaveOmnichannelSettingsAsync_RocketChatSettingIds_AcceptedAsAliases_OMNI1(CancellationToken ct)
    {
        using var f = new EngineFixture();

        var result = await f.Engine.SaveOmnichannelSettingsAsync(EngineFixture.Admin, new JsonObject
        {
            ["Livechat_webhookUrl"] = "https://crm.example.com/rc", ["Livechat_http_timeout"] = 3000, ["Livechat_webhook_on_chat_taken"] = true,
            ["Livechat_webhook_on_offline_msg"] = true,
        }, ct);

        var s = result.Body["settings"]!;
        s["url"]!.GetValue<string>().Should().Be("https://crm.example.com/rc");
        s["timeoutMs"]!.GetValue<int>().Should().Be(3000);
        s["onTaken"]!.GetValue<bool>().Should().BeTrue();
        s["onOfflineMessage"]!.GetValue<bool>().Should().BeTrue();
    }

    [TestCase("""{"url":"ftp://crm.example.com"}""", "url")]
    [TestCase("""{"url":"not a url"}""", "url")]
    [TestCase("""{"url":42}""", "url")]
    [TestCase("""{"timeoutMs":999}""", "timeoutMs")]
    [TestCase("""{"timeoutMs":60001}""", "timeoutMs")]
    [TestCase("""{"timeoutMs":"5000"}""", "timeoutMs")]
    [TestCase("""{"timeoutMs":1500.5}""", "timeoutMs")]
    [TestCase("""{"onStart":"yes"}""", "onStart")]
    [TestCase("""{"retryPolicy":"aggressive"}""", "retryPolicy")]
    [TestCase("""{"crmDataMode":"xml"}""", "crmDataMode")]
    [TestCase("""{"signingSecrets":["nope"]}""", "signingSecrets")]
    [TestCase("""{"secretToken":"line\nbreak"}""", "secretToken")]
    [TestCase("""{"onEverything":true}""", "onEverything")]
    [TestCase("""{"Livechat_http_timeout":10}""", "Livechat_http_timeout")]
    [CancelAfter(10_000)]
    public async Task SaveOmnichannelSettingsAsync_InvalidValue_FailsNamingTheFieldAndChangesNothing_OMNI1(string json, string field, CancellationToken ct)
    {
        using var f = new EngineFixture();

        var result = await f.Engine.SaveOmnichannelSettingsAsync(EngineFixture.Admin, JsonNode.Parse(json)!.AsObject(), ct);

        result.Success.Should().BeFalse();
        result.Error.Should().Be("error-invalid-field");
        result.Body["field"]!.GetValue<string>().Should().Be(field);
        result.Body["message"]!.GetValue<string>().Should().NotBeNullOrEmpty();
        result.StatusCode.Should().Be(400);
        (await f.Store.GetAsync(IntegrationEngine.OmnichannelWebhookId, ct)).Should().BeNull();
    }

    [TestCase(1000)]
    [TestCase(60000)]
    [CancelAfter(10_000)]
    public async Task SaveOmnichannelSettingsAsync_TimeoutBounds_Accepted_OMNI1(int ms, CancellationToken ct)
    {
        using var f = new EngineFixture();

        var result = await f.Engine.SaveOmnichannelSettingsAsync(EngineFixture.Admin, new JsonObject { ["timeoutMs"] = ms }, ct);

        result.Success.Should().BeTrue();
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task SaveOmnichannelSettingsAsync_StaleExpectedVersion_Conflict(CancellationToken ct)
    {
        using var f = new EngineFixture();
        (await f.Engine.SaveOmnichannelSettingsAsync(EngineFixture.Admin, new JsonObject { ["onStart"] = true }, ct)).Success.Should().BeTrue();

        var result = await f.Engine.SaveOmnichannelSettingsAsync(EngineFixture.Admin, new JsonObject { ["expectedVersion"] = 0, ["onStart"] = false }, ct);

        result.Error.Should().Be("error-version-conflict");
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task CreateAsync_ImportWithOmnichannelId_Rejected_OMNI1(CancellationToken ct)
    {
        using var f = new EngineFixture();

        var result = await f.Engine.ImportAsync(EngineFixture.Admin, new JsonObject
        {
            ["_id"] = "omnichannel", ["type"] = "webhook-incoming", ["username"] = "rocket.cat", ["channel"] = "#general",
        }, ct);

        result.Error.Should().Be("error-invalid-field");
        result.Body["field"]!.GetValue<string>().Should().Be("_id");
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task OmnichannelOperations_NoAuthorizer_Denied_SEC20_SEC21(CancellationToken ct)
    {
        using var f = new EngineFixture(allowAll: false);

        (await f.Engine.GetOmnichannelSettingsAsync(EngineFixture.Admin, ct)).Error.Should().Be("not_authorized");
        (await f.Engine.SaveOmnichannelSettingsAsync(EngineFixture.Admin, new JsonObject { ["onStart"] = true }, ct)).Error.Should().Be("not_authorized");
        (await f.Engine.TestOmnichannelWebhookAsync(EngineFixture.Admin, ct)).Error.Should().Be("not_authorized");
        (await f.Engine.GetHistoryAsync(EngineFixture.Admin, IntegrationEngine.OmnichannelWebhookId, cancellationToken: ct)).Error.Should().Be("not_authorized");
        (await f.Engine.ClearHistoryAsync(EngineFixture.Admin, IntegrationEngine.OmnichannelWebhookId, ct)).Error.Should().Be("not_authorized");
        (await f.Engine.ReplayOmnichannelAsync(EngineFixture.Admin, "h1", ct)).Error.Should().Be("not_authorized");
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task OmnichannelOperations_AskTheSec21Operations_OnTheOmnichannelResource(CancellationToken ct)
    {
        var authorizer = new RecordingAuthorizer();
        using var f = new EngineFixture(authorizer: authorizer);

        await f.Engine.GetOmnichannelSettingsAsync(EngineFixture.Admin, ct);
        await f.Engine.SaveOmnichannelSettingsAsync(EngineFixture.Admin, new JsonObject(), ct);
        await f.Engine.TestOmnichannelWebhookAsync(EngineFixture.Admin, ct);
        await f.Engine.GetHistoryAsync(EngineFixture.Admin, IntegrationEngine.OmnichannelWebhookId, cancellationToken: ct);
        await f.Engine.ClearHistoryAsync(EngineFixture.Admin, IntegrationEngine.OmnichannelWebhookId, ct);
        await f.Engine.ReplayOmnichannelAsync(EngineFixture.Admin, "h1", ct);

        authorizer.Asked.Select(a => a.Operation).Should().Equal(
            IntegrationOperation.ManageOmnichannelWebhook, IntegrationOperation.ManageOmnichannelWebhook, IntegrationOperation.TestOmnichannelWebhook,
            IntegrationOperation.ViewHistory, IntegrationOperation.ClearHistory, IntegrationOperation.ReplayHistory);
        authorizer.Asked.Should().OnlyContain(a => a.Resource.IntegrationId == "omnichannel" && a.Resource.Type == IntegrationType.Omnichannel);
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task TestOmnichannelWebhookAsync_200_SucceedsWithSampleSessionAndTokenHeader_OMNI36(CancellationToken ct)
    {
        await using var f = new DeliveryFixture();
        var receiver = f.Receiver();
        (await f.Engine.SaveOmnichannelSettingsAsync(EngineFixture.Admin, new JsonObject { ["url"] = receiver.Url("/crm"), ["secretToken"] = Secret }, ct)).Success.Should().BeTrue();

        var result = await f.Engine.TestOmnichannelWebhookAsync(EngineFixture.Admin, ct);

        result.Success.Should().BeTrue(result.Body.ToJsonString());
        var request = receiver.Requests.Should().ContainSingle().Subject;
        request.Headers["X-RocketChat-Livechat-Token"].Should().Be(Secret);
        JsonNode.Parse(request.Body)!["type"]!.GetValue<string>().Should().Be("LivechatSession");
        (await f.Store.GetNextDueAsync(ct)).Should().BeNull("the test is synchronous, never queued");
    }

    [TestCase(201)]
    [TestCase(500)]
    [CancelAfter(20_000)]
    public async Task TestOmnichannelWebhookAsync_Non200_FailsOnceWithoutRetry_OMNI36(int status, CancellationToken ct)
    {
        await using var f = new DeliveryFixture();
        var receiver = f.Receiver(_ => new TinyResponse(status));
        (await f.Engine.SaveOmnichannelSettingsAsync(EngineFixture.Admin, new JsonObject { ["url"] = receiver.Url("/crm") }, ct)).Success.Should().BeTrue();

        var result = await f.Engine.TestOmnichannelWebhookAsync(EngineFixture.Admin, ct);

        result.Error.Should().Be("error-invalid-webhook-response");
        receiver.Requests.Should().ContainSingle();
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task TestOmnichannelWebhookAsync_NoUrlOrConnectionRefused_Fails_OMNI36(CancellationToken ct)
    {
        await using var f = new DeliveryFixture();
        (await f.Engine.TestOmnichannelWebhookAsync(EngineFixture.Admin, ct)).Error.Should().Be("error-invalid-webhook-response");

        (await f.Engine.SaveOmnichannelSettingsAsync(EngineFixture.Admin, new JsonObject { ["url"] = $"http://127.0.0.1:{TinyHttpServer.FreePort()}/" }, ct))
            .Success.Should().BeTrue();
        (await f.Engine.TestOmnichannelWebhookAsync(EngineFixture.Admin, ct)).Error.Should().Be("error-invalid-webhook-response");
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task TestOmnichannelWebhookAsync_SsrfGuardApplies_OMNI30_SEC6(CancellationToken ct)
    {
        using var f = new EngineFixture(); // loopback not allow-listed here
        (await f.Engine.SaveOmnichannelSettingsAsync(EngineFixture.Admin, new JsonObject { ["url"] = "http://127.0.0.1:9/" }, ct)).Success.Should().BeTrue();

        var result = await f.Engine.TestOmnichannelWebhookAsync(EngineFixture.Admin, ct);

        result.Error.Should().Be("error-invalid-webhook-response");
        result.Body["message"]!.GetValue<string>().Should().Be("ESSRF");
    }

    private sealed class RecordingAuthorizer : IIntegrationAuthorizer
    {
        public List<(IntegrationOperation Operation, IntegrationResource Resource)> Asked { get; } = [];

        public ValueTask<bool> AuthorizeAsync(ClaimsPrincipal actor, IntegrationOperation operation, IntegrationResource resource, CancellationToken cancellationToken = default)
        {
            lock (Asked) Asked.Add((operation, resource));
            return ValueTask.FromResult(true);
        }
    }
}
