using System.Text.Json.Nodes;
using ChatIntegrations.Tests.Security.Ssrf;
using ChatIntegrations.Tests.TestDoubles;
using static ChatIntegrations.Tests.Omnichannel.OmnichannelKit;

namespace ChatIntegrations.Tests.Omnichannel;

/// <summary>Every OMNI-10 event end to end: published by the host, delivered by the real dispatcher to a real loopback
/// receiver; payloads compared with the spec's worked examples (OMNI-20..OMNI-25).</summary>
public sealed class OmnichannelEventTests
{
    private const string TakenExample = """
        {"type":"LivechatSessionTaken","_id":"LR1","label":"Jane Roe","topic":"billing","createdAt":"2025-01-01T10:00:00.000Z",
         "lastMessageAt":"2025-01-01T10:01:10.000Z","tags":["vip"],"customFields":{"plan":"pro"},"departmentId":"D1",
         "servedBy":{"_id":"a1","username":"agent.smith","ts":"2025-01-01T10:01:00.000Z"},
         "visitor":{"_id":"v1","token":"vt-9f2","name":"Jane Roe","username":"guest-17","department":"D1","ip":"203.0.113.7",
           "os":"Linux x86_64","browser":"Firefox 133.0","customFields":{"customerId":"C-77"},
           "email":[{"address":"jane@example.org"}],"phone":[{"phoneNumber":"+15550100"}]},
         "agent":{"_id":"a1","username":"agent.smith","name":"Agent Smith","email":"smith@example.com"},
         "crmData":{"ticket":"T-1001"},
         "messages":[{"_id":"m1","username":"guest-17","msg":"My invoice is wrong","ts":"2025-01-01T10:00:05.000Z",
           "rid":"LR1","_updatedAt":"2025-01-01T10:00:05.000Z"}]}
        """;

