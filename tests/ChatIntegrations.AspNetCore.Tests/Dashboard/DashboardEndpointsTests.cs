using System.Net;
using System.Security.Claims;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ChatIntegrations.AspNetCore;
using ChatIntegrations.AspNetCore.Tests.Infrastructure;
using ChatIntegrations.Samples.ConsoleHost.Chat;
using FluentAssertions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using NUnit.Framework;

namespace ChatIntegrations.AspNetCore.Tests.Dashboard;

using static ChatIntegrations.AspNetCore.Tests.Dashboard.DashboardSession;

/// <summary>The dashboard of issue 15 on real Kestrel: page and assets under a strict CSP, the CSRF double submit,
/// authorisation through <c>IIntegrationAuthorizer</c> (SEC-20) and the returned convention builder.</summary>
[TestFixture]
[CancelAfter(30_000)]
public sealed class DashboardEndpointsTests
{
    private const string Csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    private const string Base = "/test/dashboard"; // the sample itself mounts /admin/integrations
    private const string NoticeBase = "/notice/dashboard";

    private SampleServer _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _server = await SampleServer.StartAsync(
        builder =>
        {
            builder.Services.Replace(ServiceDescriptor.Singleton<IIntegrationAuthorizer>(new AdminOnlyAuthorizer()));
            builder.Logging.AddFakeLogging();
        },
        app =>
        {
            // The test user comes from a header so one server has an allowed and a denied user.
            app.MapChatIntegrationsDashboard(Base, ActorFromHeader);
            app.MapChatIntegrationsDashboard("/second/dashboard", ActorFromHeader);
            app.MapChatIntegrationsDashboard(NoticeBase, o =>
            {
                o.ActorAccessor = ActorFromHeader;
                o.HooksBasePath = "/webhooks/";
                o.Notice = "<b>Demo</b> & open to {{csrf}}";
            });
        });

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    [Test]
    public async Task Page_Get_ServedWithStrictHeadersAndNoInlineScriptOrStyle()
    {
        var page = await SendAsync(HttpMethod.Get, Base, user: "admin");

        page.Status.Should().Be(HttpStatusCode.OK, page.Text);
        page.Headers["Content-Type"].Should().StartWith("text/html");
        page.Headers["Content-Security-Policy"].Should().Be(Csp);
        page.Headers["X-Content-Type-Options"].Should().Be("nosniff");
        page.Headers["Referrer-Policy"].Should().Be("no-referrer");
        page.Headers["Cache-Control"].Should().Contain("no-store");
        var scripts = Regex.Matches(page.Text, @"<script\b([^>]*)>(.*?)</script>", RegexOptions.Singleline | RegexOptions.IgnoreCase);
        scripts.Should().NotBeEmpty();
        scripts.Should().OnlyContain(m => m.Groups[1].Value.Contains("src=\"" + Base + "/assets/dashboard.js\"") && m.Groups[2].Value.Length == 0);
        page.Text.Should().NotContainEquivalentOf("style=").And.NotContainEquivalentOf("<style").And.NotContainEquivalentOf("javascript:");
        Regex.IsMatch(page.Text, @"\son[a-z]+\s*=", RegexOptions.IgnoreCase).Should().BeFalse("inline event handlers are inline script");
    }

    [Test]
    public async Task Page_Get_SetsStrictHttpOnlyCookieMatchingTheMetaToken()
    {
        var page = await SendAsync(HttpMethod.Get, Base + "/", user: "admin");

        var cookie = page.Headers["Set-Cookie"];
        cookie.Should().ContainEquivalentOf("samesite=strict").And.ContainEquivalentOf("httponly").And.Contain("path=" + Base);
        CookieValue(page).Should().Be(MetaToken(page)).And.HaveLength(43);
    }

    [Test]
    public async Task Page_GetTwice_MakesAFreshTokenEachTime()
    {
        var first = await SendAsync(HttpMethod.Get, Base, user: "admin");
        var second = await SendAsync(HttpMethod.Get, Base, user: "admin");

        MetaToken(first).Should().NotBe(MetaToken(second));
    }

