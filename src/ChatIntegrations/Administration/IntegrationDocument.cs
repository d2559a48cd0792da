using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChatIntegrations.Administration;

/// <summary>A field-level problem with an integration document.</summary>
internal sealed record FieldError(string Error, string? Field, string? Message = null);

/// <summary>Reads and writes integration documents with Rocket.Chat's field names (GEN-8, GEN-13).</summary>
internal static class IntegrationDocument
{
    /// <summary>GEN-8: Rocket.Chat-only keys that import ignores.</summary>
    internal static readonly HashSet<string> IgnoredKeys = new(StringComparer.Ordinal)
    {
        "scriptEngine", "scriptCompiled", "scriptError", "userId", "_createdAt", "_createdBy", "_updatedAt", "_updatedBy",
    };

    public static string TypeName(IntegrationType type) => type switch
    {
        IntegrationType.Incoming => "webhook-incoming",
        IntegrationType.Outgoing => "webhook-outgoing",
        _ => "omnichannel",
    };

    public static IntegrationType? ParseType(string? name) => name switch
    {
        "webhook-incoming" => IntegrationType.Incoming,
        "webhook-outgoing" => IntegrationType.Outgoing,
        _ => null,
    };

    /// <summary>Reads a document into a draft integration. Keys that are absent take <paramref name="baseline"/>'s
    /// values (our defaults on create). Type errors name the field.</summary>
    public static (Integration? Integration, FieldError? Error, List<string> Defaulted) Read(JsonObject doc, Integration baseline)
    {
        var defaulted = new List<string>();
        var i = baseline;
        try
        {
            i = i with
            {
                Name = Str(doc, "name") ?? i.Name,
                Enabled = Bool(doc, "enabled") ?? i.Enabled,
                Channel = Channels(doc, "channel") ?? i.Channel,
                Username = Str(doc, "username") ?? i.Username,
                Alias = Str(doc, "alias") ?? i.Alias,
                Avatar = Str(doc, "avatar") ?? i.Avatar,
                Emoji = Str(doc, "emoji") ?? i.Emoji,
                ScriptEnabled = Bool(doc, "scriptEnabled") ?? i.ScriptEnabled,
                Script = Str(doc, "script") ?? i.Script,
                OverrideDestinationChannelEnabled = Bool(doc, "overrideDestinationChannelEnabled") ?? i.OverrideDestinationChannelEnabled,
                RateLimit = doc.ContainsKey("rateLimit") ? RateLimit(doc) : i.RateLimit,
                MaxBodyBytes = doc.ContainsKey("maxBodyBytes") ? Int(doc, "maxBodyBytes") : i.MaxBodyBytes,
                Event = Str(doc, "event") ?? i.Event,
                Urls = StrList(doc, "urls") ?? i.Urls,
                TriggerWords = StrList(doc, "triggerWords") ?? i.TriggerWords,
                TriggerWordAnywhere = Bool(doc, "triggerWordAnywhere") ?? i.TriggerWordAnywhere,
                TriggerWordMode = Str(doc, "triggerWordMode") ?? (Bool(doc, "triggerWordAnywhere") == true ? "anywhere" : i.TriggerWordMode),
                TriggerWordsCaseInsensitive = Bool(doc, "triggerWordsCaseInsensitive") ?? i.TriggerWordsCaseInsensitive,
                RunOnEdits = Bool(doc, "runOnEdits") ?? i.RunOnEdits,
                ImpersonateUser = Bool(doc, "impersonateUser") ?? i.ImpersonateUser,
                RetryFailedCalls = Bool(doc, "retryFailedCalls") ?? i.RetryFailedCalls,
                RetryCount = Int(doc, "retryCount") ?? i.RetryCount,
                RetryDelay = Str(doc, "retryDelay") ?? i.RetryDelay,
                RetryRules = Str(doc, "retryRules") ?? i.RetryRules,
                UseJitter = Bool(doc, "useJitter") ?? i.UseJitter,
                TimeoutMs = Int(doc, "timeoutMs") ?? i.TimeoutMs,
                PayloadFormat = Str(doc, "payloadFormat") ?? i.PayloadFormat,
                TriggerOnIntegrationMessages = Bool(doc, "triggerOnIntegrationMessages") ?? i.TriggerOnIntegrationMessages,
                RecordHistory = Bool(doc, "recordHistory") ?? i.RecordHistory,
                ResponseContentMode = Str(doc, "responseContentMode") ?? i.ResponseContentMode,
                TargetRoom = Str(doc, "targetRoom") ?? i.TargetRoom,
            };
        }
        catch (FieldException ex)
        {
            return (null, new FieldError("error-invalid-field", ex.Field, ex.Message), defaulted);
        }

        // GEN-8: keys whose defaults behave differently from Rocket.Chat's.
        if (i.Type == IntegrationType.Outgoing && !doc.ContainsKey("triggerOnIntegrationMessages")) defaulted.Add("triggerOnIntegrationMessages");
        if (i.Type == IntegrationType.Outgoing && !doc.ContainsKey("retryRules")) defaulted.Add("retryRules");
        if (i.Type == IntegrationType.Incoming && !doc.ContainsKey("overrideDestinationChannelEnabled")) defaulted.Add("overrideDestinationChannelEnabled");
        return (i, null, defaulted);
    }

