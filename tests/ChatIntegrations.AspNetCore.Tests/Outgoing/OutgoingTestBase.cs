using System.Net;
using System.Text.Json.Nodes;
using ChatIntegrations.AspNetCore.Tests.Infrastructure;
using FluentAssertions;
using NUnit.Framework;

namespace ChatIntegrations.AspNetCore.Tests.Outgoing;

/// <summary>Each test gets its own sample host (real Kestrel, memory store, loopback allow-listed for SEC-11), a real
/// loopback receiver and a feed of the messages the engine posts. Tests wait on the receiver and the feed, never on
/// fixed sleeps.</summary>
public abstract class OutgoingTestBase
{
    internal SampleServer Server { get; private set; } = null!;

    internal WebhookReceiver Receiver { get; private set; } = null!;

    internal MessageFeed Feed { get; private set; } = null!;

    [SetUp]
    public async Task StartAsync()
    {
        Receiver = await WebhookReceiver.StartAsync();
        Feed = new MessageFeed();
        Server = await SampleServer.StartAsync(Feed.Install, "--ChatIntegrations:Ssrf:AllowList:0=127.0.0.0/8", "--Sample:CreateDemoWebhook=false");
    }

    [TearDown]
    public async Task StopAsync()
    {
        await Server.DisposeAsync();
        await Receiver.DisposeAsync();
    }

    /// <summary>Creates an outgoing integration through the admin API: by default <c>sendMessage</c> on #general with
    /// the trigger word <c>!deploy</c>, posting as rocket.cat, to the receiver's <c>/hook</c>.</summary>
    internal async Task<(string Id, string Token)> CreateOutgoingAsync(JsonObject? overrides = null)
    {
        var doc = new JsonObject
        {
            ["type"] = "webhook-outgoing",
            ["name"] = "out-" + Guid.NewGuid().ToString("N")[..8],
            ["enabled"] = true,
            ["event"] = "sendMessage",
            ["channel"] = "#general",
            ["triggerWords"] = new JsonArray("!deploy"),
            ["urls"] = new JsonArray(Receiver.Url()),
            ["username"] = "rocket.cat",
        };
        foreach (var (k, v) in overrides ?? []) doc[k] = v?.DeepClone();
        var r = await Server.SendAsync(HttpMethod.Post, "/api/integrations", doc.ToJsonString());
        r.Status.Should().Be(HttpStatusCode.OK, r.Text);
        return (r.Json!["integration"]!["_id"]!.GetValue<string>(), r.Json["integration"]!["token"]!.GetValue<string>());
    }

    /// <summary>Posts a message through the sample's chat API and returns the stored message.</summary>
    internal async Task<JsonObject> PostMessageAsync(string room, string user, string text)
    {
        var r = await Server.PostJsonAsync($"/api/rooms/{room}/messages", new JsonObject { ["user"] = user, ["text"] = text }.ToJsonString());
        r.Status.Should().Be(HttpStatusCode.OK, r.Text);
        return r.Json!["message"]!.AsObject();
    }

    /// <summary>Polls the history route until a record satisfies <paramref name="done"/> (the dispatcher writes the
    /// final step just after the receiver answered, so there is no event to await).</summary>
    internal async Task<JsonArray> WaitForHistoryAsync(string id, Func<JsonArray, bool> done, string query = "")
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var r = await Server.SendAsync(HttpMethod.Get, $"/api/integrations/{id}/history{query}");
            r.Status.Should().Be(HttpStatusCode.OK, r.Text);
            var history = r.Json!["history"]!.AsArray();
            if (done(history)) return history;
            await Task.Delay(20, cts.Token);
        }
    }

    internal static bool AllFinished(JsonArray history, int count) =>
        history.Count == count && history.All(h => h!["finished"]?.GetValue<bool>() == true);
}
