using ChatIntegrations;
using System.Security.Claims;
using ChatIntegrations.AspNetCore;
using ChatIntegrations.AspNetCore.Dashboard;
using Microsoft.AspNetCore.Http;
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

    /// <summary>Maps the integrations dashboard (issue 15): one HTML page, its stylesheet and script, and a
    /// dashboard-scoped copy of the administration REST routes under <c>{pattern}/api</c>.</summary>
    /// <param name="endpoints">The endpoint route builder, usually the <c>WebApplication</c>.</param>
    /// <param name="pattern">The path of the dashboard, for example <c>/admin/integrations</c>.</param>
    /// <param name="actorAccessor">Returns the actor of a request; <see langword="null"/> means <see cref="HttpContext.User"/>.</param>
    /// <returns>A builder whose conventions apply to every dashboard route, for example
    /// <c>.RequireAuthorization("admins")</c>.</returns>
    /// <remarks>
    /// <para>It lives in this ASP.NET Core adapter rather than a package of its own because it is nothing but more
    /// endpoints over the same engine and the same administration handlers: a separate package would have to make
    /// those handlers public or copy them, and hosts already reference this package to map the REST API. The page,
    /// stylesheet and script are embedded resources of this assembly: no CDN, no Node build, it works offline.</para>
    /// <para>Every dashboard answer carries a strict Content-Security-Policy (no inline script or style),
    /// <c>X-Content-Type-Options: nosniff</c> and <c>Referrer-Policy: no-referrer</c>; the page is <c>no-store</c>.</para>
    /// <para>Authorisation: the host's policy (via the returned builder) decides who reaches the dashboard; every
    /// action the page performs then goes through the engine and its <c>IIntegrationAuthorizer</c>, exactly like the
    /// REST API, with the actor from <paramref name="actorAccessor"/>. A user denied
    /// <see cref="IntegrationOperation.ViewIntegration"/> is refused the page itself (403).</para>
    /// <para>Cross-site request forgery: every request other than GET, HEAD or OPTIONS must carry the header
    /// <c>X-ChatIntegrations-Csrf</c> equal to the token in the cookie the page set (double submit), or it answers
    /// 403 <c>error-csrf</c> before any handler runs. Each page load makes a random token, puts it in a
    /// <c>&lt;meta&gt;</c> tag for the script and in an HttpOnly, SameSite=Strict cookie scoped to the dashboard path.
    /// A forging site can neither read the page (same-origin policy) nor send a custom header cross-origin without a
    /// CORS preflight, and the Strict cookie is not sent on cross-site requests at all. The scheme is stateless, so it
    /// needs no data-protection key ring shared between instances, unlike ASP.NET Core antiforgery; and since the
    /// token travels in a header, not a form field, the antiforgery form binding would add nothing.</para>
    /// <para>Mapping the dashboard does not map the REST API or the webhook routes; call
    /// <see cref="MapChatIntegrations"/> for those. It may be mapped more than once, at different paths.</para>
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="endpoints"/> or <paramref name="pattern"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="pattern"/> is empty or does not start with <c>/</c>.</exception>
    public static IEndpointConventionBuilder MapChatIntegrationsDashboard(this IEndpointRouteBuilder endpoints, string pattern = "/admin/integrations", Func<HttpContext, ClaimsPrincipal>? actorAccessor = null) =>
        MapChatIntegrationsDashboard(endpoints, pattern, options =>
        {
            if (actorAccessor is not null) options.ActorAccessor = actorAccessor;
        });

    /// <summary>Maps the integrations dashboard (issue 15) with options: the actor, the incoming webhook base path the
    /// page shows webhook URLs with, and an optional notice banner. Everything else is as in
    /// <see cref="MapChatIntegrationsDashboard(IEndpointRouteBuilder, string, Func{HttpContext, ClaimsPrincipal}?)"/>.</summary>
    /// <param name="endpoints">The endpoint route builder, usually the <c>WebApplication</c>.</param>
    /// <param name="pattern">The path of the dashboard, for example <c>/admin/integrations</c>.</param>
    /// <param name="configure">Configures the dashboard.</param>
    /// <returns>A builder whose conventions apply to every dashboard route, for example
    /// <c>.RequireAuthorization("admins")</c>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="endpoints"/>, <paramref name="pattern"/> or
    /// <paramref name="configure"/> is <see langword="null"/>, or <paramref name="configure"/> set
    /// <see cref="ChatIntegrationsDashboardOptions.ActorAccessor"/> to <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="pattern"/> or
    /// <see cref="ChatIntegrationsDashboardOptions.HooksBasePath"/> is empty or does not start with <c>/</c>.</exception>
    public static IEndpointConventionBuilder MapChatIntegrationsDashboard(this IEndpointRouteBuilder endpoints, string pattern, Action<ChatIntegrationsDashboardOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new ChatIntegrationsDashboardOptions();
        configure(options);
        var basePath = NormalizeBase(pattern, nameof(pattern));
        var hooksBase = NormalizeBase(options.HooksBasePath, nameof(options.HooksBasePath));
        ArgumentNullException.ThrowIfNull(options.ActorAccessor);
        var engine = endpoints.ServiceProvider.GetService<IntegrationEngine>()
            ?? throw new InvalidOperationException("MapChatIntegrationsDashboard() needs services.AddChatIntegrations() with a directory and a message sink.");
        return DashboardEndpoints.Map(endpoints, basePath, hooksBase, options.Notice, engine, options.ActorAccessor);
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
