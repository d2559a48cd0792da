using System.Text.Json.Nodes;

namespace ChatIntegrations.Tests.TestDoubles;

/// <summary>A script host whose answers the test sets with delegates.</summary>
internal sealed class StubScriptHost : IScriptHost
{
    public Func<string, ScriptValidationResult> Validate { get; set; } = _ => ScriptValidationResult.Valid;
    public Func<JsonObject, ScriptCallResult> Invoke { get; set; } = _ => new ScriptCallResult { Outcome = ScriptOutcome.Completed };
    public List<JsonObject> Arguments { get; } = [];

    public ValueTask<ScriptValidationResult> ValidateAsync(string source, IntegrationType integrationType, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Validate(source));

    public ValueTask<ScriptCallResult> InvokeAsync(ScriptDescriptor script, string hook, JsonObject argument, CancellationToken cancellationToken = default)
    {
        Arguments.Add(argument);
        return ValueTask.FromResult(Invoke(argument));
    }

    public ValueTask<bool> HasHookAsync(ScriptDescriptor script, string hook, CancellationToken cancellationToken = default) => ValueTask.FromResult(true);

    public static ScriptCallResult Returns(string json) => new() { Outcome = ScriptOutcome.Completed, Value = JsonNode.Parse(json) };
}