    [TestCase("dashboard.js", "text/javascript")]
    [TestCase("dashboard.css", "text/css")]
    public async Task Asset_Get_ServedEmbeddedWithStrictHeaders(string name, string contentType)
    {
        var asset = await SendAsync(HttpMethod.Get, Base + "/assets/" + name);

        asset.Status.Should().Be(HttpStatusCode.OK);
        asset.Headers["Content-Type"].Should().StartWith(contentType);
        asset.Headers["Content-Security-Policy"].Should().Be(Csp);
        asset.Headers["X-Content-Type-Options"].Should().Be("nosniff");
        asset.Text.Should().NotBeEmpty().And.NotContain("http://").And.NotContain("https://", "no CDN: the dashboard works offline");
    }

    [Test]
    public async Task Asset_GetWithItsETag_Answers304()
    {
        var first = await SendAsync(HttpMethod.Get, Base + "/assets/dashboard.js");
        using var request = new HttpRequestMessage(HttpMethod.Get, Base + "/assets/dashboard.js");
        request.Headers.TryAddWithoutValidation("If-None-Match", first.Headers["ETag"]);

        using var second = await _server.Client.SendAsync(request);

        second.StatusCode.Should().Be(HttpStatusCode.NotModified);
    }

    [Test]
    public async Task Api_List_AnswersWithStrictHeaders()
    {
        var list = await SendAsync(HttpMethod.Get, Base + "/api?count=5", user: "admin");

        list.Status.Should().Be(HttpStatusCode.OK, list.Text);
        list.Json!["integrations"].Should().NotBeNull();
        list.Headers["Content-Security-Policy"].Should().Be(Csp);
    }

    [TestCase(null, true, TestName = "Create_WithoutCsrfHeader_Returns403AndCreatesNothing")]
    [TestCase("wrong-token-wrong-token-wrong-token-wrong-t", true, TestName = "Create_WithWrongCsrfHeader_Returns403AndCreatesNothing")]
    [TestCase("page", false, TestName = "Create_WithCsrfHeaderButNoCookie_Returns403AndCreatesNothing")]
    public async Task Create_WithoutMatchingCsrfToken_Returns403AndCreatesNothing(string? header, bool withCookie)
    {
        var page = await SendAsync(HttpMethod.Get, Base, user: "admin");
        var name = "csrf-" + Guid.NewGuid().ToString("N")[..8];

        var r = await SendAsync(HttpMethod.Post, Base + "/api", Incoming(name), user: "admin",
            csrf: header == "page" ? MetaToken(page) : header, cookie: withCookie ? CookieValue(page) : null);

        r.Status.Should().Be(HttpStatusCode.Forbidden);
        r.Error.Should().Be("error-csrf");
        r.Headers["Content-Security-Policy"].Should().Be(Csp);
        (await CountNamedAsync(name)).Should().Be(0);
    }

    [Test]
    public async Task Create_WithoutCsrfHeader_LogsEvent9001WithoutTheToken()
    {
        var page = await SendAsync(HttpMethod.Get, Base, user: "admin");
        var collector = _server.App.Services.GetRequiredService<FakeLogCollector>();
        var path = Base + "/api/import";

        await SendAsync(HttpMethod.Post, path, Incoming("log-" + Guid.NewGuid().ToString("N")[..8]), user: "admin", csrf: "x", cookie: CookieValue(page));

        var record = collector.GetSnapshot().Should().ContainSingle(r => r.Id.Id == 9001 && r.Message.Contains(path)).Subject;
        record.Level.Should().Be(Microsoft.Extensions.Logging.LogLevel.Warning);
        record.Message.Should().NotContain(CookieValue(page));
    }

    [Test]
    public async Task Create_WithCsrfHeaderMatchingCookie_Succeeds()
    {
        var page = await SendAsync(HttpMethod.Get, Base, user: "admin");
        var name = "csrf-ok-" + Guid.NewGuid().ToString("N")[..8];

        var r = await SendAsync(HttpMethod.Post, Base + "/api", Incoming(name), user: "admin", csrf: MetaToken(page), cookie: CookieValue(page));

        r.Status.Should().Be(HttpStatusCode.OK, r.Text);
        (await CountNamedAsync(name)).Should().Be(1);
    }

