using System.Net;
using System.Text.Json.Nodes;
using System.Web;
using FluentAssertions;
using NUnit.Framework;

namespace ChatIntegrations.AspNetCore.Tests.Outgoing;

/// <summary>Outgoing webhooks end to end: the sample host's chat API publishes chat events (OUT-10, OUT-14), the hosted
/// dispatcher delivers them to a real loopback receiver, and the receiver's answer comes back as a bot message.</summary>
[TestFixture]
[CancelAfter(30_000)]
public sealed class OutgoingEventsEndToEndTests : OutgoingTestBase
{
    // OUT-20, OUT-21, OUT-23, OUT-24, OUT-60, OUT-61, DLV-7: the Rocket.Chat payload, its token and the webhook headers.
    [Test]
    public async Task PostMessage_TriggerWordByAlice_ReceiverGetsRocketChatPayload()
    {
        var (_, token) = await CreateOutgoingAsync();

        var posted = await PostMessageAsync("general", "alice", "!deploy api");
        var request = await Receiver.NextAsync();

        request.Method.Should().Be("POST");
        request.PathAndQuery.Should().Be("/hook");
        request.Header("Content-Type").Should().StartWith("application/json");
        request.Header("webhook-id").Should().MatchRegex("^dlv_[0-9a-f]{32}$");
        request.Header("webhook-timestamp").Should().MatchRegex("^[0-9]+$");
        request.Header("User-Agent").Should().StartWith("ChatIntegrations/");
        request.Header("webhook-signature").Should().BeNull("no signing secret is set");
        var data = request.Json;
        data["token"]!.GetValue<string>().Should().Be(token);
        data["bot"]!.GetValue<bool>().Should().BeFalse();
        data["trigger_word"]!.GetValue<string>().Should().Be("!deploy");
        data["channel_id"]!.GetValue<string>().Should().Be("GENERAL");
        data["channel_name"]!.GetValue<string>().Should().Be("general");
        data["message_id"]!.GetValue<string>().Should().Be(posted["_id"]!.GetValue<string>());
        data["timestamp"]!.GetValue<string>().Should().Be(posted["ts"]!.GetValue<string>()).And.MatchRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$");
        data["user_id"]!.GetValue<string>().Should().Be("u-alice");
        data["user_name"]!.GetValue<string>().Should().Be("alice");
        data["text"]!.GetValue<string>().Should().Be("!deploy api");
        data["siteUrl"]!.GetValue<string>().Should().NotBeNullOrEmpty("appsettings.json sets ChatIntegrations:SiteUrl");
    }

    // OUT-71, OUT-72, OUT-73, MSG-9: a JSON answer with text becomes a bot message in the event's room.
    [Test]
    public async Task PostMessage_ReceiverAnswersText_ReplyAppearsInGeneralAsBotMessage()
    {
        var (id, _) = await CreateOutgoingAsync();
        Receiver.Respond = _ => new(200, """{"text":"deploying"}""");

        await PostMessageAsync("general", "alice", "!deploy api");
        await Receiver.NextAsync();
        var (message, result) = await Feed.NextAsync();

        result.Succeeded.Should().BeTrue(result.Error);
        message.Text.Should().Be("deploying");
        message.BotIntegrationId.Should().Be(id);
        var stored = Server.LastMessage("general");
        stored.Text.Should().Be("deploying");
        stored.SenderUsername.Should().Be("rocket.cat");
        stored.BotIntegrationId.Should().Be(id);
        var api = await Server.SendAsync(HttpMethod.Get, "/api/rooms/general/messages");
        api.Json!["messages"]!.AsArray()[^1]!["bot"]!["i"]!.GetValue<string>().Should().Be(id);
    }

