using System.Text.Json.Nodes;

namespace ChatIntegrations.Scripting;

/// <summary>The script host used when none is registered: scripts are refused at save and fail at run time.</summary>
internal sealed class UnavailableScriptHost : IScriptHost
{
    private static readonly ScriptValidationResult NotAvailable = new()
    {
        Diagnostics = [new ScriptDiagnostic(1, 1, "Scripts are not available: no script host is registered")],
    };

    public ValueTask<ScriptValidationResult> ValidateAsync(string source, IntegrationType integrationType, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(NotAvailable);

    public ValueTask<ScriptCallResult> InvokeAsync(ScriptDescriptor script, string hook, JsonObject argument, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(new ScriptCallResult { Outcome = ScriptOutcome.EvaluationFailed, Reason = "exception", ErrorDetail = "no script host is registered" });

    public ValueTask<bool> HasHookAsync(ScriptDescriptor script, string hook, CancellationToken cancellationToken = default) => ValueTask.FromResult(false);
}