    [Test]
    public async Task UpdateAndDelete_WithoutCsrfHeader_Return403AndChangeNothing()
    {
        var (page, id) = await CreateAsync("keep-" + Guid.NewGuid().ToString("N")[..8]);

        var put = await SendAsync(HttpMethod.Put, Base + "/api/" + id, """{"name":"changed"}""", user: "admin", cookie: CookieValue(page));
        var delete = await SendAsync(HttpMethod.Delete, Base + "/api/" + id, user: "admin", cookie: CookieValue(page));
        var get = await SendAsync(HttpMethod.Get, Base + "/api/" + id, user: "admin");

        put.Status.Should().Be(HttpStatusCode.Forbidden);
        delete.Status.Should().Be(HttpStatusCode.Forbidden);
        get.Status.Should().Be(HttpStatusCode.OK);
        get.Json!["integration"]!["name"]!.GetValue<string>().Should().NotBe("changed");
    }

    // SCR-30: the editor's check goes through the dashboard API and reports line and column.
    [Test]
    public async Task ValidateScript_BrokenScriptWithCsrf_ReportsLineAndColumn()
    {
        var page = await SendAsync(HttpMethod.Get, Base, user: "admin");
        var body = new JsonObject { ["script"] = "class Script {\n  process_incoming_request({ request ) {}\n}", ["type"] = "webhook-incoming" }.ToJsonString();

        var r = await SendAsync(HttpMethod.Post, Base + "/api/validate-script", body, user: "admin", csrf: MetaToken(page), cookie: CookieValue(page));

        r.Status.Should().Be(HttpStatusCode.BadRequest, r.Text);
        r.Error.Should().Be("error-invalid-script");
        r.Json!["diagnostics"]!.AsArray().Should().ContainSingle().Which!["line"]!.GetValue<int>().Should().Be(2);
    }

    [Test]
    public async Task History_OfAnIntegration_AnswersThroughTheDashboardApi()
    {
        var (_, id) = await CreateAsync("history-" + Guid.NewGuid().ToString("N")[..8]);

        var r = await SendAsync(HttpMethod.Get, Base + "/api/" + id + "/history", user: "admin");

        r.Status.Should().Be(HttpStatusCode.OK, r.Text);
        r.Json!["history"]!.AsArray().Should().BeEmpty();
    }

    // Issue 15: the pending deliveries route is mounted under the dashboard's api too; SEC-20 for a denied user.
    [Test]
    public async Task Deliveries_OfAnIntegration_AnswersThroughTheDashboardApiAndRefusesDeniedUser()
    {
        var (_, id) = await CreateAsync("pending-" + Guid.NewGuid().ToString("N")[..8]);

        var r = await SendAsync(HttpMethod.Get, Base + "/api/" + id + "/deliveries?count=5", user: "admin");
        var denied = await SendAsync(HttpMethod.Get, Base + "/api/" + id + "/deliveries", user: "mallory");

        r.Status.Should().Be(HttpStatusCode.OK, r.Text);
        r.Json!["deliveries"]!.AsArray().Should().BeEmpty();
        r.Json["total"]!.GetValue<int>().Should().Be(0);
        denied.Status.Should().Be(HttpStatusCode.Forbidden);
        denied.Text.Should().NotContain("deliveries");
    }

