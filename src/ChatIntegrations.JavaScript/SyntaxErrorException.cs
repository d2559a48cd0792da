namespace ChatIntegrations.JavaScript;

/// <summary>Raised by the lexer, parser and lowering on the first error; turned into a diagnostic.</summary>
internal sealed class SyntaxErrorException : Exception
{
    public SyntaxErrorException(int line, int column, string message)
        : base(message)
    {
        Line = line;
        Column = column;
    }

    public int Line { get; }

    public int Column { get; }
}
