using System.Text;

namespace ChatIntegrations.Incoming;

/// <summary>Reads the text fields of a <c>multipart/form-data</c> body (RFC 7578; IN-13). File parts are skipped.</summary>
/// <remarks>
/// <para>A part is a file when its <c>Content-Disposition</c> has a <c>filename</c> (or <c>filename*</c>), or when its
/// <c>Content-Type</c> is not text (<c>text/*</c>, JSON or none). Text parts are decoded with their own
/// <c>charset</c>, else with the value of a <c>_charset_</c> field (RFC 7578 §4.6), else as UTF-8; a BOM is removed.
/// The <c>_charset_</c> field itself is not a field of the result.</para>
/// <para>Line breaks may be CRLF (as the RFC says) or bare LF (as hand-written bodies have). The preamble and the
/// epilogue are ignored. Everything else that breaks the format answers 400 <c>error-invalid-multipart</c> with a
/// message that says what is wrong; nothing is guessed.</para>
/// </remarks>
internal static class MultipartFormReader
{
    /// <summary>The error code of a malformed body.</summary>
    public const string InvalidMultipart = "error-invalid-multipart";

    private const int MaxBoundaryLength = 70; // RFC 2046 §5.1.1

    private readonly record struct Part(string Name, int Start, int Length, string? Charset);

    /// <summary>Reads the text fields of <paramref name="body"/>, in order.</summary>
    public static (List<KeyValuePair<string, string>>? Fields, BodyParseError? Error) Read(ReadOnlySpan<byte> body, string? contentType)
    {
        var (_, parameters) = HeaderParameters.Parse(contentType);
        if (!parameters.TryGetValue("boundary", out var boundary) || boundary.Length == 0)
        {
            return Invalid("the Content-Type has no boundary parameter");
        }

        if (boundary.Length > MaxBoundaryLength || boundary.EndsWith(' ') || !boundary.All(IsBoundaryChar))
        {
            return Invalid("the boundary parameter is not a valid boundary (RFC 2046: 1 to 70 letters, digits or '()+_,-./:=? and spaces, not ending with a space)");
        }

        var delimiter = Encoding.ASCII.GetBytes("--" + boundary);
        var cursor = body.StartsWith(delimiter) && EndsDelimiterLine(body, delimiter.Length) ? 0 : FindDelimiter(body, 0, delimiter);
        if (cursor < 0) return Invalid("the body has no line with the opening boundary");

        var parts = new List<Part>();
        string? defaultCharset = null;
        while (true)
        {
            var after = cursor + delimiter.Length;
            if (body[after..].StartsWith("--"u8)) break; // the close delimiter; the epilogue is ignored
            var contentStart = SkipToNextLine(body, after);
            var next = FindDelimiter(body, contentStart, delimiter);
            if (next < 0) return Invalid($"part {parts.Count + 1} is not followed by a boundary line; the body ends before the closing boundary");
            var contentEnd = next - 1; // the line feed before the delimiter belongs to it
            if (contentEnd > contentStart && body[contentEnd - 1] == (byte)'\r') contentEnd--;

            var (part, error) = ReadPart(body, contentStart, Math.Max(contentStart, contentEnd), parts.Count + 1);
            if (error is not null) return (null, error);
            if (part is { } p)
            {
                if (p.Name == "_charset_")
                {
                    defaultCharset = Encoding.ASCII.GetString(body.Slice(p.Start, p.Length)).Trim();
                }
                else
                {
                    parts.Add(p);
                }
            }

            cursor = next;
        }

        Encoding? fallback = Encoding.UTF8;
        if (defaultCharset is not null && (fallback = BodyParser.ResolveCharset(defaultCharset)) is null)
        {
            return (null, new BodyParseError(415, "error-unsupported-charset", $"the _charset_ field names an unsupported charset: {defaultCharset}"));
        }

        var fields = new List<KeyValuePair<string, string>>(parts.Count);
        foreach (var p in parts)
        {
            var encoding = fallback;
            if (p.Charset is not null && (encoding = BodyParser.ResolveCharset(p.Charset)) is null)
            {
                return (null, new BodyParseError(415, "error-unsupported-charset", $"field '{p.Name}' has an unsupported charset: {p.Charset}"));
            }

            fields.Add(new(p.Name, BodyParser.Decode(body.Slice(p.Start, p.Length), encoding)));
        }

        return (fields, null);
    }

