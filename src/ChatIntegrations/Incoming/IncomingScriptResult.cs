using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChatIntegrations.Incoming;

/// <summary>The effect of an incoming script result: an answer now, or content to continue with (SCR-10).</summary>
internal sealed record ScriptStepOutcome(IncomingWebhookResponse? Answer, JsonObject? Content, JsonObject? Response, string? Reason, string? Warning);

/// <summary>Interprets <c>process_incoming_request</c> results (SCR-10, SCR-11, SCR-47..SCR-49).</summary>
internal static class IncomingScriptResult
{
    public static ScriptStepOutcome Interpret(ScriptCallResult result, bool allowUserOverride)
    {
        switch (result.Outcome)
        {
            case ScriptOutcome.Busy:
                return Answer(IncomingPipeline.Error(503, "error-script-busy", headers: [new("Retry-After", "1")]), "busy");
            case ScriptOutcome.EvaluationFailed:
                return Answer(IncomingPipeline.Error(400, "error-evaluating-script"), "exception");
            case ScriptOutcome.HookMissing:
                return Fail("exception");
            case ScriptOutcome.Failed:
                return Fail(result.Reason ?? "exception");
        }

        var value = result.Value;
        if (IsFalsy(value)) return Answer(IncomingPipeline.Ok(new JsonObject { ["success"] = true }), null);
        if (value is not JsonObject obj) return Fail("invalid-result");

        // error takes precedence; a falsy error counts as absent.
        if (obj["error"] is { } error && !IsFalsy(error))
        {
            if (error is JsonObject eo)
            {
                var body = (JsonObject)eo.DeepClone();
                body["success"] = false;
                return Answer(new IncomingWebhookResponse { StatusCode = 400, Body = body }, null);
            }

            var text = error is JsonValue ev && ev.GetValueKind() == JsonValueKind.String ? ev.GetValue<string>() : error.ToJsonString();
            return Answer(IncomingPipeline.Error(400, text), null);
        }

        var hasContent = obj.ContainsKey("content");
        var hasResponse = obj.ContainsKey("response") && obj["response"] is not null;
        JsonObject? response = null;
        if (hasResponse)
        {
            if (obj["response"] is not JsonObject ro) return Fail("invalid-result");
            response = ro;
        }

        if (hasContent)
        {
            if (obj["content"] is not JsonObject content) return Fail("invalid-result");
            var copy = (JsonObject)content.DeepClone();
            if (!allowUserOverride) copy.Remove("user"); // SCR-11
            return new ScriptStepOutcome(null, copy, response, null, null);
        }

        if (response is not null)
        {
            var body = (JsonObject)response.DeepClone();
            body["success"] = true;
            return Answer(IncomingPipeline.Ok(body), null);
        }

        if (obj.ContainsKey("text") || obj.ContainsKey("msg") || obj.ContainsKey("attachments"))
        {
            // Our choice: the message without a content wrapper is accepted, with a warning.
            var copy = (JsonObject)obj.DeepClone();
            if (!allowUserOverride) copy.Remove("user");
            return new ScriptStepOutcome(null, copy, null, null, "script returned a message without 'content'; it was used as content");
        }

        return Fail("invalid-result");
    }

    private static ScriptStepOutcome Answer(IncomingWebhookResponse answer, string? reason) => new(answer, null, null, reason, null);

    private static ScriptStepOutcome Fail(string reason) =>
        new(IncomingPipeline.Error(400, "error-running-script", reason: reason), null, null, reason, null);

    internal static bool IsFalsy(JsonNode? node)
    {
        if (node is null) return true;
        if (node is not JsonValue v) return false;
        return v.GetValueKind() switch
        {
            JsonValueKind.False or JsonValueKind.Null or JsonValueKind.Undefined => true,
            JsonValueKind.String => v.GetValue<string>().Length == 0,
            JsonValueKind.Number => v.TryGetValue<double>(out var d) ? d == 0 || double.IsNaN(d) : v.ToJsonString() is "0" or "-0",
            _ => false,
        };
    }
}
