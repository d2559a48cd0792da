using System.Text.Json.Nodes;
using ChatIntegrations.Tests.TestDoubles;

namespace ChatIntegrations.Tests.Messages;

public sealed class MessageMappingTests
{
    private EngineFixture _f = null!;

    [SetUp]
    public void SetUp() => _f = new EngineFixture();

    [TearDown]
    public void TearDown() => _f.Dispose();

    // MSG-22: the worked example table.
    [TestCase("""{"text":"a"}""", "CI", null, ":gear:")]
    [TestCase("""{"text":"a","username":"deploy-bot"}""", "deploy-bot", null, ":gear:")]
    [TestCase("""{"text":"a","icon_emoji":":rocket:"}""", "CI", null, ":rocket:")]
    [TestCase("""{"text":"a","icon_url":"https://x/y.png","icon_emoji":":rocket:"}""", "CI", "https://x/y.png", null)]
    [TestCase("""{"text":"a","alias":"A","username":"U"}""", "U", null, ":gear:")]
    [TestCase("""{"text":"a","icon_url":"javascript:alert(1)"}""", "CI", null, ":gear:")]
    public async Task HandleIncoming_IdentityPrecedence_MatchesTable_MSG20_MSG22(string body, string alias, string? avatar, string? emoji)
    {
        var (id, token) = await _f.CreateIncomingAsync("""{"alias":"CI","emoji":":gear:"}""");
        (await _f.PostAsync(id, token, body)).StatusCode.Should().Be(200);
        var m = _f.Chat.Sent.Single();
        m.Alias.Should().Be(alias);
        m.Avatar.Should().Be(avatar);
        m.Emoji.Should().Be(emoji);
    }

    [Test]
    public async Task HandleIncoming_UsernameNeverChangesSender_MSG21_SEC30()
    {
        var (id, token) = await _f.CreateIncomingAsync();
        await _f.PostAsync(id, token, """{"text":"a","username":"ceo"}""");
        var m = _f.Chat.Sent.Single();
        m.Alias.Should().Be("ceo");
        m.SenderId.Should().Be("u-bot");
    }

    [Test]
    public async Task HandleIncoming_SlackWorkedExample_ExactSinkMessage_MSG30_MSG40()
    {
        var created = await _f.Engine.CreateAsync(EngineFixture.Admin, JsonNode.Parse("""
            {"type":"webhook-incoming","_id":"ignored","username":"rocket.cat","channel":"#ops"}
            """)!.AsObject());
        var i = created.Body["integration"]!;
        var id = i["_id"]!.GetValue<string>();
        var r = await _f.PostAsync(id, i["token"]!.GetValue<string>(), """
            {"text":"<!here> deploy of <https://ci.example/r/42|run 42> failed","username":"CI",
             "attachments":[{"color":"danger","title":"api","title_link":"javascript:alert(1)",
               "fields":[{"title":"Duration","value":93,"short":"true"}],"msg":" see logs "}]}
            """);
        r.StatusCode.Should().Be(200);
        var json = _f.Chat.Sent.Single().ToJson();
        json.ToJsonString().Should().Be(JsonNode.Parse("""
            {"rid":"R_OPS","senderId":"u-bot","msg":"@here deploy of [run 42](https://ci.example/r/42) failed","alias":"CI",
             "attachments":[{"color":"danger","title":"api","fields":[{"title":"Duration","value":"93","short":true}],"text":"see logs"}],
             "parseUrls":false,"groupable":false,"bot":{"i":"ID"}}
            """.Replace("ID", id))!.ToJsonString());
    }

    [TestCase("<https://x.io/a|the docs>", "[the docs](https://x.io/a)")]
    [TestCase("<https://x.io/a>", "https://x.io/a")]
    [TestCase("<mailto:a@b.c|mail me>", "[mail me](mailto:a@b.c)")]
    [TestCase("<!here> and <!here|@here>", "@here and @here")]
    [TestCase("<!channel> <!everyone>", "@all @all")]
    [TestCase("hi <@u-alice>", "hi @alice")]
    [TestCase("hi <@U999>", "hi <@U999>")]
    [TestCase("<#R123|ops>", "#ops")]
    [TestCase("<javascript:alert(1)|x>", "<javascript:alert(1)|x>")]
    [TestCase("`<!here>` and <!here>", "`<!here>` and @here")]
    [TestCase("```\n<!channel>\n``` <!channel>", "```\n<!channel>\n``` @all")]
    [TestCase("a < b > c", "a < b > c")]
    public async Task HandleIncoming_SlackMarkup_Translated_MSG40_MSG41(string input, string expected)
    {
        var (id, token) = await _f.CreateIncomingAsync();
        (await _f.PostAsync(id, token, new JsonObject { ["text"] = input }.ToJsonString())).StatusCode.Should().Be(200);
        _f.Chat.Sent.Single().Text.Should().Be(expected);
    }

