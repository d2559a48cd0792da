using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChatIntegrations.Messages;

/// <summary>A message read from a body (IN-30), before destinations are resolved.</summary>
internal sealed class MessageDraft
{
    public string Text { get; set; } = "";
    public string? Alias { get; set; }
    public string? Avatar { get; set; }
    public string? Emoji { get; set; }
    public List<JsonObject> Attachments { get; } = [];
    public bool ParseUrls { get; set; }
    public bool Groupable { get; set; }
    public string? ThreadId { get; set; }
    public JsonObject? CustomFields { get; set; }
    public bool SeparateResponse { get; set; }
    public List<string>? Destinations { get; set; }
    public List<string> Warnings { get; } = [];

    public ChatMessage ToMessage(string roomId, ChatUser sender, string integrationId) => new()
    {
        RoomId = roomId,
        SenderId = sender.Id,
        SenderUsername = sender.Username,
        Text = Text,
        Alias = Alias,
        Avatar = Avatar,
        Emoji = Emoji,
        Attachments = Attachments,
        ParseUrls = ParseUrls,
        Groupable = Groupable,
        ThreadId = ThreadId,
        CustomFields = CustomFields,
        BotIntegrationId = integrationId,
    };
}

/// <summary>A message-building failure (IN-31, MSG-8..MSG-12).</summary>
internal sealed record MessageError(string Error, string? Field = null);

/// <summary>The configured limits of one message (IN-40, MSG-12, SEC-14).</summary>
internal readonly record struct MessageLimits(int MaxDestinations, int MaxAttachments, int MaxFieldsPerAttachment)
{
    public static MessageLimits From(ChatIntegrationsOptions options) =>
        new(options.MaxDestinations, options.MaxAttachments, options.MaxFieldsPerAttachment);
}

/// <summary>Reads a body object into a <see cref="MessageDraft"/> (IN-30, IN-31, MSG-1..MSG-33).</summary>
internal static class MessageBuilder
{
    /// <summary>MSG-30: an attachment's size is that of its compact JSON with minimal escaping, so a base64 image is
    /// counted as its own length (the default encoder would write each <c>+</c> as six bytes).</summary>
    private static readonly JsonSerializerOptions AttachmentJson = new() { WriteIndented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly JsonSerializerOptions CompactJson = new() { WriteIndented = false };

    public static (MessageDraft? Draft, MessageError? Error) Read(JsonObject body, Integration integration, MessageLimits limits)
    {
        var d = new MessageDraft();

        // MSG-4: text, else msg.
        if (!TryReadText(body, "text", out var text) || (text is null && !TryReadText(body, "msg", out text)))
        {
            return (null, new MessageError("error-invalid-field", body.ContainsKey("text") && !IsTextLike(body["text"]) ? "text" : "msg"));
        }

        d.Text = (text ?? "").Trim();

        // IN-40: channel, else roomId; a string is one entry (not split on commas).
        if (!TryReadDestinations(body, "channel", out var dest)) return (null, new MessageError("error-invalid-field", "channel"));
        if (dest is null or { Count: 0 })
        {
            if (!TryReadDestinations(body, "roomId", out dest)) return (null, new MessageError("error-invalid-field", "roomId"));
        }

        d.Destinations = dest is { Count: > 0 } ? dest : null;
        if (d.Destinations is not null && d.Destinations.Count > limits.MaxDestinations) return (null, new MessageError("error-too-many-destinations"));

        // MSG-20: identity precedence.
        if (!TryReadString(body, "username", out var username) || !TryReadString(body, "alias", out var alias))
        {
            return (null, new MessageError("error-invalid-field", body["username"] is not null and not JsonValue ? "username" : "alias"));
        }

        d.Alias = NonEmpty(username) ?? NonEmpty(alias) ?? NonEmpty(integration.Alias);
        foreach (var key in (string[])["icon_url", "avatar", "icon_emoji", "emoji"])
        {
            if (!TryReadString(body, key, out _)) return (null, new MessageError("error-invalid-field", key));
        }

        var iconUrl = AvatarOrWarn(StringOf(body, "icon_url"), "icon_url", d.Warnings);
        var avatar = AvatarOrWarn(StringOf(body, "avatar"), "avatar", d.Warnings);
        var iconEmoji = NonEmpty(StringOf(body, "icon_emoji"));
        var emoji = NonEmpty(StringOf(body, "emoji"));
        if ((iconUrl ?? avatar) is { } url) d.Avatar = url;
        else if ((iconEmoji ?? emoji) is { } em) d.Emoji = em;
        else if (NonEmpty(integration.Avatar) is { } ia) d.Avatar = ia;
        else if (NonEmpty(integration.Emoji) is { } ie) d.Emoji = ie;

        // MSG-30: attachments; a non-array value is ignored with a warning (IN-31).
        var hasAttachmentsArray = false;
        if (body["attachments"] is JsonArray atts)
        {
            hasAttachmentsArray = true;
            if (atts.Count > limits.MaxAttachments) return (null, new MessageError("error-too-many-attachments"));
            foreach (var a in atts)
            {
                if (a is not JsonObject ao) continue;
                var normalised = Attachments.Normalise(ao, 0, d.Warnings, limits.MaxFieldsPerAttachment);
                if (JsonSerializer.SerializeToUtf8Bytes(normalised, AttachmentJson).Length > Defaults.MaxAttachmentBytes)
                {
                    return (null, new MessageError("error-invalid-field", "attachments"));
                }

                d.Attachments.Add(normalised);
            }
        }
        else if (body.ContainsKey("attachments") && body["attachments"] is not null)
        {
            d.Warnings.Add("attachments is not an array and was ignored");
        }

        // MSG-5, MSG-6.
        if (!TryReadBool(body, "parseUrls", out var parseUrls)) return (null, new MessageError("error-invalid-field", "parseUrls"));
        d.ParseUrls = parseUrls ?? !hasAttachmentsArray;
        if (!TryReadBool(body, "groupable", out var groupable)) return (null, new MessageError("error-invalid-field", "groupable"));
        d.Groupable = groupable ?? false;
        if (!TryReadBool(body, "separateResponse", out var separate)) return (null, new MessageError("error-invalid-field", "separateResponse"));
        d.SeparateResponse = separate ?? false;

        if (!TryReadString(body, "tmid", out var tmid)) return (null, new MessageError("error-invalid-field", "tmid"));
        d.ThreadId = NonEmpty(tmid);

        // MSG-8: customFields is an object of at most 16 KiB.
        if (body["customFields"] is { } cf)
        {
            if (cf is not JsonObject cfo || JsonSerializer.SerializeToUtf8Bytes(cfo, CompactJson).Length > Defaults.MaxCustomFieldsBytes)
            {
                return (null, new MessageError("error-invalid-field", "customFields"));
            }

            d.CustomFields = cfo.Count == 0 ? null : (JsonObject)cfo.DeepClone();
        }

        return (d, null);
    }

    private static bool IsTextLike(JsonNode? node) => node is null || node is JsonValue;

    private static bool TryReadText(JsonObject body, string key, out string? value)
    {
        value = null;
        if (!body.TryGetPropertyValue(key, out var node) || node is null) return true;
        if (node is not JsonValue v) return false;
        switch (v.GetValueKind())
        {
            case JsonValueKind.String:
                value = v.GetValue<string>();
                return true;
            case JsonValueKind.Number:
            case JsonValueKind.True:
            case JsonValueKind.False:
                value = v.ToJsonString(); // IN-30: a number or boolean becomes its JSON text
                return true;
            default:
                return false;
        }
    }

    private static bool TryReadString(JsonObject body, string key, out string? value)
    {
        value = null;
        if (!body.TryGetPropertyValue(key, out var node) || node is null) return true;
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String)
        {
            value = v.GetValue<string>();
            return true;
        }

        return false;
    }

