using System.Security.Claims;
using Microsoft.AspNetCore.Http;

namespace ChatIntegrations.AspNetCore;

/// <summary>Options of <c>MapChatIntegrationsDashboard()</c>.</summary>
public sealed class ChatIntegrationsDashboardOptions
{
    /// <summary>Gets or sets the function that returns the actor of a dashboard request (SEC-20).</summary>
    /// <value>The default returns <see cref="HttpContext.User"/>.</value>
    /// <remarks>Every action of the page is authorised by the registered <c>IIntegrationAuthorizer</c> with this
    /// principal, exactly as the REST API is.</remarks>
    public Func<HttpContext, ClaimsPrincipal> ActorAccessor { get; set; } = static ctx => ctx.User;

    /// <summary>Gets or sets the base path of the incoming webhook routes, the one given to
    /// <c>MapChatIntegrations()</c>. The page uses it only to show an incoming webhook's URL.</summary>
    /// <value>The default is <c>/hooks</c>, <c>MapChatIntegrations()</c>'s default.</value>
    public string HooksBasePath { get; set; } = "/hooks";

    /// <summary>Gets or sets a plain-text notice shown in a banner at the top of every dashboard page, for example
    /// that this is a demo open to everyone; <see langword="null"/> or empty shows none.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    /// <remarks>It is HTML-encoded; markup is shown as text.</remarks>
    public string? Notice { get; set; }
}
