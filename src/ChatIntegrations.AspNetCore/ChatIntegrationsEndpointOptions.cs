using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;

namespace ChatIntegrations.AspNetCore;

/// <summary>Options of <c>MapChatIntegrations()</c>: where the routes live and how the actor and the client address
/// are taken from a request.</summary>
public sealed class ChatIntegrationsEndpointOptions
{
    /// <summary>Gets or sets the base path of the incoming webhook routes (IN-3).</summary>
    /// <value>The default is <c>/hooks</c>.</value>
    public string HooksBasePath { get; set; } = "/hooks";

    /// <summary>Gets or sets the base path of the administration REST routes (GEN-13).</summary>
    /// <value>The default is <c>/api/integrations</c>.</value>
    public string AdminBasePath { get; set; } = "/api/integrations";

    /// <summary>Gets or sets the base path of the omnichannel webhook administration routes (GEN-13).</summary>
    /// <value>The default is <c>/api/omnichannel/webhook</c>.</value>
    public string OmnichannelBasePath { get; set; } = "/api/omnichannel/webhook";

    /// <summary>Gets or sets the function that returns the actor of an administration request (SEC-20).</summary>
    /// <value>The default returns <see cref="HttpContext.User"/>.</value>
    /// <remarks>The engine authorises every operation through the registered <c>IIntegrationAuthorizer</c> with this
    /// principal. Authentication itself is the host's job, for example with <c>.RequireAuthorization()</c> on the
    /// builder that <c>MapChatIntegrations()</c> returns.</remarks>
    public Func<HttpContext, ClaimsPrincipal> ActorAccessor { get; set; } = static ctx => ctx.User;

    /// <summary>Gets or sets the function that returns the client address used by the failed-token throttle (SEC-5).</summary>
    /// <value>The default returns <see cref="ConnectionInfo.RemoteIpAddress"/>.</value>
    /// <remarks>Behind a reverse proxy or load balancer every request comes from the proxy's address, so one noisy
    /// client would throttle everybody (and guessers would never be throttled individually). Such hosts MUST pass
    /// the forwarded client address: either configure <c>UseForwardedHeaders()</c> with the proxy in
    /// <c>KnownProxies</c>/<c>KnownNetworks</c> (then the default works), or supply a function here. Never trust
    /// <c>X-Forwarded-For</c> from unknown senders.</remarks>
    public Func<HttpContext, IPAddress?> ClientAddress { get; set; } = static ctx => ctx.Connection.RemoteIpAddress;
}
