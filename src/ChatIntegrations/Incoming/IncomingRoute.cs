namespace ChatIntegrations.Incoming;

/// <summary>A parsed webhook route (IN-3, IN-7).</summary>
internal readonly record struct IncomingRoute(string IntegrationId, string Token, string? UserId, bool IsInfo)
{
    /// <summary>Parses <paramref name="path"/> relative to <paramref name="basePath"/>; segments are percent-decoded.</summary>
    public static IncomingRoute? Parse(string path, string basePath)
    {
        var b = basePath.TrimEnd('/');
        if (!path.StartsWith(b, StringComparison.OrdinalIgnoreCase)) return null;
        var rest = path[b.Length..];
        if (rest.Length == 0 || rest[0] != '/') return null;
        rest = rest.Trim('/'); // IN-3: a trailing slash is tolerated.
        if (rest.Length == 0) return null;
        var raw = rest.Split('/');
        var seg = new string[raw.Length];
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i].Length == 0) return null;
            try
            {
                seg[i] = Uri.UnescapeDataString(raw[i]);
            }
            catch (UriFormatException)
            {
                return null;
            }
        }

        var info = seg[0] == "info";
        if (info) seg = seg[1..];
        else if (seg[0] is "sample" or "add" or "remove") return null; // IN-7: reserved

        return seg.Length switch
        {
            2 => new IncomingRoute(seg[0], seg[1], null, info),
            3 => new IncomingRoute(seg[0], seg[2], seg[1], info),
            _ => null,
        };
    }

    /// <summary>The path with the token segment replaced by <c>***</c> (SEC-4).</summary>
    public static string Redact(string path, string basePath)
    {
        var b = basePath.TrimEnd('/');
        if (!path.StartsWith(b, StringComparison.OrdinalIgnoreCase)) return "***";
        var rest = path[b.Length..].Trim('/');
        var seg = rest.Split('/');
        if (seg.Length >= 2) seg[^1] = "***";
        return b + "/" + string.Join('/', seg);
    }
}