    // SEC-20: a user the authorizer denies gets neither the page nor data, and cannot change anything even with a
    // valid CSRF token.
    [Test]
    public async Task DeniedUser_PageListAndCreate_AllRefusedAndNothingChanges()
    {
        var (_, id) = await CreateAsync("secret-" + Guid.NewGuid().ToString("N")[..8]);
        var adminPage = await SendAsync(HttpMethod.Get, Base, user: "admin");
        var name = "denied-" + Guid.NewGuid().ToString("N")[..8];

        var page = await SendAsync(HttpMethod.Get, Base, user: "mallory");
        var list = await SendAsync(HttpMethod.Get, Base + "/api", user: "mallory");
        var get = await SendAsync(HttpMethod.Get, Base + "/api/" + id, user: "mallory");
        var create = await SendAsync(HttpMethod.Post, Base + "/api", Incoming(name), user: "mallory", csrf: MetaToken(adminPage), cookie: CookieValue(adminPage));
        var delete = await SendAsync(HttpMethod.Delete, Base + "/api/" + id, user: "mallory", csrf: MetaToken(adminPage), cookie: CookieValue(adminPage));

        page.Status.Should().Be(HttpStatusCode.Forbidden);
        page.Text.Should().NotContain("chatintegrations-csrf");
        page.Headers.Should().NotContainKey("Set-Cookie");
        list.Status.Should().Be(HttpStatusCode.Forbidden);
        list.Text.Should().NotContain(id);
        get.Status.Should().Be(HttpStatusCode.Forbidden);
        get.Text.Should().NotContain("token");
        create.Status.Should().Be(HttpStatusCode.Forbidden);
        delete.Status.Should().Be(HttpStatusCode.Forbidden);
        (await CountNamedAsync(name)).Should().Be(0);
        (await SendAsync(HttpMethod.Get, Base + "/api/" + id, user: "admin")).Status.Should().Be(HttpStatusCode.OK);
    }

    [Test]
    public async Task MapChatIntegrationsDashboard_SecondPath_ServesItsOwnPageAndScopedCookie()
    {
        var page = await SendAsync(HttpMethod.Get, "/second/dashboard", user: "admin");
        var name = "second-" + Guid.NewGuid().ToString("N")[..8];

        var r = await SendAsync(HttpMethod.Post, "/second/dashboard/api", Incoming(name), user: "admin", csrf: MetaToken(page), cookie: CookieValue(page));

        page.Status.Should().Be(HttpStatusCode.OK);
        page.Text.Should().Contain("src=\"/second/dashboard/assets/dashboard.js\"");
        page.Headers["Set-Cookie"].Should().Contain("path=/second/dashboard");
        r.Status.Should().Be(HttpStatusCode.OK, r.Text);
        (await CountNamedAsync(name)).Should().Be(1);
    }

    [Test]
    public void MapChatIntegrationsDashboard_RequireAuthorization_AppliesToEveryDashboardRoute()
    {
        var builder = WebApplication.CreateSlimBuilder(["--urls", "http://127.0.0.1:0"]);
        builder.Services.AddSingleton<SampleChat>();
        builder.Services.AddSingleton<SampleChatEvents>();
        builder.Services.AddAuthorization(o => o.AddPolicy("admins", p => p.RequireRole("admin")));
        builder.Services.AddChatIntegrations().AddChatDirectory<SampleChatDirectory>().AddMessageSink<SampleMessageSink>().AllowAllOperations();
        using var app = builder.Build();

        app.MapChatIntegrationsDashboard("/admin/integrations").RequireAuthorization("admins");
        app.MapChatIntegrationsDashboard("/ops/hooks");

        var endpoints = ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>().ToList();
        var secured = endpoints.Where(e => e.RoutePattern.RawText!.StartsWith("/admin/integrations", StringComparison.Ordinal)).ToList();
        secured.Should().HaveCountGreaterThan(10, "page, two assets and the admin API");
        secured.Should().OnlyContain(e => e.Metadata.GetOrderedMetadata<IAuthorizeData>().Any(a => a.Policy == "admins"));
        endpoints.Where(e => e.RoutePattern.RawText!.StartsWith("/ops/hooks", StringComparison.Ordinal))
            .Should().HaveCount(secured.Count).And.OnlyContain(e => e.Metadata.GetMetadata<IAuthorizeData>() == null);
    }

    [Test]
    public async Task SampleHost_Dashboard_IsMountedAtAdminIntegrations()
    {
        await using var sample = await SampleServer.StartAsync();

        using var response = await sample.Client.GetAsync("/admin/integrations");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var html = await response.Content.ReadAsStringAsync();
        html.Should().Contain("src=\"/admin/integrations/assets/dashboard.js\"");
        html.Should().MatchRegex("<p id=\"notice\" class=\"notice\" role=\"note\">Demo: this sample host lets everyone see and change every integration[^<]*</p>",
            "issue 15: the sample's dashboard is open to everyone, and says so on the page");
    }

