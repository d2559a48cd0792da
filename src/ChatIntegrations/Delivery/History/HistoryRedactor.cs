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

    /// <summary>A redacted copy of an attempt's history document, made in one pass (SEC-16): <c>token</c> keys at any
    /// depth of <c>data</c> and of <c>httpCallData.data</c> are redacted, and every occurrence of
    /// <paramref name="secrets"/> in every string (keys included) is replaced. The original is not changed.</summary>
    /// <remarks>A key that contains a secret is renamed and moved after the other keys of its object.</remarks>
    public static JsonObject RedactedCopy(JsonObject document, IReadOnlyList<string> secrets) =>
        (JsonObject)Copy(document, secrets, Part.Document)!;

    /// <summary>Redacts an attempt's history document where it stands, with exactly the result of
    /// <see cref="RedactedCopy"/> (SEC-16): only the nodes that change are replaced, so a document without secrets
    /// outside its <c>token</c> keys costs two new values.</summary>
    public static void RedactInPlace(JsonObject document, IReadOnlyList<string> secrets) => Redact(document, secrets, Part.Document);

    /// <summary>Whether <paramref name="json"/>, a document serialised with the default encoder, may hold one of
    /// <paramref name="secrets"/> in a string or a key. It cannot be missed: the encoder escapes character by character,
    /// so a string holding a secret is written with the secret's own encoded form in it; a false alarm only costs the
    /// full redaction.</summary>
    public static bool MayContainSecret(string json, IReadOnlyList<string> secrets)
    {
        foreach (var secret in secrets)
        {
            if (secret.Length == 0) continue;
            if (json.Contains(secret, StringComparison.Ordinal)) return true;
            var encoded = JsonEncodedText.Encode(secret).Value;
            if (!encoded.Equals(secret, StringComparison.Ordinal) && json.Contains(encoded, StringComparison.Ordinal)) return true;
        }

        return false;
    }

    /// <summary>Where a node stands in a history document, which decides whether its <c>token</c> keys are redacted.</summary>
    private enum Part
    {
        Plain,
        TokenKeys,
        CallData,
        Document,
    }

    private static Part ChildPart(Part parent, string key) => parent switch
    {
        Part.Document => key switch { "data" => Part.TokenKeys, "httpCallData" => Part.CallData, _ => Part.Plain },
        Part.CallData => key == "data" ? Part.TokenKeys : Part.Plain,
        _ => parent,
    };

    private static JsonNode? Copy(JsonNode? node, IReadOnlyList<string> secrets, Part part)
    {
        switch (node)
        {
            case JsonObject o:
            {
                var copy = new JsonObject();
                List<KeyValuePair<string, JsonNode?>>? renamed = null;
                foreach (var (key, value) in o)
                {
                    var child = part == Part.TokenKeys && key.Equals("token", StringComparison.Ordinal)
                        ? JsonValue.Create(Scrub(Redacted, secrets))
                        : Copy(value, secrets, ChildPart(part, key));
                    Add(copy, key, child, secrets, ref renamed);
                }

                AddRenamed(copy, renamed);
                return copy;
            }

            case JsonArray a:
            {
                var copy = new JsonArray();
                var itemPart = part == Part.TokenKeys ? Part.TokenKeys : Part.Plain;
                foreach (var item in a) copy.Add(Copy(item, secrets, itemPart));
                return copy;
            }

            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                return JsonValue.Create(Scrub(v.GetValue<string>(), secrets));
            default:
                return node?.DeepClone();
        }
    }

    /// <summary>Redacts <paramref name="node"/> where it stands; returns the node to put in its place (itself unless it is
    /// a string value that changes).</summary>
    private static JsonNode? Redact(JsonNode? node, IReadOnlyList<string> secrets, Part part)
    {
        if (secrets.Count == 0 && part == Part.Plain) return node; // nothing below can change
        switch (node)
        {
            case JsonObject o:
            {
                // An object cannot change while it is enumerated: the changes are collected, then applied in order.
                List<(string Key, JsonNode? Value)>? replaced = null;
                List<(string Key, string Clean, JsonNode? Value)>? renamed = null;
                foreach (var (key, value) in o)
                {
                    var child = part == Part.TokenKeys && key.Equals("token", StringComparison.Ordinal)
                        ? JsonValue.Create(Scrub(Redacted, secrets))
                        : Redact(value, secrets, ChildPart(part, key));
                    var clean = Scrub(key, secrets);
                    if (!ReferenceEquals(clean, key)) (renamed ??= []).Add((key, clean, child));
                    else if (!ReferenceEquals(child, value)) (replaced ??= []).Add((key, child));
                }

                if (replaced is not null)
                {
                    foreach (var (key, child) in replaced) o[key] = child;
                }

                if (renamed is not null)
                {
                    // As in the copy: a renamed key moves after the other keys of its object.
                    foreach (var (key, _, _) in renamed) o.Remove(key);
                    foreach (var (_, clean, child) in renamed) o[clean] = child; // removed above, so without a parent
                }

                return o;
            }

            case JsonArray a:
            {
                var itemPart = part == Part.TokenKeys ? Part.TokenKeys : Part.Plain;
                for (var i = 0; i < a.Count; i++)
                {
                    var item = a[i];
                    var clean = Redact(item, secrets, itemPart);
                    if (!ReferenceEquals(clean, item)) a[i] = clean;
                }

                return a;
            }

            case JsonValue v when secrets.Count > 0 && v.GetValueKind() == JsonValueKind.String:
            {
                var text = v.GetValue<string>();
                var clean = Scrub(text, secrets);
                return ReferenceEquals(clean, text) ? v : JsonValue.Create(clean);
            }

            default:
                return node;
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
