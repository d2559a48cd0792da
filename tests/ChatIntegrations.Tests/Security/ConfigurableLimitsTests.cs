using System.Text.Json.Nodes;
using ChatIntegrations.Tests.Security.Ssrf;
using ChatIntegrations.Tests.TestDoubles;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChatIntegrations.Tests.Security;

/// <summary>SEC-14: every limit can be configured, none can be set to "unlimited", and a configured value is the one
/// enforced (message, integration and delivery limits; the script limits are tested with the script host).</summary>
public sealed class ConfigurableLimitsTests
{
    [TestCase(nameof(ChatIntegrationsOptions.MaxAttachments), 0)]
    [TestCase(nameof(ChatIntegrationsOptions.MaxAttachments), 1001)]
    [TestCase(nameof(ChatIntegrationsOptions.MaxFieldsPerAttachment), 0)]
    [TestCase(nameof(ChatIntegrationsOptions.MaxFieldsPerAttachment), 1001)]
    [TestCase(nameof(ChatIntegrationsOptions.MaxUrlsPerIntegration), 0)]
    [TestCase(nameof(ChatIntegrationsOptions.MaxUrlsPerIntegration), 101)]
    [TestCase(nameof(ChatIntegrationsOptions.MaxTriggerWords), -1)]
    [TestCase(nameof(ChatIntegrationsOptions.MaxTriggerWords), 1001)]
    [TestCase(nameof(ChatIntegrationsOptions.MaxTriggerWordLength), 0)]
    [TestCase(nameof(ChatIntegrationsOptions.MaxTriggerWordLength), int.MaxValue)]
    [TestCase(nameof(ChatIntegrationsOptions.MaxResponseBodyBytes), 1023)]
    [TestCase(nameof(ChatIntegrationsOptions.MaxResponseBodyBytes), int.MaxValue)]
    [TestCase(nameof(ChatIntegrationsOptions.MaxHistoryBodyLength), 0)]
    [TestCase(nameof(ChatIntegrationsOptions.MaxHistoryBodyLength), 16 * 1024 * 1024 + 1)]
    [TestCase(nameof(ChatIntegrationsOptions.MaxIncomingBodyBytes), int.MaxValue)]
    [TestCase(nameof(ChatIntegrationsOptions.MaxDestinations), 0)]
    [TestCase(nameof(ChatIntegrationsOptions.MaxMessageLength), int.MaxValue)]
    [TestCase(nameof(ChatIntegrationsOptions.MaxPendingDeliveries), 0)]
    public void AddChatIntegrations_LimitOutOfRange_StartupFailsNamingIt_SEC14(string option, int value)
    {
        var services = new ServiceCollection();
        services.AddChatIntegrations(o => typeof(ChatIntegrationsOptions).GetProperty(option)!.SetValue(o, value));
        using var sp = services.BuildServiceProvider();

        var act = () => sp.GetRequiredService<IOptions<ChatIntegrationsOptions>>().Value;

        act.Should().Throw<OptionsValidationException>().Which.Message.Should().Contain(option);
    }

    [Test]
    public void Defaults_AreTheSpecValues_SEC14()
    {
        var o = new ChatIntegrationsOptions();

        new[] { o.MaxAttachments, o.MaxFieldsPerAttachment, o.MaxUrlsPerIntegration, o.MaxTriggerWords, o.MaxTriggerWordLength, o.MaxResponseBodyBytes, o.MaxHistoryBodyLength }
            .Should().Equal(100, 50, 10, 50, 64, 1024 * 1024, 64 * 1024);
    }

    [Test]
    public async Task HandleIncoming_ConfiguredMaxAttachments_Enforced_SEC14_MSG12()
    {
        using var f = new EngineFixture(o => o.MaxAttachments = 2);
        var (id, token) = await f.CreateIncomingAsync();
        static string Body(int n) => $$"""{"attachments":[{{string.Join(",", Enumerable.Repeat("""{"text":"a"}""", n))}}]}""";

        var over = await f.PostAsync(id, token, Body(3));
        var at = await f.PostAsync(id, token, Body(2));

        over.StatusCode.Should().Be(400);
        over.Body["error"]!.GetValue<string>().Should().Be("error-too-many-attachments");
        at.StatusCode.Should().Be(200);
        f.Chat.Sent.Single().Attachments.Should().HaveCount(2);
    }

    [Test]
    public async Task HandleIncoming_ConfiguredMaxFieldsPerAttachment_ExtraFieldsDropped_SEC14_MSG12()
    {
        using var f = new EngineFixture(o => o.MaxFieldsPerAttachment = 3);
        var (id, token) = await f.CreateIncomingAsync();
        var fields = string.Join(",", Enumerable.Range(0, 5).Select(n => $$"""{"title":"t{{n}}","value":"v{{n}}"}"""));

        (await f.PostAsync(id, token, $$"""{"attachments":[{"fields":[{{fields}}],"attachments":[{"fields":[{{fields}}]}]}]}""")).StatusCode.Should().Be(200);

        var attachment = f.Chat.Sent.Single().Attachments[0];
        attachment["fields"]!.AsArray().Select(x => x!["title"]!.GetValue<string>()).Should().Equal("t0", "t1", "t2");
        attachment["attachments"]![0]!["fields"]!.AsArray().Should().HaveCount(3, "nested attachments follow the same limit");
    }