    // OUT-62, OUT-40 (first-word-exact), OUT-74: a Mattermost-style integration; response_type comment → thread reply.
    [Test]
    public async Task PostMessage_MattermostStyleCommentAnswer_PostsThreadReplyToTriggeringMessage()
    {
        var (id, token) = await CreateOutgoingAsync(new JsonObject
        {
            ["triggerWords"] = new JsonArray("build"), ["triggerWordMode"] = "first-word-exact", ["payloadFormat"] = "slack-form",
        });
        Receiver.Respond = _ => new(200, """{"text":"x","response_type":"comment","username":"ci"}""");

        var posted = await PostMessageAsync("general", "bob", "build status");
        var request = await Receiver.NextAsync();
        var (message, result) = await Feed.NextAsync();

        request.Header("Content-Type").Should().StartWith("application/x-www-form-urlencoded");
        var form = HttpUtility.ParseQueryString(request.Text);
        form.AllKeys.Should().Equal("token", "team_id", "team_domain", "channel_id", "channel_name", "timestamp", "user_id", "user_name", "post_id", "text", "trigger_word", "file_ids");
        form["token"].Should().Be(token);
        form["post_id"].Should().Be(posted["_id"]!.GetValue<string>());
        form["text"].Should().Be("build status");
        form["trigger_word"].Should().Be("build");
        result.Succeeded.Should().BeTrue(result.Error);
        message.ThreadId.Should().Be(posted["_id"]!.GetValue<string>());
        message.Alias.Should().Be("ci");
        message.BotIntegrationId.Should().Be(id);
        Server.LastMessage("general").ThreadId.Should().Be(posted["_id"]!.GetValue<string>());
    }

    // OUT-44: a message without the trigger word creates no delivery; the next matching one is the first request.
    [Test]
    public async Task PostMessage_WithoutTriggerWord_DoesNotFire()
    {
        await CreateOutgoingAsync();

        await PostMessageAsync("general", "alice", "deploy without the bang");
        await PostMessageAsync("general", "alice", "!deploy second");
        var request = await Receiver.NextAsync();

        request.Json["text"]!.GetValue<string>().Should().Be("!deploy second");
        Receiver.Waiting.Should().Be(0);
    }

    // MSG-9, OUT-50, OUT-53: messages posted by integrations (through the sink) fire sendMessage with the bot marker,
    // and only integrations that opted in with triggerOnIntegrationMessages receive them.
    [Test]
    public async Task SinkPostedMessage_IncomingWebhook_FiresOnlyOptedInIntegrationsWithBotTrue()
    {
        await CreateOutgoingAsync(new JsonObject { ["urls"] = new JsonArray(Receiver.Url("/plain")) });
        await CreateOutgoingAsync(new JsonObject { ["urls"] = new JsonArray(Receiver.Url("/relay")), ["triggerOnIntegrationMessages"] = true });
        var (hookId, hookToken) = await Server.CreateIncomingAsync();

        var hook = await Server.PostJsonAsync($"/hooks/{hookId}/{hookToken}", """{"text":"!deploy from ci"}""");
        hook.Status.Should().Be(HttpStatusCode.OK, hook.Text);
        var first = await Receiver.NextAsync();
        await PostMessageAsync("general", "alice", "!deploy by hand");
        var second = await Receiver.NextAsync();
        var third = await Receiver.NextAsync();

        first.PathAndQuery.Should().Be("/relay");
        first.Json["bot"]!.GetValue<bool>().Should().BeTrue();
        first.Json["text"]!.GetValue<string>().Should().Be("!deploy from ci");
        new[] { second, third }.Select(r => r.PathAndQuery).Should().BeEquivalentTo(["/plain", "/relay"]);
        new[] { second, third }.Should().OnlyContain(r => r.Json["text"]!.GetValue<string>() == "!deploy by hand" && !r.Json["bot"]!.GetValue<bool>());
    }

