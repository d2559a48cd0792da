using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;

namespace ChatIntegrations.AspNetCore;

/// <summary>The omnichannel webhook administration routes of GEN-13, under
/// <see cref="ChatIntegrationsEndpointOptions.OmnichannelBasePath"/> (default <c>/api/omnichannel/webhook</c>):
/// settings (<c>GET</c>, <c>PUT</c>), <c>POST /test</c>, history (<c>GET</c>, <c>DELETE /history</c>) and
/// <c>POST /history/{historyId}/replay</c>.</summary>
internal static class OmnichannelEndpoints
{
    private const long MaxBodyBytes = 64 * 1024;

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 16 };

    /// <summary>Maps the routes on a group of their own and returns it, so that the administration conventions apply
    /// to it too.</summary>
    public static RouteGroupBuilder Map(IEndpointRouteBuilder endpoints, string basePath, IntegrationEngine engine, Func<HttpContext, ClaimsPrincipal> actor)
    {
        var group = endpoints.MapGroup(basePath);
        group.MapGet("/", ctx => Relay(ctx, engine.GetOmnichannelSettingsAsync(actor(ctx), ctx.RequestAborted)));
        group.MapPut("/", ctx => SaveAsync(ctx, engine, actor(ctx)));
        group.MapPost("/test", ctx => Relay(ctx, engine.TestOmnichannelWebhookAsync(actor(ctx), ctx.RequestAborted)));
        group.MapGet("/history", ctx => HistoryAsync(ctx, engine, actor(ctx)));
        group.MapDelete("/history", ctx => Relay(ctx, engine.ClearHistoryAsync(actor(ctx), IntegrationEngine.OmnichannelWebhookId, ctx.RequestAborted)));
        group.MapPost("/history/{historyId}/replay", ctx =>
            Relay(ctx, engine.ReplayOmnichannelAsync(actor(ctx), (string)ctx.Request.RouteValues["historyId"]!, ctx.RequestAborted)));
        return group;
    }

    private static Task HistoryAsync(HttpContext ctx, IntegrationEngine engine, ClaimsPrincipal actor) =>
        AdministrationEndpoints.PagedAsync(ctx, (offset, count) => engine.GetHistoryAsync(actor, IntegrationEngine.OmnichannelWebhookId, offset, count, ctx.RequestAborted));

    private static Task SaveAsync(HttpContext ctx, IntegrationEngine engine, ClaimsPrincipal actor)
    {
        Func<JsonObject, Task<AdministrationResult>> save = doc => engine.SaveOmnichannelSettingsAsync(actor, doc, ctx.RequestAborted);
        return WithObjectBody(ctx, save);
    }

    private static async Task Relay(HttpContext ctx, Task<AdministrationResult> operation)
    {
        var result = await operation.ConfigureAwait(false);
        ctx.Response.StatusCode = result.StatusCode; // GEN-12 mapping lives in the core
        await JsonAnswer.WriteAsync(ctx.Response, result.Body).ConfigureAwait(false);
    }

    private static async Task WithObjectBody(HttpContext ctx, Func<JsonObject, Task<AdministrationResult>> operation)
    {
        if (ctx.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = MaxBodyBytes;
        JsonNode? node;
        try
        {
            node = await JsonNode.ParseAsync(ctx.Request.Body, documentOptions: DocumentOptions, cancellationToken: ctx.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? $"invalid JSON at line {line + 1}, byte {ex.BytePositionInLine + 1}" : "invalid JSON";
            await JsonAnswer.WriteErrorAsync(ctx.Response, 400, "error-invalid-json", message: where).ConfigureAwait(false);
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

        await Relay(ctx, operation(doc)).ConfigureAwait(false);
    }
}