    [Test]
    public async Task Page_WithNoticeAndHooksPath_ShowsTheNoticeAsTextAndTheHooksPath()
    {
        var page = await SendAsync(HttpMethod.Get, NoticeBase, user: "admin");

        page.Status.Should().Be(HttpStatusCode.OK);
        page.Text.Should().Contain("<p id=\"notice\" class=\"notice\" role=\"note\">&lt;b&gt;Demo&lt;/b&gt; &amp; open to {{csrf}}</p>");
        page.Text.Should().Contain("<meta name=\"chatintegrations-hooks\" content=\"/webhooks\">");
    }

    [Test]
    public async Task Page_WithoutNotice_HidesTheBannerAndShowsTheDefaultHooksPath()
    {
        var page = await SendAsync(HttpMethod.Get, Base, user: "admin");

        page.Text.Should().Contain("<p id=\"notice\" class=\"notice\" role=\"note\" hidden></p>");
        page.Text.Should().Contain("<meta name=\"chatintegrations-hooks\" content=\"/hooks\">");
    }

    // OMNI-1, GEN-9: the omnichannel settings screen saves through the dashboard copy of the omnichannel routes; the
    // secret token is written, never read back.
    [Test]
    public async Task Omnichannel_SaveWithCsrf_AppliesAndNeverShowsTheSecret()
    {
        var page = await SendAsync(HttpMethod.Get, Base, user: "admin");
        var before = await SendAsync(HttpMethod.Get, Base + "/api/omnichannel", user: "admin");
        var body = new JsonObject
        {
            ["url"] = "https://crm.example.com/hook", ["secretToken"] = "omni-secret-value-1", ["onClose"] = true,
            ["timeoutMs"] = 5000, ["expectedVersion"] = before.Json!["settings"]!["version"]!.DeepClone(),
        }.ToJsonString();

        var saved = await SendAsync(HttpMethod.Put, Base + "/api/omnichannel", body, user: "admin", csrf: MetaToken(page), cookie: CookieValue(page));
        var after = await SendAsync(HttpMethod.Get, Base + "/api/omnichannel", user: "admin");

        saved.Status.Should().Be(HttpStatusCode.OK, saved.Text);
        saved.Text.Should().NotContain("omni-secret-value-1");
        after.Text.Should().NotContain("omni-secret-value-1");
        after.Json!["settings"]!["secretTokenSet"]!.GetValue<bool>().Should().BeTrue();
        after.Json["settings"]!["url"]!.GetValue<string>().Should().Be("https://crm.example.com/hook");
        after.Json["settings"]!["timeoutMs"]!.GetValue<int>().Should().Be(5000);
    }

    [Test]
    public async Task Omnichannel_SaveWithoutCsrf_Returns403AndChangesNothing()
    {
        var before = await SendAsync(HttpMethod.Get, Base + "/api/omnichannel", user: "admin");

        var r = await SendAsync(HttpMethod.Put, Base + "/api/omnichannel", """{"url":"https://evil.example.com/"}""", user: "admin");
        var test = await SendAsync(HttpMethod.Post, Base + "/api/omnichannel/test", user: "admin");

        r.Status.Should().Be(HttpStatusCode.Forbidden);
        r.Json!["error"]!.GetValue<string>().Should().Be("error-csrf");
        test.Status.Should().Be(HttpStatusCode.Forbidden);
        (await SendAsync(HttpMethod.Get, Base + "/api/omnichannel", user: "admin")).Json!["settings"]!.ToJsonString()
            .Should().Be(before.Json!["settings"]!.ToJsonString());
    }

    // SEC-20: the omnichannel screen goes through the authorizer too.
    [Test]
    public async Task Omnichannel_DeniedUser_RefusedEvenWithCsrf()
    {
        var adminPage = await SendAsync(HttpMethod.Get, Base, user: "admin");

        var get = await SendAsync(HttpMethod.Get, Base + "/api/omnichannel", user: "mallory");
        var put = await SendAsync(HttpMethod.Put, Base + "/api/omnichannel", """{"url":"https://evil.example.com/"}""", user: "mallory", csrf: MetaToken(adminPage), cookie: CookieValue(adminPage));

        get.Status.Should().Be(HttpStatusCode.Forbidden);
        get.Text.Should().NotContain("settings");
        put.Status.Should().Be(HttpStatusCode.Forbidden);
        (await SendAsync(HttpMethod.Get, Base + "/api/omnichannel", user: "admin")).Text.Should().NotContain("evil.example.com");
    }

