using System.Text.RegularExpressions;

namespace ChatIntegrations.AspNetCore.Logging;

/// <summary>Finds <c>{base}/{id}/…</c> in text and replaces everything after the id segment with <c>***</c> (SEC-4).</summary>
internal sealed class HookPathRedactor
{
    private volatile string[] _bases = [];
    private volatile Regex? _pattern;

    public void AddBasePath(string basePath)
    {
        var b = basePath.TrimEnd('/');
        lock (this)
        {
            if (_bases.Contains(b, StringComparer.OrdinalIgnoreCase)) return;
            var bases = _bases.Append(b).ToArray();
            // Routing matches case-insensitively, so /HOOKS/id/token reaches the engine too.
            var alternatives = string.Join('|', bases.Select(Regex.Escape));
            _pattern = new Regex(
                $@"(?<keep>(?:{alternatives})/[^/\s?#""'<>]+/)[^\s?#""'<>]+",
                RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled);
            _bases = bases;
        }
    }

    /// <summary>A cheap pre-check: does <paramref name="text"/> mention a hooks base path followed by a slash?</summary>
    public bool Mentions(string? text)
    {
        if (string.IsNullOrEmpty(text)) return false;
        foreach (var b in _bases)
        {
            var i = text.IndexOf(b, StringComparison.OrdinalIgnoreCase);
            while (i >= 0)
            {
                var end = i + b.Length;
                if (end < text.Length && text[end] == '/') return true;
                i = text.IndexOf(b, end, StringComparison.OrdinalIgnoreCase);
            }
        }

        return false;
    }

    public string Redact(string text) => Mentions(text) && _pattern is { } p ? p.Replace(text, "${keep}***") : text;
}
