namespace ChatIntegrations.JavaScript.Lexing;

internal enum TokenKind
{
    EndOfFile,
    Identifier,
    PrivateName,
    Punctuator,
    Number,
    String,
    Template,
    RegularExpression,
}

/// <summary>One lexical token with its 1-based source position.</summary>
internal sealed class Token
{
    public TokenKind Kind { get; init; }

    /// <summary>Identifier name, punctuator text, or cooked string value.</summary>
    public string Value { get; init; } = "";

    public int Start { get; init; }

    public int End { get; init; }

    public int Line { get; init; }

    public int Column { get; init; }

    /// <summary>A line terminator precedes this token (drives ASI and restricted productions).</summary>
    public bool NewlineBefore { get; init; }

    /// <summary>The identifier contained a unicode escape, so it never acts as a keyword.</summary>
    public bool Escaped { get; init; }

    public double NumberValue { get; init; }

    /// <summary>Template: raw text of this chunk. Regex: the pattern.</summary>
    public string Raw { get; init; } = "";

    /// <summary>Template: the cooked value is undefined (invalid escape, allowed in tagged templates).</summary>
    public bool InvalidCooked { get; init; }

    /// <summary>Template: this chunk ends the template (closing backtick).</summary>
    public bool TemplateTail { get; init; }

    /// <summary>Regex: the flags.</summary>
    public string Flags { get; init; } = "";

    /// <summary>String: contains a legacy octal escape.</summary>
    public bool LegacyOctal { get; init; }

    public bool Is(string punctuator) => Kind == TokenKind.Punctuator && Value == punctuator;

    public bool IsName(string name) => Kind == TokenKind.Identifier && !Escaped && Value == name;

    public override string ToString() => Kind switch
    {
        TokenKind.EndOfFile => "end of input",
        TokenKind.String => "string",
        TokenKind.Number => "number",
        TokenKind.Template => "template",
        TokenKind.RegularExpression => "regular expression",
        TokenKind.PrivateName => "#" + Value,
        _ => Value,
    };
}
