using System.Text.Json.Nodes;
using ChatIntegrations.Tests.Security.Ssrf;
using ChatIntegrations.Tests.TestDoubles;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace ChatIntegrations.Tests.Messages;

public sealed class MessageMappingTests
{
    private const string Png1x1 = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

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

    // messages.md, worked example "Slack-style payload", as extended for issue 13: a data: icon is kept (MSG-20, MSG-33),
    // pretext keeps its white space while the legacy msg is trimmed (MSG-31), and a field without short stays without
    // one (MSG-32).
    [Test]
    public async Task HandleIncoming_SlackWorkedExample_ExactSinkMessage_MSG30_MSG31_MSG32_MSG33_MSG40()
    {
        var created = await _f.Engine.CreateAsync(EngineFixture.Admin, JsonNode.Parse("""
            {"type":"webhook-incoming","_id":"ignored","username":"rocket.cat","channel":"#ops"}
            """)!.AsObject());
        var i = created.Body["integration"]!;
        var id = i["_id"]!.GetValue<string>();
        var r = await _f.PostAsync(id, i["token"]!.GetValue<string>(), WorkedExampleInput);
        r.StatusCode.Should().Be(200);
        var json = _f.Chat.Sent.Single().ToJson();
        var expected = JsonNode.Parse(WorkedExampleOutput.Replace("ID", id, StringComparison.Ordinal));
        JsonNode.DeepEquals(json, expected).Should().BeTrue(json.ToJsonString());
    }

    internal const string WorkedExampleInput = """
        {"text":"<!here> deploy of <https://ci.example/r/42|run 42> failed","username":"CI",
         "icon_url":"data:image/png;base64,iVBORw0KGgo=",
         "attachments":[{"color":"danger","title":"api","title_link":"javascript:alert(1)",
           "author_name":"ci","author_icon":"data:image/png;base64,iVBORw0KGgo=","pretext":" step 3 of 4\n",
           "fields":[{"title":"Duration","value":93,"short":"true"},{"title":"Runner","value":"r-7"}],"msg":" see logs "}]}
        """;