    // OUT-10, OUT-21: POST /api/rooms fires roomCreated with the owner and the room snapshot.
    [Test]
    public async Task CreateRoom_PostApiRooms_FiresRoomCreatedWithOwnerAndRoom()
    {
        await CreateOutgoingAsync(new JsonObject { ["event"] = "roomCreated", ["triggerWords"] = new JsonArray() });

        var r = await Server.PostJsonAsync("/api/rooms", """{"name":"dev","type":"p","user":"alice"}""");
        var request = await Receiver.NextAsync();

        r.Status.Should().Be(HttpStatusCode.OK, r.Text);
        var roomId = r.Json!["room"]!["_id"]!.GetValue<string>();
        Server.Chat.FindRoom("dev")!.IsMember("u-alice").Should().BeTrue();
        var data = request.Json;
        data["channel_id"]!.GetValue<string>().Should().Be(roomId);
        data["channel_name"]!.GetValue<string>().Should().Be("dev");
        data["user_id"]!.GetValue<string>().Should().Be("u-alice");
        data["user_name"]!.GetValue<string>().Should().Be("alice");
        data["owner"]!["username"]!.GetValue<string>().Should().Be("alice");
        data["room"]!["t"]!.GetValue<string>().Should().Be("p");
        data["room"]!["u"]!["username"]!.GetValue<string>().Should().Be("alice");
        data["timestamp"]!.GetValue<string>().Should().NotBeNullOrEmpty();
    }

    // OUT-10, OUT-21: join and leave fire roomJoined and roomLeft for integrations on that room (channel filter).
    [Test]
    public async Task JoinAndLeave_Random_FireRoomJoinedAndRoomLeft()
    {
        await CreateOutgoingAsync(new JsonObject { ["event"] = "roomLeft", ["channel"] = "#random", ["triggerWords"] = new JsonArray(), ["urls"] = new JsonArray(Receiver.Url("/left")) });
        await CreateOutgoingAsync(new JsonObject { ["event"] = "roomJoined", ["channel"] = "#random", ["triggerWords"] = new JsonArray(), ["urls"] = new JsonArray(Receiver.Url("/joined")) });

        var leave = await Server.PostJsonAsync("/api/rooms/random/leave", """{"user":"bob"}""");
        var left = await Receiver.NextAsync();
        var join = await Server.PostJsonAsync("/api/rooms/random/join", """{"user":"bob"}""");
        var joined = await Receiver.NextAsync();

        leave.Status.Should().Be(HttpStatusCode.OK, leave.Text);
        join.Status.Should().Be(HttpStatusCode.OK, join.Text);
        left.PathAndQuery.Should().Be("/left");
        joined.PathAndQuery.Should().Be("/joined");
        foreach (var data in new[] { left.Json, joined.Json })
        {
            data["channel_id"]!.GetValue<string>().Should().Be("r-random");
            data["channel_name"]!.GetValue<string>().Should().Be("random");
            data["user_name"]!.GetValue<string>().Should().Be("bob");
            data["user"]!["_id"]!.GetValue<string>().Should().Be("u-bob");
            data["room"]!["name"]!.GetValue<string>().Should().Be("random");
        }

        Server.Chat.FindRoom("random")!.IsMember("u-bob").Should().BeTrue();
    }

    // OUT-10, OUT-12, OUT-21: archiving fires roomArchived whatever the integration's channel.
    [Test]
    public async Task ArchiveRoom_NewRoom_FiresRoomArchived()
    {
        (await Server.PostJsonAsync("/api/rooms", """{"name":"old-stuff","type":"c","user":"bob"}""")).Status.Should().Be(HttpStatusCode.OK);
        await CreateOutgoingAsync(new JsonObject { ["event"] = "roomArchived", ["triggerWords"] = new JsonArray() });

        var r = await Server.PostJsonAsync("/api/rooms/old-stuff/archive", """{"user":"admin"}""");
        var request = await Receiver.NextAsync();
        var again = await Server.PostJsonAsync("/api/rooms/old-stuff/archive", "{}");

        r.Status.Should().Be(HttpStatusCode.OK, r.Text);
        request.Json["channel_name"]!.GetValue<string>().Should().Be("old-stuff");
        request.Json["user_name"]!.GetValue<string>().Should().Be("admin");
        request.Json["room"]!["archived"]!.GetValue<bool>().Should().BeTrue();
        again.Status.Should().Be(HttpStatusCode.BadRequest);
        again.Error.Should().Be("error-room-archived");
    }

