using System.Reflection;
using System.Runtime.CompilerServices;
using ChatIntegrations.JavaScript.Lowering;
using ChatIntegrations.JavaScript.Parsing;
using ChatIntegrations.JavaScript.Printing;

namespace ChatIntegrations.JavaScript;

/// <summary>
/// Compiles modern JavaScript (ES2022 script syntax) to ES5.1 that Jint 2.10.4 runs, keeping every statement on its
/// source line.
/// </summary>
/// <remarks>
/// A host evaluates <see cref="RuntimePrelude"/> once per realm, defines a global function <c>__ci_cp</c> (the
/// checkpoint called at every function entry and loop iteration when <see cref="CompilerOptions.EmitCheckpoints"/>
/// is set), and then evaluates <see cref="CompilationResult.Code"/>. The compiler is stateless and thread-safe.
/// </remarks>
public static class JavaScriptCompiler
{
    private const string PreludeResourceName = "ChatIntegrations.JavaScript.Runtime.Prelude.js";

    private const string UnderscoreResourceName = "ChatIntegrations.JavaScript.Runtime.Underscore.js";

    private const string UnderscoreStringResourceName = "ChatIntegrations.JavaScript.Runtime.UnderscoreString.js";

    private static readonly Lazy<string> Prelude = new(LoadPrelude);

    private static readonly Lazy<string> Underscore = new(() => LoadResource(UnderscoreResourceName));

    private static readonly Lazy<string> UnderscoreString = new(() => LoadResource(UnderscoreStringResourceName));

    /// <summary>Gets the ES5 runtime prelude: the helpers that lowered code calls and the ES2015+ polyfills.</summary>
    /// <value>ES5 source to evaluate once per realm before any lowered script.</value>
    public static string RuntimePrelude => Prelude.Value;

    /// <summary>Gets the ES5 source of the <c>_</c> helper: the underscore 1.x functions of SCR-56.</summary>
    /// <value>
    /// One ES5.1 expression whose completion value is the <c>_</c> function (with its methods and chaining wrapper).
    /// Evaluate it in a realm after <see cref="RuntimePrelude"/>, on first access to the global <c>_</c> (SCR-50),
    /// for example <c>engine.Execute(UnderscoreSource).GetCompletionValue()</c>. It needs no globals beyond the
    /// standard built-ins and the prelude, defines none, and has no <c>template</c>, <c>debounce</c>,
    /// <c>throttle</c>, <c>delay</c> or <c>defer</c>.
    /// </value>
    public static string UnderscoreSource => Underscore.Value;

    /// <summary>Gets the ES5 source of the <c>s</c> helper: the underscore.string 3.x functions of SCR-55.</summary>
    /// <value>
    /// One ES5.1 expression whose completion value is the <c>s</c> function (with its methods and wrapper).
    /// Evaluate it in a realm after <see cref="RuntimePrelude"/>, on first access to the global <c>s</c> (SCR-50),
    /// for example <c>engine.Execute(UnderscoreStringSource).GetCompletionValue()</c>. It needs no globals beyond
    /// the standard built-ins and the prelude, and defines none.
    /// </value>
    public static string UnderscoreStringSource => UnderscoreString.Value;

    /// <summary>Parses, checks and lowers <paramref name="source"/>.</summary>
    /// <param name="source">The script source.</param>
    /// <param name="options">The options, or <see langword="null"/> for the defaults.</param>
    /// <returns>The lowered code, or the diagnostics when the source is rejected (SCR-30, SCR-32).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is <see langword="null"/>.</exception>
    public static CompilationResult Compile(string source, CompilerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        options ??= new CompilerOptions();
        if (options.MaxNestingDepth < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "MaxNestingDepth must be positive.");
        }

        try
        {
            var parser = new Parser(source, options.MaxNestingDepth, options.AllowAsync, options.AllowGenerators);
            var program = parser.ParseProgram();
            var lowered = new Lowerer(parser.Names, options.EmitCheckpoints).LowerProgram(program);
            return new CompilationResult(Printer.Print(lowered), []);
        }
        catch (SyntaxErrorException ex)
        {
            return new CompilationResult(null, [Diagnostic(source, ex.Line, ex.Column, ex.Message)]);
        }
        catch (InsufficientExecutionStackException)
        {
            return new CompilationResult(null, [Diagnostic(source, 1, 1, "The script is nested too deeply")]);
        }
    }

    private static JavaScriptDiagnostic Diagnostic(string source, int line, int column, string message)
    {
        line = Math.Max(1, line);
        column = Math.Max(1, column);
        return new JavaScriptDiagnostic { Line = line, Column = column, Message = message, CodeFrame = CodeFrame(source, line, column) };
    }

    /// <summary>The source line and a caret under the column; tabs before the column are kept so the caret lines up.</summary>
    private static string CodeFrame(string source, int line, int column)
    {
        var lines = source.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n', '\r', '\u2028', '\u2029');
        if (line < 1 || line > lines.Length)
        {
            return "";
        }

        var text = lines[line - 1];
        const int MaxWidth = 160;
        var start = 0;
        if (column > MaxWidth)
        {
            start = column - (MaxWidth / 2);
        }

        var shown = text.Length - start > MaxWidth ? text.Substring(start, MaxWidth) : text[Math.Min(start, text.Length)..];
        var gutter = line.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var caretPrefix = new char[Math.Max(0, Math.Min(column - 1 - start, shown.Length))];
        for (var i = 0; i < caretPrefix.Length; i++)
        {
            caretPrefix[i] = shown[i] == '\t' ? '\t' : ' ';
        }

        return $"> {gutter} | {shown}\n  {new string(' ', gutter.Length)} | {new string(caretPrefix)}^";
    }

    private static string LoadPrelude()
    {
        using var stream = typeof(JavaScriptCompiler).Assembly.GetManifestResourceStream(PreludeResourceName)
            ?? throw new InvalidOperationException($"Embedded resource {PreludeResourceName} is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static string LoadResource(string name)
    {
        using var stream = typeof(JavaScriptCompiler).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Embedded resource {name} is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
