namespace ChatIntegrations.Incoming;

/// <summary>Splits a header value such as <c>form-data; name="text"</c> or <c>multipart/form-data; boundary=x</c>
/// into its lower-cased leading value and its parameters (RFC 9110 §5.6.6; quoted strings with backslash escapes).</summary>
internal static class HeaderParameters
{
    /// <summary>Parses <paramref name="header"/>. Parameter names compare case-insensitively; when a name repeats, the
    /// first occurrence wins, so two readers of one ambiguous header cannot disagree on which one counts.</summary>
    public static (string Value, Dictionary<string, string> Parameters) Parse(string? header)
    {
        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (string.IsNullOrEmpty(header)) return ("", parameters);
        var semicolon = header.IndexOf(';');
        var value = (semicolon < 0 ? header : header[..semicolon]).Trim().ToLowerInvariant();
        var i = semicolon < 0 ? header.Length : semicolon + 1;
        while (i < header.Length)
        {
            while (i < header.Length && (header[i] is ' ' or '\t' or ';')) i++;
            var nameStart = i;
            while (i < header.Length && header[i] is not ('=' or ';')) i++;
            var name = header[nameStart..i].Trim();
            var parameterValue = "";
            if (i < header.Length && header[i] == '=')
            {
                i++;
                while (i < header.Length && (header[i] is ' ' or '\t')) i++;
                if (i < header.Length && header[i] == '"')
                {
                    var chars = new System.Text.StringBuilder();
                    for (i++; i < header.Length && header[i] != '"'; i++)
                    {
                        if (header[i] == '\\' && i + 1 < header.Length) i++;
                        chars.Append(header[i]);
                    }

                    i++; // the closing quote (or the end)
                    while (i < header.Length && header[i] != ';') i++; // anything after a quoted string is not part of it
                    parameterValue = chars.ToString();
                }
                else
                {
                    var start = i;
                    while (i < header.Length && header[i] != ';') i++;
                    parameterValue = header[start..i].Trim();
                }
            }

            if (name.Length > 0) parameters.TryAdd(name, parameterValue);
        }

        return (value, parameters);
    }
}
