using System.Text;
using System.Text.Json.Nodes;

namespace ChatIntegrations.Incoming;

/// <summary>The classification of a parsed body (IN-15).</summary>
internal enum BodyKind
{
    Empty,
    Object,
    NonObjectJson,
    Unparseable,
}

/// <summary>A parsed incoming body.</summary>
internal sealed record ParsedBody(BodyKind Kind, JsonObject? Object, JsonNode? Value, string RawText)
{
    public static readonly ParsedBody EmptyBody = new(BodyKind.Empty, null, null, "");
}

/// <summary>A parse failure that decides the answer (IN-10, IN-11, IN-18).</summary>
internal sealed record BodyParseError(int Status, string Error, string? Message = null);

/// <summary>Decodes and parses incoming bodies (IN-10..IN-18).</summary>
internal static class BodyParser
{
    public static (ParsedBody? Body, BodyParseError? Error) Parse(ReadOnlySpan<byte> raw, string? contentType, string? contentEncoding, int maxJsonDepth)
    {
        // IN-10: the engine never decompresses.
        if (!string.IsNullOrWhiteSpace(contentEncoding) && !contentEncoding.Trim().Equals("identity", StringComparison.OrdinalIgnoreCase))
        {
            return (null, new BodyParseError(415, "error-unsupported-encoding"));
        }

        var (mediaType, charset) = SplitContentType(contentType);
        Encoding encoding;
        if (charset is null)
        {
            encoding = Encoding.UTF8;
        }
        else
        {
            var e = ResolveCharset(charset);
            if (e is null) return (null, new BodyParseError(415, "error-unsupported-charset"));
            encoding = e;
        }

        var text = Decode(raw, encoding);
        if (string.IsNullOrWhiteSpace(text)) return (ParsedBody.EmptyBody with { RawText = text }, null);

        if (IsJsonMediaType(mediaType))
        {
            return ParseJson(text, maxJsonDepth, strict: true);
        }

        if (mediaType == "application/x-www-form-urlencoded")
        {
            return ParseForm(text, maxJsonDepth);
        }

        if (mediaType == "multipart/form-data")
        {
            // IN-13: text fields as in IN-12.1 and IN-12.3; content_raw is the whole body.
            var (fields, error) = MultipartFormReader.Read(raw, contentType);
            return error is not null ? (null, error) : FromFields(fields!, text, maxJsonDepth);
        }

        // IN-14: anything else (or nothing): try JSON when it looks like JSON.
        if (LooksLikeJson(text))
        {
            var (body, error) = ParseJson(text, maxJsonDepth, strict: false);
            if (error is not null && error.Error == "error-json-too-deep") return (null, error);
            if (body is not null) return (body, null);
        }

        return (new ParsedBody(BodyKind.Unparseable, null, null, text), null);
    }

    private static (ParsedBody?, BodyParseError?) ParseForm(string text, int maxJsonDepth)
    {
        var fields = ParseUrlEncoded(text);

        // IN-12.2: JSON sent with the form type.
        if (!(fields.Count == 1 && fields[0].Key == "payload") && !text.StartsWith("payload=", StringComparison.Ordinal) && LooksLikeJson(text))
        {
            return ParseJson(text, maxJsonDepth, strict: true);
        }

        return FromFields(fields, text, maxJsonDepth);
    }

    /// <summary>Form fields as a body: one <c>payload</c> field is JSON (IN-12.1), else a flat object (IN-12.3).</summary>
    private static (ParsedBody?, BodyParseError?) FromFields(List<KeyValuePair<string, string>> fields, string text, int maxJsonDepth)
    {
        // IN-12.1: exactly one key, payload → Slack style JSON.
        if (fields.Count == 1 && fields[0].Key == "payload")
        {
            return ParseJson(fields[0].Value, maxJsonDepth, strict: true, rawText: text);
        }

        // IN-12.3: a flat object of strings; a repeated key gives an array.
        var obj = new JsonObject();
        foreach (var (k, v) in fields)
        {
            if (obj.TryGetPropertyValue(k, out var existing))
            {
                if (existing is JsonArray arr)
                {
                    arr.Add(v);
                }
                else
                {
                    obj[k] = new JsonArray(existing?.DeepClone(), v);
                }
            }
            else
            {
                obj[k] = v;
            }
        }

        return (obj.Count == 0
            ? new ParsedBody(BodyKind.Empty, null, null, text)
            : new ParsedBody(BodyKind.Object, obj, obj, text), null);
    }

    private static (ParsedBody?, BodyParseError?) ParseJson(string json, int maxJsonDepth, bool strict, string? rawText = null)
    {
        var outcome = JsonReaderHelper.Parse(json, maxJsonDepth);
        switch (outcome.Status)
        {
            case JsonParseStatus.TooDeep:
                return (null, new BodyParseError(400, "error-json-too-deep"));
            case JsonParseStatus.Invalid:
                return strict ? (null, new BodyParseError(400, "error-invalid-json", outcome.Error)) : (null, null);
        }

        var raw = rawText ?? json;
        return outcome.Value is JsonObject o
            ? (new ParsedBody(BodyKind.Object, o, o, raw), null)
            : (new ParsedBody(BodyKind.NonObjectJson, null, outcome.Value, raw), null);
    }

    internal static List<KeyValuePair<string, string>> ParseUrlEncoded(string text)
    {
        var list = new List<KeyValuePair<string, string>>();
        foreach (var part in text.Split('&'))
        {
            if (part.Length == 0) continue;
            var eq = part.IndexOf('=');
            var k = eq < 0 ? part : part[..eq];
            var v = eq < 0 ? "" : part[(eq + 1)..];
            list.Add(new(UrlDecode(k), UrlDecode(v)));
        }

        return list;
    }

    internal static string UrlDecode(string s) => Uri.UnescapeDataString(s.Replace('+', ' '));

    internal static bool LooksLikeJson(string text)
    {
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c)) continue;
            return c is '{' or '[';
        }

        return false;
    }

    private static bool IsJsonMediaType(string? mediaType) =>
        mediaType is not null && (mediaType == "application/json" || mediaType.EndsWith("+json", StringComparison.Ordinal));

    private static (string? MediaType, string? Charset) SplitContentType(string? contentType)
    {
        var (media, parameters) = HeaderParameters.Parse(contentType);
        return (media.Length == 0 ? null : media, parameters.GetValueOrDefault("charset"));
    }

    internal static Encoding? ResolveCharset(string charset) => charset.ToLowerInvariant() switch
    {
        "utf-8" or "utf8" => Encoding.UTF8,
        "us-ascii" or "ascii" => Encoding.ASCII,
        "iso-8859-1" or "latin1" or "iso8859-1" => Encoding.Latin1,
        "utf-16" or "utf-16le" => Encoding.Unicode,
        "utf-16be" => Encoding.BigEndianUnicode,
        _ => null,
    };

    internal static string Decode(ReadOnlySpan<byte> raw, Encoding encoding)
    {
        // A BOM is removed (IN-10); a UTF-16 BOM also tells the byte order.
        if (raw.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) return Encoding.UTF8.GetString(raw[3..]);
        if (raw.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE])) return Encoding.Unicode.GetString(raw[2..]);
        if (raw.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF])) return Encoding.BigEndianUnicode.GetString(raw[2..]);
        return encoding.GetString(raw);
    }
}
