using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using ChatIntegrations.AspNetCore.Tests.Infrastructure;
using FluentAssertions;
using Microsoft.AspNetCore.Builder;
using NUnit.Framework;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using ChatIntegrations.Samples.ConsoleHost.Chat;
using Microsoft.Extensions.DependencyInjection;

namespace ChatIntegrations.AspNetCore.Tests;

/// <summary>The omnichannel routes of GEN-13 and the sample's live-chat simulation, end to end against a real CRM
/// receiver on loopback (OMNI-1, OMNI-10, OMNI-36, DLV-24..DLV-27).</summary>
public sealed class OmnichannelEndpointsTests
{
    [TestCase("memory")]
    [TestCase("sqlite")]
    [CancelAfter(30_000)]
    public async Task LiveChatFlow_SettingsThenSessionTakeMessagesClose_CrmReceivesEachEventAndHistoryReplays_GEN13_OMNI10(string store, CancellationToken ct)
    {
        var db = Path.Combine(Path.GetTempPath(), $"omni-{Guid.NewGuid():N}.db");
        await using var crm = await Receiver.StartAsync();
        await using var server = await SampleServer.StartAsync(null, "--ChatIntegrations:Ssrf:AllowList:0=127.0.0.0/8", $"--Sample:Store={store}", $"--Sample:DatabasePath={db}");

        var put = await server.SendAsync(HttpMethod.Put, "/api/omnichannel/webhook", new JsonObject
        {
            ["url"] = crm.Url + "/crm", ["secretToken"] = "s3cret", ["onStart"] = true, ["onTaken"] = true, ["onClose"] = true,
            ["onVisitorMessage"] = true, ["onAgentMessage"] = true, ["onOfflineMessage"] = true, ["onLeadCapture"] = true,
        }.ToJsonString());
        put.Status.Should().Be(HttpStatusCode.OK, put.Text);
        put.Text.Should().NotContain("s3cret", "the secret is never returned (GEN-9)");
        var get = await server.SendAsync(HttpMethod.Get, "/api/omnichannel/webhook");
        get.Json!["settings"]!["secretTokenSet"]!.GetValue<bool>().Should().BeTrue();
        get.Text.Should().NotContain("s3cret");

        var bad = await server.SendAsync(HttpMethod.Put, "/api/omnichannel/webhook", """{"timeoutMs":5}""");
        bad.Status.Should().Be(HttpStatusCode.BadRequest);
        bad.Json!["field"]!.GetValue<string>().Should().Be("timeoutMs");

        var test = await server.SendAsync(HttpMethod.Post, "/api/omnichannel/webhook/test");
        test.Status.Should().Be(HttpStatusCode.OK, test.Text);

        var start = await server.PostJsonAsync("/api/livechat/sessions", """{"name":"Jane Roe","email":"jane@example.org","topic":"billing"}""");
        start.Status.Should().Be(HttpStatusCode.OK, start.Text);
        var id = start.Json!["session"]!["_id"]!.GetValue<string>();
        (await server.PostJsonAsync($"/api/livechat/sessions/{id}/take", """{"agent":"agent.smith"}""")).Status.Should().Be(HttpStatusCode.OK);
        (await server.PostJsonAsync($"/api/livechat/sessions/{id}/messages", """{"from":"visitor","text":"My invoice is wrong"}""")).Status.Should().Be(HttpStatusCode.OK);
        (await server.PostJsonAsync($"/api/livechat/sessions/{id}/messages", """{"from":"agent","text":"Checking now"}""")).Status.Should().Be(HttpStatusCode.OK);
        (await server.PostJsonAsync($"/api/livechat/sessions/{id}/close", """{"comment":"Thanks, bye"}""")).Status.Should().Be(HttpStatusCode.OK);
        (await server.PostJsonAsync("/api/livechat/offline", """{"name":"Jim","email":"jim@example.org","message":"Call me"}""")).Status.Should().Be(HttpStatusCode.OK);

        // test + start + taken + 2 messages + close + offline (queued is off)
        await crm.WaitForAsync(7, ct);
        var types = crm.Requests.Select(r => JsonNode.Parse(r.Body)!["type"]!.GetValue<string>()).ToList();
        types.Should().BeEquivalentTo(["LivechatSession", "LivechatSessionStart", "LivechatSessionTaken", "Message", "Message", "LivechatSession", "LivechatOfflineMessage"]);
        crm.Requests.Should().OnlyContain(r => r.Token == "s3cret");
        var close = crm.Requests.Select(r => JsonNode.Parse(r.Body)!.AsObject()).Last(b => b["type"]!.GetValue<string>() == "LivechatSession" && b["_id"]!.GetValue<string>() == id);
        close["messages"]!.AsArray().Select(m => m!["msg"]!.GetValue<string>()).Should().Equal("My invoice is wrong", "Checking now", "Thanks, bye");

        Answer history = null!;
        await WaitUntilAsync(async () => (history = await server.SendAsync(HttpMethod.Get, "/api/omnichannel/webhook/history?count=100")).Json!["total"]!.GetValue<int>() == 6, ct);
        history.Text.Should().NotContain("s3cret");
        history.Json!["history"]!.AsArray().Should().OnlyContain(h => h!["type"]!.GetValue<string>() == "omnichannel-webhook");
        var started = history.Json!["history"]!.AsArray().First(h => h!["event"]!.GetValue<string>() == "LivechatSessionStart")!;

        // Deliveries are unordered (DLV-37); once all have finished, a replay carries the CRM's answer (OMNI-35, text mode).
        var replay = await server.SendAsync(HttpMethod.Post, $"/api/omnichannel/webhook/history/{started["_id"]!.GetValue<string>()}/replay");
        replay.Status.Should().Be(HttpStatusCode.OK, replay.Text);
        await crm.WaitForAsync(8, ct);
        var replayed = JsonNode.Parse(crm.Requests.Last().Body)!.AsObject();
        replayed["type"]!.GetValue<string>().Should().Be("LivechatSessionStart");
        replayed["crmData"]!.GetValue<string>().Should().Be("ok");

        var cleared = await server.SendAsync(HttpMethod.Delete, "/api/omnichannel/webhook/history");
        cleared.Status.Should().Be(HttpStatusCode.OK);
        (await server.SendAsync(HttpMethod.Post, "/api/omnichannel/webhook/history/nope/replay")).Status.Should().Be(HttpStatusCode.NotFound);
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task MapChatIntegrations_RequireAuthorization_AppliesToOmnichannelRoutes_GEN13(CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder(["--urls", "http://127.0.0.1:0"]);
        builder.Services.AddSingleton<SampleChat>();
        builder.Services.AddSingleton<SampleChatEvents>();
        builder.Services.AddAuthorization();
        builder.Services.AddChatIntegrations().AddChatDirectory<SampleChatDirectory>().AddMessageSink<SampleMessageSink>().AllowAllOperations();
        await using var app = builder.Build();

        var mapped = app.MapChatIntegrations().RequireAuthorization();

        mapped.Omnichannel.Should().NotBeNull();
        var endpoints = ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.StartsWith("/api/omnichannel/webhook", StringComparison.Ordinal)).ToList();
        endpoints.Should().HaveCount(6);
        endpoints.Should().OnlyContain(e => e.Metadata.GetMetadata<IAuthorizeData>() != null);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, CancellationToken ct)
    {
        while (!await condition()) await Task.Delay(10, ct);
    }

    private sealed record Received(string Body, string? Token);

    /// <summary>A CRM stand-in on loopback: answers 200 with <c>ok</c>.</summary>
    private sealed class Receiver : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private Receiver(WebApplication app) => _app = app;

        public ConcurrentQueue<Received> Requests { get; } = new();

        public string Url => _app.Urls.First();

        public static async Task<Receiver> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder(["--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning"]);
            var app = builder.Build();
            var receiver = new Receiver(app);
            app.MapPost("/crm", async (HttpRequest request) =>
            {
                using var reader = new StreamReader(request.Body);
                receiver.Requests.Enqueue(new Received(await reader.ReadToEndAsync(), request.Headers["X-RocketChat-Livechat-Token"].FirstOrDefault()));
                return Results.Text("ok");
            });
            await app.StartAsync();
            return receiver;
        }

        public async Task WaitForAsync(int count, CancellationToken ct)
        {
            while (Requests.Count < count) await Task.Delay(10, ct);
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