    [Test]
    [CancelAfter(20_000)]
    public async Task PublishOmnichannelAsync_SessionTaken_SendsWorkedExampleExactly_OMNI20_OMNI21_OMNI30(CancellationToken ct)
    {
        var (f, receiver) = await StartAsync();
        await using var _ = f;
        await f.Store.SetCrmDataAsync("LR1", """{"ticket":"T-1001"}""", ct);

        await f.Engine.PublishOmnichannelAsync(Taken(), ct);
        var request = (await ReceivedAsync(f, receiver, 1, ct)).Single();

        Canonical(request.Body).Should().Be(Canonical(TakenExample), "key order and values follow the worked example");
        request.Method.Should().Be("POST");
        request.Target.Should().Be("/crm");
        request.Headers["Content-Type"].Should().Be("application/json; charset=utf-8");
        request.Headers["X-RocketChat-Livechat-Token"].Should().Be(Secret);
        request.Headers["User-Agent"].Should().StartWith("ChatIntegrations/");
        request.Headers["Accept"].Should().Be("application/json");
        request.Headers["webhook-id"].Should().StartWith("dlv_");
        request.Headers.Should().ContainKey("webhook-timestamp");
        request.Headers.Should().NotContainKey("webhook-signature");
        var d = await f.WaitForStateAsync((await OnlyDeliveryAsync(f, ct)).Id, ct, DeliveryState.Succeeded);
        d.Kind.Should().Be(DeliveryKind.Omnichannel);
        d.Payload.Should().NotContain("crmData", "crmData is inserted per attempt, never stored with the payload (DLV-1)");
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task PublishOmnichannelAsync_NoSecretToken_OmitsTokenHeader_OMNI2(CancellationToken ct)
    {
        var (f, receiver) = await StartAsync(settings: """{"secretToken":""}""");
        await using var _ = f;

        await f.Engine.PublishOmnichannelAsync(Taken(), ct);
        var request = (await ReceivedAsync(f, receiver, 1, ct)).Single();

        request.Headers.Should().NotContainKey("X-RocketChat-Livechat-Token");
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task PublishOmnichannelAsync_SigningSecretSet_SignsLikeOutgoing_OMNI30_DLV40(CancellationToken ct)
    {
        const string secret = "whsec_Q2hhdEludGVncmF0aW9ucy10ZXN0LXNlY3JldC0zMmI=";
        var (f, receiver) = await StartAsync(settings: $$"""{"signingSecrets":["{{secret}}"]}""");
        await using var _ = f;

        await f.Engine.PublishOmnichannelAsync(Taken(), ct);
        var request = (await ReceivedAsync(f, receiver, 1, ct)).Single();

        var verifier = new StandardWebhookVerifier(secret, f.Time);
        request.Headers["webhook-signature"].Should().StartWith("v1,");
        verifier.Verify(request.Headers["webhook-id"], request.Headers["webhook-timestamp"], request.Headers["webhook-signature"],
            System.Text.Encoding.UTF8.GetBytes(request.Body)).Should().BeTrue();
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task PublishOmnichannelAsync_AgentMessage_SendsOnlyTheNewMessageWithAgentId_OMNI10_OMNI12_OMNI22(CancellationToken ct)
    {
        var (f, receiver) = await StartAsync();
        await using var _ = f;

        await f.Engine.PublishOmnichannelAsync(Of(OmnichannelEventType.Message, null, AgentMessage("m2", "Checking now", T0.AddSeconds(80))), ct);
        var body = JsonNode.Parse((await ReceivedAsync(f, receiver, 1, ct)).Single().Body)!.AsObject();

        body["type"]!.GetValue<string>().Should().Be("Message");
        body["_id"]!.GetValue<string>().Should().Be("LR1");
        body["visitor"]!["os"]!.GetValue<string>().Should().Be("Linux x86_64");
        body["agent"]!["username"]!.GetValue<string>().Should().Be("agent.smith");
        body.Should().NotContainKey("servedBy").And.NotContainKey("departmentId");
        body["messages"]!.ToJsonString().Should().Be(Canonical("""
            [{"_id":"m2","username":"agent.smith","agentId":"a1","msg":"Checking now","ts":"2025-01-01T10:01:20.000Z","rid":"LR1","_updatedAt":"2025-01-01T10:01:20.000Z"}]
            """));
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task PublishOmnichannelAsync_MessageTogglesGateVisitorAndAgentSeparately_OMNI12(CancellationToken ct)
    {
        var (f, receiver) = await StartAsync(settings: """{"onAgentMessage":false}""");
        await using var _ = f;

        await f.Engine.PublishOmnichannelAsync(Of(OmnichannelEventType.Message, null, AgentMessage("m2", "agent text", T0.AddSeconds(80))), ct);
        await f.Engine.PublishOmnichannelAsync(Of(OmnichannelEventType.Message, null, VisitorMessage("m3", "visitor text", T0.AddSeconds(90))), ct);
        await ReceivedAsync(f, receiver, 1, ct);
        await f.WaitForStateAsync((await OnlyDeliveryAsync(f, ct)).Id, ct, DeliveryState.Succeeded);

        var request = receiver.Requests.Should().ContainSingle().Subject;
        var message = JsonNode.Parse(request.Body)!["messages"]![0]!.AsObject();
        message["_id"]!.GetValue<string>().Should().Be("m3");
        message.Should().NotContainKey("agentId", "a visitor message carries the visitor token (OMNI-12)");
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task PublishOmnichannelAsync_SessionClosed_AddsCloseFieldsAndKeepsClosingMessage_OMNI10_OMNI13(CancellationToken ct)
    {
        var (f, receiver) = await StartAsync();
        await using var _ = f;
        var room = Room with
        {
            ClosedAt = T0.AddMinutes(20),
            ClosedBy = new OmnichannelUserReference("a1", "agent.smith"),
            Closer = "user",
        };
        var system = new OmnichannelMessage("s1", new OmnichannelUserReference("a1", "agent.smith"), T0.AddSeconds(61)) { Type = "uj", Text = "joined" };
        var closing = new OmnichannelMessage("m9", new OmnichannelUserReference("a1", "agent.smith"), T0.AddMinutes(20)) { Text = "Thanks, bye", ClosingMessage = true };

        await f.Engine.PublishOmnichannelAsync(Of(OmnichannelEventType.SessionClosed, room, closing, system, VisitorMessage("m1", "My invoice is wrong", T0.AddSeconds(5))), ct);
        var body = JsonNode.Parse((await ReceivedAsync(f, receiver, 1, ct)).Single().Body)!.AsObject();

        body["type"]!.GetValue<string>().Should().Be("LivechatSession");
        body["closedAt"]!.GetValue<string>().Should().Be("2025-01-01T10:20:00.000Z");
        body["closedBy"]!.ToJsonString().Should().Be("""{"_id":"a1","username":"agent.smith"}""");
        body["closer"]!.GetValue<string>().Should().Be("user");
        body["servedBy"]!["_id"]!.GetValue<string>().Should().Be("a1");
        body["departmentId"]!.GetValue<string>().Should().Be("D1");
        var messages = body["messages"]!.AsArray();
        messages.Select(m => m!["_id"]!.GetValue<string>()).Should().Equal("m1", "m9");
        messages[^1]!["msg"]!.GetValue<string>().Should().Be("Thanks, bye");
        messages[^1]!["closingMessage"]!.GetValue<bool>().Should().BeTrue();
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task PublishOmnichannelAsync_OfflineMessage_SendsExactlyTheFormShape_OMNI24(CancellationToken ct)
    {
        var (f, receiver) = await StartAsync();
        await using var _ = f;

        await f.Engine.PublishOmnichannelAsync(new OmnichannelEvent
        {
            Type = OmnichannelEventType.OfflineMessage,
            OfflineMessage = new OmnichannelOfflineMessage("Jane Roe", "jane@example.org", "Please call me back") { SentAt = new DateTimeOffset(2025, 1, 1, 22, 0, 0, TimeSpan.Zero) },
        }, ct);
        var request = (await ReceivedAsync(f, receiver, 1, ct)).Single();

        Canonical(request.Body).Should().Be(Canonical("""
            {"type":"LivechatOfflineMessage","sentAt":"2025-01-01T22:00:00.000Z","visitor":{"name":"Jane Roe","email":"jane@example.org"},"message":"Please call me back"}
            """));
    }

    [TestCase(OmnichannelEventType.SessionStart, "LivechatSessionStart")]
    [TestCase(OmnichannelEventType.SessionQueued, "LivechatSessionQueued")]
    [CancelAfter(20_000)]
    public async Task PublishOmnichannelAsync_StartAndQueued_CarryDepartmentButNoAgentFields_OMNI10(OmnichannelEventType type, string wire, CancellationToken ct)
    {
        var (f, receiver) = await StartAsync();
        await using var _ = f;

        await f.Engine.PublishOmnichannelAsync(new OmnichannelEvent
        {
            Type = type,
            Room = Room with { ServedBy = null },
            Visitor = Visitor,
            Messages = [VisitorMessage("m1", "hello", T0.AddSeconds(5))],
        }, ct);
        var body = JsonNode.Parse((await ReceivedAsync(f, receiver, 1, ct)).Single().Body)!.AsObject();

        body["type"]!.GetValue<string>().Should().Be(wire);
        body["departmentId"]!.GetValue<string>().Should().Be("D1");
        body.Should().NotContainKey("servedBy").And.NotContainKey("agent").And.NotContainKey("crmData").And.NotContainKey("closedAt");
        body["messages"]!.AsArray().Should().ContainSingle();
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task PublishOmnichannelAsync_Forwarded_CarriesOldAndNewServedBy_OMNI10_OMNI21(CancellationToken ct)
    {
        var (f, receiver) = await StartAsync();
        await using var _ = f;
        var room = Room with
        {
            DepartmentId = "D2",
            ServedBy = new OmnichannelServedBy("a2", "agent.jones", T0.AddMinutes(5)),
            OldDepartmentId = "D1",
            OldServedBy = new OmnichannelServedBy("a1", "agent.smith", T0.AddMinutes(1)),
        };

        await f.Engine.PublishOmnichannelAsync(Of(OmnichannelEventType.SessionForwarded, room, VisitorMessage("m1", "hi", T0.AddSeconds(5))), ct);
        var body = JsonNode.Parse((await ReceivedAsync(f, receiver, 1, ct)).Single().Body)!.AsObject();

        body["type"]!.GetValue<string>().Should().Be("LivechatSessionForwarded");
        body["departmentId"]!.GetValue<string>().Should().Be("D2");
        body["servedBy"]!.ToJsonString().Should().Be("""{"_id":"a2","username":"agent.jones","ts":"2025-01-01T10:05:00.000Z"}""");
        body["oldDepartmentId"]!.GetValue<string>().Should().Be("D1");
        body["oldServedBy"]!.ToJsonString().Should().Be("""{"_id":"a1","username":"agent.smith","ts":"2025-01-01T10:01:00.000Z"}""");
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task PublishOmnichannelAsync_LeadCapture_SendsUpdatedVisitorAndNoMessages_OMNI25(CancellationToken ct)
    {
        var (f, receiver) = await StartAsync();
        await using var _ = f;

        await f.Engine.PublishOmnichannelAsync(new OmnichannelEvent
        {
            Type = OmnichannelEventType.LeadCapture,
            Room = Room,
            Visitor = Visitor with { Emails = ["jane@example.org", "jane.roe@example.net"] },
            Agent = Agent,
            Messages = [VisitorMessage("m5", "mail me at jane.roe@example.net", T0.AddSeconds(90))],
        }, ct);
        var body = JsonNode.Parse((await ReceivedAsync(f, receiver, 1, ct)).Single().Body)!.AsObject();

        body["type"]!.GetValue<string>().Should().Be("LeadCapture");
        body["visitor"]!["email"]!.ToJsonString().Should().Be("""[{"address":"jane@example.org"},{"address":"jane.roe@example.net"}]""");
        body["messages"]!.AsArray().Should().BeEmpty();
        body["label"]!.GetValue<string>().Should().Be("Jane Roe");
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task PublishOmnichannelAsync_EditOfClosedRoomSent_EditOfOpenRoomNot_OMNI11(CancellationToken ct)
    {
        var (f, receiver) = await StartAsync(start: false);
        await using var _ = f;

        await f.Engine.PublishOmnichannelAsync(Of(OmnichannelEventType.RoomEdited, Room with { Topic = "open edit" }), ct);
        (await f.Store.GetNextDueAsync(ct)).Should().BeNull("an open room's edit is never sent");

        await f.Engine.PublishOmnichannelAsync(Of(OmnichannelEventType.RoomEdited, Room with { Topic = "closed edit", ClosedAt = T0.AddMinutes(20) },
            VisitorMessage("m1", "hi", T0.AddSeconds(5))), ct);
        await f.StartAsync();
        var body = JsonNode.Parse((await ReceivedAsync(f, receiver, 1, ct)).Single().Body)!.AsObject();

        body["type"]!.GetValue<string>().Should().Be("LivechatEdit");
        body["topic"]!.GetValue<string>().Should().Be("closed edit");
        body.Should().NotContainKey("closedAt", "LivechatEdit has no extra fields (OMNI-10)");
        body["messages"]!.AsArray().Should().ContainSingle();
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task PublishOmnichannelAsync_EditToggleOff_NothingSent_OMNI11_OMNI3(CancellationToken ct)
    {
        var (f, _) = await StartAsync(settings: """{"onEdit":false}""", start: false);
        await using var __ = f;

        await f.Engine.PublishOmnichannelAsync(Of(OmnichannelEventType.RoomEdited, Room with { ClosedAt = T0.AddMinutes(20) }), ct);

        (await f.Store.GetNextDueAsync(ct)).Should().BeNull();
    }

    [TestCase(OmnichannelEventType.SessionStart, "onStart")]
    [TestCase(OmnichannelEventType.SessionQueued, "onQueued")]
    [TestCase(OmnichannelEventType.SessionTaken, "onTaken")]
    [TestCase(OmnichannelEventType.SessionForwarded, "onForward")]
    [TestCase(OmnichannelEventType.SessionClosed, "onClose")]
    [TestCase(OmnichannelEventType.LeadCapture, "onLeadCapture")]
    [CancelAfter(20_000)]
    public async Task PublishOmnichannelAsync_ToggleOff_NothingEnqueued_OtherTogglesStillSend_OMNI3(OmnichannelEventType type, string toggle, CancellationToken ct)
    {
        var (f, _) = await StartAsync(settings: $$"""{"{{toggle}}":false}""", start: false);
        await using var __ = f;

        await f.Engine.PublishOmnichannelAsync(Of(type, null, VisitorMessage("m1", "hi", T0)), ct);
        (await f.Store.GetNextDueAsync(ct)).Should().BeNull();

        var other = type == OmnichannelEventType.SessionStart ? OmnichannelEventType.SessionQueued : OmnichannelEventType.SessionStart;
        await f.Engine.PublishOmnichannelAsync(Of(other, null, VisitorMessage("m1", "hi", T0)), ct);
        (await f.Store.GetNextDueAsync(ct)).Should().NotBeNull();
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task PublishOmnichannelAsync_OfflineToggleOff_NothingEnqueued_OMNI3(CancellationToken ct)
    {
        var (f, _) = await StartAsync(settings: """{"onOfflineMessage":false}""", start: false);
        await using var __ = f;

        await f.Engine.PublishOmnichannelAsync(new OmnichannelEvent
        {
            Type = OmnichannelEventType.OfflineMessage,
            OfflineMessage = new OmnichannelOfflineMessage("Jane", "jane@example.org", "hi"),
        }, ct);

        (await f.Store.GetNextDueAsync(ct)).Should().BeNull();
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task PublishOmnichannelAsync_NoUrl_NothingEnqueued_OMNI1(CancellationToken ct)
    {
        var (f, _) = await StartAsync(settings: """{"url":""}""", start: false);
        await using var __ = f;

        await f.Engine.PublishOmnichannelAsync(Taken(), ct);

        (await f.Store.GetNextDueAsync(ct)).Should().BeNull();
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task PublishOmnichannelAsync_Messages_SkipsSystemSortsByTsAndNavigationOnlyWhenEnabled_OMNI13(CancellationToken ct)
    {
        var navigation = new OmnichannelMessage("n1", new OmnichannelUserReference("v1", "guest-17"), T0.AddSeconds(1))
        {
            Type = "livechat_navigation_history",
            Text = "https://shop.example/cart",
            Navigation = new JsonObject { ["page"] = new JsonObject { ["title"] = "Cart", ["location"] = new JsonObject { ["href"] = "https://shop.example/cart" } } },
            VisitorToken = "vt-9f2",
        };
        var system = new OmnichannelMessage("s1", new OmnichannelUserReference("a1", "agent.smith"), T0.AddSeconds(2)) { Type = "command" };
        var later = AgentMessage("m2", "second", T0.AddSeconds(20));
        var earlier = VisitorMessage("m1", "first", T0.AddSeconds(10));

        var (f, receiver) = await StartAsync();
        await using var _ = f;
        await f.Engine.PublishOmnichannelAsync(Of(OmnichannelEventType.SessionStart, null, later, system, navigation, earlier), ct);
        var without = JsonNode.Parse((await ReceivedAsync(f, receiver, 1, ct)).Single().Body)!["messages"]!.AsArray();
        without.Select(m => m!["_id"]!.GetValue<string>()).Should().Equal("m1", "m2");

        var saved = await f.Engine.SaveOmnichannelSettingsAsync(EngineFixture.Admin, new JsonObject { ["sendNavigationHistory"] = true }, ct);
        saved.Success.Should().BeTrue();
        await f.Engine.PublishOmnichannelAsync(Of(OmnichannelEventType.SessionStart, null, later, system, navigation, earlier), ct);
        var with = JsonNode.Parse((await ReceivedAsync(f, receiver, 2, ct)).Last().Body)!["messages"]!.AsArray();
        with.Select(m => m!["_id"]!.GetValue<string>()).Should().Equal("n1", "m1", "m2");
        with[0]!["navigation"]!["page"]!["title"]!.GetValue<string>().Should().Be("Cart");
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task PublishOmnichannelAsync_MoreThanMaxMessages_KeepsNewestAndFlagsTruncated_OMNI13(CancellationToken ct)
    {
        var (f, receiver) = await StartAsync(configure: o => o.MaxOmnichannelMessages = 2);
        await using var _ = f;

        await f.Engine.PublishOmnichannelAsync(Of(OmnichannelEventType.SessionStart, null,
            VisitorMessage("m3", "c", T0.AddSeconds(3)), VisitorMessage("m1", "a", T0.AddSeconds(1)), VisitorMessage("m2", "b", T0.AddSeconds(2))), ct);
        var body = JsonNode.Parse((await ReceivedAsync(f, receiver, 1, ct)).Single().Body)!.AsObject();

        body["messages"]!.AsArray().Select(m => m!["_id"]!.GetValue<string>()).Should().Equal("m2", "m3");
        body["messagesTruncated"]!.GetValue<bool>().Should().BeTrue();
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task PublishOmnichannelAsync_MessageWithFileEditAndAttachments_MapsOptionalKeys_OMNI22(CancellationToken ct)
    {
        var (f, receiver) = await StartAsync();
        await using var _ = f;
        var message = AgentMessage("m4", "see file", T0.AddSeconds(30)) with
        {
            EditedAt = T0.AddSeconds(40),
            UpdatedAt = T0.AddSeconds(40),
            File = new OmnichannelFile("f1", "invoice.pdf", "application/pdf", "https://chat.example.com/file-upload/f1/invoice.pdf"),
            Attachments = [new JsonObject { ["title"] = "invoice.pdf" }],
        };

        await f.Engine.PublishOmnichannelAsync(Of(OmnichannelEventType.Message, null, message), ct);
        var m = JsonNode.Parse((await ReceivedAsync(f, receiver, 1, ct)).Single().Body)!["messages"]![0]!;

        m.ToJsonString().Should().Be(Canonical("""
            {"_id":"m4","username":"agent.smith","agentId":"a1","msg":"see file","ts":"2025-01-01T10:00:30.000Z","rid":"LR1",
             "_updatedAt":"2025-01-01T10:00:40.000Z","editedAt":"2025-01-01T10:00:40.000Z",
             "file":{"_id":"f1","name":"invoice.pdf","type":"application/pdf","url":"https://chat.example.com/file-upload/f1/invoice.pdf"},
             "attachments":[{"title":"invoice.pdf"}]}
            """));
    }
}
