using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChatIntegrations.Messages;

/// <summary>Normalises attachments (MSG-30..MSG-33): every key kept, known keys type-checked.</summary>
internal static class Attachments
{
    private static readonly HashSet<string> UrlKeys = new(StringComparer.Ordinal)
    {
        "title_link", "author_link", "author_icon", "image_url", "thumb_url", "audio_url", "video_url", "footer_icon", "message_link",
    };

    private static readonly HashSet<string> StringKeys = new(StringComparer.Ordinal)
    {
        "color", "text", "pretext", "fallback", "title", "author_name", "footer",
    };

    /// <summary>Keys whose text is Slack-translated (MSG-41).</summary>
    internal static readonly string[] TranslatedKeys = ["text", "pretext", "title"];

    public static JsonObject Normalise(JsonObject source, int depth, List<string> warnings, int maxFields)
    {
        var result = new JsonObject();
        foreach (var (key, value) in source)
        {
            if (value is null) continue; // MSG-7
            switch (key)
            {
                case "msg":
                    // MSG-31: legacy msg becomes text, trimmed (text wins when both exist).
                    if (!source.ContainsKey("text") && value is JsonValue mv && mv.GetValueKind() == JsonValueKind.String)
                    {
                        var t = mv.GetValue<string>().Trim();
                        if (t.Length > 0) result["text"] = t;
                    }

                    continue;
                case "fields":
                    if (value is JsonArray fields) result["fields"] = NormaliseFields(fields, warnings, maxFields);
                    else Warn(warnings, "attachment fields is not an array and was dropped");
                    continue;
                case "attachments":
                    if (depth >= 1)
                    {
                        Warn(warnings, "attachments nested deeper than 2 were dropped");
                        continue;
                    }

                    if (value is JsonArray nested)
                    {
                        var list = new JsonArray();
                        foreach (var n in nested)
                        {
                            if (n is JsonObject no) list.Add(Normalise(no, depth + 1, warnings, maxFields));
                        }

                        result["attachments"] = list;
                    }

                    continue;
                case "collapsed":
                    if (value is JsonValue cv && cv.GetValueKind() is JsonValueKind.True or JsonValueKind.False) result[key] = cv.GetValue<bool>();
                    else Warn(warnings, "attachment collapsed is not a boolean and was dropped");
                    continue;
                case "ts":
                    if (value is JsonValue tv && tv.GetValueKind() is JsonValueKind.String or JsonValueKind.Number) result[key] = value.DeepClone();
                    continue;
                case "actions":
                    if (value is JsonArray actions) result[key] = NormaliseActions(actions, warnings);
                    continue;
            }

            if (UrlKeys.Contains(key))
            {
                // MSG-33: kept only when an http(s) URL or an image data URI; otherwise dropped, and the message still posts.
                var verdict = CheckUrl(value);
                if (verdict == UrlVerdict.Accepted) result[key] = value.GetValue<string>();
                else Warn(warnings, $"attachment {key} {MessageUrls.Describe(verdict, avatar: false)} and was dropped");
                continue;
            }

            if (StringKeys.Contains(key))
            {
                if (value is JsonValue sv && sv.GetValueKind() == JsonValueKind.String)
                {
                    // MSG-30, MSG-31: text, pretext and fallback are kept as given (leading spaces and trailing newlines
                    // included); only a legacy msg is trimmed. MSG-7: an empty string is left out.
                    var s = sv.GetValue<string>();
                    if (s.Length > 0) result[key] = s;
                }
                else
                {
                    Warn(warnings, $"attachment {key} is not a string and was dropped");
                }

                continue;
            }

            result[key] = value.DeepClone();
        }

        return result;
    }

    private static JsonArray NormaliseFields(JsonArray fields, List<string> warnings, int maxFields)
    {
        var list = new JsonArray();
        foreach (var f in fields)
        {
            if (f is not JsonObject fo) continue;
            if (list.Count >= maxFields)
            {
                Warn(warnings, $"attachment fields beyond {maxFields} were dropped"); // MSG-12
                break;
            }

            var title = fo["title"];
            var value = fo["value"];
            if (title is null || value is null) continue; // MSG-32
            var field = new JsonObject
            {
                ["title"] = Stringify(title),
                ["value"] = Stringify(value),
            };

            // MSG-32: short is kept when given (the strings "true" and "false" become booleans) and stays absent when
            // absent; any other value is dropped with a warning.
            if (fo["short"] is { } shortNode)
            {
                if (ReadShort(shortNode) is { } isShort) field["short"] = isShort;
                else Warn(warnings, "attachment field short is not a boolean or \"true\"/\"false\" and was dropped");
            }

            list.Add(field);
        }

        return list;
    }

    private static JsonArray NormaliseActions(JsonArray actions, List<string> warnings)
    {
        var list = new JsonArray();
        foreach (var a in actions)
        {
            if (a is not JsonObject ao) continue;
            var copy = (JsonObject)ao.DeepClone();
            foreach (var key in (string[])["url", "image_url"])
            {
                if (copy[key] is not { } u) continue;
                var verdict = CheckUrl(u);
                if (verdict != UrlVerdict.Accepted)
                {
                    copy.Remove(key);
                    Warn(warnings, $"action {key} {MessageUrls.Describe(verdict, avatar: false)} and was dropped"); // MSG-33
                }
            }

            list.Add(copy);
        }

        return list;
    }

    private static UrlVerdict CheckUrl(JsonNode value) =>
        value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? MessageUrls.CheckLink(v.GetValue<string>()) : UrlVerdict.NotAllowed;

    private static bool? ReadShort(JsonNode node) =>
        node is not JsonValue v ? null : v.GetValueKind() switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.String => v.GetValue<string>() switch { "true" => true, "false" => false, _ => null },
            _ => null,
        };

    /// <summary>Adds a warning once per message: a repeated cause (fifty fields, a hundred attachments) is one line.</summary>
    internal static void Warn(List<string> warnings, string warning)
    {
        if (!warnings.Contains(warning)) warnings.Add(warning);
    }

    private static string Stringify(JsonNode node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : node.ToJsonString();
}
