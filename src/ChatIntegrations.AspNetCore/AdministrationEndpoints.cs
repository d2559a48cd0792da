using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;

namespace ChatIntegrations.AspNetCore;

/// <summary>The per-integration administration REST routes of GEN-13: CRUD, token, import, export, validate-script,
/// history (list, clear, replay), pending deliveries, signing secrets and the "try it" dry run. The omnichannel routes are mapped separately.</summary>
internal static class AdministrationEndpoints
{
    /// <summary>Administration bodies are small; a script is at most 256 KiB (SCR-40).</summary>
    private const long MaxAdminBodyBytes = 2 * 1024 * 1024;

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };

    public static void Map(RouteGroupBuilder group, IntegrationEngine engine, Func<HttpContext, ClaimsPrincipal> actor)
    {
        var h = new Handlers(engine, actor);
        group.MapPost("/", h.Create);
        group.MapGet("/", h.List);
        group.MapPost("/import", h.Import);
        group.MapPost("/validate-script", h.ValidateScript);
        group.MapGet("/{id}", h.Get);
        group.MapPut("/{id}", h.Update);
        group.MapDelete("/{id}", h.Delete);
        group.MapPost("/{id}/token", h.RegenerateToken);
        group.MapGet("/{id}/export", h.Export);
        group.MapGet("/{id}/history", h.History);
        group.MapDelete("/{id}/history", h.ClearHistory);
        group.MapPost("/{id}/history/{historyId}/replay", h.Replay);
        group.MapGet("/{id}/deliveries", h.Deliveries);
        group.MapPost("/{id}/signing-secrets", h.AddSigningSecret);
        group.MapDelete("/{id}/signing-secrets/{which}", h.RemoveSigningSecret);
        group.MapPost("/{id}/try", h.TryScript);
    }

    private sealed class Handlers(IntegrationEngine engine, Func<HttpContext, ClaimsPrincipal> actor)
    {
        public Task Create(HttpContext ctx) => WithObjectBody(ctx, (doc, ct) => engine.CreateAsync(actor(ctx), doc, ct));

        public Task Import(HttpContext ctx) => WithObjectBody(ctx, (doc, ct) => engine.ImportAsync(actor(ctx), doc, ct));

        public Task ValidateScript(HttpContext ctx) => WithObjectBody(ctx, (doc, ct) => ValidateScriptAsync(engine, actor(ctx), doc, ct));

        public Task Update(HttpContext ctx) => WithObjectBody(ctx, (doc, ct) => UpdateAsync(ctx, engine, actor(ctx), doc, ct));

        public Task List(HttpContext ctx) => ListAsync(ctx, engine, actor(ctx));

        public Task Export(HttpContext ctx) => ExportAsync(ctx, engine, actor(ctx));

        public Task Get(HttpContext ctx) => Relay(ctx, engine.GetAsync(actor(ctx), Id(ctx), ctx.RequestAborted));

        public Task Delete(HttpContext ctx) => Relay(ctx, engine.DeleteAsync(actor(ctx), Id(ctx), ctx.RequestAborted));

        public Task RegenerateToken(HttpContext ctx) => Relay(ctx, engine.RegenerateTokenAsync(actor(ctx), Id(ctx), ctx.RequestAborted));

        /// <summary><c>GET {id}/history?offset&amp;count</c>: the delivery history, newest first (DLV-24, GEN-11).</summary>
        public Task History(HttpContext ctx) => HistoryAsync(ctx, engine, actor(ctx));

        /// <summary><c>GET {id}/deliveries?offset&amp;count</c>: the unfinished deliveries (queued, scheduled for a retry,
        /// in flight), earliest next attempt first (DLV-4, DLV-14, GEN-11).</summary>
        public Task Deliveries(HttpContext ctx) =>
            PagedAsync(ctx, (offset, count) => engine.GetPendingDeliveriesAsync(actor(ctx), Id(ctx), offset, count, ctx.RequestAborted));

        /// <summary><c>DELETE {id}/history</c>: deletes every history record of the integration (DLV-26).</summary>
        public Task ClearHistory(HttpContext ctx) => Relay(ctx, engine.ClearHistoryAsync(actor(ctx), Id(ctx), ctx.RequestAborted));

        /// <summary><c>POST {id}/history/{historyId}/replay</c>: sends the recorded delivery again as a new one (DLV-27, DLV-28).</summary>
        public Task Replay(HttpContext ctx) => Relay(ctx, engine.ReplayAsync(actor(ctx), Id(ctx), RouteValue(ctx, "historyId"), ctx.RequestAborted));

        /// <summary><c>POST {id}/signing-secrets</c>: generates a signing secret and returns it once (DLV-40).</summary>
        public Task AddSigningSecret(HttpContext ctx) => Relay(ctx, engine.AddSigningSecretAsync(actor(ctx), Id(ctx), ctx.RequestAborted));

        /// <summary><c>DELETE {id}/signing-secrets/{oldest|newest}</c>: removes one signing secret (DLV-40). Any other
        /// value answers 400 <c>error-invalid-field</c> from the engine.</summary>
        public Task RemoveSigningSecret(HttpContext ctx) => Relay(ctx, engine.RemoveSigningSecretAsync(actor(ctx), Id(ctx), RouteValue(ctx, "which"), ctx.RequestAborted));

        /// <summary><c>POST {id}/try</c>: runs the integration's script, or the unsaved one in the body's <c>script</c>,
        /// against the body's payload as a dry run: nothing is posted, enqueued, recorded or sent
        /// (<see cref="IntegrationEngine.TryScriptAsync"/>).</summary>
        public Task TryScript(HttpContext ctx) => WithObjectBody(ctx, (doc, ct) => engine.TryScriptAsync(actor(ctx), Id(ctx), doc, ct));
    }

    private static string Id(HttpContext ctx) => (string)ctx.Request.RouteValues["id"]!;

    private static string RouteValue(HttpContext ctx, string name) => (string)ctx.Request.RouteValues[name]!;

    private static async Task Relay(HttpContext ctx, Task<AdministrationResult> operation)
    {
        AdministrationResult result;
        try
        {
            result = await operation.ConfigureAwait(false);
        }
        catch (InvalidFieldException ex)
        {
            await InvalidField(ctx, ex.Field, ex.Message).ConfigureAwait(false);
            return;
        }

        ctx.Response.StatusCode = result.StatusCode; // GEN-12 mapping lives in the core
        await JsonAnswer.WriteAsync(ctx.Response, result.Body).ConfigureAwait(false);
    }

    private static async Task WithObjectBody(HttpContext ctx, Func<JsonObject, CancellationToken, Task<AdministrationResult>> operation)
    {
        if (ctx.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = MaxAdminBodyBytes;
        JsonNode? node;
        try
        {
            node = await JsonNode.ParseAsync(ctx.Request.Body, documentOptions: DocumentOptions, cancellationToken: ctx.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            await JsonAnswer.WriteErrorAsync(ctx.Response, 400, "error-invalid-json", message: Describe(ex)).ConfigureAwait(false);
            return;
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            await JsonAnswer.WriteErrorAsync(ctx.Response, 413, "error-payload-too-large").ConfigureAwait(false);
            return;
        }

        if (node is not JsonObject doc)
        {
            await JsonAnswer.WriteErrorAsync(ctx.Response, 400, "error-invalid-body", message: "body must be a JSON object").ConfigureAwait(false);
            return;
        }

        Task<AdministrationResult> pending;
        try
        {
            pending = operation(doc, ctx.RequestAborted);
        }
        catch (InvalidFieldException ex)
        {
            await InvalidField(ctx, ex.Field, ex.Message).ConfigureAwait(false);
            return;
        }

        await Relay(ctx, pending).ConfigureAwait(false);
    }

    // JsonException messages quote the position, never the document content.
    private static string Describe(JsonException ex) =>
        ex.LineNumber is { } line ? $"invalid JSON at line {line + 1}, byte {ex.BytePositionInLine + 1}" : "invalid JSON";

    private static Task<AdministrationResult> UpdateAsync(HttpContext ctx, IntegrationEngine engine, ClaimsPrincipal actor, JsonObject changes, CancellationToken ct)
    {
        long? expected = null;
        if (changes.TryGetPropertyValue("expectedVersion", out var ev))
        {
            changes.Remove("expectedVersion"); // GEN-13: a route parameter carried in the body, not a change
            if (ev is not null)
            {
                if (ev is not JsonValue v || v.GetValueKind() != JsonValueKind.Number || !v.TryGetValue(out long n))
                {
                    throw new InvalidFieldException("expectedVersion", "expectedVersion must be an integer");
                }

                expected = n;
            }
        }

        return engine.UpdateAsync(actor, Id(ctx), changes, expected, ct);
    }

    private static async Task ListAsync(HttpContext ctx, IntegrationEngine engine, ClaimsPrincipal actor)
    {
        var q = ctx.Request.Query;
        var query = new IntegrationQuery();
        if (q.TryGetValue("offset", out var offset))
        {
            if (!int.TryParse(offset, NumberStyles.None, CultureInfo.InvariantCulture, out var o)) { await InvalidField(ctx, "offset", "offset must be an integer >= 0"); return; }
            query = query with { Offset = o };
        }

        if (q.TryGetValue("count", out var count))
        {
            if (!int.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out var c)) { await InvalidField(ctx, "count", "count must be an integer from 1 to 100"); return; }
            query = query with { Count = c };
        }

        if (q.TryGetValue("type", out var type))
        {
            IntegrationType? t = type.ToString() switch
            {
                "webhook-incoming" => IntegrationType.Incoming,
                "webhook-outgoing" => IntegrationType.Outgoing,
                _ => null,
            };
            if (t is null) { await InvalidField(ctx, "type", "type must be webhook-incoming or webhook-outgoing"); return; }
            query = query with { Type = t };
        }

        if (q.TryGetValue("name", out var name)) query = query with { Name = name.ToString() };
        if (q.TryGetValue("enabled", out var enabled))
        {
            if (!TryParseBool(enabled.ToString(), out var e)) { await InvalidField(ctx, "enabled", "enabled must be true or false"); return; }
            query = query with { Enabled = e };
        }

        await Relay(ctx, engine.ListAsync(actor, query, ctx.RequestAborted)).ConfigureAwait(false);
    }

    private static Task HistoryAsync(HttpContext ctx, IntegrationEngine engine, ClaimsPrincipal actor) =>
        PagedAsync(ctx, (offset, count) => engine.GetHistoryAsync(actor, Id(ctx), offset, count, ctx.RequestAborted));

    /// <summary>Reads <c>offset</c> (default 0) and <c>count</c> (default 25) like the list route (GEN-11); the engine
    /// checks the bounds (offset ≥ 0, count 1–100). The omnichannel history route reads its paging here too.</summary>
    internal static async Task PagedAsync(HttpContext ctx, Func<int, int, Task<AdministrationResult>> operation)
    {
        var q = ctx.Request.Query;
        var offset = 0;
        var count = 25;
        if (q.TryGetValue("offset", out var o) && !int.TryParse(o, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out offset))
        {
            await InvalidField(ctx, "offset", "offset must be an integer >= 0");
            return;
        }

        if (q.TryGetValue("count", out var c) && !int.TryParse(c, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out count))
        {
            await InvalidField(ctx, "count", "count must be an integer from 1 to 100");
            return;
        }

        await Relay(ctx, operation(offset, count)).ConfigureAwait(false);
    }

    private static async Task ExportAsync(HttpContext ctx, IntegrationEngine engine, ClaimsPrincipal actor)
    {
        var includeSecrets = false;
        if (ctx.Request.Query.TryGetValue("includeSecrets", out var s))
        {
            // A bare "?includeSecrets" means true.
            var text = s.ToString();
            if (text.Length == 0) includeSecrets = true;
            else if (!TryParseBool(text, out includeSecrets)) { await InvalidField(ctx, "includeSecrets", "includeSecrets must be true or false"); return; }
        }

        await Relay(ctx, engine.ExportAsync(actor, Id(ctx), includeSecrets, ctx.RequestAborted)).ConfigureAwait(false);
    }

    private static Task<AdministrationResult> ValidateScriptAsync(IntegrationEngine engine, ClaimsPrincipal actor, JsonObject body, CancellationToken ct)
    {
        if (body["script"] is not JsonValue sv || sv.GetValueKind() != JsonValueKind.String) throw new InvalidFieldException("script", "script must be a string");
        var type = IntegrationType.Incoming;
        if (body.TryGetPropertyValue("type", out var tn) && tn is not null)
        {
            IntegrationType? t = tn is JsonValue tv && tv.GetValueKind() == JsonValueKind.String
                ? tv.GetValue<string>() switch { "webhook-incoming" => IntegrationType.Incoming, "webhook-outgoing" => IntegrationType.Outgoing, _ => null }
                : null;
            if (t is null) throw new InvalidFieldException("type", "type must be webhook-incoming or webhook-outgoing");
            type = t.Value;
        }

        return engine.ValidateScriptAsync(actor, sv.GetValue<string>(), type, ct);
    }


    private static Task InvalidField(HttpContext ctx, string field, string message) =>
        JsonAnswer.WriteErrorAsync(ctx.Response, 400, "error-invalid-field", field, message);

    private static bool TryParseBool(string text, out bool value)
    {
        switch (text)
        {
            case "true" or "True" or "1": value = true; return true;
            case "false" or "False" or "0": value = false; return true;
            default: value = false; return false;
        }
    }

    /// <summary>A request value the adapter rejects before calling the engine.</summary>
    private sealed class InvalidFieldException(string field, string message) : Exception(message)
    {
        public string Field { get; } = field;
    }
}
