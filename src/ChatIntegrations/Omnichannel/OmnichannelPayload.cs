using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ChatIntegrations.Outgoing;

namespace ChatIntegrations.Omnichannel;

/// <summary>Builds the omnichannel payloads of OMNI-20..OMNI-25 and handles <c>crmData</c> (OMNI-35).</summary>
internal static partial class OmnichannelPayload
{
    public const string NavigationType = "livechat_navigation_history";

    /// <summary>The largest CRM answer kept as <c>crmData</c> (OMNI-35, our choice).</summary>
    public const int MaxCrmDataBytes = 64 * 1024;

    public static string WireName(OmnichannelEventType type) => type switch
    {
        OmnichannelEventType.SessionStart => "LivechatSessionStart",
        OmnichannelEventType.SessionQueued => "LivechatSessionQueued",
        OmnichannelEventType.SessionTaken => "LivechatSessionTaken",
        OmnichannelEventType.SessionForwarded => "LivechatSessionForwarded",
        OmnichannelEventType.SessionClosed => "LivechatSession",
        OmnichannelEventType.Message => "Message",
        OmnichannelEventType.RoomEdited => "LivechatEdit",
        OmnichannelEventType.LeadCapture => "LeadCapture",
        OmnichannelEventType.OfflineMessage => "LivechatOfflineMessage",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown omnichannel event type."),
    };

    /// <summary>The toggle that gates an event (OMNI-3, OMNI-12); a <c>Message</c> depends on its sender.</summary>
    public static string Toggle(OmnichannelEvent e) => e.Type switch
    {
        OmnichannelEventType.SessionStart => "onStart",
        OmnichannelEventType.SessionQueued => "onQueued",
        OmnichannelEventType.SessionTaken => "onTaken",
        OmnichannelEventType.SessionForwarded => "onForward",
        OmnichannelEventType.SessionClosed => "onClose",
        OmnichannelEventType.Message => e.Messages.Count > 0 && IsVisitorMessage(e.Messages[^1]) ? "onVisitorMessage" : "onAgentMessage",
        OmnichannelEventType.RoomEdited => "onEdit",
        OmnichannelEventType.LeadCapture => "onLeadCapture",
        OmnichannelEventType.OfflineMessage => "onOfflineMessage",
        _ => throw new ArgumentOutOfRangeException(nameof(e), e.Type, "Unknown omnichannel event type."),
    };

    /// <summary>OMNI-12: a visitor message carries the visitor token.</summary>
    public static bool IsVisitorMessage(OmnichannelMessage m) => !string.IsNullOrEmpty(m.VisitorToken);

