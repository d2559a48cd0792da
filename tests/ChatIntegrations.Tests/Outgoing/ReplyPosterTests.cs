using System.Text.Json.Nodes;
using ChatIntegrations.Outgoing;
using ChatIntegrations.Tests.TestDoubles;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace ChatIntegrations.Tests.Outgoing;

/// <summary>Replies follow the message rules of incoming messages (OUT-76, MSG-30..MSG-33), through the real registration.</summary>
public sealed class ReplyPosterTests
{
    private const string Png1x1 = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

    private static readonly Integration Outgoing = new() { Id = "i1", Type = IntegrationType.Outgoing, Username = "rocket.cat", Token = "t" };

    // MSG-31, MSG-32, MSG-33, OUT-76: a reply keeps a data: icon, untrimmed text and fields without short; a dropped
    // link is logged as a warning (event 7027) that names the key, never the value.
    [Test]
    public async Task PostAsync_ReplyWithDataIconAndBadLink_KeptAndWarnedWithoutValue_MSG31_MSG32_MSG33_OUT76()
    {
        var chat = new TestChat();
        var logs = new FakeLoggerProvider();
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(logs));
        services.AddSingleton<IChatDirectory>(chat).AddSingleton<IMessageSink>(chat);
        services.AddChatIntegrations();
        await using var provider = services.BuildServiceProvider();
        var reply = JsonNode.Parse($$"""
            {"text":"done","attachments":[{"author_icon":"{{Png1x1}}","title_link":"javascript:alert(1)","text":" built\n",
              "fields":[{"title":"Duration","value":"93 s"}]}]}
            """)!.AsObject();

        var result = await provider.GetRequiredService<ReplyPoster>().PostAsync(Outgoing, reply, new ReplyContext("R_GENERAL", "m1", null, "u-alice"), CancellationToken.None);

        result.Succeeded.Should().BeTrue(result.Error);
        JsonNode.DeepEquals(chat.Sent.Single().Attachments.Single(), JsonNode.Parse($$"""
            {"author_icon":"{{Png1x1}}","text":" built\n","fields":[{"title":"Duration","value":"93 s"}]}
            """)).Should().BeTrue(chat.Sent.Single().Attachments.Single().ToJsonString());
        logs.Collector.GetSnapshot().Should().ContainSingle(e => e.Id.Id == 7027 && e.Level == LogLevel.Warning)
            .Which.Message.Should().Contain("title_link").And.NotContain("javascript");
    }
}