    /// <summary>Reads one part's headers: a text field, <see langword="null"/> for a file, or an error.</summary>
    private static (Part? Part, BodyParseError? Error) ReadPart(ReadOnlySpan<byte> body, int start, int end, int number)
    {
        var content = body[start..end];
        int headersLength, bodyOffset;
        if (content.StartsWith("\r\n"u8)) (headersLength, bodyOffset) = (0, 2);
        else if (content.StartsWith("\n"u8)) (headersLength, bodyOffset) = (0, 1);
        else
        {
            var crlf = content.IndexOf("\r\n\r\n"u8);
            var lf = content.IndexOf("\n\n"u8);
            if (crlf < 0 && lf < 0) return (null, Malformed($"part {number} has no empty line after its headers"));
            (headersLength, bodyOffset) = lf >= 0 && (crlf < 0 || lf < crlf) ? (lf, lf + 2) : (crlf, crlf + 4);
        }

        string? disposition = null, type = null, transferEncoding = null;
        foreach (var line in Unfold(Encoding.UTF8.GetString(content[..headersLength])))
        {
            var colon = line.IndexOf(':');
            if (colon <= 0) return (null, Malformed($"part {number} has a header line without a name and a colon"));
            var name = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            if (name.Equals("Content-Disposition", StringComparison.OrdinalIgnoreCase)) disposition ??= value;
            else if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)) type ??= value;
            else if (name.Equals("Content-Transfer-Encoding", StringComparison.OrdinalIgnoreCase)) transferEncoding ??= value;
        }

        var (kind, parameters) = HeaderParameters.Parse(disposition);
        if (kind != "form-data") return (null, Malformed($"part {number} has no 'Content-Disposition: form-data' header"));
        if (!parameters.TryGetValue("name", out var fieldName)) return (null, Malformed($"part {number} has no field name"));
        if (parameters.ContainsKey("filename") || parameters.ContainsKey("filename*")) return (null, null);

        var (mediaType, typeParameters) = HeaderParameters.Parse(type);
        if (mediaType.Length > 0 && !mediaType.StartsWith("text/", StringComparison.Ordinal) && mediaType != "application/json"
            && !mediaType.EndsWith("+json", StringComparison.Ordinal))
        {
            return (null, null); // not text: a file sent without a file name
        }

        if (transferEncoding is not null && transferEncoding.ToLowerInvariant() is not ("7bit" or "8bit" or "binary"))
        {
            return (null, new BodyParseError(415, "error-unsupported-encoding", $"field '{fieldName}' has Content-Transfer-Encoding {transferEncoding}; RFC 7578 form data is sent as it is"));
        }

        typeParameters.TryGetValue("charset", out var charset);
        return (new Part(fieldName, start + bodyOffset, end - start - bodyOffset, charset), null);
    }

    /// <summary>The header lines of a part, with obsolete folded lines joined to the line they continue.</summary>
    private static List<string> Unfold(string headers)
    {
        var lines = new List<string>();
        foreach (var raw in headers.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length > 0 && (line[0] is ' ' or '\t') && lines.Count > 0) lines[^1] += " " + line.Trim();
            else if (line.Length > 0) lines.Add(line);
        }

        return lines;
    }

    /// <summary>The index of the next delimiter that starts a line at or after <paramref name="from"/>, or -1.</summary>
    private static int FindDelimiter(ReadOnlySpan<byte> body, int from, ReadOnlySpan<byte> delimiter)
    {
        var i = from;
        while (i < body.Length)
        {
            var found = body[i..].IndexOf(delimiter);
            if (found < 0) return -1;
            var at = i + found;
            if (at >= from && at > 0 && body[at - 1] == (byte)'\n' && EndsDelimiterLine(body, at + delimiter.Length)) return at;
            i = at + 1;
        }

        return -1;
    }

    /// <summary>Whether what follows a delimiter makes it one: <c>--</c> (the close), or blanks and a line break.</summary>
    private static bool EndsDelimiterLine(ReadOnlySpan<byte> body, int i)
    {
        if (body[i..].StartsWith("--"u8)) return true;
        while (i < body.Length && body[i] is (byte)' ' or (byte)'\t') i++;
        return i < body.Length && (body[i] == (byte)'\n' || (body[i] == (byte)'\r' && i + 1 < body.Length && body[i + 1] == (byte)'\n'));
    }

    /// <summary>The index after the line break that ends a delimiter line (its validity was checked when it was found).</summary>
    private static int SkipToNextLine(ReadOnlySpan<byte> body, int i)
    {
        while (body[i] != (byte)'\n') i++;
        return i + 1;
    }

    private static bool IsBoundaryChar(char c) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '\'' or '(' or ')' or '+' or '_' or ',' or '-' or '.' or '/' or ':' or '=' or '?' or ' ';

    private static (List<KeyValuePair<string, string>>? Fields, BodyParseError? Error) Invalid(string message) => (null, Malformed(message));

    private static BodyParseError Malformed(string message) => new(400, InvalidMultipart, message);
}