    public static JsonObject Write(Integration i, bool includeToken, bool includeSecrets = false)
    {
        var o = new JsonObject
        {
            ["_id"] = i.Id,
            ["type"] = TypeName(i.Type),
            ["name"] = i.Name,
            ["enabled"] = i.Enabled,
            ["channel"] = Array(i.Channel),
            ["username"] = i.Username,
            ["alias"] = i.Alias,
            ["avatar"] = i.Avatar,
            ["emoji"] = i.Emoji,
            ["scriptEnabled"] = i.ScriptEnabled,
            ["script"] = i.Script,
        };
        if (i.Type == IntegrationType.Incoming)
        {
            o["overrideDestinationChannelEnabled"] = i.OverrideDestinationChannelEnabled;
            if (i.RateLimit is { } rl) o["rateLimit"] = new JsonObject { ["enabled"] = rl.Enabled, ["permits"] = rl.Permits, ["windowSeconds"] = rl.WindowSeconds };
            if (i.MaxBodyBytes is { } mb) o["maxBodyBytes"] = mb;
        }
        else
        {
            o["event"] = i.Event;
            o["urls"] = Array(i.Urls);
            o["triggerWords"] = Array(i.TriggerWords);
            o["triggerWordAnywhere"] = i.TriggerWordMode == "anywhere";
            o["triggerWordMode"] = i.TriggerWordMode;
            o["triggerWordsCaseInsensitive"] = i.TriggerWordsCaseInsensitive;
            o["runOnEdits"] = i.RunOnEdits;
            o["impersonateUser"] = i.ImpersonateUser;
            o["retryFailedCalls"] = i.RetryFailedCalls;
            o["retryCount"] = i.RetryCount;
            o["retryDelay"] = i.RetryDelay;
            o["retryRules"] = i.RetryRules;
            o["useJitter"] = i.UseJitter;
            o["timeoutMs"] = i.TimeoutMs;
            o["payloadFormat"] = i.PayloadFormat;
            o["triggerOnIntegrationMessages"] = i.TriggerOnIntegrationMessages;
            o["recordHistory"] = i.RecordHistory;
            o["responseContentMode"] = i.ResponseContentMode;
            o["targetRoom"] = i.TargetRoom;
            o["signingSecretCount"] = i.SigningSecrets.Count;
            if (includeSecrets) o["signingSecrets"] = Array(i.SigningSecrets);
        }

        if (includeToken) o["token"] = i.Token;
        o["version"] = i.Version;
        o["_createdAt"] = FormatTime(i.CreatedAt);
        o["_updatedAt"] = FormatTime(i.UpdatedAt);
        o["_createdBy"] = new JsonObject { ["username"] = i.CreatedBy };
        return o;
    }

    private static string FormatTime(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static JsonArray Array(IEnumerable<string> values)
    {
        var a = new JsonArray();
        foreach (var v in values) a.Add(v);
        return a;
    }

    private static string? Str(JsonObject doc, string key)
    {
        if (!doc.TryGetPropertyValue(key, out var n) || n is null) return null;
        if (n is JsonValue v && v.GetValueKind() == JsonValueKind.String) return v.GetValue<string>();
        throw new FieldException(key, $"{key} must be a string");
    }

    private static bool? Bool(JsonObject doc, string key)
    {
        if (!doc.TryGetPropertyValue(key, out var n) || n is null) return null;
        if (n is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False) return v.GetValue<bool>();
        throw new FieldException(key, $"{key} must be a boolean");
    }

    private static int? Int(JsonObject doc, string key)
    {
        if (!doc.TryGetPropertyValue(key, out var n) || n is null) return null;
        if (n is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<int>(out var i)) return i;
        if (n is JsonValue v2 && v2.GetValueKind() == JsonValueKind.Number && v2.TryGetValue<long>(out var l) && l is >= int.MinValue and <= int.MaxValue) return (int)l;
        if (n is JsonValue v3 && v3.GetValueKind() == JsonValueKind.String && int.TryParse(v3.GetValue<string>(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s)) return s;
        throw new FieldException(key, $"{key} must be an integer");
    }

    private static List<string>? StrList(JsonObject doc, string key)
    {
        if (!doc.TryGetPropertyValue(key, out var n) || n is null) return null;
        if (n is JsonValue v && v.GetValueKind() == JsonValueKind.String) return [v.GetValue<string>()];
        if (n is not JsonArray arr) throw new FieldException(key, $"{key} must be an array of strings");
        var list = new List<string>(arr.Count);
        foreach (var e in arr)
        {
            if (e is JsonValue ev && ev.GetValueKind() == JsonValueKind.String) list.Add(ev.GetValue<string>());
            else throw new FieldException(key, $"{key} must be an array of strings");
        }

        return list;
    }

    /// <summary>GEN-8: <c>channel</c> as an array or as one comma-separated string.</summary>
    private static List<string>? Channels(JsonObject doc, string key)
    {
        if (!doc.TryGetPropertyValue(key, out var n) || n is null) return null;
        if (n is JsonValue v && v.GetValueKind() == JsonValueKind.String)
        {
            return v.GetValue<string>().Split(',').Select(s => s.Trim()).Where(s => s.Length > 0).ToList();
        }

        return StrList(doc, key)!.Select(s => s.Trim()).Where(s => s.Length > 0).ToList();
    }

    private static RateLimitSettings? RateLimit(JsonObject doc)
    {
        var n = doc["rateLimit"];
        if (n is null) return null;
        if (n is not JsonObject o) throw new FieldException("rateLimit", "rateLimit must be an object {enabled, permits, windowSeconds}");
        try
        {
            return new RateLimitSettings(Bool(o, "enabled") ?? true, Int(o, "permits") ?? Defaults.RateLimitPermits, Int(o, "windowSeconds") ?? Defaults.RateLimitWindowSeconds);
        }
        catch (FieldException ex)
        {
            throw new FieldException("rateLimit." + ex.Field, ex.Message);
        }
    }

    private sealed class FieldException(string field, string message) : Exception(message)
    {
        public string Field { get; } = field;
    }
}
