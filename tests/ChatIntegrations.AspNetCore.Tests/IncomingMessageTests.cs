using System.Net;
using System.Text.Json.Nodes;
using ChatIntegrations.AspNetCore.Tests.Infrastructure;
using FluentAssertions;
using NUnit.Framework;

namespace ChatIntegrations.AspNetCore.Tests;

/// <summary>Destinations and message mapping, observed through the sample chat's HTTP API.</summary>
[TestFixture]
[CancelAfter(20_000)]
public sealed class IncomingMessageTests
{
    private SampleServer _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _server = await SampleServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    private async Task<JsonObject> LastMessageJsonAsync(string room)
    {
        var r = await _server.SendAsync(HttpMethod.Get, $"/api/rooms/{room}/messages");
        r.Status.Should().Be(HttpStatusCode.OK);
        return r.Json!["messages"]!.AsArray()[^1]!.AsObject();
    }

    // IN-41..IN-43: #name, room id, @username (DM created on demand), bare user id (DM).
    [TestCase("#random", "r-random")]
    [TestCase("random", "r-random")]
    [TestCase("r-random", "r-random")]
    [TestCase("@alice", "dm-alice-rocket.cat")]
    [TestCase("@u-bob", "dm-bob-rocket.cat")]
    [TestCase("u-bob", "dm-bob-rocket.cat")]
    public async Task HandleIncoming_DestinationForms_ResolveToRoom(string channel, string roomId)
    {
        var (id, token) = await _server.CreateIncomingAsync(new JsonObject { ["overrideDestinationChannelEnabled"] = true });

        var r = await _server.PostJsonAsync($"/hooks/{id}/{token}", new JsonObject { ["text"] = "to " + channel, ["channel"] = channel }.ToJsonString());

        r.Status.Should().Be(HttpStatusCode.OK, r.Text);
        _server.LastMessage(roomId).Text.Should().Be("to " + channel);
    }

    // IN-43: a username without a prefix is not a user (ids only).
    [Test]
    public async Task HandleIncoming_BareUsername_IsInvalidChannel()
    {
        var (id, token) = await _server.CreateIncomingAsync(new JsonObject { ["overrideDestinationChannelEnabled"] = true });

        var r = await _server.PostJsonAsync($"/hooks/{id}/{token}", """{"text":"x","channel":"alice"}""");

        r.Status.Should().Be(HttpStatusCode.BadRequest);
        r.Error.Should().Be("invalid-channel");
    }

    // IN-40, IN-45: arrays, duplicates removed, two entries naming one room post once.
    [Test]
    public async Task HandleIncoming_ArrayWithDuplicates_PostsOncePerRoom()
    {
        var (id, token) = await _server.CreateIncomingAsync(new JsonObject { ["overrideDestinationChannelEnabled"] = true });
        var random = _server.MessageCount("random");
        var notifications = _server.MessageCount("notifications");

        var r = await _server.PostJsonAsync($"/hooks/{id}/{token}", """{"text":"fan out","channel":["#random"," #random ","r-random","#notifications",""]}""");

        r.Status.Should().Be(HttpStatusCode.OK, r.Text);
        _server.MessageCount("random").Should().Be(random + 1);
        _server.MessageCount("notifications").Should().Be(notifications + 1);
    }

    // IN-40: the integration's own channel list is used when the body names none; roomId is an alias of channel.
    [Test]
    public async Task HandleIncoming_RoomIdKey_IsADestination()
    {
        var (id, token) = await _server.CreateIncomingAsync(new JsonObject { ["overrideDestinationChannelEnabled"] = true });

        var r = await _server.PostJsonAsync($"/hooks/{id}/{token}", """{"text":"by roomId","roomId":"r-notifications"}""");

        r.Status.Should().Be(HttpStatusCode.OK, r.Text);
        _server.LastMessage("notifications").Text.Should().Be("by roomId");
    }

    // IN-48, worked example B: the override guard allows repeating the configured room, refuses another.
    [Test]
    public async Task HandleIncoming_OverrideGuard_WorkedExampleB()
    {
        var (id, token) = await _server.CreateIncomingAsync(new JsonObject { ["channel"] = "#general", ["overrideDestinationChannelEnabled"] = false });

        var same = await _server.PostJsonAsync($"/hooks/{id}/{token}", """{"text":"hi","channel":"#general"}""");
        var other = await _server.PostJsonAsync($"/hooks/{id}/{token}", """{"text":"hi","channel":"#random"}""");

        same.Status.Should().Be(HttpStatusCode.OK, same.Text);
        other.Status.Should().Be(HttpStatusCode.BadRequest);
        other.Text.Should().Be("""{"success":false,"error":"overriding destination channel is disabled for this integration"}""");
    }

