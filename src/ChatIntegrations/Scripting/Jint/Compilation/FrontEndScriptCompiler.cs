using ChatIntegrations.JavaScript;

namespace ChatIntegrations.Scripting.Jint.Compilation;

/// <summary>The ES2022 → ES5.1 front end (<see cref="JavaScriptCompiler"/>), which emits checkpoints and keeps every
/// statement on its source line (so line numbers map one to one).</summary>
internal sealed class FrontEndScriptCompiler : IScriptCompiler
{
    public static FrontEndScriptCompiler Instance { get; } = new();

    public string? RuntimePrelude => JavaScriptCompiler.RuntimePrelude;

    public bool EmitsCheckpoints => true;

    public ScriptCompilation Compile(string source, int maxSyntaxDepth)
    {
        // Generators are synchronous and run as they are. Async functions need the host's job loop (SCR-62), which
        // this host does not run yet, so they stay refused by name at save time (SCR-32).
        var result = JavaScriptCompiler.Compile(source, new CompilerOptions
        {
            MaxNestingDepth = maxSyntaxDepth,
            EmitCheckpoints = true,
            AllowAsync = false,
            AllowGenerators = true,
        });
        return new ScriptCompilation
        {
            Code = result.Code,
            Diagnostics = result.Diagnostics.Select(d => new ScriptDiagnostic(d.Line, d.Column, d.Message)).ToList(),
        };
    }
}
