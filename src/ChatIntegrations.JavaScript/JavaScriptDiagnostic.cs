namespace ChatIntegrations.JavaScript;

/// <summary>A syntax error or unsupported construct in the original source (SCR-30, SCR-31, SCR-32).</summary>
public sealed class JavaScriptDiagnostic
{
    /// <summary>Gets the 1-based line in the original source.</summary>
    public int Line { get; init; }

    /// <summary>Gets the 1-based column in UTF-16 code units; a tab counts as one column.</summary>
    public int Column { get; init; }

    /// <summary>Gets the message, for example <c>Unexpected token ';'</c> or <c>Generators are not supported</c>.</summary>
    public string Message { get; init; } = "";

    /// <summary>Gets the offending source line followed by a line with a caret under the column.</summary>
    public string CodeFrame { get; init; } = "";

    /// <inheritdoc/>
    public override string ToString() => $"({Line},{Column}): {Message}";
}