    // IN-44, SEC threat table: the bot is not a member of the private room #ops.
    [Test]
    public async Task HandleIncoming_PrivateRoomWithoutMembership_ReturnsNotAllowed()
    {
        var (id, token) = await _server.CreateIncomingAsync(new JsonObject { ["overrideDestinationChannelEnabled"] = true });

        var r = await _server.PostJsonAsync($"/hooks/{id}/{token}", """{"text":"sneak","channel":"#ops"}""");

        r.Status.Should().Be(HttpStatusCode.BadRequest);
        r.Text.Should().Be("""{"success":false,"error":"error-not-allowed"}""");
        _server.MessageCount("ops").Should().Be(0);
    }

    // IN-41: an unknown room.
    [Test]
    public async Task HandleIncoming_UnknownRoom_ReturnsInvalidChannel()
    {
        var (id, token) = await _server.CreateIncomingAsync(new JsonObject { ["overrideDestinationChannelEnabled"] = true });

        var r = await _server.PostJsonAsync($"/hooks/{id}/{token}", """{"text":"x","channel":"#does-not-exist"}""");

        r.Status.Should().Be(HttpStatusCode.BadRequest);
        r.Error.Should().Be("invalid-channel");
    }

    // MSG-20, MSG-22: the worked example's table (integration alias CI, emoji :gear:).
    [TestCase("""{"text":"a"}""", "CI", null, ":gear:")]
    [TestCase("""{"text":"a","username":"deploy-bot"}""", "deploy-bot", null, ":gear:")]
    [TestCase("""{"text":"a","icon_emoji":":rocket:"}""", "CI", null, ":rocket:")]
    [TestCase("""{"text":"a","icon_url":"https://x/y.png","icon_emoji":":rocket:"}""", "CI", "https://x/y.png", null)]
    [TestCase("""{"text":"a","alias":"A","username":"U"}""", "U", null, ":gear:")]
    public async Task HandleIncoming_IdentityPrecedence_FollowsMsg22(string body, string alias, string? avatar, string? emoji)
    {
        var (id, token) = await _server.CreateIncomingAsync(new JsonObject { ["channel"] = "#random", ["alias"] = "CI", ["emoji"] = ":gear:" });

        var r = await _server.PostJsonAsync($"/hooks/{id}/{token}", body);

        r.Status.Should().Be(HttpStatusCode.OK, r.Text);
        var m = await LastMessageJsonAsync("random");
        m["alias"]?.GetValue<string>().Should().Be(alias);
        m["avatar"]?.GetValue<string>().Should().Be(avatar);
        m["emoji"]?.GetValue<string>().Should().Be(emoji);
        if (avatar is null) m.ContainsKey("avatar").Should().BeFalse();
        if (emoji is null) m.ContainsKey("emoji").Should().BeFalse();
        // MSG-21: the sender is always the post-as user; MSG-3: the bot marker names the integration.
        m["u"]!["username"]!.GetValue<string>().Should().Be("rocket.cat");
        m["bot"]!["i"]!.GetValue<string>().Should().Be(id);
    }

    // MSG-40, MSG-41: the Slack-style worked example of messages.md, as extended for issue 13: a data: icon kept as
    // avatar and author_icon (MSG-20, MSG-33), a pretext that keeps its white space while the legacy msg is trimmed
    // (MSG-31), a field without short that stays without it (MSG-32), and a javascript: link dropped (MSG-33).
    [Test]
    public async Task HandleIncoming_SlackPayload_TranslatedAsWorkedExample()
    {
        var (id, token) = await _server.CreateIncomingAsync(new JsonObject { ["channel"] = "#random" });
        const string body = """
            {"text":"<!here> deploy of <https://ci.example/r/42|run 42> failed","username":"CI",
             "icon_url":"data:image/png;base64,iVBORw0KGgo=",
             "attachments":[{"color":"danger","title":"api","title_link":"javascript:alert(1)",
               "author_name":"ci","author_icon":"data:image/png;base64,iVBORw0KGgo=","pretext":" step 3 of 4\n",
               "fields":[{"title":"Duration","value":93,"short":"true"},{"title":"Runner","value":"r-7"}],"msg":" see logs "}]}
            """;

        var r = await _server.PostJsonAsync($"/hooks/{id}/{token}", body);

        r.Status.Should().Be(HttpStatusCode.OK, r.Text);
        var m = await LastMessageJsonAsync("random");
        m["msg"]!.GetValue<string>().Should().Be("@here deploy of [run 42](https://ci.example/r/42) failed");
        m["alias"]!.GetValue<string>().Should().Be("CI");
        m["avatar"]!.GetValue<string>().Should().Be("data:image/png;base64,iVBORw0KGgo=");
        m["parseUrls"]!.GetValue<bool>().Should().BeFalse();
        m["groupable"]!.GetValue<bool>().Should().BeFalse();
        JsonNode.DeepEquals(m["attachments"], JsonNode.Parse("""
            [{"color":"danger","title":"api","author_name":"ci","author_icon":"data:image/png;base64,iVBORw0KGgo=",
              "pretext":" step 3 of 4\n","text":"see logs",
              "fields":[{"title":"Duration","value":"93","short":true},{"title":"Runner","value":"r-7"}]}]
            """)).Should().BeTrue(m["attachments"]!.ToJsonString());
    }

