using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChatIntegrations.Omnichannel;

/// <summary>The omnichannel webhook settings of OMNI-1, one record per engine. They are stored as an
/// <see cref="Integration"/> of type <see cref="IntegrationType.Omnichannel"/> with the fixed id
/// <see cref="Id"/>, so that every store keeps them without a schema change. The mapping is:
/// <c>url</c> → <see cref="Integration.Urls"/> (zero or one entry), <c>secretToken</c> → <see cref="Integration.Token"/>,
/// <c>timeoutMs</c> → <see cref="Integration.TimeoutMs"/>, <c>retryPolicy</c> → <see cref="Integration.RetryRules"/>,
/// <c>crmDataMode</c> → <see cref="Integration.ResponseContentMode"/>, <c>signingSecrets</c> →
/// <see cref="Integration.SigningSecrets"/>, and the names of the toggles that are on (including
/// <c>sendNavigationHistory</c>) → <see cref="Integration.Channel"/>.</summary>
internal sealed record OmnichannelSettings
{
    public const string Id = "omnichannel";
    public const string Name = "Omnichannel webhook";
    public const int MinTimeoutMs = 1000;
    public const int MaxTimeoutMs = 60000;

    /// <summary>The toggles of OMNI-1, in display order, with their defaults.</summary>
    public static readonly IReadOnlyList<(string Key, bool Default)> Toggles =
    [
        ("onStart", false), ("onQueued", false), ("onTaken", false), ("onForward", false), ("onClose", false),
        ("onVisitorMessage", false), ("onAgentMessage", false), ("onOfflineMessage", false), ("onLeadCapture", false),
        ("onEdit", true), ("sendNavigationHistory", false),
    ];

