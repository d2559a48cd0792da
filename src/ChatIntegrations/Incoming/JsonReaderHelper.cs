using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChatIntegrations.Incoming;

/// <summary>
/// Builds a <see cref="JsonNode"/> tree from UTF-8 JSON in one iterative pass: bounded depth (IN-18) without
/// recursion, duplicate keys resolved as "last wins", and a readable position on failure.
/// </summary>
internal static class JsonReaderHelper
{
    public static JsonParseOutcome Parse(ReadOnlySpan<byte> utf8, int maxDepth)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions
        {
            // The reader's own limit stays above ours so that we report too-deep ourselves.
            MaxDepth = maxDepth + 2,
            CommentHandling = JsonCommentHandling.Disallow,
            AllowTrailingCommas = false,
        });
        var stack = new Stack<(JsonNode Container, string? PendingKey)>();
        JsonNode? root = null;
        var rootSet = false;
        string? key = null;
        try
        {
            while (reader.Read())
            {
                JsonNode? value;
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        key = reader.GetString();
                        continue;
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        if (reader.CurrentDepth >= maxDepth) return JsonParseOutcome.TooDeep;
                        JsonNode container = reader.TokenType == JsonTokenType.StartObject ? new JsonObject() : new JsonArray();
                        Attach(container);
                        stack.Push((container, null));
                        key = null;
                        continue;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        stack.Pop();
                        continue;
                    case JsonTokenType.String:
                        value = JsonValue.Create(reader.GetString());
                        break;
                    case JsonTokenType.Number:
                        value = reader.TryGetInt64(out var l) ? JsonValue.Create(l) : JsonValue.Create(reader.GetDouble());
                        break;
                    case JsonTokenType.True:
                        value = JsonValue.Create(true);
                        break;
                    case JsonTokenType.False:
                        value = JsonValue.Create(false);
                        break;
                    case JsonTokenType.Null:
                        value = null;
                        break;
                    default:
                        continue;
                }

                Attach(value);
            }
        }
        catch (JsonException ex)
        {
            var line = (ex.LineNumber ?? 0) + 1;
            var col = (ex.BytePositionInLine ?? 0) + 1;
            return JsonParseOutcome.Invalid($"Unexpected token at line {line}, column {col}: {Describe(ex.Message)}");
        }

        if (!rootSet) return JsonParseOutcome.Invalid("Unexpected end of JSON input");
        return JsonParseOutcome.Ok(root);

        void Attach(JsonNode? node)
        {
            if (stack.Count == 0)
            {
                root = node;
                rootSet = true;
                return;
            }

            var parent = stack.Peek().Container;
            if (parent is JsonObject obj)
            {
                obj[key!] = node; // IN-18: a duplicated key, last occurrence wins.
                key = null;
            }
            else
            {
                ((JsonArray)parent).Add(node);
            }
        }
    }

    private static string Describe(string message)
    {
        // System.Text.Json messages end with a path/position suffix we already report.
        var i = message.IndexOf(" Path:", StringComparison.Ordinal);
        var text = i > 0 ? message[..i] : message;
        return text.Length > 200 ? text[..200] : text;
    }

    public static JsonParseOutcome Parse(string text, int maxDepth)
    {
        var max = Encoding.UTF8.GetMaxByteCount(text.Length);
        var rented = ArrayPool<byte>.Shared.Rent(max);
        try
        {
            var n = Encoding.UTF8.GetBytes(text, rented);
            return Parse(rented.AsSpan(0, n), maxDepth);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}

internal readonly record struct JsonParseOutcome(JsonParseStatus Status, JsonNode? Value, string? Error)
{
    public static JsonParseOutcome TooDeep => new(JsonParseStatus.TooDeep, null, null);

    public static JsonParseOutcome Invalid(string error) => new(JsonParseStatus.Invalid, null, error);

    public static JsonParseOutcome Ok(JsonNode? value) => new(JsonParseStatus.Ok, value, null);
}

internal enum JsonParseStatus
{
    Ok,
    Invalid,
    TooDeep,
}
