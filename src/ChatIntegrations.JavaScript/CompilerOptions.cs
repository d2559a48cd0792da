namespace ChatIntegrations.JavaScript;

/// <summary>Options for <see cref="JavaScriptCompiler.Compile(string, CompilerOptions?)"/>.</summary>
public sealed class CompilerOptions
{
    /// <summary>Gets the maximum nesting depth of the source (SCR-44a).</summary>
    /// <value>The default is 200. Deeper sources are rejected with a diagnostic at the construct; the parser never recurses deeper.</value>
    public int MaxNestingDepth { get; init; } = 200;

    /// <summary>Gets a value indicating whether to emit <c>__ci_cp();</c> checkpoints.</summary>
    /// <value>
    /// The default is <see langword="true"/>: a call to the host-defined global <c>__ci_cp</c> is the first statement
    /// of every function body (lowered helpers included) and of every loop iteration (SCR-44).
    /// </value>
    public bool EmitCheckpoints { get; init; } = true;

    /// <summary>Gets a value indicating whether <c>async</c> functions, arrows and methods and <c>await</c> are accepted.</summary>
    /// <value>
    /// The default is <see langword="true"/>: they are lowered to a state machine driven by the prelude's promise
    /// job queue (SCR-60, SCR-62). When <see langword="false"/>, they are rejected with "Async functions are not supported".
    /// </value>
    public bool AllowAsync { get; init; } = true;

    /// <summary>Gets a value indicating whether generators (<c>function*</c>, generator methods, <c>yield</c>, <c>yield*</c>) are accepted.</summary>
    /// <value>
    /// The default is <see langword="true"/>: they are lowered with the same state machine as async functions (SCR-61).
    /// When <see langword="false"/>, they are rejected with "Generators are not supported".
    /// </value>
    public bool AllowGenerators { get; init; } = true;
}
