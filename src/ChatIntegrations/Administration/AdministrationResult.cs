using System.Text.Json.Nodes;

namespace ChatIntegrations;

/// <summary>The answer of an administration operation, in the envelope of GEN-12.</summary>
public sealed class AdministrationResult
{
    private AdministrationResult(JsonObject body) => Body = body;

    /// <summary>Gets a value indicating whether the operation succeeded.</summary>
    public bool Success => Body["success"]?.GetValue<bool>() == true;

    /// <summary>Gets the error code on failure, for example <c>error-not-found</c>.</summary>
    public string? Error => Body["error"]?.GetValue<string>();

    /// <summary>Gets the whole JSON answer: <c>success</c> plus the operation's result keys, or <c>error</c> with
    /// optional <c>field</c>, <c>message</c> and <c>diagnostics</c>.</summary>
    public JsonObject Body { get; }

    /// <summary>Gets the HTTP status of GEN-12: 403, 404, 409, 503, 400 for other errors, 200 for success.</summary>
    public int StatusCode => Success ? 200 : Error switch
    {
        "not_authorized" => 403,
        "error-not-found" => 404,
        "error-version-conflict" or "error-duplicate-id" => 409,
        "error-store-unavailable" => 503,
        _ => 400,
    };

    internal static AdministrationResult Ok(JsonObject result)
    {
        var body = new JsonObject { ["success"] = true };
        foreach (var (k, v) in result) body[k] = v?.DeepClone();
        return new AdministrationResult(body);
    }

    internal static AdministrationResult Fail(string error, string? field = null, string? message = null, JsonArray? diagnostics = null)
    {
        var body = new JsonObject { ["success"] = false, ["error"] = error };
        if (field is not null) body["field"] = field;
        if (message is not null) body["message"] = message;
        if (diagnostics is not null) body["diagnostics"] = diagnostics;
        return new AdministrationResult(body);
    }
}
