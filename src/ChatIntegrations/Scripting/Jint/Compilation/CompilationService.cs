using System.Security.Cryptography;
using System.Text;
using ChatIntegrations.Scripting.Jint.Runtime;
using Jint.Parser;
using Jint.Parser.Ast;

namespace ChatIntegrations.Scripting.Jint.Compilation;

/// <summary>A script compiled for Jint: the instrumented program, cached per (integration id, version, source hash)
/// (SCR-34) and shared by the rebuilt instances of that version.</summary>
internal sealed class CompiledScript(Program program, string sourceHash, Func<int, int, (int Line, int Column)>? map)
{
    public Program Program { get; } = program;

    public string SourceHash { get; } = sourceHash;

    /// <summary>Maps a 1-based position of the lowered code to the original source (SCR-31, SCR-48).</summary>
    public (int Line, int Column) Map(int line, int column) => map is null ? (line, column) : map(line, column);
}

/// <summary>Runs the front end and Jint's parser and checks the SCR-33 shape. Call on a script thread: Jint's
/// parser is recursive (SCR-43).</summary>
internal sealed class CompilationService(IScriptCompiler compiler, ScriptLimits limits)
{
    private readonly Lazy<Program?> _prelude = new(() => ParsePrelude(compiler), LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly Lazy<Program?> _underscore = new(() => ParseHelper(compiler, global::ChatIntegrations.JavaScript.JavaScriptCompiler.UnderscoreSource), LazyThreadSafetyMode.ExecutionAndPublication);
    private readonly Lazy<Program?> _underscoreString = new(() => ParseHelper(compiler, global::ChatIntegrations.JavaScript.JavaScriptCompiler.UnderscoreStringSource), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Gets the parsed, instrumented runtime prelude, or <see langword="null"/>.</summary>
    public Program? Prelude => _prelude.Value;

    /// <summary>Gets the parsed <c>_</c> helper (SCR-56), or <see langword="null"/> without a prelude.</summary>
    /// <remarks>Parsed on first use, on a script thread.</remarks>
    public Program? Underscore => _underscore.Value;

    /// <summary>Gets the parsed <c>s</c> helper (SCR-55), or <see langword="null"/> without a prelude.</summary>
    public Program? UnderscoreString => _underscoreString.Value;

    public static string Hash(string source) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(source)));

    public (CompiledScript? Script, IReadOnlyList<ScriptDiagnostic> Diagnostics) Compile(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (Encoding.UTF8.GetByteCount(source) > limits.MaxSourceBytes)
        {
            return (null, [new ScriptDiagnostic(1, 1, $"The script is larger than MaxSourceBytes ({limits.MaxSourceBytes} bytes)")]);
        }

        var compilation = compiler.Compile(source, limits.MaxSyntaxDepth);
        if (compilation.Diagnostics.Count > 0 || compilation.Code is null)
        {
            return (null, compilation.Diagnostics.Count > 0 ? compilation.Diagnostics : [new ScriptDiagnostic(1, 1, "The script could not be compiled")]);
        }

        Program program;
        try
        {
            program = new JavaScriptParser(false).Parse(compilation.Code);
        }
        catch (ParserException ex)
        {
            var (line, column) = Map(compilation.MapPosition, ex.LineNumber, Math.Max(1, ex.Column));
            return (null, [new ScriptDiagnostic(line, column, ex.Description ?? ex.Message)]);
        }

        ProgramInstrumenter.Instrument(program, insertCheckpoints: !compiler.EmitsCheckpoints);
        if (FindScriptDeclaration(program) is null)
        {
            return (null, [new ScriptDiagnostic(1, 1, "The script must declare a class named Script at top level")]);
        }

        return (new CompiledScript(program, Hash(source), compilation.MapPosition), []);
    }

    /// <summary>Finds the top-level declaration of <c>Script</c> (SCR-1, SCR-33).</summary>
    public static SyntaxNode? FindScriptDeclaration(Program program)
    {
        foreach (var statement in program.Body)
        {
            switch (statement)
            {
                case FunctionDeclaration { Id.Name: "Script" } f:
                    return f;
                case VariableDeclaration v when v.Declarations.Any(d => d.Id.Name == "Script"):
                    return v;
                case ExpressionStatement { Expression: AssignmentExpression { Left: Identifier { Name: "Script" } } } e:
                    return e;
                default:
                    break;
            }
        }

        return null;
    }

    private static (int, int) Map(Func<int, int, (int, int)>? map, int line, int column) => map is null ? (line, column) : map(line, column);

    private static Program? ParseHelper(IScriptCompiler compiler, string source)
    {
        if (string.IsNullOrEmpty(compiler.RuntimePrelude))
        {
            return null;
        }

        var program = new JavaScriptParser(false).Parse(source);
        ProgramInstrumenter.Instrument(program, insertCheckpoints: true);
        return program;
    }

    private static Program? ParsePrelude(IScriptCompiler compiler)
    {
        if (string.IsNullOrEmpty(compiler.RuntimePrelude))
        {
            return null;
        }

        var program = new JavaScriptParser(false).Parse(compiler.RuntimePrelude);
        ProgramInstrumenter.Instrument(program, insertCheckpoints: true);
        return program;
    }
}