    // GEN-10: the dashboard's "Regenerate token" goes through the CSRF guard; the old URL fails at once, the new works.
    [Test]
    public async Task RegenerateToken_WithCsrf_OldUrlFailsNewUrlPosts()
    {
        var (page, id) = await CreateAsync("token-" + Guid.NewGuid().ToString("N")[..8]);
        var old = (await SendAsync(HttpMethod.Get, Base + "/api/" + id, user: "admin")).Json!["integration"]!["token"]!.GetValue<string>();

        var refused = await SendAsync(HttpMethod.Post, Base + "/api/" + id + "/token", user: "admin");
        var r = await SendAsync(HttpMethod.Post, Base + "/api/" + id + "/token", user: "admin", csrf: MetaToken(page), cookie: CookieValue(page));
        var fresh = r.Json!["token"]!.GetValue<string>();
        var viaOld = await SendAsync(HttpMethod.Post, $"/hooks/{id}/{old}", """{"text":"old"}""");
        var viaNew = await SendAsync(HttpMethod.Post, $"/hooks/{id}/{fresh}", """{"text":"new"}""");

        refused.Status.Should().Be(HttpStatusCode.Forbidden);
        r.Status.Should().Be(HttpStatusCode.OK, r.Text);
        fresh.Should().NotBe(old);
        viaOld.Status.Should().NotBe(HttpStatusCode.OK);
        viaNew.Status.Should().Be(HttpStatusCode.OK, viaNew.Text);
    }

    [Test]
    public void MapChatIntegrationsDashboard_BadOptions_Throw()
    {
        var nullConfigure = () => _server.App.MapChatIntegrationsDashboard("/x1", (Action<ChatIntegrationsDashboardOptions>)null!);
        var badHooks = () => _server.App.MapChatIntegrationsDashboard("/x2", o => o.HooksBasePath = "hooks");
        var nullActor = () => _server.App.MapChatIntegrationsDashboard("/x3", o => o.ActorAccessor = null!);

        nullConfigure.Should().Throw<ArgumentNullException>().WithParameterName("configure");
        badHooks.Should().Throw<ArgumentException>().WithParameterName("HooksBasePath");
        nullActor.Should().Throw<ArgumentNullException>();
    }

    [TestCase("")]
    [TestCase("admin")]
    [TestCase("/")]
    public void MapChatIntegrationsDashboard_InvalidPattern_Throws(string pattern)
    {
        var act = () => _server.App.MapChatIntegrationsDashboard(pattern);

        act.Should().Throw<ArgumentException>().WithParameterName("pattern");
    }

    private static string Incoming(string name) => new JsonObject
    {
        ["type"] = "webhook-incoming", ["name"] = name, ["channel"] = "#general", ["username"] = "rocket.cat",
    }.ToJsonString();

    private async Task<(Answer Page, string Id)> CreateAsync(string name)
    {
        var page = await SendAsync(HttpMethod.Get, Base, user: "admin");
        var r = await SendAsync(HttpMethod.Post, Base + "/api", Incoming(name), user: "admin", csrf: MetaToken(page), cookie: CookieValue(page));
        r.Status.Should().Be(HttpStatusCode.OK, r.Text);
        return (page, r.Json!["integration"]!["_id"]!.GetValue<string>());
    }

    private async Task<int> CountNamedAsync(string name)
    {
        var r = await SendAsync(HttpMethod.Get, Base + "/api?name=" + name, user: "admin");
        r.Status.Should().Be(HttpStatusCode.OK, r.Text);
        return r.Json!["integrations"]!.AsArray().Count(i => i!["name"]!.GetValue<string>() == name);
    }

    private Task<Answer> SendAsync(HttpMethod method, string path, string? body = null, string? user = null, string? csrf = null, string? cookie = null) =>
        DashboardSession.SendAsync(_server.Client, method, path, body, user, csrf, cookie);
}
