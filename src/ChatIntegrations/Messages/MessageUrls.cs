using System.Buffers.Text;

namespace ChatIntegrations.Messages;

/// <summary>
/// Which URL values a message keeps (MSG-33, MSG-20): links and images as Rocket.Chat accepts them, without the
/// schemes that run code.
/// </summary>
/// <remarks>
/// <para>An attachment link or image key keeps an absolute <c>http</c>/<c>https</c> URL or an inline image,
/// <c>data:image/(png|jpeg|gif|webp|svg+xml)[;param…][;base64],…</c> of at most <see cref="MaxDataUriChars"/>
/// characters (real scripts, such as the GitLab hooks, ship their icons that way). Anything else is dropped:
/// <c>javascript:</c>, <c>vbscript:</c>, <c>file:</c>, other <c>data:</c> types, relative or scheme-less text.</para>
/// <para>The message avatar (<c>avatar</c>, <c>icon_url</c>) also keeps a path on the host's own server
/// (<c>/avatar/x.png</c>): one leading <c>/</c>, never <c>//host</c> or <c>/\host</c> (which a browser reads as
/// another host), no whitespace or control characters.</para>
/// <para>Values are taken as given: no trimming, so a scheme hidden behind leading whitespace or control
/// characters is not an absolute URL and is dropped.</para>
/// </remarks>
internal static class MessageUrls
{
    /// <summary>The longest inline image kept, in characters of the whole <c>data:</c> URI (64 KiB).</summary>
    public const int MaxDataUriChars = 64 * 1024;

    private static readonly string[] ImageTypes = ["image/png", "image/jpeg", "image/gif", "image/webp", "image/svg+xml"];

    /// <summary>Whether an attachment link or image key (<c>title_link</c>, <c>image_url</c>, <c>actions[].url</c> …)
    /// keeps <paramref name="value"/> (MSG-33).</summary>
    public static bool IsLinkOrImage(string value) => IsHttpUrl(value) || IsDataImage(value);

    /// <summary>Whether the message avatar keeps <paramref name="value"/> (MSG-20, MSG-33).</summary>
    public static bool IsAvatar(string value) => IsLinkOrImage(value) || IsServerPath(value);

    /// <summary>An absolute <c>http</c> or <c>https</c> URL with a host.</summary>
    public static bool IsHttpUrl(string value) =>
        value.Length > 0 && !char.IsWhiteSpace(value[0]) && !char.IsControl(value[0])
        && Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.Host.Length > 0;

    /// <summary>A <c>data:</c> URI of one of the image types, within <see cref="MaxDataUriChars"/>, whose payload is
    /// valid base64 (with <c>;base64</c>) or has no whitespace or control characters.</summary>
    public static bool IsDataImage(string value)
    {
        if (value.Length > MaxDataUriChars || !value.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        int comma = value.IndexOf(',', StringComparison.Ordinal);
        if (comma < 0)
        {
            return false;
        }

        var header = value.AsSpan(5, comma - 5);
        var payload = value.AsSpan(comma + 1);
        int semicolon = header.IndexOf(';');
        var mediaType = semicolon < 0 ? header : header[..semicolon];
        bool known = false;
        foreach (var type in ImageTypes)
        {
            known |= mediaType.Equals(type, StringComparison.OrdinalIgnoreCase);
        }

        if (!known || payload.IsEmpty)
        {
            return false;
        }

        bool base64 = false;
        var parameters = semicolon < 0 ? [] : header[(semicolon + 1)..];
        while (!parameters.IsEmpty)
        {
            int next = parameters.IndexOf(';');
            var parameter = next < 0 ? parameters : parameters[..next];
            if (parameter.Equals("base64", StringComparison.OrdinalIgnoreCase))
            {
                base64 = true;
            }
            else if (parameter.IsEmpty || parameter.ContainsAnyExcept(ParameterChars))
            {
                return false;
            }

            parameters = next < 0 ? [] : parameters[(next + 1)..];
        }

        return base64 ? Base64.IsValid(payload) && !payload.ContainsAny(" \t\r\n") : !ContainsWhiteSpaceOrControl(payload);
    }

    /// <summary>A path on the host's own server: <c>/x</c>, never <c>//x</c> or <c>/\x</c>.</summary>
    public static bool IsServerPath(string value) =>
        value.Length > 1 && value[0] == '/' && value[1] is not '/' and not '\\' && !ContainsWhiteSpaceOrControl(value);

    private static readonly System.Buffers.SearchValues<char> ParameterChars =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789=-._+");

    private static bool ContainsWhiteSpaceOrControl(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                return true;
            }
        }

        return false;
    }
}
