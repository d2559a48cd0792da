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

using static ChatIntegrations.AspNetCore.Tests.Dashboard.DashboardSession;

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

    private async Task<(Answer Page, string Id)> CreateAsync()
    {
        var page = await SendAsync(HttpMethod.Get, Base, user: "admin");
        var doc = new JsonObject { ["type"] = "webhook-incoming", ["name"] = "try-" + Guid.NewGuid().ToString("N")[..8], ["channel"] = "#general", ["username"] = "rocket.cat" };
        var r = await SendAsync(HttpMethod.Post, Base + "/api", doc.ToJsonString(), user: "admin", csrf: MetaToken(page), cookie: CookieValue(page));
        r.Status.Should().Be(HttpStatusCode.OK, r.Text);
        return (page, r.Json!["integration"]!["_id"]!.GetValue<string>());
    }

    private Task<Answer> SendAsync(HttpMethod method, string path, string? body = null, string? user = null, string? csrf = null, string? cookie = null) =>
        DashboardSession.SendAsync(_server.Client, method, path, body, user, csrf, cookie);
}
