using System.Text.Json.Nodes;
using ChatIntegrations.Tests.Security.Ssrf;
using ChatIntegrations.Tests.TestDoubles;

namespace ChatIntegrations.Tests.Omnichannel;

/// <summary>Shared data and helpers of the omnichannel tests: the OMNI worked-example room, visitor and agent, and a
/// fixture with a real loopback receiver configured as the omnichannel URL.</summary>
internal static class OmnichannelKit
{
    public const string FirefoxLinux = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
    public const string Secret = "s3cr3t-livechat-token";
    public const string Id = IntegrationEngine.OmnichannelWebhookId;

    public static readonly DateTimeOffset T0 = new(2025, 1, 1, 10, 0, 0, TimeSpan.Zero);

    public static OmnichannelRoom Room => new("LR1")
    {
        Label = "Jane Roe",
        Topic = "billing",
        CreatedAt = T0,
        LastMessageAt = T0.AddSeconds(70),
        Tags = ["vip"],
        CustomFields = new JsonObject { ["plan"] = "pro" },
        DepartmentId = "D1",
        ServedBy = new OmnichannelServedBy("a1", "agent.smith", T0.AddMinutes(1)),
    };

    public static OmnichannelVisitor Visitor => new("v1")
    {
        Token = "vt-9f2",
        Name = "Jane Roe",
        Username = "guest-17",
        Department = "D1",
        Ip = "203.0.113.7",
        UserAgent = FirefoxLinux,
        CustomFields = new JsonObject { ["customerId"] = "C-77" },
        Emails = ["jane@example.org"],
        Phones = ["+15550100"],
    };

    public static OmnichannelAgent Agent => new("a1", "agent.smith") { Name = "Agent Smith", Emails = ["smith@example.com"] };

    public static OmnichannelMessage VisitorMessage(string id, string text, DateTimeOffset ts) =>
        new(id, new OmnichannelUserReference("v1", "guest-17"), ts) { Text = text, VisitorToken = "vt-9f2" };

    public static OmnichannelMessage AgentMessage(string id, string text, DateTimeOffset ts) =>
        new(id, new OmnichannelUserReference("a1", "agent.smith"), ts) { Text = text };

    public static OmnichannelEvent Taken() => new()
    {
        Type = OmnichannelEventType.SessionTaken,
        Room = Room,
        Visitor = Visitor,
        Agent = Agent,
        Messages = [VisitorMessage("m1", "My invoice is wrong", T0.AddSeconds(5))],
    };

    public static OmnichannelEvent Of(OmnichannelEventType type, OmnichannelRoom? room = null, params OmnichannelMessage[] messages) => new()
    {
        Type = type,
        Room = room ?? Room,
        Visitor = Visitor,
        Agent = Agent,
        Messages = messages,
    };

    /// <summary>A started fixture whose omnichannel URL points at a receiver, with every toggle on.</summary>
    public static async Task<(DeliveryFixture F, TinyHttpServer Receiver)> StartAsync(Func<TinyRequest, TinyResponse?>? handler = null,
        string settings = "{}", Action<ChatIntegrationsOptions>? configure = null, bool start = true, IIntegrationStore? store = null)
    {
        var f = new DeliveryFixture(configure, store);
        var receiver = f.Receiver(handler);
        var doc = JsonNode.Parse(settings)!.AsObject();
        doc["url"] ??= receiver.Url("/crm");
        doc["secretToken"] ??= Secret;
        foreach (var (key, _) in ChatIntegrations.Omnichannel.OmnichannelSettings.Toggles)
        {
            if (key != "sendNavigationHistory") doc[key] ??= true;
        }

        var saved = await f.Engine.SaveOmnichannelSettingsAsync(EngineFixture.Admin, doc);
        saved.Success.Should().BeTrue(saved.Body.ToJsonString());
        if (start) await f.StartAsync();
        return (f, receiver);
    }

    /// <summary>Waits until the receiver got <paramref name="count"/> requests and no attempt is in flight.</summary>
    public static async Task<IReadOnlyList<TinyRequest>> ReceivedAsync(DeliveryFixture f, TinyHttpServer receiver, int count, CancellationToken ct)
    {
        await DeliveryFixture.WaitUntilAsync(() => Task.FromResult(receiver.Requests.Count >= count && f.Dispatcher.InFlight == 0), ct);
        return receiver.Requests.ToList();
    }

    /// <summary>The omnichannel history, oldest attempt first.</summary>
    public static async Task<IReadOnlyList<HistoryRecord>> HistoryAsync(DeliveryFixture f) =>
        (await f.HistoryAsync(Id)).OrderBy(h => h.CreatedAt).ThenBy(h => h.Attempt).ToList();

    /// <summary>Waits for the first attempt's record and returns its delivery.</summary>
    public static async Task<DeliveryRecord> OnlyDeliveryAsync(DeliveryFixture f, CancellationToken ct)
    {
        HistoryRecord? first = null;
        await DeliveryFixture.WaitUntilAsync(async () => (first = (await f.HistoryAsync(Id)).LastOrDefault(h => h.DeliveryId is not null)) is not null, ct);
        return (await f.Store.GetDeliveryAsync(first!.DeliveryId!, ct))!;
    }

    public static string Canonical(string json) => JsonNode.Parse(json)!.ToJsonString();
}
