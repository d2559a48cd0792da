using System.Net;
using System.Security.Claims;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ChatIntegrations.AspNetCore.Tests.Infrastructure;
using FluentAssertions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NUnit.Framework;

namespace ChatIntegrations.AspNetCore.Tests.Dashboard;

/// <summary>The dashboard's copy of <c>POST {id}/try</c> (issue 15 item 2): the CSRF double submit and SEC-20 apply to
/// the dry run as to every other POST.</summary>
[TestFixture]
[CancelAfter(30_000)]
public sealed class DashboardTryScriptTests
{
    private const string Base = "/try/dashboard";
    private const string Script = "class Script { process_incoming_request() { console.log('ran'); return { content: { text: 'tried' } }; } }";

    private SampleServer _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _server = await SampleServer.StartAsync(
        builder => builder.Services.Replace(ServiceDescriptor.Singleton<IIntegrationAuthorizer>(new AdminOnlyAuthorizer())),
        app => app.MapChatIntegrationsDashboard(Base, ActorFromHeader));

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [Test]
    public async Task Try_WithCsrfHeaderMatchingCookie_AnswersTheDryRun()
    {
        var (page, id) = await CreateAsync();

        var r = await SendAsync(HttpMethod.Post, $"{Base}/api/{id}/try", TryBody(), user: "admin", csrf: MetaToken(page), cookie: CookieValue(page));

        r.Status.Should().Be(HttpStatusCode.OK, r.Text);
        r.Json!["messages"]![0]!["msg"]!.GetValue<string>().Should().Be("tried");
        r.Json["console"]![0]!["message"]!.GetValue<string>().Should().Be("ran");
    }

    [TestCase(null, TestName = "Try_WithoutCsrfHeader_Returns403AndRunsNothing")]
    [TestCase("wrong-token-wrong-token-wrong-token-wrong-t", TestName = "Try_WithWrongCsrfHeader_Returns403AndRunsNothing")]
    public async Task Try_WithoutMatchingCsrfToken_Returns403AndRunsNothing(string? csrf)
    {
        var (page, id) = await CreateAsync();

        var r = await SendAsync(HttpMethod.Post, $"{Base}/api/{id}/try", TryBody(), user: "admin", csrf: csrf, cookie: CookieValue(page));

        r.Status.Should().Be(HttpStatusCode.Forbidden);
        r.Error.Should().Be("error-csrf");
        r.Text.Should().NotContain("tried").And.NotContain("console");
    }

    // SEC-20: a valid token does not help a user the authorizer denies.
    [Test]
    public async Task Try_DeniedUserWithValidCsrf_Returns403AndRunsNothing()
    {
        var (page, id) = await CreateAsync();

        var r = await SendAsync(HttpMethod.Post, $"{Base}/api/{id}/try", TryBody(), user: "mallory", csrf: MetaToken(page), cookie: CookieValue(page));

        r.Status.Should().Be(HttpStatusCode.Forbidden);
        r.Error.Should().Be("not_authorized");
        r.Text.Should().NotContain("tried").And.NotContain("console");
    }

    private static string TryBody() => new JsonObject { ["script"] = Script, ["body"] = "{}" }.ToJsonString();

    private static ClaimsPrincipal ActorFromHeader(HttpContext ctx) =>
        ctx.Request.Headers.TryGetValue("X-Test-User", out var user)
            ? new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, user.ToString())], "test"))
            : new ClaimsPrincipal(new ClaimsIdentity());

    private async Task<(Answer Page, string Id)> CreateAsync()
    {
        var page = await SendAsync(HttpMethod.Get, Base, user: "admin");
        var doc = new JsonObject { ["type"] = "webhook-incoming", ["name"] = "try-" + Guid.NewGuid().ToString("N")[..8], ["channel"] = "#general", ["username"] = "rocket.cat" };
        var r = await SendAsync(HttpMethod.Post, Base + "/api", doc.ToJsonString(), user: "admin", csrf: MetaToken(page), cookie: CookieValue(page));
        r.Status.Should().Be(HttpStatusCode.OK, r.Text);
        return (page, r.Json!["integration"]!["_id"]!.GetValue<string>());
    }

    private static string MetaToken(Answer page) =>
        Regex.Match(page.Text, "<meta name=\"chatintegrations-csrf\" content=\"([^\"]+)\">").Groups[1].Value;

    private static string CookieValue(Answer page) =>
        Regex.Match(page.Headers["Set-Cookie"], "ChatIntegrations\\.Dashboard\\.Csrf=([^;]+)").Groups[1].Value;

    private async Task<Answer> SendAsync(HttpMethod method, string path, string? body = null, string? user = null, string? csrf = null, string? cookie = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        if (user is not null) request.Headers.Add("X-Test-User", user);
        if (csrf is not null) request.Headers.Add("X-ChatIntegrations-Csrf", csrf);
        if (cookie is not null) request.Headers.Add("Cookie", "ChatIntegrations.Dashboard.Csrf=" + cookie);
        using var response = await _server.Client.SendAsync(request);
        return await Answer.ReadAsync(response);
    }

    /// <summary>Allows everything to the user named <c>admin</c>, nothing to anyone else (SEC-20).</summary>
    private sealed class AdminOnlyAuthorizer : IIntegrationAuthorizer
    {
        public ValueTask<bool> AuthorizeAsync(ClaimsPrincipal actor, IntegrationOperation operation, IntegrationResource resource, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(actor.Identity?.Name == "admin");
    }
}