    [Test]
    public async Task HandleIncoming_SlackCompatibilityOff_TextUnchanged_MSG40()
    {
        using var f = new EngineFixture(o => o.SlackCompatibility = false);
        var (id, token) = await f.CreateIncomingAsync();
        await f.PostAsync(id, token, """{"text":"<!here>"}""");
        f.Chat.Sent.Single().Text.Should().Be("<!here>");
    }

    [Test]
    public async Task HandleIncoming_Attachments_KeepUnknownKeysAndDropBadUrls_MSG30_MSG33()
    {
        var (id, token) = await _f.CreateIncomingAsync();
        var r = await _f.PostAsync(id, token, """
            {"attachments":[{"title":"t","image_url":"data:image/png;base64,xx","actions":[{"type":"button","url":"javascript:x","text":"go"}],
              "button_alignment":"vertical","mrkdwn_in":["text"],"collapsed":true,"ts":12,
              "attachments":[{"text":"quote","attachments":[{"text":"too deep"}]}]}, 5, "str"]}
            """);
        r.StatusCode.Should().Be(200, r.Body.ToJsonString());
        var m = _f.Chat.Sent.Single();
        m.ParseUrls.Should().BeFalse(); // MSG-5
        m.Attachments.Should().HaveCount(1);
        var a = m.Attachments[0];
        a.ContainsKey("image_url").Should().BeFalse();
        a["actions"]![0]!.AsObject().ContainsKey("url").Should().BeFalse();
        a["button_alignment"]!.GetValue<string>().Should().Be("vertical");
        a["collapsed"]!.GetValue<bool>().Should().BeTrue();
        a["attachments"]![0]!["text"]!.GetValue<string>().Should().Be("quote");
        a["attachments"]![0]!.AsObject().ContainsKey("attachments").Should().BeFalse();
    }

    [Test]
    public async Task HandleIncoming_EmptyAttachmentsArray_KeptAndParseUrlsFalse_MSG5_MSG7()
    {
        var (id, token) = await _f.CreateIncomingAsync();
        await _f.PostAsync(id, token, """{"text":"x","attachments":[]}""");
        var json = _f.Chat.Sent.Single().ToJson();
        json["attachments"]!.AsArray().Should().BeEmpty();
        json["parseUrls"]!.GetValue<bool>().Should().BeFalse();
    }

    [Test]
    public async Task HandleIncoming_NonArrayAttachments_IgnoredWithWarning_IN31()
    {
        var (id, token) = await _f.CreateIncomingAsync();
        (await _f.PostAsync(id, token, """{"text":"x","attachments":{"a":1}}""")).StatusCode.Should().Be(200);
        _f.Chat.Sent.Single().ParseUrls.Should().BeTrue();
    }

    [Test]
    public async Task HandleIncoming_TooManyAttachments_400_MSG12()
    {
        var (id, token) = await _f.CreateIncomingAsync();
        var atts = string.Join(",", Enumerable.Repeat("""{"text":"a"}""", 101));
        (await _f.PostAsync(id, token, $"{{\"attachments\":[{atts}]}}")).Body["error"]!.GetValue<string>().Should().Be("error-too-many-attachments");
    }

    [Test]
    public async Task HandleIncoming_FieldsBeyondFifty_Dropped_MSG12_MSG32()
    {
        var (id, token) = await _f.CreateIncomingAsync();
        var fields = string.Join(",", Enumerable.Range(0, 60).Select(n => $$"""{"title":"t{{n}}","value":{"n":{{n}}},"short":"yes"}"""));
        await _f.PostAsync(id, token, $"{{\"attachments\":[{{\"fields\":[{fields},{{\"title\":\"no value\"}}]}}]}}");
        var f = _f.Chat.Sent.Single().Attachments[0]["fields"]!.AsArray();
        f.Should().HaveCount(50);
        f[0]!["value"]!.GetValue<string>().Should().Be("""{"n":0}""");
        f[0]!["short"]!.GetValue<bool>().Should().BeFalse();
    }

    [Test]
    public async Task HandleIncoming_CustomFieldsAndThread_PassedThrough_MSG8_IN49()
    {
        var (id, token) = await _f.CreateIncomingAsync();
        await _f.PostAsync(id, token, """{"text":"x","tmid":"parent1","customFields":{"k":"v"},"groupable":true,"parseUrls":false}""");
        var m = _f.Chat.Sent.Single();
        m.ThreadId.Should().Be("parent1");
        m.CustomFields!["k"]!.GetValue<string>().Should().Be("v");
        m.Groupable.Should().BeTrue();
        m.ParseUrls.Should().BeFalse();
    }

    [Test]
    public async Task HandleIncoming_CustomFieldsOver16KiB_400_MSG8()
    {
        var (id, token) = await _f.CreateIncomingAsync();
        var big = new string('x', 17 * 1024);
        var r = await _f.PostAsync(id, token, "{\"text\":\"x\",\"customFields\":{\"k\":\"" + big + "\"}}");
        r.Body["field"]!.GetValue<string>().Should().Be("customFields");
    }
}
