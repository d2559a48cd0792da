using System.Text.Json.Nodes;
using ChatIntegrations.Messages;
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
            {"attachments":[{"title":"t","image_url":"data:text/html;base64,PHNjcmlwdD4=","actions":[{"type":"button","url":"javascript:x","text":"go"}],
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

    // A 1×1 transparent PNG, as the GitLab hook scripts ship their icons.
    private const string PngDataUri = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";

    [TestCase(PngDataUri, PngDataUri)]
    [TestCase("/avatar/gitlab.png", "/avatar/gitlab.png")]
    [TestCase("https://x.example/a.png", "https://x.example/a.png")]
    [TestCase("//evil.example/a.png", null)]
    [TestCase("/\\evil.example/a.png", null)]
    [TestCase("javascript:alert(1)", null)]
    [TestCase(" javascript:alert(1)", null)]
    [TestCase("JaVaScRiPt:alert(1)", null)]
    [TestCase("data:text/html;base64,PHNjcmlwdD4=", null)]
    [TestCase("avatar.png", null)]
    public async Task HandleIncoming_AvatarUrl_MSG20_MSG33_KeepsImagesAndServerPathsOnly(string iconUrl, string? expected)
    {
        var (id, token) = await _f.CreateIncomingAsync();

        var r = await _f.PostAsync(id, token, new JsonObject { ["text"] = "a", ["icon_url"] = iconUrl }.ToJsonString());

        r.StatusCode.Should().Be(200, "a dropped avatar never fails the message");
        _f.Chat.Sent.Single().Avatar.Should().Be(expected);
    }

    [Test]
    public async Task HandleIncoming_GitLabStyleAttachment_MSG31_MSG32_MSG33_KeptAsTheScriptBuiltIt()
    {
        // The shape of the published GitLab hook scripts: a data: author_icon, text with leading space and trailing
        // newline, fields without "short".
        var (id, token) = await _f.CreateIncomingAsync();
        var body = new JsonObject
        {
            ["attachments"] = new JsonArray(new JsonObject
            {
                ["author_name"] = "alice",
                ["author_icon"] = PngDataUri,
                ["thumb_url"] = PngDataUri,
                ["text"] = " * a1b2c3d fix the build\n",
                ["pretext"] = "\nPushed to main ",
                ["fallback"] = "  plain ",
                ["fields"] = new JsonArray(
                    new JsonObject { ["title"] = "Branch", ["value"] = "main" },
                    new JsonObject { ["title"] = "Commits", ["value"] = 3, ["short"] = "false" },
                    new JsonObject { ["title"] = "Status", ["value"] = "ok", ["short"] = true }),
            }),
        };

        var r = await _f.PostAsync(id, token, body.ToJsonString());

        r.StatusCode.Should().Be(200, r.Body.ToJsonString());
        var a = _f.Chat.Sent.Single().Attachments.Single();
        a["author_icon"]!.GetValue<string>().Should().Be(PngDataUri);
        a["thumb_url"]!.GetValue<string>().Should().Be(PngDataUri);
        a["text"]!.GetValue<string>().Should().Be(" * a1b2c3d fix the build\n");
        a["pretext"]!.GetValue<string>().Should().Be("\nPushed to main ");
        a["fallback"]!.GetValue<string>().Should().Be("  plain ");
        a["fields"]!.ToJsonString().Should().Be("""[{"title":"Branch","value":"main"},{"title":"Commits","value":"3","short":false},{"title":"Status","value":"ok","short":true}]""");
    }

    [Test]
    public async Task HandleIncoming_LegacyAttachmentMsg_MSG31_IsTrimmedButTextIsNot()
    {
        var (id, token) = await _f.CreateIncomingAsync();

        await _f.PostAsync(id, token, """{"attachments":[{"msg":"  legacy \n"},{"text":"  kept \n"}]}""");

        var atts = _f.Chat.Sent.Single().Attachments;
        atts[0]["text"]!.GetValue<string>().Should().Be("legacy");
        atts[1]["text"]!.GetValue<string>().Should().Be("  kept \n");
    }

    [TestCase("title_link")]
    [TestCase("author_link")]
    [TestCase("author_icon")]
    [TestCase("image_url")]
    [TestCase("thumb_url")]
    [TestCase("audio_url")]
    [TestCase("video_url")]
    [TestCase("footer_icon")]
    [TestCase("message_link")]
    public async Task HandleIncoming_AttachmentUrlKey_MSG33_KeepsHttpAndDataImagesAndDropsTheRest(string key)
    {
        var (id, token) = await _f.CreateIncomingAsync();
        string[] values =
        [
            "https://x.example/a", PngDataUri, "data:image/svg+xml;charset=utf-8,%3Csvg%3E%3C/svg%3E",
            "javascript:alert(1)", "vbscript:msgbox", "file:///etc/passwd", "data:text/html,<script>", "/relative/path", "x.example/a",
            "data:image/png;base64,not base64!", "data:image/png;base64," + new string('A', MessageUrls.MaxDataUriChars),
        ];
        var body = new JsonObject { ["attachments"] = new JsonArray(values.Select(v => (JsonNode)new JsonObject { ["title"] = "t", [key] = v }).ToArray()) };

        var r = await _f.PostAsync(id, token, body.ToJsonString());

        r.StatusCode.Should().Be(200, "a dropped URL never fails the message");
        var kept = _f.Chat.Sent.Single().Attachments.Select(a => a[key]?.GetValue<string>()).ToArray();
        kept.Should().Equal("https://x.example/a", PngDataUri, "data:image/svg+xml;charset=utf-8,%3Csvg%3E%3C/svg%3E", null, null, null, null, null, null, null, null);
    }

    [Test]
    public async Task HandleIncoming_DataImageUpTo64KiB_MSG30_MSG33_FitsInOneAttachment()
    {
        var (id, token) = await _f.CreateIncomingAsync();
        const string Prefix = "data:image/png;base64,";
        var image = Prefix + new string('A', (MessageUrls.MaxDataUriChars - Prefix.Length) / 4 * 4);
        image.Length.Should().BeLessThanOrEqualTo(MessageUrls.MaxDataUriChars).And.BeGreaterThan(MessageUrls.MaxDataUriChars - 4);

        var r = await _f.PostAsync(id, token, new JsonObject { ["attachments"] = new JsonArray(new JsonObject { ["image_url"] = image, ["text"] = "big" }) }.ToJsonString());

        r.StatusCode.Should().Be(200, r.Body.ToJsonString());
        _f.Chat.Sent.Single().Attachments[0]["image_url"]!.GetValue<string>().Should().Be(image);
    }

    [Test]
    public async Task HandleIncoming_ActionUrls_MSG33_KeepDataImagesAndDropScripts()
    {
        var (id, token) = await _f.CreateIncomingAsync();

        await _f.PostAsync(id, token, new JsonObject
        {
            ["attachments"] = new JsonArray(new JsonObject
            {
                ["actions"] = new JsonArray(new JsonObject { ["type"] = "button", ["text"] = "go", ["url"] = "vbscript:x", ["image_url"] = PngDataUri }),
            }),
        }.ToJsonString());

        var action = _f.Chat.Sent.Single().Attachments[0]["actions"]![0]!.AsObject();
        action.ContainsKey("url").Should().BeFalse();
        action["image_url"]!.GetValue<string>().Should().Be(PngDataUri);
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
