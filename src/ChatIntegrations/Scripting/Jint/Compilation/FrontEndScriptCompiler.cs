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
        // Generators run as they are; async functions run on the host's job loop (SCR-62).
        var result = JavaScriptCompiler.Compile(source, new CompilerOptions
        {
            MaxNestingDepth = maxSyntaxDepth,
            EmitCheckpoints = true,
            AllowAsync = true,
            AllowGenerators = true,
        });
        return new ScriptCompilation
        {
            Code = result.Code,
            Diagnostics = result.Diagnostics.Select(d => new ScriptDiagnostic(d.Line, d.Column, d.Message)).ToList(),
        };
    }
}