    private static string? StringOf(JsonObject body, string key) =>
        body[key] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    private static bool TryReadBool(JsonObject body, string key, out bool? value)
    {
        value = null;
        if (!body.TryGetPropertyValue(key, out var node) || node is null) return true;
        if (node is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
        {
            value = v.GetValue<bool>();
            return true;
        }

        return false;
    }

    internal static bool TryReadDestinations(JsonObject body, string key, out List<string>? list)
    {
        list = null;
        if (!body.TryGetPropertyValue(key, out var node) || node is null) return true;
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.String)
        {
            list = Normalise([v.GetValue<string>()]);
            return true;
        }

        if (node is JsonArray arr)
        {
            var raw = new List<string>(arr.Count);
            foreach (var e in arr)
            {
                if (e is JsonValue ev && ev.GetValueKind() == JsonValueKind.String) raw.Add(ev.GetValue<string>());
                else return false;
            }

            list = Normalise(raw);
            return true;
        }

        return false;
    }

    /// <summary>IN-40: trimmed, empty entries dropped, exact duplicates removed (first kept).</summary>
    internal static List<string> Normalise(IEnumerable<string> entries)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<string>();
        foreach (var e in entries)
        {
            var t = e.Trim();
            if (t.Length > 0 && seen.Add(t)) result.Add(t);
        }

        return result;
    }

    private static string? NonEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;

    /// <summary>MSG-20, MSG-33, IN-31: an <c>icon_url</c> or <c>avatar</c> that is not an http(s) URL, a relative path
    /// or an image data URI is dropped with a warning that names the key, never the value.</summary>
    private static string? AvatarOrWarn(string? value, string key, List<string> warnings)
    {
        if (string.IsNullOrEmpty(value)) return null;
        var verdict = MessageUrls.CheckAvatar(value);
        if (verdict == UrlVerdict.Accepted) return value;
        Attachments.Warn(warnings, $"{key} {MessageUrls.Describe(verdict, avatar: true)} and was dropped");
        return null;
    }
}
