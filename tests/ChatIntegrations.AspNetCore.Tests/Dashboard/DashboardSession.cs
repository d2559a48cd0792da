using System.Security.Claims;
using System.Text.RegularExpressions;
using ChatIntegrations.AspNetCore.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace ChatIntegrations.AspNetCore.Tests.Dashboard;

/// <summary>What the dashboard's Kestrel tests share: the test user from a header (one server, an allowed and a denied
/// user), an authorizer that allows only <c>admin</c> (SEC-20), and requests carrying the CSRF header and cookie.</summary>
internal static class DashboardSession
{
    public const string UserHeader = "X-Test-User";

    public static ClaimsPrincipal ActorFromHeader(HttpContext ctx) =>
        ctx.Request.Headers.TryGetValue(UserHeader, out var user)
            ? new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, user.ToString())], "test"))
            : new ClaimsPrincipal(new ClaimsIdentity());

    /// <summary>The token the page put in its <c>&lt;meta&gt;</c> tag.</summary>
    public static string MetaToken(Answer page) =>
        Regex.Match(page.Text, "<meta name=\"chatintegrations-csrf\" content=\"([^\"]+)\">").Groups[1].Value;

    /// <summary>The token the page set in its cookie.</summary>
    public static string CookieValue(Answer page) =>
        Regex.Match(page.Headers["Set-Cookie"], "ChatIntegrations\\.Dashboard\\.Csrf=([^;]+)").Groups[1].Value;

    public static async Task<Answer> SendAsync(HttpClient client, HttpMethod method, string path, string? body = null, string? user = null, string? csrf = null, string? cookie = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        if (user is not null) request.Headers.Add(UserHeader, user);
        if (csrf is not null) request.Headers.Add("X-ChatIntegrations-Csrf", csrf);
        if (cookie is not null) request.Headers.Add("Cookie", "ChatIntegrations.Dashboard.Csrf=" + cookie);
        using var response = await client.SendAsync(request);
        return await Answer.ReadAsync(response);
    }

    /// <summary>Allows everything to the user named <c>admin</c>, nothing to anyone else (SEC-20).</summary>
    public sealed class AdminOnlyAuthorizer : IIntegrationAuthorizer
    {
        public ValueTask<bool> AuthorizeAsync(ClaimsPrincipal actor, IntegrationOperation operation, IntegrationResource resource, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(actor.Identity?.Name == "admin");
    }
}