    [Test]
    public async Task Create_ConfiguredUrlAndTriggerWordLimits_Enforced_SEC14_OUT1_OUT3()
    {
        using var f = new EngineFixture(o =>
        {
            o.MaxUrlsPerIntegration = 2;
            o.MaxTriggerWords = 2;
            o.MaxTriggerWordLength = 5;
        });
        async Task<AdministrationResult> Create(string urls, string words) => await f.Engine.CreateAsync(EngineFixture.Admin, JsonNode.Parse(
            $$"""{"type":"webhook-outgoing","username":"rocket.cat","channel":"#general","urls":[{{urls}}],"triggerWords":[{{words}}]}""")!.AsObject());

        var threeUrls = await Create("\"https://a.example/1\",\"https://a.example/2\",\"https://a.example/3\"", "\"!go\"");
        var threeWords = await Create("\"https://a.example/1\"", "\"!a\",\"!b\",\"!c\"");
        var longWord = await Create("\"https://a.example/1\"", "\"!abcde\"");
        var atLimits = await Create("\"https://a.example/1\",\"https://a.example/2\"", "\"!abcd\",\"!b\"");

        threeUrls.Error.Should().Be("error-invalid-urls");
        threeUrls.Body["message"]!.GetValue<string>().Should().Be("1 to 2 URLs are required");
        threeWords.Body["field"]!.GetValue<string>().Should().Be("triggerWords");
        threeWords.Body["message"]!.GetValue<string>().Should().Be("at most 2 trigger words of at most 5 characters");
        longWord.Body["field"]!.GetValue<string>().Should().Be("triggerWords");
        atLimits.Success.Should().BeTrue(atLimits.Body.ToJsonString());
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task Dispatcher_ConfiguredMaxResponseBodyBytes_LongerReplyCutAndNotPosted_SEC14_OUT71(CancellationToken ct)
    {
        await using var f = new DeliveryFixture(o => o.MaxResponseBodyBytes = 2048);
        var text = "";
        var receiver = f.Receiver(_ => new TinyResponse(200, $$"""{"text":"{{text}}"}"""));
        var i = await f.CreateOutgoingAsync(receiver.Url("/hook"));
        await f.StartAsync();

        text = new string('a', 2000); // a 2,011-byte answer: read whole, a reply
        await f.Engine.PublishAsync(DeliveryFixture.Message("first", messageId: "m1"), ct);
        await DeliveryFixture.WaitUntilAsync(() => Task.FromResult(f.Chat.Sent.Count == 1 && f.Dispatcher.InFlight == 0), ct);
        text = new string('b', 2100); // a 2,111-byte answer: cut at 2,048 bytes, still a success, no reply
        await f.Engine.PublishAsync(DeliveryFixture.Message("second", messageId: "m2"), ct);
        await DeliveryFixture.WaitUntilAsync(async () => (await f.HistoryAsync(i.Id)).Count == 2 && f.Dispatcher.InFlight == 0, ct);

        f.Chat.Sent.Should().ContainSingle().Which.Text.Should().Be(new string('a', 2000));
        var second = (await f.HistoryAsync(i.Id)).Single(h => h.Document["httpResult"]!["body"]!.GetValue<string>().Contains('b'));
        second.Document["httpResult"]!["body"]!.GetValue<string>().Should().HaveLength(2048);
        (await f.Store.GetDeliveryAsync(second.DeliveryId!, ct))!.State.Should().Be(DeliveryState.Succeeded);
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task Dispatcher_ConfiguredMaxHistoryBodyLength_HistoryKeepsThatMuch_SEC14_DLV20(CancellationToken ct)
    {
        await using var f = new DeliveryFixture(o => o.MaxHistoryBodyLength = 1024);
        var receiver = f.Receiver(_ => new TinyResponse(404, new string('x', 5000)));
        var i = await f.CreateOutgoingAsync(receiver.Url("/hook"));
        await f.StartAsync();

        await f.Engine.PublishAsync(DeliveryFixture.Message("hello"), ct);
        await DeliveryFixture.WaitUntilAsync(async () => (await f.HistoryAsync(i.Id)).Count == 1 && f.Dispatcher.InFlight == 0, ct);

        (await f.HistoryAsync(i.Id)).Single().Document["httpResult"]!["body"]!.GetValue<string>().Should().Be(new string('x', 1024));
    }
}
