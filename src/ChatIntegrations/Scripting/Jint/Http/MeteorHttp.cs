using System.Text;

namespace ChatIntegrations.Scripting.Jint.Http;

/// <summary>Meteor-compatible helpers shared by the <c>HTTP</c> helper and outgoing responses (SCR-26, SCR-27).</summary>
internal static class MeteorHttp
{
    /// <summary>SCR-26: <c>failed [&lt;status&gt;]</c>, then a space and the body with <c>\n</c> as spaces, cut to 500
    /// characters plus <c>...</c>, only when the body is not empty.</summary>
    public static string FailureMessage(int statusCode, string? body)
    {
        var text = new StringBuilder("failed [").Append(statusCode).Append(']');
        if (!string.IsNullOrEmpty(body))
        {
            var flat = body.Replace('\n', ' ');
            text.Append(' ').Append(flat.Length > 500 ? string.Concat(flat.AsSpan(0, 500), "...") : flat);
        }

        return text.ToString();
    }

    /// <summary>SCR-27: whether a media type's body is parsed as JSON.</summary>
    public static bool IsJsonMediaType(string? mediaType)
    {
        if (string.IsNullOrEmpty(mediaType))
        {
            return false;
        }

        var m = mediaType.Trim().ToLowerInvariant();
        return m is "application/json" or "text/javascript" or "application/javascript" or "application/x-javascript"
            || m.EndsWith("+json", StringComparison.Ordinal);
    }

    /// <summary>Percent-encodes pairs as <c>application/x-www-form-urlencoded</c>.</summary>
    public static string FormEncode(IEnumerable<KeyValuePair<string, string>> pairs) =>
        string.Join('&', pairs.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));

    /// <summary>Appends an encoded query to a URL, keeping its fragment out of the way.</summary>
    public static string AppendQuery(string url, string query)
    {
        if (string.IsNullOrEmpty(query))
        {
            return url;
        }

        int hash = url.IndexOf('#', StringComparison.Ordinal);
        string fragment = hash >= 0 ? url[hash..] : string.Empty;
        string head = hash >= 0 ? url[..hash] : url;
        string join = head.Contains('?', StringComparison.Ordinal) ? (head.EndsWith('?') || head.EndsWith('&') ? string.Empty : "&") : "?";
        return head + join + query + fragment;
    }
}
