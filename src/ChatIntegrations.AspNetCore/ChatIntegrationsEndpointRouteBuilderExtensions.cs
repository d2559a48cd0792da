using ChatIntegrations;
using ChatIntegrations.AspNetCore;
using Microsoft.AspNetCore.HttpLogging;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the ChatIntegrations routes (GEN-13).</summary>
public static class ChatIntegrationsEndpointRouteBuilderExtensions
{
    /// <summary>Maps the incoming webhook routes (every method on <c>{HooksBasePath}/{**rest}</c>, IN-3) and the
    /// administration REST routes (create, list, get, update, delete, token, import, export, validate-script, history,
    /// clear history, replay, add and remove signing secrets) of GEN-13.</summary>
    /// <param name="endpoints">The endpoint route builder, usually the <c>WebApplication</c>.</param>
    /// <param name="configure">Configures the paths, the actor and the client address.</param>
    /// <returns>A builder whose conventions apply to the administration routes, e.g. <c>.RequireAuthorization()</c>.</returns>
    /// <remarks>
    /// <para>Requires <c>services.AddChatIntegrations()</c> with a directory and a message sink.</para>
    /// <para>SEC-5: the failed-token throttle counts per client address. Behind a reverse proxy, configure forwarded
    /// headers or <see cref="ChatIntegrationsEndpointOptions.ClientAddress"/> so the real client address is used.</para>
    /// <para>SEC-4: both groups carry HTTP-logging metadata that excludes request and response bodies (payloads, and
    /// admin answers that contain tokens). ASP.NET Core's own request logging prints the raw path, token included. Call
    /// <c>builder.Logging.AddChatIntegrationsTokenRedaction()</c> so framework log lines show <c>/hooks/{id}/***</c>.</para>
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="endpoints"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A base path is empty or does not start with <c>/</c>.</exception>
    public static ChatIntegrationsEndpointConventionBuilder MapChatIntegrations(this IEndpointRouteBuilder endpoints, Action<ChatIntegrationsEndpointOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var options = new ChatIntegrationsEndpointOptions();
        configure?.Invoke(options);
        var hooksBase = NormalizeBase(options.HooksBasePath, nameof(options.HooksBasePath));
        var adminBase = NormalizeBase(options.AdminBasePath, nameof(options.AdminBasePath));
        ArgumentNullException.ThrowIfNull(options.ActorAccessor);
        ArgumentNullException.ThrowIfNull(options.ClientAddress);

        // Fail at startup, not on the first request, when the engine is not registered.
        var engine = endpoints.ServiceProvider.GetService<IntegrationEngine>()
            ?? throw new InvalidOperationException("MapChatIntegrations() needs services.AddChatIntegrations() with a directory and a message sink.");

        // SEC-4: HTTP logging must never capture bodies here: webhook payloads, and admin answers carrying tokens.
        const HttpLoggingFields withoutBodies = HttpLoggingFields.RequestPropertiesAndHeaders | HttpLoggingFields.ResponsePropertiesAndHeaders | HttpLoggingFields.Duration;
        var hooks = endpoints.MapGroup(hooksBase);
        hooks.WithHttpLogging(withoutBodies);
        var webhook = new IncomingWebhookEndpoint(engine, hooksBase, options.ClientAddress);
        hooks.Map("/{**rest}", webhook.HandleAsync).WithDisplayName("ChatIntegrations incoming webhook");

        var admin = endpoints.MapGroup(adminBase);
        admin.WithHttpLogging(withoutBodies);
        AdministrationEndpoints.Map(admin, engine, options.ActorAccessor);
        var omnichannel = OmnichannelEndpoints.Map(endpoints, NormalizeBase(options.OmnichannelBasePath, nameof(options.OmnichannelBasePath)), engine, options.ActorAccessor).WithHttpLogging(withoutBodies);
        return new ChatIntegrationsEndpointConventionBuilder(admin, hooks, omnichannel);
    }

    private static string NormalizeBase(string? path, string name)
    {
        if (string.IsNullOrEmpty(path) || path[0] != '/' || path.Length < 2)
        {
            throw new ArgumentException($"{name} must start with '/' and name a path, for example /hooks.", name);
        }

        return path.TrimEnd('/');
    }
}
