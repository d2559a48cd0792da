namespace ChatIntegrations.Scripting.Jint.Compilation;

/// <summary>Turns a script source into ES5.1 code Jint can run (the front end seam).</summary>
/// <remarks>Implementations are thread-safe and never throw for bad input; they report diagnostics.</remarks>
internal interface IScriptCompiler
{
    /// <summary>Gets the ES5 runtime prelude evaluated once per realm before the script, or <see langword="null"/>.</summary>
    string? RuntimePrelude { get; }

    /// <summary>Gets a value indicating whether the emitted code already calls <c>__ci_cp()</c> (SCR-44).</summary>
    bool EmitsCheckpoints { get; }

    /// <summary>Compiles <paramref name="source"/>.</summary>
    ScriptCompilation Compile(string source, int maxSyntaxDepth);
}

/// <summary>The output of <see cref="IScriptCompiler.Compile"/>.</summary>
internal sealed class ScriptCompilation
{
    public string? Code { get; init; }

    public IReadOnlyList<ScriptDiagnostic> Diagnostics { get; init; } = [];

    /// <summary>Gets the map from a 1-based (line, column) of <see cref="Code"/> to the original source, or
    /// <see langword="null"/> when positions are the same.</summary>
    public Func<int, int, (int Line, int Column)>? MapPosition { get; init; }
}

/// <summary>Treats the source as ES5.1 (no lowering, no prelude). Used until the front end is wired, and in tests.</summary>
internal sealed class PassThroughScriptCompiler : IScriptCompiler
{
    public static PassThroughScriptCompiler Instance { get; } = new();

    public string? RuntimePrelude => null;

    public bool EmitsCheckpoints => false;

    public ScriptCompilation Compile(string source, int maxSyntaxDepth)
    {
        ArgumentNullException.ThrowIfNull(source);
        var depth = NestingScanner.FindTooDeep(source, maxSyntaxDepth);
        if (depth is { } at)
        {
            return new ScriptCompilation
            {
                Diagnostics = [new ScriptDiagnostic(at.Line, at.Column, "Nesting is deeper than MaxSyntaxDepth")],
            };
        }

        return new ScriptCompilation { Code = source };
    }
}

/// <summary>A conservative bracket-nesting scan, so that Jint's recursive parser never sees source nested deeper
/// than <c>MaxSyntaxDepth</c> (SCR-44a). Strings, template literals and comments are skipped.</summary>
internal static class NestingScanner
{
    public static (int Line, int Column)? FindTooDeep(string source, int maxDepth)
    {
        int depth = 0, line = 1, lineStart = 0;
        for (int i = 0; i < source.Length; i++)
        {
            char c = source[i];
            switch (c)
            {
                case '\n':
                    line++;
                    lineStart = i + 1;
                    break;
                case '(' or '[' or '{':
                    if (++depth > maxDepth)
                    {
                        return (line, i - lineStart + 1);
                    }

                    break;
                case ')' or ']' or '}':
                    depth = Math.Max(0, depth - 1);
                    break;
                case '"' or '\'' or '`':
                    i = SkipString(source, i, c, ref line, ref lineStart);
                    break;
                case '/' when i + 1 < source.Length && source[i + 1] == '/':
                    while (i < source.Length && source[i] != '\n')
                    {
                        i++;
                    }

                    i--;
                    break;
                case '/' when i + 1 < source.Length && source[i + 1] == '*':
                    i += 2;
                    while (i + 1 < source.Length && !(source[i] == '*' && source[i + 1] == '/'))
                    {
                        if (source[i] == '\n')
                        {
                            line++;
                            lineStart = i + 1;
                        }

                        i++;
                    }

                    i++;
                    break;
                default:
                    break;
            }
        }

        return null;
    }

    private static int SkipString(string s, int i, char quote, ref int line, ref int lineStart)
    {
        for (i++; i < s.Length; i++)
        {
            char c = s[i];
            if (c == '\\')
            {
                i++;
            }
            else if (c == quote)
            {
                return i;
            }
            else if (c == '\n')
            {
                line++;
                lineStart = i + 1;
                if (quote != '`')
                {
                    return i;
                }
            }
        }

        return i;
    }
}
