using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace ChatIntegrations.AspNetCore;

/// <summary>The endpoints mapped by <c>MapChatIntegrations()</c>. Conventions added to this builder (for example
/// <c>.RequireAuthorization()</c>) apply to the administration routes only, never to the webhook routes, which
/// senders authenticate with the token in the URL (IN-4).</summary>
public sealed class ChatIntegrationsEndpointConventionBuilder : IEndpointConventionBuilder
{
    internal ChatIntegrationsEndpointConventionBuilder(RouteGroupBuilder administration, RouteGroupBuilder webhooks, RouteGroupBuilder? omnichannel = null)
    {
        Administration = administration;
        Webhooks = webhooks;
        Omnichannel = omnichannel;
    }

    /// <summary>Gets the route group of the administration REST routes (GEN-13).</summary>
    public RouteGroupBuilder Administration { get; }

    /// <summary>Gets the route group of the incoming webhook routes (IN-3), for conventions such as CORS or rate
    /// limiting. Do not require authentication here: webhook senders have only the URL.</summary>
    public RouteGroupBuilder Webhooks { get; }

    /// <summary>Gets the route group of the omnichannel webhook administration routes (GEN-13), when mapped.
    /// Conventions added to this builder apply to it too.</summary>
    public RouteGroupBuilder? Omnichannel { get; }

    /// <summary>Adds a convention to the administration routes (the omnichannel routes included).</summary>
    /// <param name="convention">The convention.</param>
    public void Add(Action<EndpointBuilder> convention)
    {
        ((IEndpointConventionBuilder)Administration).Add(convention);
        if (Omnichannel is not null) ((IEndpointConventionBuilder)Omnichannel).Add(convention);
    }

    /// <summary>Adds a final convention to the administration routes (the omnichannel routes included).</summary>
    /// <param name="finallyConvention">The convention.</param>
    public void Finally(Action<EndpointBuilder> finallyConvention)
    {
        ((IEndpointConventionBuilder)Administration).Finally(finallyConvention);
        if (Omnichannel is not null) ((IEndpointConventionBuilder)Omnichannel).Finally(finallyConvention);
    }
}
