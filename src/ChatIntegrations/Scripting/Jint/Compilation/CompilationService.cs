using System.Security.Cryptography;
using System.Text;
using ChatIntegrations.Scripting.Jint.Runtime;
using Jint.Parser;
using Jint.Parser.Ast;

namespace ChatIntegrations.Scripting.Jint.Compilation;

/// <summary>A script compiled for Jint: the instrumented, compacted program, shared by the rebuilt instances of one
/// (integration id, version) while any of them is loaded (SCR-34).</summary>
internal sealed class CompiledScript(Program program, LoweredScript lowered, int nodes, IReadOnlyList<StateBody> stateBodies)
{
    public Program Program { get; } = program;

    /// <summary>Gets the state functions of the program's async functions, indexed by <c>__ci.asyncAt</c>.</summary>
    public IReadOnlyList<StateBody> StateBodies { get; } = stateBodies;

    /// <summary>Gets the output of the front end this program was parsed from.</summary>
    public LoweredScript Lowered { get; } = lowered;

    public string SourceHash => Lowered.SourceHash;

    /// <summary>Gets the number of AST nodes, the measure of the program's retained size (see <see cref="Instances.InstanceSizeEstimate"/>).</summary>
    public int Nodes { get; } = nodes;

    /// <summary>Maps a 1-based position of the lowered code to the original source (SCR-31, SCR-48).</summary>
    public (int Line, int Column) Map(int line, int column) => Lowered.Map(line, column);
}

/// <summary>
/// The front end's output for one source (ES5.1 code and its position map), the form cached per (integration id,
/// version, source hash) for the life of the integration (SCR-34).
/// </summary>
/// <remarks>
/// The Jint AST of a script is many times larger than its code (SCR-2), so the cache keeps it only while something
/// uses it: the <see cref="CompiledScript"/> is held strongly by the instance slots of that version and weakly here.
/// When it has been collected (every instance of the integration was evicted), the next instantiation parses this
/// lowered code again with Jint's parser. The front end (lexing, parsing, lowering of the source) never runs again,
/// which is what SCR-34 guards: that work, and the source-level diagnostics, are the expensive and fallible part;
/// re-parsing ES5.1 that parsed before is deterministic and costs about as much as the instantiation that follows it.
/// </remarks>
internal sealed class LoweredScript(string code, string sourceHash, Func<int, int, (int Line, int Column)>? map, bool insertCheckpoints)
{
    private readonly WeakReference<CompiledScript?> _parsed = new(null);

    public string Code { get; } = code;

    public string SourceHash { get; } = sourceHash;

    /// <summary>Gets a value indicating whether <see cref="ProgramInstrumenter"/> inserts the checkpoints (SCR-44).</summary>
    public bool InsertCheckpoints { get; } = insertCheckpoints;

    public (int Line, int Column) Map(int line, int column) => map is null ? (line, column) : map(line, column);

    /// <summary>Gets the parsed program while an instance still holds it.</summary>
    public CompiledScript? Parsed => _parsed.TryGetTarget(out var parsed) ? parsed : null;

    internal void Remember(CompiledScript parsed) => _parsed.SetTarget(parsed);
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

        var lowered = new LoweredScript(compilation.Code, Hash(source), compilation.MapPosition, insertCheckpoints: !compiler.EmitsCheckpoints);
        Program program;
        try
        {
            program = new JavaScriptParser(false).Parse(lowered.Code);
        }
        catch (ParserException ex)
        {
            var (line, column) = lowered.Map(ex.LineNumber, Math.Max(1, ex.Column));
            return (null, [new ScriptDiagnostic(line, column, ex.Description ?? ex.Message)]);
        }

        var stateBodies = ProgramInstrumenter.Instrument(program, lowered.InsertCheckpoints, stateBodies: true);
        if (FindScriptDeclaration(program) is null)
        {
            return (null, [new ScriptDiagnostic(1, 1, "The script must declare a class named Script at top level")]);
        }

        var compiled = new CompiledScript(program, lowered, AstCompactor.Compact(program), stateBodies);
        lowered.Remember(compiled);
        return (compiled, []);
    }

    /// <summary>Gets the program of <paramref name="lowered"/>: the one still in use, or a new parse of the lowered code
    /// (never the front end, SCR-34). Call on a script thread (SCR-43).</summary>
    public static CompiledScript Parse(LoweredScript lowered)
    {
        ArgumentNullException.ThrowIfNull(lowered);
        if (lowered.Parsed is { } parsed)
        {
            return parsed;
        }

        // The code parsed and passed the SCR-33 shape check when it was first compiled.
        var program = new JavaScriptParser(false).Parse(lowered.Code);
        var stateBodies = ProgramInstrumenter.Instrument(program, lowered.InsertCheckpoints, stateBodies: true);
        parsed = new CompiledScript(program, lowered, AstCompactor.Compact(program), stateBodies);
        lowered.Remember(parsed);
        return parsed;
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

    private static Program? ParseHelper(IScriptCompiler compiler, string source)
    {
        if (string.IsNullOrEmpty(compiler.RuntimePrelude))
        {
            return null;
        }

        var program = new JavaScriptParser(false).Parse(source);
        ProgramInstrumenter.Instrument(program, insertCheckpoints: true);
        AstCompactor.Compact(program);
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
        AstCompactor.Compact(program);
        return program;
    }
}
