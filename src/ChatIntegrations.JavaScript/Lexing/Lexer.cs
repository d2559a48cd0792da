using System.Globalization;
using System.Text;

namespace ChatIntegrations.JavaScript.Lexing;

/// <summary>
/// On-demand scanner. The parser decides the goal symbol: it asks for a regular expression where an expression
/// may start (<see cref="RescanAsRegex"/>) and for a template continuation after a substitution's closing brace
/// (<see cref="RescanTemplateContinuation"/>).
/// </summary>
internal sealed class Lexer
{
    private static readonly string[] Punctuators =
    [
        ">>>=", "...", "===", "!==", "**=", "<<=", ">>=", ">>>", "&&=", "||=", "??=",
        "=>", "==", "!=", "<=", ">=", "&&", "||", "??", "?.", "++", "--", "+=", "-=", "*=", "/=", "%=", "&=", "|=",
        "^=", "<<", ">>", "**",
        "{", "}", "(", ")", "[", "]", ";", ",", "<", ">", "+", "-", "*", "/", "%", "&", "|", "^", "!", "~", "?",
        ":", "=", ".", "@",
    ];

    /// <summary>Identifiers the runtime owns.</summary>
    public const string ReservedPrefix = "__ci";

    private readonly string _src;
    private int _pos;
    private int _line = 1;
    private int _lineStart;

    public Lexer(string source)
    {
        _src = source;
        if (_src.StartsWith("#!", StringComparison.Ordinal))
        {
            while (_pos < _src.Length && !IsLineTerminator(_src[_pos]))
            {
                _pos++;
            }
        }
    }

    public string Source => _src;

    /// <summary>Every identifier name seen, so that lowering can pick fresh names that never clash.</summary>
    public HashSet<string> Names { get; } = new(StringComparer.Ordinal);

    public (int Pos, int Line, int LineStart) Save() => (_pos, _line, _lineStart);

    public void Restore((int Pos, int Line, int LineStart) state) => (_pos, _line, _lineStart) = state;

    public static bool IsLineTerminator(char c) => c is '\n' or '\r' or '\u2028' or '\u2029';

    public static bool IsIdentifierStart(char c) => c is '$' or '_' || char.IsLetter(c) ||
        char.GetUnicodeCategory(c) == UnicodeCategory.LetterNumber;

    public static bool IsIdentifierPart(char c) => IsIdentifierStart(c) || char.IsDigit(c) || c is '\u200c' or '\u200d' ||
        char.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or
            UnicodeCategory.DecimalDigitNumber or UnicodeCategory.ConnectorPunctuation;

    public Token Next()
    {
        var newline = SkipTrivia();
        if (_pos >= _src.Length)
        {
            return Make(TokenKind.EndOfFile, "", _pos, newline);
        }

        var start = _pos;
        var c = _src[_pos];
        if (IsIdentifierStart(c) || c == '\\')
        {
            var (name, escaped) = ReadIdentifierName();
            if (name.StartsWith(ReservedPrefix, StringComparison.Ordinal))
            {
                // The __ci* names belong to the runtime (helpers, the host's __ci_cp checkpoint). A script cannot
                // shadow or replace them: its own identifiers with that prefix are renamed.
                name = "$" + name;
            }

            Names.Add(name);
            return new Token
            {
                Kind = TokenKind.Identifier, Value = name, Start = start, End = _pos, Line = _line,
                Column = start - _lineStart + 1, NewlineBefore = newline, Escaped = escaped,
            };
        }

        if (c == '#')
        {
            _pos++;
            if (_pos < _src.Length && (IsIdentifierStart(_src[_pos]) || _src[_pos] == '\\'))
            {
                var (name, _) = ReadIdentifierName();
                return new Token
                {
                    Kind = TokenKind.PrivateName, Value = name, Start = start, End = _pos, Line = _line,
                    Column = start - _lineStart + 1, NewlineBefore = newline,
                };
            }

            throw Error(start, "Unexpected character '#'");
        }

        if (char.IsDigit(c) || (c == '.' && _pos + 1 < _src.Length && char.IsDigit(_src[_pos + 1])))
        {
            return ReadNumber(newline);
        }

        if (c is '"' or '\'')
        {
            return ReadString(newline);
        }

        if (c == '`')
        {
            _pos++;
            return ReadTemplateChunk(start, newline);
        }

        foreach (var p in Punctuators)
        {
            if (string.CompareOrdinal(_src, _pos, p, 0, p.Length) == 0)
            {
                // `?.` followed by a digit is a conditional with a number (a?.5:b).
                if (p == "?." && _pos + 2 < _src.Length && char.IsDigit(_src[_pos + 2]))
                {
                    continue;
                }

                _pos += p.Length;
                return Make(TokenKind.Punctuator, p, start, newline);
            }
        }

        throw Error(start, $"Unexpected character '{c}'");
    }

