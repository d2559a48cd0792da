using System.Text.Json.Nodes;
using ChatIntegrations.Delivery;
using ChatIntegrations.Delivery.History;
using ChatIntegrations.Outgoing;

namespace ChatIntegrations.Tests.Outgoing;

public sealed class OutgoingPayloadTests
{
    private static readonly DateTimeOffset Ten = new(2025, 1, 1, 10, 0, 0, TimeSpan.Zero);

    private static ChatIntegrationsOptions Options() => new() { SiteUrl = "https://chat.example.com", TeamId = "T1", TeamDomain = "acme" };

    private static ChatEvent Deploy() => new()
    {
        Type = ChatEventType.SendMessage,
        Timestamp = Ten,
        Room = new RoomSnapshot("R_OPS", "c") { Name = "ops" },
        Actor = new UserSnapshot("u1", "alice"),
        Message = new MessageSnapshot("m77", "R_OPS") { Text = "!deploy prod", Timestamp = Ten, Sender = new UserReference("u1", "alice") },
    };

    [Test]
    public void Build_WorkedExample_MatchesOut24Exactly_OUT20_OUT21_OUT23_OUT24()
    {
        var data = OutgoingPayload.WithToken(OutgoingPayload.Build(Deploy(), ChatEventType.SendMessage, "!deploy", Options()), "Q7mf");

        data.ToJsonString().Should().Be("""{"token":"Q7mf","bot":false,"trigger_word":"!deploy","channel_id":"R_OPS","channel_name":"ops","message_id":"m77","timestamp":"2025-01-01T10:00:00.000Z","user_id":"u1","user_name":"alice","text":"!deploy prod","siteUrl":"https://chat.example.com"}""");
    }

    [Test]
    public void Build_EditedThreadReplyFromBotUserInDm_FlagsAndOmitsChannelName_OUT21_OUT47_OUT53()
    {
        var e = Deploy() with
        {
            Room = new RoomSnapshot("D1", "d") { MemberIds = ["u1", "u2"] },
            Actor = new UserSnapshot("u1", "alice") { Type = "bot" },
            Message = Deploy().Message! with { EditedAt = Ten, ThreadId = "m1", Alias = "Al" },
        };

        var data = OutgoingPayload.Build(e, ChatEventType.SendMessage, null, Options());

        data.ContainsKey("channel_name").Should().BeFalse();
        data["bot"]!.GetValue<bool>().Should().BeTrue();
        data["isEdited"]!.GetValue<bool>().Should().BeTrue();
        data["tmid"]!.GetValue<string>().Should().Be("m1");
        data["alias"]!.GetValue<string>().Should().Be("Al");
        data.ContainsKey("trigger_word").Should().BeFalse();
    }

    [Test]
    public void Build_UserCreated_FullFieldsWithoutPersonalData_OUT21_OUT22_SEC30()
    {
        var e = new ChatEvent
        {
            Type = ChatEventType.UserCreated,
            Timestamp = Ten,
            Actor = new UserSnapshot("u5", "carol") { Name = "Carol", Type = "user", Active = true, Roles = ["user"], CreatedAt = Ten },
        };

        var data = OutgoingPayload.Build(e, ChatEventType.UserCreated, null, Options());

        data["user"]!.ToJsonString().Should().Be("""{"_id":"u5","username":"carol","name":"Carol","type":"user","active":true,"roles":["user"],"createdAt":"2025-01-01T10:00:00.000Z"}""");
        data["timestamp"]!.GetValue<string>().Should().Be("2025-01-01T10:00:00.000Z");
        data["user_name"]!.GetValue<string>().Should().Be("carol");
    }

    [TestCase(false)]
    [TestCase(true)]
    public void Strip_CredentialKeysAtAnyDepth_RemovedAndEmailsUnlessAllowed_OUT22(bool includeEmails)
    {
        var node = JsonNode.Parse("""{"a":{"services":{},"password":"x","passwordHash":"y","tokens":[],"resume":1,"emails":["e"],"keep":1},"b":[{"emails":[]}]}""");

        OutgoingPayload.Strip(node, includeEmails);

        node!["a"]!.AsObject().Select(p => p.Key).Should().BeEquivalentTo(includeEmails ? ["emails", "keep"] : ["keep"]);
        node["b"]![0]!.AsObject().ContainsKey("emails").Should().Be(includeEmails);
    }