    /// <summary>Builds the payload, without <c>crmData</c> (inserted per attempt, OMNI-35).</summary>
    /// <returns>The payload, or <see langword="null"/> when nothing must be sent (a <c>Message</c> whose message is
    /// filtered out by OMNI-13).</returns>
    public static JsonObject? Build(OmnichannelEvent e, bool sendNavigationHistory, int maxMessages, DateTimeOffset now)
    {
        var type = WireName(e.Type);
        if (e.Type == OmnichannelEventType.OfflineMessage)
        {
            var form = e.OfflineMessage ?? throw new ArgumentException("An OfflineMessage event needs OfflineMessage.", nameof(e));

            // OMNI-24: exactly these keys.
            return new JsonObject
            {
                ["type"] = type,
                ["sentAt"] = OutgoingPayload.FormatDate(form.SentAt ?? now),
                ["visitor"] = new JsonObject { ["name"] = form.Name, ["email"] = form.Email },
                ["message"] = form.Message,
            };
        }

        var room = e.Room ?? throw new ArgumentException("This omnichannel event needs Room.", nameof(e));
        var o = new JsonObject { ["type"] = type, ["_id"] = room.Id };
        Add(o, "label", room.Label);
        Add(o, "topic", room.Topic);
        AddDate(o, "createdAt", room.CreatedAt);
        AddDate(o, "lastMessageAt", room.LastMessageAt);
        if (room.Tags is { } tags) o["tags"] = new JsonArray([.. tags.Select(t => (JsonNode?)JsonValue.Create(t))]);
        if (room.CustomFields is { } cf) o["customFields"] = cf.DeepClone();

        // OMNI-10: the extra fields of each type.
        switch (e.Type)
        {
            case OmnichannelEventType.SessionStart or OmnichannelEventType.SessionQueued:
                Add(o, "departmentId", room.DepartmentId);
                break;
            case OmnichannelEventType.SessionTaken:
                Add(o, "departmentId", room.DepartmentId);
                AddServedBy(o, "servedBy", room.ServedBy);
                break;
            case OmnichannelEventType.SessionForwarded:
                Add(o, "departmentId", room.DepartmentId);
                AddServedBy(o, "servedBy", room.ServedBy);
                Add(o, "oldDepartmentId", room.OldDepartmentId);
                AddServedBy(o, "oldServedBy", room.OldServedBy);
                break;
            case OmnichannelEventType.SessionClosed:
                Add(o, "departmentId", room.DepartmentId);
                AddServedBy(o, "servedBy", room.ServedBy);
                AddDate(o, "closedAt", room.ClosedAt);
                if (room.ClosedBy is { } cb) o["closedBy"] = new JsonObject { ["_id"] = cb.Id, ["username"] = cb.Username };
                Add(o, "closer", room.Closer);
                break;
        }

        if (e.Visitor is { } visitor) o["visitor"] = Visitor(visitor);
        if (e.Agent is { } agent) o["agent"] = Agent(agent);

        if (e.Type == OmnichannelEventType.LeadCapture)
        {
            o["messages"] = new JsonArray(); // OMNI-25
            return o;
        }

        var (messages, truncated) = Messages(e.Messages, room.Id, sendNavigationHistory, maxMessages);
        if (e.Type == OmnichannelEventType.Message && messages.Count == 0) return null;
        o["messages"] = messages;
        if (truncated) o["messagesTruncated"] = true;
        return o;
    }

    /// <summary>OMNI-13 and OMNI-22: filtered, sorted by <c>ts</c>, at most the newest <paramref name="max"/>.</summary>
    public static (JsonArray Messages, bool Truncated) Messages(IReadOnlyList<OmnichannelMessage> source, string roomId, bool sendNavigationHistory, int max)
    {
        var kept = source
            .Where(m => m.ClosingMessage || (IsNavigation(m) ? sendNavigationHistory : m.Type is null or ""))
            .Select((m, i) => (m, i))
            .OrderBy(p => p.m.Timestamp)
            .ThenBy(p => p.i) // stable for equal timestamps
            .Select(p => p.m)
            .ToList();
        var truncated = kept.Count > max;
        if (truncated) kept = kept.GetRange(kept.Count - max, max);
        var array = new JsonArray();
        foreach (var m in kept) array.Add(Message(m, roomId));
        return (array, truncated);
    }

    private static bool IsNavigation(OmnichannelMessage m) => m.Type == NavigationType || (m.Type is null or "" && m.Navigation is not null);

    private static JsonObject Message(OmnichannelMessage m, string roomId)
    {
        var o = new JsonObject { ["_id"] = m.Id, ["username"] = m.Sender.Username };
        if (!IsVisitorMessage(m)) o["agentId"] = m.Sender.Id;
        o["msg"] = m.Text ?? "";
        o["ts"] = OutgoingPayload.FormatDate(m.Timestamp);
        o["rid"] = m.RoomId ?? roomId;
        o["_updatedAt"] = OutgoingPayload.FormatDate(m.UpdatedAt ?? m.Timestamp);
        AddDate(o, "editedAt", m.EditedAt);
        if (m.Navigation is { } nav) o["navigation"] = nav.DeepClone();
        if (m.ClosingMessage) o["closingMessage"] = true;
        if (m.File is { } f)
        {
            var file = new JsonObject { ["_id"] = f.Id };
            Add(file, "name", f.Name);
            Add(file, "type", f.Type);
            Add(file, "url", f.Url);
            o["file"] = file;
        }

        if (m.Attachments is { } att) o["attachments"] = att.DeepClone();
        return o;
    }

