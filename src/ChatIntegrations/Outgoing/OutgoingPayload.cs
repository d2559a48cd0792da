using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChatIntegrations.Outgoing;

/// <summary>Builds the <c>data</c> of outgoing deliveries (OUT-20..OUT-24) and its <c>slack-form</c> variant (OUT-62).</summary>
/// <remarks>The stored payload never holds <c>token</c> (DLV-1); <see cref="WithToken"/> inserts the current one when
/// each attempt's body is built (DLV-6).</remarks>
internal static class OutgoingPayload
{
    /// <summary>Keys removed from snapshots at any depth (OUT-22, SEC-17).</summary>
    private static readonly HashSet<string> CredentialKeys = new(StringComparer.Ordinal) { "services", "password", "passwordHash", "tokens", "resume" };

    /// <summary>Gets the stored event name of <paramref name="type"/> (OUT-10, OUT-11).</summary>
    public static string EventName(ChatEventType type) => type switch
    {
        ChatEventType.SendMessage => "sendMessage",
        ChatEventType.FileUploaded => "fileUploaded",
        ChatEventType.RoomArchived => "roomArchived",
        ChatEventType.RoomCreated => "roomCreated",
        ChatEventType.RoomJoined => "roomJoined",
        ChatEventType.RoomLeft => "roomLeft",
        ChatEventType.UserCreated => "userCreated",
        ChatEventType.MessageDeleted => "messageDeleted",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    /// <summary>ISO 8601 UTC with milliseconds (OUT-23).</summary>
    public static string FormatDate(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Builds the payload of <paramref name="chatEvent"/> as seen by an integration listening to
    /// <paramref name="listenedEvent"/>, without <c>token</c>.</summary>
    /// <param name="chatEvent">The published event.</param>
    /// <param name="listenedEvent">The integration's event: a <c>fileUploaded</c> event fires <c>sendMessage</c>
    /// integrations with the <c>sendMessage</c> payload (OUT-10).</param>
    /// <param name="triggerWord">The configured word that matched (OUT-41), if any.</param>
    /// <param name="options">The engine options (<c>SiteUrl</c>, <c>IncludeUserEmails</c>).</param>
    public static JsonObject Build(ChatEvent chatEvent, ChatEventType listenedEvent, string? triggerWord, ChatIntegrationsOptions options)
    {
        ArgumentNullException.ThrowIfNull(chatEvent);
        ArgumentNullException.ThrowIfNull(options);
        var message = chatEvent.Message;
        var room = chatEvent.Room;
        var actor = chatEvent.Actor;

        // OUT-20, OUT-53: bot when the message carries the integration marker or the acting user is a bot.
        var isBot = message?.BotIntegrationId is not null || string.Equals(actor?.Type, "bot", StringComparison.Ordinal);
        var o = new JsonObject { ["bot"] = isBot };
        if (triggerWord is not null) o["trigger_word"] = triggerWord;

        switch (listenedEvent)
        {
            case ChatEventType.SendMessage:
            case ChatEventType.FileUploaded:
            {
                var sender = message?.Sender is { } s ? (s.Id, s.Username) : actor is { } a ? (a.Id, a.Username) : default;
                Add(o, "channel_id", room?.Id ?? message?.RoomId);
                if (room?.Type != "d") Add(o, "channel_name", room?.Name); // OUT-21: absent for DMs
                Add(o, "message_id", message?.Id);
                Add(o, "timestamp", Date(message?.Timestamp ?? chatEvent.Timestamp));
                Add(o, "user_id", sender.Id);
                Add(o, "user_name", sender.Username);
                o["text"] = message?.Text ?? "";
                if (options.SiteUrl.Length > 0) o["siteUrl"] = options.SiteUrl;
                if (!string.IsNullOrEmpty(message?.Alias)) o["alias"] = message.Alias;
                if (message?.EditedAt is not null) o["isEdited"] = true; // OUT-47
                if (!string.IsNullOrEmpty(message?.ThreadId)) o["tmid"] = message.ThreadId;
                if (listenedEvent == ChatEventType.FileUploaded)
                {
                    Add(o, "user", User(actor));
                    Add(o, "room", Room(room));
                    Add(o, "message", Message(message));
                }

                break;
            }

            case ChatEventType.RoomCreated:
                Add(o, "channel_id", room?.Id);
                Add(o, "channel_name", room?.Name);
                Add(o, "timestamp", Date(room?.CreatedAt ?? chatEvent.Timestamp));
                Add(o, "user_id", chatEvent.Owner?.Id);
                Add(o, "user_name", chatEvent.Owner?.Username);
                Add(o, "owner", User(chatEvent.Owner));
                Add(o, "room", Room(room));
                break;

            case ChatEventType.RoomArchived:
            case ChatEventType.RoomJoined:
            case ChatEventType.RoomLeft:
                Add(o, "timestamp", Date(chatEvent.Timestamp));
                Add(o, "channel_id", room?.Id);
                Add(o, "channel_name", room?.Name);
                Add(o, "user_id", actor?.Id);
                Add(o, "user_name", actor?.Username);
                Add(o, "user", User(actor));
                Add(o, "room", Room(room));
                break;

            case ChatEventType.UserCreated:
                Add(o, "timestamp", Date(actor?.CreatedAt ?? chatEvent.Timestamp));
                Add(o, "user_id", actor?.Id);
                Add(o, "user_name", actor?.Username);
                Add(o, "user", User(actor));
                break;

            case ChatEventType.MessageDeleted:
                // OUT-11: the deleted text is not included; timestamp is the deletion time.
                Add(o, "channel_id", room?.Id ?? message?.RoomId);
                Add(o, "channel_name", room?.Name);
                Add(o, "message_id", message?.Id);
                Add(o, "timestamp", Date(chatEvent.Timestamp));
                Add(o, "user_id", actor?.Id);
                Add(o, "user_name", actor?.Username);
                break;
        }

        Strip(o, options.IncludeUserEmails);
        return o;
    }

    /// <summary>Returns a copy of <paramref name="data"/> with <c>token</c> as its first key (OUT-20, OUT-24, DLV-6).</summary>
    public static JsonObject WithToken(JsonObject data, string token)
    {
        var o = new JsonObject { ["token"] = token };
        foreach (var (key, value) in data)
        {
            if (key != "token") o[key] = value?.DeepClone();
        }

        return o;
    }

    /// <summary>The <c>slack-form</c> fields, exactly these, in this order (OUT-62).</summary>
    public static List<KeyValuePair<string, string>> SlackFormFields(JsonObject dataWithToken, ChatIntegrationsOptions options)
    {
        string S(string key) => dataWithToken[key] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : "";
        var seconds = DateTimeOffset.TryParse(S("timestamp"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var ts)
            ? ts.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)
            : "";
        var files = new List<string>();
        if (dataWithToken["message"] is JsonObject m && m["file"] is JsonObject f && f["_id"] is JsonValue fid) files.Add(fid.ToString());
        return
        [
            new("token", S("token")),
            new("team_id", options.TeamId),
            new("team_domain", options.TeamDomain),
            new("channel_id", S("channel_id")),
            new("channel_name", S("channel_name")),
            new("timestamp", seconds),
            new("user_id", S("user_id")),
            new("user_name", S("user_name")),
            new("post_id", S("message_id")),
            new("text", S("text")),
            new("trigger_word", S("trigger_word")),
            new("file_ids", string.Join(',', files)),
        ];
    }

    /// <summary>Form encoding with <c>+</c> for spaces, as HTML forms and Slack send it (OUT-62 example).</summary>
    public static string FormEncode(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        var b = new StringBuilder();
        foreach (var (key, value) in pairs)
        {
            if (b.Length > 0) b.Append('&');
            b.Append(Uri.EscapeDataString(key).Replace("%20", "+", StringComparison.Ordinal)).Append('=')
                .Append(Uri.EscapeDataString(value).Replace("%20", "+", StringComparison.Ordinal));
        }

        return b.ToString();
    }

    /// <summary>The user snapshot of OUT-22.</summary>
    public static JsonObject? User(UserSnapshot? u)
    {
        if (u is null) return null;
        var o = new JsonObject { ["_id"] = u.Id, ["username"] = u.Username };
        Add(o, "name", u.Name);
        Add(o, "type", u.Type);
        if (u.Active is { } active) o["active"] = active;
        if (u.Roles is { } roles) o["roles"] = new JsonArray(roles.Select(r => (JsonNode?)JsonValue.Create(r)).ToArray());
        Add(o, "createdAt", Date(u.CreatedAt));
        return o;
    }

    /// <summary>The room snapshot of OUT-22.</summary>
    public static JsonObject? Room(RoomSnapshot? r)
    {
        if (r is null) return null;
        var o = new JsonObject { ["_id"] = r.Id };
        Add(o, "name", r.Name);
        Add(o, "fname", r.DisplayName);
        o["t"] = r.Type;
        Add(o, "ts", Date(r.CreatedAt));
        Add(o, "u", Reference(r.Creator));
        if (r.Archived is { } archived) o["archived"] = archived;
        if (r.ReadOnly is { } ro) o["ro"] = ro;
        Add(o, "topic", r.Topic);
        return o;
    }

    /// <summary>The message snapshot of OUT-22.</summary>
    public static JsonObject? Message(MessageSnapshot? m)
    {
        if (m is null) return null;
        var o = new JsonObject { ["_id"] = m.Id, ["rid"] = m.RoomId, ["msg"] = m.Text };
        Add(o, "ts", Date(m.Timestamp));
        Add(o, "u", Reference(m.Sender));
        Add(o, "tmid", m.ThreadId);
        if (m.File is { } f) o["file"] = File(f);
        if (m.Attachments is { Count: > 0 } atts) o["attachments"] = new JsonArray(atts.Select(a => (JsonNode?)a.DeepClone()).ToArray());
        return o;
    }

    /// <summary>Removes credential keys at any depth, and <c>emails</c> unless allowed (OUT-22).</summary>
    public static void Strip(JsonNode? node, bool includeEmails)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var key in o.Select(p => p.Key).Where(k => CredentialKeys.Contains(k) || (!includeEmails && k == "emails")).ToList()) o.Remove(key);
                foreach (var (_, child) in o) Strip(child, includeEmails);
                break;
            case JsonArray a:
                foreach (var child in a) Strip(child, includeEmails);
                break;
        }
    }

    private static JsonObject File(FileReference f)
    {
        var o = new JsonObject { ["_id"] = f.Id, ["name"] = f.Name };
        Add(o, "type", f.Type);
        return o;
    }

    private static JsonObject? Reference(UserReference? u)
    {
        if (u is null) return null;
        var o = new JsonObject { ["_id"] = u.Id, ["username"] = u.Username };
        Add(o, "name", u.Name);
        return o;
    }

    private static string? Date(DateTimeOffset? value) => value is { } v ? FormatDate(v) : null;

    private static void Add(JsonObject o, string key, string? value)
    {
        if (value is not null) o[key] = value;
    }

    private static void Add(JsonObject o, string key, JsonNode? value)
    {
        if (value is not null) o[key] = value;
    }
}