    /// <summary>Rocket.Chat setting ids accepted as aliases on save (OMNI-1, OMNI-3).</summary>
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.Ordinal)
    {
        ["Livechat_webhookUrl"] = "url",
        ["Livechat_secret_token"] = "secretToken",
        ["Livechat_http_timeout"] = "timeoutMs",
        ["Livechat_webhook_on_start"] = "onStart",
        ["Livechat_webhook_on_chat_queued"] = "onQueued",
        ["Livechat_webhook_on_chat_taken"] = "onTaken",
        ["Livechat_webhook_on_forward"] = "onForward",
        ["Livechat_webhook_on_close"] = "onClose",
        ["Livechat_webhook_on_visitor_message"] = "onVisitorMessage",
        ["Livechat_webhook_on_agent_message"] = "onAgentMessage",
        ["Livechat_webhook_on_offline_msg"] = "onOfflineMessage",
        ["Livechat_webhook_on_capture"] = "onLeadCapture",
        ["Send_visitor_navigation_history_livechat_webhook_request"] = "sendNavigationHistory",
    };

    /// <summary>Keys of the GET answer that a client may send back unchanged; they are ignored on save.</summary>
    private static readonly HashSet<string> ReadOnlyKeys = new(StringComparer.Ordinal) { "secretTokenSet", "signingSecretCount", "version", "_id" };

    public string Url { get; init; } = "";

    public string SecretToken { get; init; } = "";

    public int TimeoutMs { get; init; } = 5000;

    public IReadOnlySet<string> Enabled { get; init; } = DefaultEnabled();

    public string RetryPolicy { get; init; } = "standard";

    public string CrmDataMode { get; init; } = "text";

    public IReadOnlyList<string> SigningSecrets { get; init; } = [];

    public long Version { get; init; }

    public bool IsOn(string toggle) => Enabled.Contains(toggle);

    public static OmnichannelSettings Default { get; } = new();

    private static HashSet<string> DefaultEnabled() => Toggles.Where(t => t.Default).Select(t => t.Key).ToHashSet(StringComparer.Ordinal);

    /// <summary>Reads the stored record; the defaults when there is none.</summary>
    public static OmnichannelSettings From(Integration? stored) => stored is not { Type: IntegrationType.Omnichannel }
        ? Default
        : new OmnichannelSettings
        {
            Url = stored.Urls.Count > 0 ? stored.Urls[0] : "",
            SecretToken = stored.Token,
            TimeoutMs = stored.TimeoutMs,
            Enabled = stored.Channel.ToHashSet(StringComparer.Ordinal),
            RetryPolicy = stored.RetryRules,
            CrmDataMode = stored.ResponseContentMode,
            SigningSecrets = stored.SigningSecrets,
            Version = stored.Version,
        };

    /// <summary>The record to store.</summary>
    public Integration ToIntegration(Integration? previous, DateTimeOffset now, string actor) => new()
    {
        Id = Id,
        Type = IntegrationType.Omnichannel,
        Name = Name,
        Enabled = true,
        Token = SecretToken,
        Urls = Url.Length == 0 ? [] : [Url],
        TimeoutMs = TimeoutMs,
        Channel = Toggles.Select(t => t.Key).Where(Enabled.Contains).ToArray(),
        RetryRules = RetryPolicy,
        ResponseContentMode = CrmDataMode,
        SigningSecrets = SigningSecrets,
        RecordHistory = true,
        Version = (previous?.Version ?? 0) + 1,
        CreatedAt = previous?.CreatedAt ?? now,
        CreatedBy = previous?.CreatedBy ?? actor,
        UpdatedAt = now,
    };

    /// <summary>The settings as the administration API shows them: never the secret (GEN-9), only whether it is set.</summary>
    public JsonObject ToJson()
    {
        var o = new JsonObject { ["url"] = Url, ["secretTokenSet"] = SecretToken.Length > 0, ["timeoutMs"] = TimeoutMs };
        foreach (var (key, _) in Toggles) o[key] = IsOn(key);
        o["retryPolicy"] = RetryPolicy;
        o["crmDataMode"] = CrmDataMode;
        o["signingSecretCount"] = SigningSecrets.Count;
        o["version"] = Version;
        return o;
    }

    /// <summary>Applies the keys of <paramref name="changes"/> (our names or Rocket.Chat's setting ids) to these
    /// settings, validating each; a missing key keeps its value.</summary>
    /// <returns>The new settings, or the failing field and a message.</returns>
    public (OmnichannelSettings? Settings, string? Field, string? Message) Apply(JsonObject changes)
    {
        var next = this;
        var enabled = new HashSet<string>(Enabled, StringComparer.Ordinal);
        foreach (var (rawKey, value) in changes)
        {
            var key = Aliases.TryGetValue(rawKey, out var alias) ? alias : rawKey;
            if (ReadOnlyKeys.Contains(key)) continue;
            switch (key)
            {
                case "url":
                {
                    if (!TryString(value, out var url)) return Fail(rawKey, "url must be a string");
                    url = url.Trim();
                    if (url.Length > 0 && (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0))
                    {
                        return Fail(rawKey, "url must be empty or an absolute http or https URL");
                    }

                    next = next with { Url = url };
                    break;
                }

                case "secretToken":
                {
                    if (!TryString(value, out var secret)) return Fail(rawKey, "secretToken must be a string");
                    if (secret.Length > 256) return Fail(rawKey, "secretToken must be at most 256 characters");
                    if (secret.Any(c => c < 0x20 || c > 0x7e)) return Fail(rawKey, "secretToken must be printable ASCII (it is sent as a header)");
                    next = next with { SecretToken = secret };
                    break;
                }

                case "timeoutMs":
                {
                    if (!TryInteger(value, out var ms))
                    {
                        return Fail(rawKey, "timeoutMs must be an integer");
                    }

                    if (ms is < MinTimeoutMs or > MaxTimeoutMs) return Fail(rawKey, "timeoutMs must be 1000 to 60000");
                    next = next with { TimeoutMs = (int)ms };
                    break;
                }

                case "retryPolicy":
                {
                    if (!TryString(value, out var policy) || policy.ToLowerInvariant() is not ("standard" or "legacy"))
                    {
                        return Fail(rawKey, "retryPolicy must be standard or legacy");
                    }

                    next = next with { RetryPolicy = policy.ToLowerInvariant() };
                    break;
                }

                case "crmDataMode":
                {
                    if (!TryString(value, out var mode) || mode.ToLowerInvariant() is not ("text" or "legacy-data" or "json"))
                    {
                        return Fail(rawKey, "crmDataMode must be text, legacy-data or json");
                    }

                    next = next with { CrmDataMode = mode.ToLowerInvariant() };
                    break;
                }

                case "signingSecrets":
                {
                    if (value is not JsonArray list) return Fail(rawKey, "signingSecrets must be an array of whsec_ secrets");
                    if (list.Count > 2) return Fail(rawKey, "signingSecrets holds at most two secrets");
                    var secrets = new List<string>();
                    foreach (var item in list)
                    {
                        if (!TryString(item, out var s) || !Delivery.Signing.SigningSecrets.IsValid(s))
                        {
                            return Fail(rawKey, "each signing secret must be whsec_ followed by base64 of 24 to 64 bytes");
                        }

                        secrets.Add(s);
                    }

                    next = next with { SigningSecrets = secrets };
                    break;
                }

                default:
                {
                    if (!Toggles.Any(t => t.Key == key)) return Fail(rawKey, $"unknown omnichannel setting '{rawKey}'");
                    if (value is not JsonValue b || b.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
                    {
                        return Fail(rawKey, $"{rawKey} must be true or false");
                    }

                    if (b.GetValue<bool>()) enabled.Add(key);
                    else enabled.Remove(key);
                    break;
                }
            }
        }

        return (next with { Enabled = enabled }, null, null);
    }

    private static (OmnichannelSettings?, string?, string?) Fail(string field, string message) => (null, field, message);

    private static bool TryString(JsonNode? node, out string value)
    {
        value = "";
        if (node is null) return true; // null clears a string setting
        if (node is not JsonValue v || v.GetValueKind() != JsonValueKind.String) return false;
        value = v.GetValue<string>();
        return true;
    }

    /// <summary>A JSON integer, whatever the node's backing type (parsed or built in code).</summary>
    public static bool TryInteger(JsonNode? node, out long value)
    {
        value = 0;
        return node is JsonValue v && v.GetValueKind() == JsonValueKind.Number
            && long.TryParse(v.ToJsonString(), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out value);
    }
}