    internal const string WorkedExampleOutput = """
        {"rid":"R_OPS","senderId":"u-bot","msg":"@here deploy of [run 42](https://ci.example/r/42) failed","alias":"CI",
         "avatar":"data:image/png;base64,iVBORw0KGgo=",
         "attachments":[{"color":"danger","title":"api","author_name":"ci","author_icon":"data:image/png;base64,iVBORw0KGgo=",
           "pretext":" step 3 of 4\n","text":"see logs",
           "fields":[{"title":"Duration","value":"93","short":true},{"title":"Runner","value":"r-7"}]}],
         "parseUrls":false,"groupable":false,"bot":{"i":"ID"}}
        """;

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
            {"attachments":[{"title":"t","image_url":"data:text/html;base64,xx","actions":[{"type":"button","url":"javascript:x","text":"go"}],
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
        f[0]!.AsObject().ContainsKey("short").Should().BeFalse("MSG-32: a short that is neither a boolean nor \"true\"/\"false\" is dropped");
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

    // MSG-20, MSG-33, issue 13: the GitLab scripts send their icon as a base64 PNG data URI, in icon_url or avatar.
    [TestCase("icon_url")]
    [TestCase("avatar")]
    public async Task HandleIncoming_Base64PngAvatar_Kept_MSG20_MSG33(string key)
    {
        var (id, token) = await _f.CreateIncomingAsync("""{"emoji":":gear:"}""");
        (await _f.PostAsync(id, token, new JsonObject { ["text"] = "push", [key] = Png1x1 }.ToJsonString())).StatusCode.Should().Be(200);
        var m = _f.Chat.Sent.Single();
        m.Avatar.Should().Be(Png1x1);
        m.Emoji.Should().BeNull("MSG-20: the body's avatar wins over the integration's emoji");
    }

    // MSG-20, MSG-33: an avatar may be relative to the chat ("/avatar/x.png"); our choice: a protocol-relative
    // "//host/x" is not relative, and a javascript:-like scheme is never kept, however it is hidden. A dropped avatar
    // falls back to the integration's identity and the message still posts.
    [TestCase("/avatar/x.png", "/avatar/x.png")]
    [TestCase("https://x.io/y.png", "https://x.io/y.png")]
    [TestCase("//evil.example/x.png", null)]
    [TestCase("/\\evil.example/x.png", null)]
    [TestCase("javascript:alert(1)", null)]
    [TestCase(" JavaScript:alert(1)", null)]
    [TestCase("\u0000javascript:alert(1)", null)]
    [TestCase("javascript&#58;alert(1)", null)]
    [TestCase("data:text/html;base64,PHNjcmlwdD4=", null)]
    [TestCase("avatar.png", null)]
    public async Task HandleIncoming_AvatarForms_KeptOrDropped_MSG20_MSG33(string avatar, string? expected)
    {
        var (id, token) = await _f.CreateIncomingAsync("""{"emoji":":gear:"}""");
        (await _f.PostAsync(id, token, new JsonObject { ["text"] = "a", ["avatar"] = avatar }.ToJsonString())).StatusCode.Should().Be(200);
        var m = _f.Chat.Sent.Single();
        m.Avatar.Should().Be(expected);
        m.Emoji.Should().Be(expected is null ? ":gear:" : null);
    }

    // MSG-30, MSG-31, MSG-33, issue 13: a GitLab-style attachment (makeAttachment: author_name, a data: author_icon,
    // text, color) reaches the sink as sent: the icon is kept and the text keeps its leading space and final newline.
    [Test]
    public async Task HandleIncoming_GitLabStyleAttachment_DataIconKeptTextUntouched_MSG30_MSG31_MSG33()
    {
        var (id, token) = await _f.CreateIncomingAsync();
        var attachment = new JsonObject
        {
            ["author_name"] = "alice", ["author_icon"] = Png1x1, ["text"] = " pushed 2 commits to main\n", ["color"] = "#6498CC",
            ["footer_icon"] = "data:image/svg+xml;charset=utf-8,%3Csvg%2F%3E", ["thumb_url"] = "data:image/gif;base64,R0lGODlhAQABAAAAACw=",
        };
        var r = await _f.PostAsync(id, token, new JsonObject { ["text"] = "push", ["attachments"] = new JsonArray(attachment) }.ToJsonString());

        r.StatusCode.Should().Be(200, r.Body.ToJsonString());
        var sent = _f.Chat.Sent.Single().Attachments.Single();
        JsonNode.DeepEquals(sent, attachment).Should().BeTrue(sent.ToJsonString());
    }

    // MSG-30, MSG-31: text, pretext and fallback are never trimmed, at any depth; only a legacy msg is.
    [Test]
    public async Task HandleIncoming_AttachmentTexts_NeverTrimmed_OnlyLegacyMsg_MSG30_MSG31()
    {
        var (id, token) = await _f.CreateIncomingAsync();
        (await _f.PostAsync(id, token, """
            {"attachments":[
              {"text":" starts with a space and ends with a newline\n","pretext":"\tpre ","fallback":" fb\n",
               "attachments":[{"text":"  quoted  "}]},
              {"msg":"  legacy\n"},
              {"text":"  "}]}
            """)).StatusCode.Should().Be(200);

        var a = _f.Chat.Sent.Single().Attachments;
        a[0]["text"]!.GetValue<string>().Should().Be(" starts with a space and ends with a newline\n");
        a[0]["pretext"]!.GetValue<string>().Should().Be("\tpre ");
        a[0]["fallback"]!.GetValue<string>().Should().Be(" fb\n");
        a[0]["attachments"]![0]!["text"]!.GetValue<string>().Should().Be("  quoted  ");
        a[1]["text"]!.GetValue<string>().Should().Be("legacy");
        a[2]["text"]!.GetValue<string>().Should().Be("  ", "only empty strings are left out (MSG-7)");
    }

    // MSG-32: short is kept when given ("true"/"false" become booleans), absent when absent; our choice: any other value
    // (including "True", "yes", 1) is dropped with a warning, so the field renders as not short.
    [Test]
    public async Task HandleIncoming_FieldShort_KeptWhenGivenAbsentWhenAbsent_MSG32()
    {
        var logs = new FakeLoggerProvider();
        using var f = new EngineFixture(logs: logs);
        var (id, token) = await f.CreateIncomingAsync();
        (await f.PostAsync(id, token, """
            {"attachments":[{"fields":[
              {"title":"none","value":"v"},{"title":"t","value":"v","short":true},{"title":"f","value":"v","short":false},
              {"title":"st","value":"v","short":"true"},{"title":"sf","value":"v","short":"false"},
              {"title":"null","value":"v","short":null},{"title":"yes","value":"v","short":"yes"},
              {"title":"True","value":"v","short":"True"},{"title":"one","value":"v","short":1}]}]}
            """)).StatusCode.Should().Be(200);

        var fields = f.Chat.Sent.Single().Attachments[0]["fields"]!;
        JsonNode.DeepEquals(fields, JsonNode.Parse("""
            [{"title":"none","value":"v"},{"title":"t","value":"v","short":true},{"title":"f","value":"v","short":false},
             {"title":"st","value":"v","short":true},{"title":"sf","value":"v","short":false},
             {"title":"null","value":"v"},{"title":"yes","value":"v"},{"title":"True","value":"v"},{"title":"one","value":"v"}]
            """)).Should().BeTrue(fields.ToJsonString());
        logs.Collector.GetSnapshot().Where(e => e.Level == LogLevel.Warning && e.Message.Contains("short", StringComparison.Ordinal))
            .Should().ContainSingle("one warning per cause, not one per field");
    }

    // MSG-33: every attachment link and image key, actions included, keeps an http(s) URL or an image data URI and
    // drops anything else with a warning; the rest of the message posts.
    [TestCase("title_link")]
    [TestCase("author_link")]
    [TestCase("author_icon")]
    [TestCase("image_url")]
    [TestCase("thumb_url")]
    [TestCase("audio_url")]
    [TestCase("video_url")]
    [TestCase("footer_icon")]
    [TestCase("message_link")]
    public async Task HandleIncoming_AttachmentUrlKey_AllowListApplied_MSG33(string key)
    {
        var (id, token) = await _f.CreateIncomingAsync();
        string[] kept = ["https://x.io/a", Png1x1];
        string[] dropped = ["javascript:alert(1)", "vbscript:x", "file:///etc/passwd", "data:text/html,x", "/relative", "x.io/a", " https://x.io/a"];
        var attachments = new JsonArray();
        foreach (var v in kept.Concat(dropped)) attachments.Add(new JsonObject { ["title"] = "t", [key] = v });

        (await _f.PostAsync(id, token, new JsonObject { ["attachments"] = attachments }.ToJsonString())).StatusCode.Should().Be(200);

        var sent = _f.Chat.Sent.Single().Attachments;
        sent.Select(a => a[key]?.GetValue<string>()).Should().Equal([.. kept, .. dropped.Select(_ => (string?)null)]);
        sent.Should().OnlyContain(a => a["title"]!.GetValue<string>() == "t");
    }

    [TestCase("url")]
    [TestCase("image_url")]
    public async Task HandleIncoming_ActionUrlKey_AllowListApplied_MSG33(string key)
    {
        var (id, token) = await _f.CreateIncomingAsync();
        (await _f.PostAsync(id, token, $$"""
            {"attachments":[{"actions":[{"type":"button","text":"a","{{key}}":"{{Png1x1}}"},{"type":"button","text":"b","{{key}}":"https://x.io"},
              {"type":"button","text":"c","{{key}}":"JAVASCRIPT:x"},{"type":"button","text":"d","{{key}}":"data:application/pdf;base64,AAAA"}]}]}
            """)).StatusCode.Should().Be(200);

        var actions = _f.Chat.Sent.Single().Attachments[0]["actions"]!.AsArray();
        actions.Select(a => a![key]?.GetValue<string>()).Should().Equal(Png1x1, "https://x.io", null, null);
        actions.Select(a => a!["text"]!.GetValue<string>()).Should().Equal("a", "b", "c", "d");
    }

    // MSG-33, conventions: a dropped value is never logged above Trace; the warning names the key and the reason.
    [Test]
    public async Task HandleIncoming_DroppedUrls_WarningNamesKeyNeverValue_MSG33()
    {
        var logs = new FakeLoggerProvider();
        using var f = new EngineFixture(logs: logs);
        var (id, token) = await f.CreateIncomingAsync();
        var big = "data:image/png;base64," + new string('A', 64 * 1024);
        var body = new JsonObject
        {
            ["text"] = "x", ["icon_url"] = "javascript:steal()",
            ["attachments"] = new JsonArray(new JsonObject { ["title_link"] = "data:text/html,evil", ["author_icon"] = big }),
        };

        (await f.PostAsync(id, token, body.ToJsonString())).StatusCode.Should().Be(200);

        var warnings = logs.Collector.GetSnapshot().Where(e => e.Level >= LogLevel.Information).Select(e => e.Message).ToList();
        warnings.Should().Contain(w => w.Contains("icon_url", StringComparison.Ordinal))
            .And.Contain(w => w.Contains("title_link", StringComparison.Ordinal))
            .And.Contain(w => w.Contains("author_icon", StringComparison.Ordinal) && w.Contains("64 KiB", StringComparison.Ordinal));
        warnings.Should().NotContain(w => w.Contains("steal", StringComparison.Ordinal) || w.Contains("evil", StringComparison.Ordinal) || w.Contains("AAAA", StringComparison.Ordinal));
        var m = f.Chat.Sent.Single();
        m.Avatar.Should().BeNull();
        m.Attachments.Single().Should().BeEmpty();
    }

    // MSG-30, MSG-33: our sizes fit together: a 64 KiB icon fits in an attachment (at most 256 KiB serialised).
    [Test]
    public async Task HandleIncoming_AttachmentWithFullSizeIcons_Posts_MSG30_MSG33()
    {
        var (id, token) = await _f.CreateIncomingAsync();
        var icon = "data:image/png;base64," + new string('+', 64 * 1024 - "data:image/png;base64,".Length);
        var body = $$"""{"attachments":[{"author_icon":"{{icon}}","thumb_url":"{{icon}}","footer_icon":"{{icon}}","text":"x"}]}""";

        var r = await _f.PostAsync(id, token, body);

        r.StatusCode.Should().Be(200, "three 64 KiB icons (+ counted as one byte, not \\u002B) stay under 256 KiB");
        _f.Chat.Sent.Single().Attachments[0]["author_icon"]!.GetValue<string>().Should().HaveLength(64 * 1024);
    }

    [Test]
    public async Task HandleIncoming_AttachmentOver256KiB_400_MSG30()
    {
        var (id, token) = await _f.CreateIncomingAsync();
        static string Body(int textLength) => new JsonObject
        {
            ["attachments"] = new JsonArray(new JsonObject { ["text"] = new string('x', textLength) }),
        }.ToJsonString();
        const int overhead = 11; // {"text":""}

        var at = await _f.PostAsync(id, token, Body(256 * 1024 - overhead));
        var over = await _f.PostAsync(id, token, Body(256 * 1024 - overhead + 1));

        at.StatusCode.Should().Be(200, at.Body.ToJsonString());
        over.Body.ToJsonString().Should().Be("""{"success":false,"error":"error-invalid-field","field":"attachments"}""");
    }
}