    /// <summary>Re-reads <paramref name="slash"/> (a '/' or '/=' token) as a regular expression literal.</summary>
    public Token RescanAsRegex(Token slash)
    {
        _pos = slash.Start + 1;
        var inClass = false;
        var pattern = new StringBuilder();
        while (true)
        {
            if (_pos >= _src.Length || IsLineTerminator(_src[_pos]))
            {
                throw Error(slash.Start, "Unterminated regular expression");
            }

            var c = _src[_pos++];
            if (c == '\\')
            {
                if (_pos >= _src.Length || IsLineTerminator(_src[_pos]))
                {
                    throw Error(slash.Start, "Unterminated regular expression");
                }

                pattern.Append(c).Append(_src[_pos++]);
                continue;
            }

            if (c == '[')
            {
                inClass = true;
            }
            else if (c == ']')
            {
                inClass = false;
            }
            else if (c == '/' && !inClass)
            {
                break;
            }

            pattern.Append(c);
        }

        var flagsStart = _pos;
        while (_pos < _src.Length && IsIdentifierPart(_src[_pos]))
        {
            _pos++;
        }

        var flags = _src[flagsStart.._pos];
        for (var i = 0; i < flags.Length; i++)
        {
            var f = flags[i];
            if (f is 'u' or 'y' or 'd' or 'v')
            {
                // SCR-61: these flags are rejected by name.
                throw Error(slash.Start, $"Regular expression flag '{f}' is not supported");
            }

            if (f is not ('g' or 'i' or 'm' or 's') || flags.IndexOf(f, i + 1) >= 0)
            {
                throw Error(flagsStart + i, $"Invalid regular expression flags '{flags}'");
            }
        }

        return new Token
        {
            Kind = TokenKind.RegularExpression, Value = _src[slash.Start.._pos], Raw = pattern.ToString(),
            Flags = flags, Start = slash.Start, End = _pos, Line = slash.Line, Column = slash.Column,
            NewlineBefore = slash.NewlineBefore,
        };
    }

    /// <summary>Continues a template after the '}' that closes a substitution.</summary>
    public Token RescanTemplateContinuation(Token closeBrace)
    {
        _pos = closeBrace.Start + 1;
        return ReadTemplateChunk(closeBrace.Start, closeBrace.NewlineBefore, closeBrace.Line, closeBrace.Column);
    }

    public SyntaxErrorException Error(int offset, string message)
    {
        // Recompute the position from the offset; errors are rare so a scan is fine.
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < offset && i < _src.Length; i++)
        {
            var ch = _src[i];
            if (IsLineTerminator(ch))
            {
                if (ch == '\r' && i + 1 < _src.Length && _src[i + 1] == '\n')
                {
                    i++;
                }

                line++;
                lineStart = i + 1;
            }
        }