    private static JsonObject Visitor(OmnichannelVisitor v)
    {
        var o = new JsonObject { ["_id"] = v.Id };
        Add(o, "token", v.Token);
        Add(o, "name", v.Name);
        Add(o, "username", v.Username);
        Add(o, "department", v.Department);
        Add(o, "ip", v.Ip);
        if (v.UserAgent is { Length: > 0 } ua)
        {
            Add(o, "os", UserAgentInfo.OperatingSystem(ua));
            Add(o, "browser", UserAgentInfo.Browser(ua));
        }

        if (v.CustomFields is { } cf) o["customFields"] = cf.DeepClone();
        if (v.Emails is { } emails) o["email"] = new JsonArray([.. emails.Select(a => (JsonNode?)new JsonObject { ["address"] = a })]);
        if (v.Phones is { } phones) o["phone"] = new JsonArray([.. phones.Select(p => (JsonNode?)new JsonObject { ["phoneNumber"] = p })]);
        return o;
    }

    private static JsonObject Agent(OmnichannelAgent a)
    {
        var o = new JsonObject { ["_id"] = a.Id, ["username"] = a.Username };
        Add(o, "name", a.Name);
        if (a.Emails is { Count: > 0 } emails) o["email"] = emails[0];
        if (a.CustomFields is { } cf) o["customFields"] = cf.DeepClone();
        return o;
    }

    private static void AddServedBy(JsonObject o, string key, OmnichannelServedBy? s)
    {
        if (s is null) return;
        var v = new JsonObject { ["_id"] = s.Id, ["username"] = s.Username };
        AddDate(v, "ts", s.Since);
        o[key] = v;
    }

    private static void Add(JsonObject o, string key, string? value)
    {
        if (value is not null) o[key] = value;
    }

    private static void AddDate(JsonObject o, string key, DateTimeOffset? value)
    {
        if (value is { } v) o[key] = OutgoingPayload.FormatDate(v);
    }

    /// <summary>The room id of a stored payload, for <c>crmData</c>; <see langword="null"/> for offline messages.</summary>
    public static string? RoomId(JsonObject payload) =>
        payload["type"]?.GetValue<string>() == "LivechatOfflineMessage" ? null : payload["_id"] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    /// <summary>OMNI-35: the payload with <c>crmData</c> inserted before <c>messages</c> (after <c>agent</c>), when a
    /// value is stored. <paramref name="stored"/> is the JSON text kept by <see cref="CrmValue"/>.</summary>
    public static JsonObject WithCrmData(JsonObject payload, string? stored)
    {
        if (stored is null) return payload;
        JsonNode? value;
        try
        {
            value = JsonNode.Parse(stored);
        }
        catch (JsonException)
        {
            value = JsonValue.Create(stored); // kept by another writer as plain text
        }

        var o = new JsonObject();
        var inserted = false;
        foreach (var (key, node) in payload)
        {
            if (key == "crmData") continue;
            if (key == "messages" && !inserted)
            {
                o["crmData"] = value;
                inserted = true;
            }

            o[key] = node?.DeepClone();
        }

        if (!inserted) o["crmData"] = value;
        return o;
    }

    /// <summary>OMNI-35: the value to keep for a 200 answer's body, as JSON text, per <paramref name="mode"/>;
    /// <see langword="null"/> when nothing is stored.</summary>
    public static string? CrmValue(string body, string mode)
    {
        if (body.Length == 0) return null;
        switch (mode)
        {
            case "legacy-data":
                return TryParse(body) is JsonObject o && o["data"] is { } data ? data.ToJsonString() : null;
            case "json":
                return TryParse(body)?.ToJsonString() ?? JsonValue.Create(body)!.ToJsonString();
            default:
                return JsonValue.Create(body)!.ToJsonString();
        }
    }

    public static bool TooLarge(string body) => Encoding.UTF8.GetByteCount(body) > MaxCrmDataBytes;