    // MSG-10: 5000 UTF-16 units pass, 5001 fail.
    [TestCase(5000, 200)]
    [TestCase(5001, 400)]
    public async Task HandleIncoming_TextLength_LimitedTo5000(int length, int status)
    {
        var (id, token) = await _server.CreateIncomingAsync();

        var r = await _server.PostJsonAsync($"/hooks/{id}/{token}", new JsonObject { ["text"] = new string('x', length) }.ToJsonString());

        ((int)r.Status).Should().Be(status, r.Text);
        if (status == 400) r.Error.Should().Be("error-message-size-exceeded");
    }

    // IN-30, MSG-1: every field the sink receives is stored and returned by the sample's API.
    [Test]
    public async Task HandleIncoming_AllFields_ReachTheSinkAndTheRoomApi()
    {
        var (id, token) = await _server.CreateIncomingAsync(new JsonObject { ["channel"] = "#random" });
        var parent = await _server.SendAsync(HttpMethod.Post, "/api/rooms/random/messages", """{"user":"alice","text":"parent"}""");
        var tmid = parent.Json!["message"]!["_id"]!.GetValue<string>();

        var r = await _server.PostJsonAsync($"/hooks/{id}/{token}", new JsonObject
        {
            ["text"] = "full", ["alias"] = "Full", ["avatar"] = "https://example.com/a.png", ["tmid"] = tmid,
            ["groupable"] = true, ["parseUrls"] = true, ["customFields"] = new JsonObject { ["ticket"] = "T-1" },
            ["attachments"] = new JsonArray(new JsonObject { ["text"] = "att" }), ["bot"] = new JsonObject { ["i"] = "forged" },
        }.ToJsonString());

        r.Status.Should().Be(HttpStatusCode.OK, r.Text);
        var m = await LastMessageJsonAsync("random");
        m["msg"]!.GetValue<string>().Should().Be("full");
        m["alias"]!.GetValue<string>().Should().Be("Full");
        m["avatar"]!.GetValue<string>().Should().Be("https://example.com/a.png");
        m["tmid"]!.GetValue<string>().Should().Be(tmid);
        m["groupable"]!.GetValue<bool>().Should().BeTrue();
        m["parseUrls"]!.GetValue<bool>().Should().BeTrue();
        m["customFields"]!["ticket"]!.GetValue<string>().Should().Be("T-1");
        m["attachments"]!.AsArray().Should().HaveCount(1);
        m["bot"]!["i"]!.GetValue<string>().Should().Be(id);
        m["_id"]!.GetValue<string>().Should().HaveLength(17);
        m["ts"]!.GetValue<string>().Should().EndWith("Z");
    }

    // IN-49: the sample sink refuses a thread id from another room.
    [Test]
    public async Task HandleIncoming_UnknownThread_ReturnsInvalidThread()
    {
        var (id, token) = await _server.CreateIncomingAsync(new JsonObject { ["channel"] = "#random" });

        var r = await _server.PostJsonAsync($"/hooks/{id}/{token}", """{"text":"reply","tmid":"nosuchmessage"}""");

        r.Status.Should().Be(HttpStatusCode.BadRequest);
        r.Error.Should().Be("error-invalid-thread");
    }

    // The sample's own chat API: 400 for unknown user, unknown room and empty text.
    [TestCase("general", """{"user":"ghost","text":"x"}""", "error-invalid-user")]
    [TestCase("nowhere", """{"user":"alice","text":"x"}""", "error-invalid-room")]
    [TestCase("general", """{"user":"alice","text":"  "}""", "error-empty-message")]
    public async Task ChatApi_InvalidPost_Returns400(string room, string body, string error)
    {
        var r = await _server.SendAsync(HttpMethod.Post, $"/api/rooms/{room}/messages", body);

        r.Status.Should().Be(HttpStatusCode.BadRequest);
        r.Error.Should().Be(error);
    }
}