        return new SyntaxErrorException(line, offset - lineStart + 1, message);
    }

    private Token Make(TokenKind kind, string value, int start, bool newline) => new()
    {
        Kind = kind, Value = value, Start = start, End = _pos, Line = _line, Column = start - _lineStart + 1,
        NewlineBefore = newline,
    };

    private void NewLine(char c)
    {
        if (c == '\r' && _pos < _src.Length && _src[_pos] == '\n')
        {
            _pos++;
        }

        _line++;
        _lineStart = _pos;
    }

    private bool SkipTrivia()
    {
        var newline = false;
        while (_pos < _src.Length)
        {
            var c = _src[_pos];
            if (IsLineTerminator(c))
            {
                _pos++;
                NewLine(c);
                newline = true;
            }
            else if (c is ' ' or '\t' or '\v' or '\f' or '\u00a0' or '\ufeff' || char.GetUnicodeCategory(c) == UnicodeCategory.SpaceSeparator)
            {
                _pos++;
            }
            else if (c == '/' && _pos + 1 < _src.Length && _src[_pos + 1] == '/')
            {
                SkipLineComment();
            }
            else if (c == '/' && _pos + 1 < _src.Length && _src[_pos + 1] == '*')
            {
                var start = _pos;
                _pos += 2;
                while (true)
                {
                    if (_pos >= _src.Length)
                    {
                        throw Error(start, "Unterminated comment");
                    }

                    var ch = _src[_pos++];
                    if (ch == '*' && _pos < _src.Length && _src[_pos] == '/')
                    {
                        _pos++;
                        break;
                    }

                    if (IsLineTerminator(ch))
                    {
                        NewLine(ch);
                        newline = true;
                    }
                }
            }
            else if (c == '<' && string.CompareOrdinal(_src, _pos, "<!--", 0, 4) == 0)
            {
                SkipLineComment();
            }
            else if (c == '-' && (newline || _pos == 0) && string.CompareOrdinal(_src, _pos, "-->", 0, 3) == 0)
            {
                SkipLineComment();
            }
            else
            {
                break;
            }
        }

        return newline;
    }

    private void SkipLineComment()
    {
        while (_pos < _src.Length && !IsLineTerminator(_src[_pos]))
        {
            _pos++;
        }
    }

    private (string Name, bool Escaped) ReadIdentifierName()
    {
        var sb = new StringBuilder();
        var escaped = false;
        while (_pos < _src.Length)
        {
            var c = _src[_pos];
            if (c == '\\')
            {
                if (_pos + 1 >= _src.Length || _src[_pos + 1] != 'u')
                {
                    throw Error(_pos, "Invalid identifier escape");
                }

                var at = _pos;
                _pos += 2;
                var cp = ReadUnicodeEscapeBody(at);
                sb.Append(cp <= 0xFFFF ? ((char)cp).ToString() : char.ConvertFromUtf32(cp));
                escaped = true;
            }
            else if (sb.Length == 0 ? IsIdentifierStart(c) : IsIdentifierPart(c))
            {
                sb.Append(c);
                _pos++;
            }
            else if (char.IsHighSurrogate(c) && _pos + 1 < _src.Length && char.IsLetter(_src, _pos))
            {
                sb.Append(c).Append(_src[_pos + 1]);
                _pos += 2;
            }
            else
            {
                break;
            }
        }

        return (sb.ToString(), escaped);
    }

    private int ReadUnicodeEscapeBody(int at)
    {
        if (_pos < _src.Length && _src[_pos] == '{')
        {
            var close = _src.IndexOf('}', _pos);
            if (close < 0 || !int.TryParse(_src.AsSpan(_pos + 1, close - _pos - 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var cp) || cp > 0x10FFFF)
            {
                throw Error(at, "Invalid Unicode escape sequence");
            }

            _pos = close + 1;
            return cp;
        }

        if (_pos + 4 > _src.Length || !int.TryParse(_src.AsSpan(_pos, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var v))
        {
            throw Error(at, "Invalid Unicode escape sequence");
        }

        _pos += 4;
        return v;
    }

    private Token ReadNumber(bool newline)
    {
        var start = _pos;
        double value;
        if (_src[_pos] == '0' && _pos + 1 < _src.Length && "xXoObB".Contains(_src[_pos + 1], StringComparison.Ordinal))
        {
            var radix = char.ToLowerInvariant(_src[_pos + 1]) switch { 'x' => 16, 'o' => 8, _ => 2 };
            _pos += 2;
            var digits = ReadDigits(radix);
            if (digits.Length == 0)
            {
                throw Error(start, "Invalid number");
            }

            value = 0;
            foreach (var d in digits)
            {
                value = (value * radix) + Convert.ToInt32(d.ToString(), 16);
            }
        }
        else if (_src[_pos] == '0' && _pos + 1 < _src.Length && char.IsDigit(_src[_pos + 1]))
        {
            // Legacy octal (sloppy mode) or a decimal with a leading zero.
            var digits = ReadDigits(10);
            if (digits.All(d => d < '8'))
            {
                value = 0;
                foreach (var d in digits)
                {
                    value = (value * 8) + (d - '0');
                }
            }
            else
            {
                value = double.Parse(digits, CultureInfo.InvariantCulture);
            }
        }
        else
        {
            var text = new StringBuilder(ReadDigits(10));
            if (_pos < _src.Length && _src[_pos] == '.')
            {
                _pos++;
                text.Append('.').Append(ReadDigits(10));
            }

            if (_pos < _src.Length && _src[_pos] is 'e' or 'E')
            {
                var save = _pos;
                _pos++;
                var exp = new StringBuilder("e");
                if (_pos < _src.Length && _src[_pos] is '+' or '-')
                {
                    exp.Append(_src[_pos++]);
                }

                var ed = ReadDigits(10);
                if (ed.Length == 0)
                {
                    _pos = save;
                    throw Error(start, "Invalid number");
                }

                text.Append(exp).Append(ed);
            }

            var t = text.ToString();
            if (t.StartsWith('.'))
            {
                t = "0" + t;
            }

            if (t.EndsWith('.'))
            {
                t += "0";
            }

            value = double.Parse(t, NumberStyles.Float, CultureInfo.InvariantCulture);
        }

        if (_pos < _src.Length && _src[_pos] == 'n')
        {
            throw Error(start, "BigInt literals are not supported");
        }

        if (_pos < _src.Length && (IsIdentifierStart(_src[_pos]) || char.IsDigit(_src[_pos])))
        {
            throw Error(_pos, "Invalid or unexpected token");
        }

        return new Token
        {
            Kind = TokenKind.Number, Value = _src[start.._pos], NumberValue = value, Start = start, End = _pos,
            Line = _line, Column = start - _lineStart + 1, NewlineBefore = newline,
        };
    }

    private string ReadDigits(int radix)
    {
        var sb = new StringBuilder();
        while (_pos < _src.Length)
        {
            var c = _src[_pos];
            if (c == '_' && sb.Length > 0 && _pos + 1 < _src.Length && IsDigitOf(_src[_pos + 1], radix))
            {
                _pos++; // numeric separator
                continue;
            }

            if (!IsDigitOf(c, radix))
            {
                break;
            }

            sb.Append(c);
            _pos++;
        }

        return sb.ToString();
    }

    private static bool IsDigitOf(char c, int radix) => radix switch
    {
        2 => c is '0' or '1',
        8 => c is >= '0' and <= '7',
        10 => c is >= '0' and <= '9',
        _ => char.IsAsciiHexDigit(c),
    };

    private Token ReadString(bool newline)
    {
        var start = _pos;
        var quote = _src[_pos++];
        var sb = new StringBuilder();
        var legacyOctal = false;
        while (true)
        {
            if (_pos >= _src.Length || _src[_pos] is '\n' or '\r')
            {
                throw Error(start, "Unterminated string constant");
            }

            var c = _src[_pos++];
            if (c == quote)
            {
                break;
            }

            if (c == '\\')
            {
                legacyOctal |= ReadEscape(sb, inTemplate: false) == EscapeResult.LegacyOctal;
            }
            else
            {
                sb.Append(c);
            }
        }

        return new Token
        {
            Kind = TokenKind.String, Value = sb.ToString(), Raw = _src[start.._pos], Start = start, End = _pos, Line = _line,
            Column = start - _lineStart + 1, NewlineBefore = newline, LegacyOctal = legacyOctal,
        };
    }

    private enum EscapeResult
    {
        Ok,
        LegacyOctal,
        Invalid,
    }

    /// <summary>Reads the escape after a backslash (already consumed) into <paramref name="sb"/>.</summary>
    private EscapeResult ReadEscape(StringBuilder sb, bool inTemplate)
    {
        var at = _pos - 1;
        if (_pos >= _src.Length)
        {
            throw Error(at, "Unterminated string constant");
        }

        var c = _src[_pos++];
        switch (c)
        {
            case 'n': sb.Append('\n'); return EscapeResult.Ok;
            case 't': sb.Append('\t'); return EscapeResult.Ok;
            case 'r': sb.Append('\r'); return EscapeResult.Ok;
            case 'b': sb.Append('\b'); return EscapeResult.Ok;
            case 'f': sb.Append('\f'); return EscapeResult.Ok;
            case 'v': sb.Append('\v'); return EscapeResult.Ok;
            case '\r':
                if (_pos < _src.Length && _src[_pos] == '\n')
                {
                    _pos++;
                }

                NewLine('\n');
                return EscapeResult.Ok;
            case '\n' or '\u2028' or '\u2029':
                NewLine(c);
                return EscapeResult.Ok;
            case 'x':
                if (_pos + 2 <= _src.Length && int.TryParse(_src.AsSpan(_pos, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var hx))
                {
                    _pos += 2;
                    sb.Append((char)hx);
                    return EscapeResult.Ok;
                }

                if (inTemplate)
                {
                    return EscapeResult.Invalid;
                }

                throw Error(at, "Invalid hexadecimal escape sequence");
            case 'u':
                {
                    var save = _pos;
                    try
                    {
                        var cp = ReadUnicodeEscapeBody(at);
                        sb.Append(cp <= 0xFFFF ? ((char)cp).ToString() : char.ConvertFromUtf32(cp));
                        return EscapeResult.Ok;
                    }
                    catch (SyntaxErrorException) when (inTemplate)
                    {
                        _pos = save;
                        return EscapeResult.Invalid;
                    }
                }

            default:
                if (c is >= '0' and <= '7')
                {
                    if (c == '0' && (_pos >= _src.Length || !char.IsDigit(_src[_pos])))
                    {
                        sb.Append('\0');
                        return EscapeResult.Ok;
                    }

                    if (inTemplate)
                    {
                        return EscapeResult.Invalid;
                    }

                    var v = c - '0';
                    var max = c <= '3' ? 2 : 1;
                    for (var i = 0; i < max && _pos < _src.Length && _src[_pos] is >= '0' and <= '7'; i++)
                    {
                        v = (v * 8) + (_src[_pos++] - '0');
                    }

                    sb.Append((char)v);
                    return EscapeResult.LegacyOctal;
                }

                if (c is '8' or '9' && inTemplate)
                {
                    return EscapeResult.Invalid;
                }

                sb.Append(c);
                return EscapeResult.Ok;
        }
    }

    private Token ReadTemplateChunk(int start, bool newline, int line = 0, int column = 0)
    {
        if (line == 0)
        {
            line = _line;
            column = start - _lineStart + 1;
        }

        var cooked = new StringBuilder();
        var raw = new StringBuilder();
        var invalid = false;
        while (true)
        {
            if (_pos >= _src.Length)
            {
                throw Error(start, "Unterminated template literal");
            }

            var c = _src[_pos];
            if (c == '`')
            {
                _pos++;
                return Chunk(tail: true);
            }

            if (c == '$' && _pos + 1 < _src.Length && _src[_pos + 1] == '{')
            {
                _pos += 2;
                return Chunk(tail: false);
            }

            if (c == '\\')
            {
                var escStart = _pos;
                _pos++;
                if (ReadEscape(cooked, inTemplate: true) == EscapeResult.Invalid)
                {
                    invalid = true;
                }

                raw.Append(_src, escStart, _pos - escStart);
                continue;
            }

            _pos++;
            if (c == '\r')
            {
                // Template raw and cooked values normalise CRLF and CR to LF.
                if (_pos < _src.Length && _src[_pos] == '\n')
                {
                    _pos++;
                }

                _line++;
                _lineStart = _pos;
                cooked.Append('\n');
                raw.Append('\n');
                continue;
            }

            if (IsLineTerminator(c))
            {
                _line++;
                _lineStart = _pos;
            }

            cooked.Append(c);
            raw.Append(c);
        }

        Token Chunk(bool tail) => new()
        {
            Kind = TokenKind.Template, Value = cooked.ToString(), Raw = raw.ToString()
                .Replace("\r\n", "\n", StringComparison.Ordinal), InvalidCooked = invalid, TemplateTail = tail,
            Start = start, End = _pos, Line = line, Column = column, NewlineBefore = newline,
        };
    }
}
