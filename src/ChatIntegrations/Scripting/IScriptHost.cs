using System.Text.Json.Nodes;

namespace ChatIntegrations;

/// <summary>
/// Validates, compiles and runs integration scripts (<c>class Script</c> with its hook methods) under the limits of
/// the scripts specification (SCR-*).
/// </summary>
/// <remarks>
/// Implementations must support concurrent calls. Calls for the same (integration id, version) never overlap
/// (SCR-3); the implementation serialises them. Implementations report script failures as results, never as
/// exceptions; an exception thrown by an implementation is treated by the engine as an <c>exception</c> limit hit.
/// </remarks>
public interface IScriptHost
{
    /// <summary>Parses and prepares <paramref name="source"/> and checks the hooks required for
    /// <paramref name="integrationType"/> (SCR-30..SCR-35). Nothing is cached or stored.</summary>
    /// <param name="source">The script source as the administrator wrote it.</param>
    /// <param name="integrationType">The type of the integration the script belongs to.</param>
    /// <param name="cancellationToken">A token that cancels the validation.</param>
    /// <returns>The diagnostics; empty when the script is valid.</returns>
    ValueTask<ScriptValidationResult> ValidateAsync(string source, IntegrationType integrationType, CancellationToken cancellationToken = default);

    /// <summary>Runs one hook of the script of an integration version.</summary>
    /// <param name="script">Which script (integration id, version and source) to run.</param>
    /// <param name="hook">The hook method name, for example <c>process_incoming_request</c>.</param>
    /// <param name="argument">The hook argument (for example <c>{"request":{…}}</c>). The host copies it in; the
    /// caller keeps ownership.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The outcome, the returned value as JSON and the captured console entries.</returns>
    ValueTask<ScriptCallResult> InvokeAsync(ScriptDescriptor script, string hook, JsonObject argument, CancellationToken cancellationToken = default);

    /// <summary>Reports whether the script's <c>Script</c> class has the given hook method.</summary>
    /// <param name="script">Which script to inspect.</param>
    /// <param name="hook">The hook method name.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns><see langword="false"/> only when the hook is known to be absent; <see langword="true"/> when it
    /// exists, and also when the host cannot tell (the instance is busy, or its top level or constructor fails), so
    /// that the engine calls it and <see cref="InvokeAsync"/> reports why (SCR-3, SCR-49) rather than skipping the
    /// hook and sending an unprocessed request.</returns>
    ValueTask<bool> HasHookAsync(ScriptDescriptor script, string hook, CancellationToken cancellationToken = default);
}

/// <summary>Identifies the script of one integration version (GEN-5, SCR-2).</summary>
/// <param name="IntegrationId">The integration id.</param>
/// <param name="Version">The integration version.</param>
/// <param name="Source">The script source.</param>
/// <param name="IntegrationType">The integration type.</param>
public readonly record struct ScriptDescriptor(string IntegrationId, long Version, string Source, IntegrationType IntegrationType);

/// <summary>The outcome of a script call (SCR-47..SCR-49).</summary>
public enum ScriptOutcome
{
    /// <summary>The hook ran and returned <see cref="ScriptCallResult.Value"/>.</summary>
    Completed,
    /// <summary>The hook hit a limit or threw; see <see cref="ScriptCallResult.Reason"/>.</summary>
    Failed,
    /// <summary>Top-level code or the constructor failed (SCR-49).</summary>
    EvaluationFailed,
    /// <summary>The instance stayed busy past the wall-clock limit (SCR-3).</summary>
    Busy,
    /// <summary>The script has no such hook.</summary>
    HookMissing,
}

/// <summary>The result of one script call.</summary>
public sealed class ScriptCallResult
{
    /// <summary>Gets the outcome.</summary>
    public required ScriptOutcome Outcome { get; init; }

    /// <summary>Gets the value the hook returned, copied out as JSON; <see langword="null"/> for
    /// <c>undefined</c> and <c>null</c>.</summary>
    public JsonNode? Value { get; init; }

    /// <summary>Gets the SCR-47 reason (<c>timeout</c>, <c>statement-limit</c>, <c>recursion-limit</c>,
    /// <c>memory-limit</c>, <c>invalid-result</c>, <c>exception</c>) when the call failed.</summary>
    public string? Reason { get; init; }

    /// <summary>Gets the error message and mapped stack, for logs and history only (SCR-48).</summary>
    public string? ErrorDetail { get; init; }

    /// <summary>Gets the console entries the call captured (SCR-51).</summary>
    public IReadOnlyList<ScriptLogEntry> Logs { get; init; } = [];
}

/// <summary>One captured console entry (SCR-51).</summary>
/// <param name="Level">The level: <c>log</c>, <c>info</c>, <c>warn</c>, <c>error</c> or <c>debug</c>.</param>
/// <param name="Message">The joined, cut message.</param>
/// <param name="Timestamp">When the entry was written.</param>
public readonly record struct ScriptLogEntry(string Level, string Message, DateTimeOffset Timestamp);

/// <summary>The result of a script validation (SCR-30).</summary>
public sealed class ScriptValidationResult
{
    /// <summary>Gets a value indicating whether the script is valid.</summary>
    public bool IsValid => Diagnostics.Count == 0;

    /// <summary>Gets the diagnostics, with 1-based positions in the original source (SCR-31).</summary>
    public IReadOnlyList<ScriptDiagnostic> Diagnostics { get; init; } = [];

    /// <summary>A valid result.</summary>
    public static ScriptValidationResult Valid { get; } = new();
}

/// <summary>One script diagnostic (SCR-30, SCR-31).</summary>
/// <param name="Line">The 1-based line in the original source.</param>
/// <param name="Column">The 1-based column, in UTF-16 code units.</param>
/// <param name="Message">A readable message.</param>
public readonly record struct ScriptDiagnostic(int Line, int Column, string Message)
{
    /// <summary>Gets the source line with a caret under the column, for display (SCR-30); empty when the position
    /// has no source line.</summary>
    public string CodeFrame { get; init; } = string.Empty;
}
