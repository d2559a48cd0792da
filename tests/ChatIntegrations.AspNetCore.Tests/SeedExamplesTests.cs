using System.Net;
using ChatIntegrations.AspNetCore.Tests.Infrastructure;
using ChatIntegrations.Samples.ConsoleHost;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using NUnit.Framework;

namespace ChatIntegrations.AspNetCore.Tests;

/// <summary>The curl examples of the Rocket.Chat documentation in /work/shared/seeds, sent to the sample host's demo
/// webhook with the same method, headers and body (IN-3, IN-11, IN-30, IN-41, MSG-20, MSG-30).</summary>
[TestFixture]
[CancelAfter(20_000)]
public sealed class SeedExamplesTests
{
    private SampleServer _server = null!;
    private string _path = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _server = await SampleServer.StartAsync();
        _path = _server.App.Services.GetRequiredService<DemoWebhook>().Path;
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    // seeds/000 (Rocket.Chat docs, "Integrations"): emoji, text and one attachment.
    [Test]
    public async Task DemoWebhook_Seed000AttachmentExample_Posts()
    {
        const string body = """
            {
                  "emoji": ":smirk:",
                  "text": "Example message",
                  "attachments": [
                      {
                          "title": "Rocket.Chat",
                          "title_link": "https://rocket.chat",
                          "text": "Rocket.Chat, the best open source chat",
                          "image_url": "link-to-an-image",
                          "color": "#764FA5"
                      }
                  ]
              }
            """;

        var r = await _server.SendAsync(HttpMethod.Post, _path, body, "application/json");

        r.Status.Should().Be(HttpStatusCode.OK, r.Text);
        var m = _server.LastMessage("general");
        m.Text.Should().Be("Example message");
        m.Emoji.Should().Be(":smirk:");
        m.SenderUsername.Should().Be("rocket.cat");
        m.Attachments.Should().ContainSingle();
        m.Attachments[0]["title"]!.GetValue<string>().Should().Be("Rocket.Chat");
        m.Attachments[0]["title_link"]!.GetValue<string>().Should().Be("https://rocket.chat");
        m.Attachments[0].ContainsKey("image_url").Should().BeFalse("MSG-33 drops a URL that is not absolute http/https");
    }

    // seeds/002 (Rocket.Chat docs mirror): icon_emoji and text to the default channel.
    [Test]
    public async Task DemoWebhook_Seed002IconEmojiExample_PostsToGeneral()
    {
        const string body = """
            {
                  "icon_emoji": ":smirk:",
                  "text": "Example message"
              }
            """;

        var r = await _server.SendAsync(HttpMethod.Post, _path, body, "application/json");

        r.Status.Should().Be(HttpStatusCode.OK, r.Text);
        _server.LastMessage("general").Emoji.Should().Be(":smirk:");
        _server.LastMessage("general").Text.Should().Be("Example message");
    }

    // seeds/002: the same with "channel": "#notifications" (the demo webhook allows overriding).
    [Test]
    public async Task DemoWebhook_Seed002ChannelExample_PostsToNotifications()
    {
        const string body = """
            {
                  "icon_emoji": ":smirk:",
                  "channel": "#notifications",
                  "text": "Example message"
              }
            """;
        var before = _server.MessageCount("notifications");

        var r = await _server.SendAsync(HttpMethod.Post, _path, body, "application/json");

        r.Status.Should().Be(HttpStatusCode.OK, r.Text);
        _server.MessageCount("notifications").Should().Be(before + 1);
        _server.LastMessage("notifications").Emoji.Should().Be(":smirk:");
    }

    // The walkthrough's printed curl command.
    [Test]
    public async Task DemoWebhook_PrintedCurlCommand_Posts()
    {
        var r = await _server.SendAsync(HttpMethod.Post, _path, """{"text":"Hello from curl :wave:"}""", "application/json");

        r.Status.Should().Be(HttpStatusCode.OK, r.Text);
        _server.LastMessage("general").Text.Should().Be("Hello from curl :wave:");
    }
}
