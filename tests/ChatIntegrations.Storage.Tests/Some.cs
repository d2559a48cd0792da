using System.Text.Json.Nodes;

namespace ChatIntegrations.Storage.Tests;

/// <summary>Test data. Times are whole milliseconds in UTC, the precision every store keeps.</summary>
internal static class Some
{
    public static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static Integration Integration(string id = "int-1", string name = "Deploy bot", IntegrationType type = IntegrationType.Outgoing,
        bool enabled = true, DateTimeOffset? updatedAt = null, long version = 1) => new()
    {
        Id = id,
        Type = type,
        Name = name,
        Enabled = enabled,
        Token = "tok-" + id,
        Version = version,
        CreatedAt = T0,
        UpdatedAt = updatedAt ?? T0,
    };

    /// <summary>An integration whose every property differs from its default, so a round trip proves each one.</summary>
    public static Integration FullIntegration(string id = "full-1") => new()
    {
        Id = id,
        Type = IntegrationType.Outgoing,
        Name = "Ünïcode Name ✓",
        Enabled = false,
        Channel = ["#general", "@alice"],
        Username = "rocket.cat",
        Alias = "Bot",
        Avatar = "https://example.test/a.png",
        Emoji = ":robot:",
        ScriptEnabled = true,
        Script = "class Script { process_incoming_request() { return { content: { text: \"\\u00e9\\n\" } }; } }",
        OverrideDestinationChannelEnabled = true,
        Token = "secret-token",
        RateLimit = new RateLimitSettings(true, 7, 30),
        MaxBodyBytes = 4096,
        Event = "sendMessage",
        Urls = ["https://a.test/hook", "https://b.test/hook"],
        TriggerWords = ["!deploy", "pr"],
        TriggerWordAnywhere = true,
        RunOnEdits = false,
        ImpersonateUser = true,
        RetryFailedCalls = false,
        RetryCount = 3,
        RetryDelay = "powers-of-two",
        TargetRoom = "#ops",
        TriggerWordMode = "first-word-exact",
        TriggerWordsCaseInsensitive = true,
        RetryRules = "rocketchat",
        UseJitter = true,
        TimeoutMs = 1234,
        PayloadFormat = "slack-form",
        TriggerOnIntegrationMessages = true,
        RecordHistory = false,
        ResponseContentMode = "raw",
        SigningSecrets = ["whsec_AAAA", "whsec_BBBB"],
        Version = 42,
        CreatedAt = new DateTimeOffset(2025, 3, 4, 5, 6, 7, 890, TimeSpan.FromHours(2)).AddTicks(1234),
        UpdatedAt = new DateTimeOffset(2025, 6, 7, 8, 9, 10, 111, TimeSpan.Zero).AddTicks(5678),
        CreatedBy = "admin",
    };

    public static DeliveryRecord Delivery(string id, DateTimeOffset? nextAttemptAt = null, string integrationId = "int-1") => new()
    {
        Id = id,
        Kind = DeliveryKind.Outgoing,
        IntegrationId = integrationId,
        IntegrationVersion = 3,
        Url = "https://receiver.test/hook",
        Payload = """{"text":"hello","channel_name":"general"}""",
        Event = "sendMessage",
        TriggerWord = "!deploy",
        State = DeliveryState.Pending,
        NextAttemptAt = nextAttemptAt ?? T0,
        CreatedAt = T0,
        UpdatedAt = T0,
    };

    public static HistoryRecord History(string id, string integrationId = "int-1", DateTimeOffset? updatedAt = null, string? deliveryId = "dlv-1") => new()
    {
        Id = id,
        IntegrationId = integrationId,
        DeliveryId = deliveryId,
        Attempt = deliveryId is null ? 0 : 1,
        CreatedAt = T0,
        UpdatedAt = updatedAt ?? T0,
        Document = new JsonObject
        {
            ["_id"] = id,
            ["type"] = "outgoing-webhook",
            ["step"] = "after-http-call",
            ["steps"] = new JsonArray(new JsonObject { ["name"] = "pre-http-call", ["at"] = "2026-01-01T00:00:00Z" }),
            ["httpResult"] = new JsonObject { ["status"] = 200, ["body"] = "ok \u00e9 ✓" },
            ["error"] = false,
            ["finished"] = true,
        },
    };
}