    [Test]
    public void DefaultRequest_SlackForm_MattermostWorkedExample_OUT62()
    {
        var e = Deploy() with
        {
            Room = new RoomSnapshot("R_TS", "c") { Name = "town-square" },
            Message = new MessageSnapshot("m88", "R_TS") { Text = "build status", Timestamp = DateTimeOffset.FromUnixTimeMilliseconds(1735725600123), Sender = new UserReference("u9", "bob") },
        };
        var integration = new Integration { Id = "i1", Type = IntegrationType.Outgoing, Token = "Q7mf", PayloadFormat = "slack-form", Urls = ["https://x.example/hook"] };
        var payload = OutgoingPayload.Build(e, ChatEventType.SendMessage, "build", Options());

        var request = DeliveryRequests.Default(integration, "https://x.example/hook", DeliveryRequests.Data(integration, payload, Options()));

        request.ContentType.Should().Be("application/x-www-form-urlencoded");
        request.Body.Should().Be("token=Q7mf&team_id=T1&team_domain=acme&channel_id=R_TS&channel_name=town-square&timestamp=1735725600&user_id=u9&user_name=bob&post_id=m88&text=build+status&trigger_word=build&file_ids=");
    }

    [Test]
    public void ForAttempt_ScriptHeadersKept_EngineHeadersAddedWhenAbsent_DLV7_OUT61_SCR22()
    {
        var integration = new Integration { Id = "i1", Type = IntegrationType.Outgoing, Token = "t" };
        var prepared = new ChatIntegrations.Scripting.Jint.Outgoing.PreparedRequest
        {
            Method = "POST",
            Url = new Uri("https://x.example/hook"),
            Headers = [new("User-Agent", "custom"), new("X-ChatIntegrations-Attempt", "99")],
            Body = "{}",
            ContentType = "application/json; charset=utf-8",
            Timeout = TimeSpan.FromSeconds(5),
        };

        var sent = DeliveryRequests.ForAttempt(prepared, "dlv_0192f5c4a1b27c3e9d4f6a8b0c1d2e3f", 3, integration, DateTimeOffset.FromUnixTimeSeconds(1735689600), new ChatIntegrationsOptions());
        var headers = sent.Request.Headers.ToDictionary(h => h.Key, h => h.Value);

        headers["User-Agent"].Should().Be("custom");
        headers["X-ChatIntegrations-Attempt"].Should().Be("3");
        headers["webhook-id"].Should().Be("dlv_0192f5c4a1b27c3e9d4f6a8b0c1d2e3f");
        headers["webhook-timestamp"].Should().Be("1735689600");
        headers["Accept"].Should().Be("application/json");
        headers.Should().NotContainKey("webhook-signature");
        sent.Request.Timeout.Should().Be(TimeSpan.FromSeconds(5));
    }

    [Test]
    public void ToRecord_TokenSecretsHeadersAndQuery_AllRedacted_SEC16()
    {
        var integration = new Integration { Id = "i1", Type = IntegrationType.Outgoing, Token = "SuperSecretToken123", SigningSecrets = ["whsec_abc"] };
        var delivery = new DeliveryRecord { Id = "dlv_1", Kind = DeliveryKind.Outgoing, IntegrationId = "i1", Url = "https://x/hook", Payload = "{}" };
        var h = AttemptHistory.ForAttempt(integration, delivery, 1, DateTimeOffset.UnixEpoch);
        h.Set("data", JsonNode.Parse("""{"nested":{"token":"abc"},"text":"my token is SuperSecretToken123"}"""));
        h.Set("httpCallData", new JsonObject
        {
            ["url"] = HistoryRedactor.Url("https://x/hook?apikey=k&token=t&q=1"),
            ["headers"] = HistoryRedactor.Headers([new("Authorization", "Basic x"), new("X-Api-Token", "y"), new("Accept", "a")]),
        });
        h.Set("scriptLogs", new JsonArray(new JsonObject { ["message"] = "secret whsec_abc" }));

        var doc = h.ToRecord(integration, finished: true, DateTimeOffset.UnixEpoch).Document;
        var text = doc.ToJsonString();

        text.Should().NotContain("SuperSecretToken123").And.NotContain("whsec_abc");
        doc["data"]!["nested"]!["token"]!.GetValue<string>().Should().Be("[redacted]");
        doc["httpCallData"]!["url"]!.GetValue<string>().Should().Be("https://x/hook?apikey=[redacted]&token=[redacted]&q=1");
        doc["httpCallData"]!["headers"]!["Authorization"]!.GetValue<string>().Should().Be("[redacted]");
        doc["httpCallData"]!["headers"]!["X-Api-Token"]!.GetValue<string>().Should().Be("[redacted]");
        doc["httpCallData"]!["headers"]!["Accept"]!.GetValue<string>().Should().Be("a");
        doc["integration"]!.AsObject().Select(p => p.Key).Should().BeEquivalentTo("_id", "name", "version"); // SEC-17
    }
}