    private static JsonNode? TryParse(string text)
    {
        try
        {
            return JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The fixed sample of <c>TestOmnichannelWebhookAsync</c> (OMNI-36): a closed session.</summary>
    public static JsonObject Sample() => JsonNode.Parse("""
        {"type":"LivechatSession","_id":"fasd6f5a4sd6f8a4sdf","label":"title","topic":"topic of the session",
         "createdAt":"2016-06-01T18:41:16.856Z","lastMessageAt":"2016-06-01T18:41:16.856Z","tags":["tag1","tag2","tag3"],
         "customFields":{"productId":"123456"},
         "visitor":{"_id":"","name":"visitor name","username":"visitor-username","department":"department",
           "email":[{"address":"email@address.com"}],"phone":[{"phoneNumber":"192873192873"}],"ip":"123.456.7.89",
           "browser":"Chrome","os":"Linux","customFields":{"customerId":"123456"}},
         "agent":{"_id":"asdf89as6df8","username":"agent.username","name":"Agent Name","email":"email@domain.com"},
         "messages":[{"username":"visitor-username","msg":"message content","ts":"2016-06-01T18:41:16.856Z"},
           {"username":"agent.username","agentId":"asdf89as6df8","msg":"message content from agent","ts":"2016-06-01T18:41:16.856Z"}]}
        """)!.AsObject();
}

/// <summary>Derives the "Name Version" strings of OMNI-21 from a User-Agent, like Rocket.Chat's ua-parser-js use.</summary>
internal static partial class UserAgentInfo
{
    public static string? OperatingSystem(string ua)
    {
        Match m;
        if ((m = WindowsNt().Match(ua)).Success)
        {
            var version = m.Groups[1].Value switch
            {
                "10.0" => "10", "6.3" => "8.1", "6.2" => "8", "6.1" => "7", "6.0" => "Vista", "5.1" or "5.2" => "XP", var v => v,
            };
            return "Windows " + version;
        }

        if ((m = IOs().Match(ua)).Success) return "iOS " + m.Groups[1].Value.Replace('_', '.');
        if ((m = MacOs().Match(ua)).Success) return "Mac OS " + m.Groups[1].Value.Replace('_', '.');
        if ((m = Android().Match(ua)).Success) return "Android " + m.Groups[1].Value;
        if ((m = ChromeOs().Match(ua)).Success) return "Chromium OS " + m.Groups[1].Value;
        if ((m = Linux().Match(ua)).Success) return m.Groups[1].Success ? "Linux " + m.Groups[1].Value : "Linux";
        return null;
    }

    public static string? Browser(string ua)
    {
        foreach (var (regex, name) in new (Regex, string)[]
                 {
                     (Edge(), "Edge"), (Opera(), "Opera"), (SamsungBrowser(), "Samsung Browser"), (Firefox(), "Firefox"),
                     (Chrome(), "Chrome"),
                 })
        {
            var m = regex.Match(ua);
            if (m.Success) return name + " " + m.Groups[1].Value;
        }

        var safari = SafariVersion().Match(ua);
        if (safari.Success && ua.Contains("Safari/", StringComparison.Ordinal)) return (ua.Contains("Mobile", StringComparison.Ordinal) ? "Mobile Safari " : "Safari ") + safari.Groups[1].Value;
        return null;
    }

    [GeneratedRegex(@"Windows NT (\d+\.\d+)")]
    private static partial Regex WindowsNt();

    [GeneratedRegex(@"(?:iPhone|iPad|iPod).*? OS (\d+(?:_\d+)*)")]
    private static partial Regex IOs();

    [GeneratedRegex(@"Mac OS X (\d+(?:[_.]\d+)*)")]
    private static partial Regex MacOs();

    [GeneratedRegex(@"Android (\d+(?:\.\d+)*)")]
    private static partial Regex Android();

    [GeneratedRegex(@"CrOS \S+ (\d+(?:\.\d+)*)")]
    private static partial Regex ChromeOs();

    [GeneratedRegex(@"Linux(?: (x86_64|i[3-6]86|aarch64|armv\w+))?")]
    private static partial Regex Linux();

    [GeneratedRegex(@"Edg(?:e|A|iOS)?/(\d+(?:\.\d+)*)")]
    private static partial Regex Edge();

    [GeneratedRegex(@"(?:OPR|Opera)/(\d+(?:\.\d+)*)")]
    private static partial Regex Opera();

    [GeneratedRegex(@"SamsungBrowser/(\d+(?:\.\d+)*)")]
    private static partial Regex SamsungBrowser();

    [GeneratedRegex(@"(?:Firefox|FxiOS)/(\d+(?:\.\d+)*)")]
    private static partial Regex Firefox();

    [GeneratedRegex(@"(?:Chrome|CriOS)/(\d+(?:\.\d+)*)")]
    private static partial Regex Chrome();

    [GeneratedRegex(@"Version/(\d+(?:\.\d+)*)")]
    private static partial Regex SafariVersion();
}
