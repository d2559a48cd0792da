namespace ChatIntegrations.JavaScript;

/// <summary>The outcome of <see cref="JavaScriptCompiler.Compile(string, CompilerOptions?)"/>.</summary>
public sealed class CompilationResult
{
    internal CompilationResult(string? code, IReadOnlyList<JavaScriptDiagnostic> diagnostics)
    {
        Code = code;
        Diagnostics = diagnostics;
    }

    /// <summary>Gets a value indicating whether the source compiled.</summary>
    public bool Success => Code is not null;

    /// <summary>Gets the lowered ES5 code, with every statement on its source line; <see langword="null"/> on failure.</summary>
    public string? Code { get; }

    /// <summary>Gets the diagnostics; empty on success.</summary>
    public IReadOnlyList<JavaScriptDiagnostic> Diagnostics { get; }
}
