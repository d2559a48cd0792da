using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChatIntegrations.Delivery.History;

/// <summary>Redacts history documents before they are stored (SEC-16): <c>token</c> keys at any depth, sensitive
/// headers and query parameters, and every occurrence of the integration's own token and signing secrets.</summary>
internal static class HistoryRedactor
{
    public const string Redacted = "[redacted]";

    private static readonly HashSet<string> SensitiveHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie", "X-RocketChat-Livechat-Token", "webhook-signature",
    };

    private static readonly string[] SensitiveParts = ["token", "secret", "password", "api-key", "apikey"];

    /// <summary>Whether a header or query parameter name must be redacted (SEC-16).</summary>
    public static bool IsSensitiveName(string name)
    {
        if (SensitiveHeaders.Contains(name)) return true;
        foreach (var part in SensitiveParts)
        {
            if (name.Contains(part, StringComparison.OrdinalIgnoreCase)) return true;
        }

        return false;
    }

    /// <summary>Redacts <c>token</c> keys at any depth of a payload copy.</summary>
    public static void RedactTokenKeys(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var key in o.Select(p => p.Key).ToList())
                {
                    if (key.Equals("token", StringComparison.Ordinal)) o[key] = Redacted;
                    else RedactTokenKeys(o[key]);
                }

                break;
            case JsonArray a:
                foreach (var child in a) RedactTokenKeys(child);
                break;
        }
    }

    /// <summary>A headers object with sensitive values redacted.</summary>
    public static JsonObject Headers(IEnumerable<KeyValuePair<string, string>> headers)
    {
        var o = new JsonObject();
        foreach (var (name, value) in headers) o[name] = IsSensitiveName(name) ? Redacted : value;
        return o;
    }

    /// <summary>A URL with sensitive query parameter values redacted.</summary>
    public static string Url(string url)
    {
        var q = url.IndexOf('?', StringComparison.Ordinal);
        if (q < 0) return url;
        var hash = url.IndexOf('#', q);
        var query = hash < 0 ? url[(q + 1)..] : url[(q + 1)..hash];
        var parts = query.Split('&');
        for (var i = 0; i < parts.Length; i++)
        {
            var eq = parts[i].IndexOf('=', StringComparison.Ordinal);
            var name = Uri.UnescapeDataString(eq < 0 ? parts[i] : parts[i][..eq]);
            if (eq >= 0 && IsSensitiveName(name)) parts[i] = parts[i][..(eq + 1)] + Redacted;
        }

        return url[..(q + 1)] + string.Join('&', parts) + (hash < 0 ? "" : url[hash..]);
    }

    /// <summary>Replaces every occurrence of <paramref name="secrets"/> in every string of the document, keys
    /// included (SEC-16).</summary>
    public static JsonNode? ScrubSecrets(JsonNode? node, IReadOnlyList<string> secrets)
    {
        if (secrets.Count == 0) return node;
        switch (node)
        {
            case JsonObject o:
                foreach (var key in o.Select(p => p.Key).ToList())
                {
                    var child = ScrubSecrets(o[key], secrets);
                    var cleanKey = Scrub(key, secrets);
                    if (!ReferenceEquals(child, o[key])) o[key] = child;
                    if (cleanKey != key)
                    {
                        o.Remove(key);
                        o[cleanKey] = child?.Parent is null ? child : child.DeepClone();
                    }
                }

                return o;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    var child = ScrubSecrets(a[i], secrets);
                    if (!ReferenceEquals(child, a[i])) a[i] = child;
                }

                return a;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                var text = v.GetValue<string>();
                var clean = Scrub(text, secrets);
                return clean == text ? v : JsonValue.Create(clean);
            default:
                return node;
        }
    }

    /// <summary>A redacted copy of an attempt's history document, made in one pass (SEC-16): the same as a deep copy
    /// followed by <see cref="RedactTokenKeys"/> on <c>data</c> and on <c>httpCallData.data</c> and by
    /// <see cref="ScrubSecrets"/> on the whole copy, without copying the document first. The original is not
    /// changed.</summary>
    /// <remarks>A key that contains a secret is renamed and moved after the other keys of its object, as
    /// <see cref="ScrubSecrets"/> does.</remarks>
    public static JsonObject RedactedCopy(JsonObject document, IReadOnlyList<string> secrets)
    {
        var copy = new JsonObject();
        List<KeyValuePair<string, JsonNode?>>? renamed = null;
        foreach (var (key, value) in document)
        {
            var child = key switch
            {
                "data" => Copy(value, secrets, redactTokenKeys: true),
                "httpCallData" when value is JsonObject call => CopyCallData(call, secrets),
                _ => Copy(value, secrets, redactTokenKeys: false),
            };
            Add(copy, key, child, secrets, ref renamed);
        }

        AddRenamed(copy, renamed);
        return copy;
    }

    private static JsonObject CopyCallData(JsonObject call, IReadOnlyList<string> secrets)
    {
        var copy = new JsonObject();
        List<KeyValuePair<string, JsonNode?>>? renamed = null;
        foreach (var (key, value) in call) Add(copy, key, Copy(value, secrets, redactTokenKeys: key == "data"), secrets, ref renamed);
        AddRenamed(copy, renamed);
        return copy;
    }

    private static JsonNode? Copy(JsonNode? node, IReadOnlyList<string> secrets, bool redactTokenKeys)
    {
        switch (node)
        {
            case JsonObject o:
            {
                var copy = new JsonObject();
                List<KeyValuePair<string, JsonNode?>>? renamed = null;
                foreach (var (key, value) in o)
                {
                    var child = redactTokenKeys && key.Equals("token", StringComparison.Ordinal)
                        ? JsonValue.Create(Scrub(Redacted, secrets))
                        : Copy(value, secrets, redactTokenKeys);
                    Add(copy, key, child, secrets, ref renamed);
                }

                AddRenamed(copy, renamed);
                return copy;
            }

            case JsonArray a:
            {
                var copy = new JsonArray();
                foreach (var item in a) copy.Add(Copy(item, secrets, redactTokenKeys));
                return copy;
            }

            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                return JsonValue.Create(Scrub(v.GetValue<string>(), secrets));
            default:
                return node?.DeepClone();
        }
    }

    private static void Add(JsonObject copy, string key, JsonNode? child, IReadOnlyList<string> secrets, ref List<KeyValuePair<string, JsonNode?>>? renamed)
    {
        var clean = Scrub(key, secrets);
        if (ReferenceEquals(clean, key)) copy[key] = child;
        else (renamed ??= []).Add(new(clean, child));
    }

    private static void AddRenamed(JsonObject copy, List<KeyValuePair<string, JsonNode?>>? renamed)
    {
        if (renamed is null) return;
        foreach (var (key, child) in renamed) copy[key] = child;
    }

    /// <summary>The secrets of an integration that must never be stored: its token and signing secrets.</summary>
    public static IReadOnlyList<string> SecretsOf(Integration? integration)
    {
        if (integration is null) return [];
        var list = new List<string>(1 + integration.SigningSecrets.Count);
        if (integration.Token.Length > 0) list.Add(integration.Token);
        list.AddRange(integration.SigningSecrets.Where(s => s.Length > 0));
        return list;
    }

    public static string Scrub(string text, IReadOnlyList<string> secrets)
    {
        foreach (var s in secrets)
        {
            if (s.Length > 0 && text.Contains(s, StringComparison.Ordinal)) text = text.Replace(s, Redacted, StringComparison.Ordinal);
        }

        return text;
    }
}
