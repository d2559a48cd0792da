namespace ChatIntegrations.Messages;

/// <summary>Why a URL-valued key was refused (MSG-20, MSG-33).</summary>
internal enum UrlVerdict
{
    /// <summary>The value is kept.</summary>
    Accepted,

    /// <summary>The value has a form or scheme that is not allowed.</summary>
    NotAllowed,

    /// <summary>The value is an image <c>data:</c> URI longer than <see cref="MessageUrls.MaxDataUriLength"/>.</summary>
    DataUriTooLarge,
}

/// <summary>The URL rules of messages (MSG-20, MSG-33): an allow-list of forms, checked on the exact value. Nothing is
/// trimmed or decoded first, so a scheme hidden by white space, control characters, entities or percent-encoding never
/// matches an allowed form.</summary>
internal static class MessageUrls
{
    /// <summary>MSG-33: the longest image <c>data:</c> URI kept, in characters (ASCII only, so also bytes): 64 KiB.</summary>
    public const int MaxDataUriLength = 64 * 1024;

    private static readonly string[] ImageTypes = ["image/png", "image/jpeg", "image/gif", "image/webp", "image/svg+xml"];

    /// <summary>MSG-33: an attachment link or image key (and <c>actions[].url</c>, <c>actions[].image_url</c>) keeps an
    /// absolute <c>http</c>/<c>https</c> URL or an image <c>data:</c> URI.</summary>
    public static UrlVerdict CheckLink(string value)
    {
        if (IsHttpUrl(value)) return UrlVerdict.Accepted;
        return CheckImageDataUri(value);
    }

    /// <summary>MSG-20, MSG-33: the message <c>avatar</c> (and <c>icon_url</c>) also keeps a relative URL: a path that
    /// starts with exactly one <c>/</c>. A protocol-relative <c>//host/x</c> (or <c>/\host/x</c>) is not relative.</summary>
    public static UrlVerdict CheckAvatar(string value) => IsRelativePath(value) ? UrlVerdict.Accepted : CheckLink(value);

    /// <summary>An absolute <c>http</c>/<c>https</c> URL with a host, written without surrounding white space or any
    /// control character (the scheme in any case).</summary>
    public static bool IsHttpUrl(string value) =>
        (value.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || value.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        && IsClean(value)
        && Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && uri.Host.Length > 0;

    /// <summary>A path relative to the chat's own origin: <c>/</c> followed by something other than <c>/</c> or
    /// <c>\</c>, with no backslash (browsers read it as <c>/</c>), no control character and no surrounding white space.</summary>
    public static bool IsRelativePath(string value) =>
        value.Length >= 2 && value[0] == '/' && value[1] is not ('/' or '\\')
        && !value.Contains('\\', StringComparison.Ordinal) && IsClean(value);

    /// <summary><c>data:image/&lt;png|jpeg|gif|webp|svg+xml&gt;[;param…][;base64],&lt;data&gt;</c> of at most
    /// <see cref="MaxDataUriLength"/> characters. Parameters are <c>name</c> or <c>name=value</c> tokens; base64 data
    /// uses the standard alphabet with up to two <c>=</c>; other data is printable ASCII. Matching is case-insensitive
    /// except for the data.</summary>
    public static UrlVerdict CheckImageDataUri(string value)
    {
        if (!value.StartsWith("data:", StringComparison.OrdinalIgnoreCase)) return UrlVerdict.NotAllowed;
        var comma = value.IndexOf(',', StringComparison.Ordinal);
        if (comma < 0) return UrlVerdict.NotAllowed;
        var header = value.AsSpan(5, comma - 5);
        var data = value.AsSpan(comma + 1);

        var semicolon = header.IndexOf(';');
        var mediaType = semicolon < 0 ? header : header[..semicolon];
        var typeAllowed = false;
        foreach (var t in ImageTypes)
        {
            if (mediaType.Equals(t, StringComparison.OrdinalIgnoreCase)) typeAllowed = true;
        }

        if (!typeAllowed) return UrlVerdict.NotAllowed;

        var base64 = false;
        var parameters = semicolon < 0 ? [] : header[(semicolon + 1)..];
        while (semicolon >= 0)
        {
            semicolon = parameters.IndexOf(';');
            var p = semicolon < 0 ? parameters : parameters[..semicolon];
            if (semicolon < 0 && p.Equals("base64", StringComparison.OrdinalIgnoreCase)) base64 = true;
            else if (!IsParameter(p)) return UrlVerdict.NotAllowed;
            if (semicolon >= 0) parameters = parameters[(semicolon + 1)..];
        }

        if (data.IsEmpty) return UrlVerdict.NotAllowed;
        if (value.Length > MaxDataUriLength) return UrlVerdict.DataUriTooLarge;
        return (base64 ? IsBase64(data) : IsPrintableAscii(data)) ? UrlVerdict.Accepted : UrlVerdict.NotAllowed;
    }

    /// <summary>The reason text of a refused value, for warnings: it never contains the value (conventions: no payloads
    /// above Trace).</summary>
    public static string Describe(UrlVerdict verdict, bool avatar) => verdict switch
    {
        UrlVerdict.DataUriTooLarge => "is an image data URI longer than 64 KiB",
        _ when avatar => "is not an http(s) URL, a relative /path or an image data URI",
        _ => "is not an http(s) URL or an image data URI",
    };

    private static bool IsClean(string value)
    {
        if (char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[^1])) return false;
        foreach (var c in value)
        {
            if (char.IsControl(c)) return false; // C0, DEL and C1: never part of a URL we keep
        }

        return true;
    }

    private static bool IsParameter(ReadOnlySpan<char> p)
    {
        if (p.IsEmpty) return false;
        foreach (var c in p)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '+' or '.' or '_' or '=')) return false;
        }

        return true;
    }

    private static bool IsBase64(ReadOnlySpan<char> data)
    {
        var end = data.Length;
        while (end > 0 && data.Length - end < 2 && data[end - 1] == '=') end--;
        if (end == 0) return false;
        foreach (var c in data[..end])
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '+' or '/')) return false;
        }

        return true;
    }

    private static bool IsPrintableAscii(ReadOnlySpan<char> data)
    {
        foreach (var c in data)
        {
            if (c is < ' ' or > '~') return false;
        }

        return true;
    }
}
