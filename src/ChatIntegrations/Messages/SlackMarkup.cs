using System.Text;

namespace ChatIntegrations.Messages;

/// <summary>Translates Slack markup into Rocket.Chat markdown (MSG-40, MSG-41), never inside code.</summary>
internal static class SlackMarkup
{
    public static bool MayContainMarkup(string text) => text.Contains('<');

    /// <summary>Collects the user ids of <c>&lt;@U123&gt;</c> mentions outside code.</summary>
    public static void CollectUserIds(string text, HashSet<string> into)
    {
        if (!MayContainMarkup(text)) return;
        Walk(text, (token, sb) =>
        {
            if (token.StartsWith('@'))
            {
                var id = token[1..];
                var bar = id.IndexOf('|');
                into.Add(bar >= 0 ? id[..bar] : id);
            }

            return false;
        }, null);
    }

    public static string Translate(string text, IReadOnlyDictionary<string, string>? usernames)
    {
        if (!MayContainMarkup(text)) return text;
        var sb = new StringBuilder(text.Length);
        Walk(text, (token, output) => TranslateToken(token, output!, usernames), sb);
        return sb.ToString();
    }

    private static bool TranslateToken(string token, StringBuilder sb, IReadOnlyDictionary<string, string>? usernames)
    {
        var bar = token.IndexOf('|');
        var target = bar >= 0 ? token[..bar] : token;
        var label = bar >= 0 ? token[(bar + 1)..] : null;
        if (target.StartsWith("http://", StringComparison.OrdinalIgnoreCase) ||
            target.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ||
            target.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase))
        {
            if (string.IsNullOrEmpty(label)) sb.Append(target);
            else sb.Append('[').Append(label).Append("](").Append(target).Append(')');
            return true;
        }

        switch (target)
        {
            case "!here":
                sb.Append("@here");
                return true;
            case "!channel":
            case "!everyone":
                sb.Append("@all");
                return true;
        }

        if (target.StartsWith('@') && target.Length > 1)
        {
            if (usernames is not null && usernames.TryGetValue(target[1..], out var username))
            {
                sb.Append('@').Append(username);
                return true;
            }

            return false;
        }

        if (target.StartsWith('#') && target.Length > 1 && !string.IsNullOrEmpty(label))
        {
            sb.Append('#').Append(label);
            return true;
        }

        return false;
    }

    /// <summary>Visits each <c>&lt;…&gt;</c> token outside inline code and fenced blocks. The callback appends a
    /// replacement and returns true, or returns false to keep the token as written.</summary>
    private static void Walk(string text, Func<string, StringBuilder?, bool> onToken, StringBuilder? output)
    {
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '`')
            {
                // Fenced block or inline code: copy through to the matching fence.
                var fence = text.AsSpan(i).StartsWith("```") ? "```" : "`";
                var end = text.IndexOf(fence, i + fence.Length, StringComparison.Ordinal);
                var stop = end < 0 ? text.Length : end + fence.Length;
                output?.Append(text, i, stop - i);
                i = stop;
                continue;
            }

            if (c == '<')
            {
                var close = text.IndexOf('>', i + 1);
                var nextOpen = text.IndexOf('<', i + 1);
                if (close > i + 1 && (nextOpen < 0 || nextOpen > close) && text.IndexOf('\n', i, close - i) < 0)
                {
                    var token = text.Substring(i + 1, close - i - 1);
                    if (!onToken(token, output)) output?.Append(text, i, close - i + 1);
                    i = close + 1;
                    continue;
                }
            }

            output?.Append(c);
            i++;
        }
    }
}