    // OUT-10, OUT-21: POST /api/users fires userCreated; the integration needs a targetRoom, where its reply goes (OUT-72).
    [Test]
    public async Task CreateUser_PostApiUsers_FiresUserCreatedAndReplyGoesToTargetRoom()
    {
        var missing = await Server.SendAsync(HttpMethod.Post, "/api/integrations", new JsonObject
        {
            ["type"] = "webhook-outgoing", ["event"] = "userCreated", ["urls"] = new JsonArray(Receiver.Url()), ["username"] = "rocket.cat",
        }.ToJsonString());
        var (id, _) = await CreateOutgoingAsync(new JsonObject { ["event"] = "userCreated", ["triggerWords"] = new JsonArray(), ["targetRoom"] = "#random" });
        Receiver.Respond = _ => new(200, """{"text":"welcome carol"}""");

        var r = await Server.PostJsonAsync("/api/users", """{"username":"carol","name":"Carol"}""");
        var request = await Receiver.NextAsync();
        var (message, _) = await Feed.NextAsync();

        missing.Status.Should().Be(HttpStatusCode.BadRequest);
        missing.Error.Should().Be("error-invalid-targetRoom");
        r.Status.Should().Be(HttpStatusCode.OK, r.Text);
        var data = request.Json;
        data["user_name"]!.GetValue<string>().Should().Be("carol");
        data["user_id"]!.GetValue<string>().Should().Be(r.Json!["user"]!["_id"]!.GetValue<string>());
        data["user"]!["name"]!.GetValue<string>().Should().Be("Carol");
        data["timestamp"]!.GetValue<string>().Should().NotBeNullOrEmpty();
        message.RoomId.Should().Be("r-random");
        message.BotIntegrationId.Should().Be(id);
    }

    // The sample's chat API answers bad requests with the Rocket.Chat-style envelope.
    [TestCase("/api/rooms", """{"name":"general","type":"c","user":"alice"}""", HttpStatusCode.BadRequest, "error-duplicate-channel-name")]
    [TestCase("/api/rooms", """{"name":"x y","type":"c","user":"alice"}""", HttpStatusCode.BadRequest, "error-invalid-room-name")]
    [TestCase("/api/rooms", """{"name":"dm","type":"d","user":"alice"}""", HttpStatusCode.BadRequest, "error-invalid-room-type")]
    [TestCase("/api/rooms", """{"name":"dev","type":"c","user":"nobody"}""", HttpStatusCode.BadRequest, "error-invalid-user")]
    [TestCase("/api/users", """{"username":"alice"}""", HttpStatusCode.BadRequest, "error-username-taken")]
    [TestCase("/api/users", """{"name":"no username"}""", HttpStatusCode.BadRequest, "error-invalid-username")]
    [TestCase("/api/rooms/nowhere/join", """{"user":"bob"}""", HttpStatusCode.NotFound, "error-room-not-found")]
    [TestCase("/api/rooms/ops/leave", """{"user":"rocket.cat"}""", HttpStatusCode.BadRequest, "error-user-not-in-room")]
    [TestCase("/api/rooms/general/join", "[1]", HttpStatusCode.BadRequest, "error-invalid-body")]
    [TestCase("/api/rooms/general/archive", "{", HttpStatusCode.BadRequest, "error-invalid-json")]
    public async Task ChatApi_BadInput_ReturnsError(string path, string body, HttpStatusCode status, string error)
    {
        var r = await Server.PostJsonAsync(path, body);

        r.Status.Should().Be(status, r.Text);
        r.Error.Should().Be(error);
    }
}
