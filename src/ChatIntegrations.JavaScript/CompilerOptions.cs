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
}
