using System.Text.Json.Nodes;
using ChatIntegrations.Incoming;
using ChatIntegrations.Tests.Security.Ssrf;
using ChatIntegrations.Tests.TestDoubles;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace ChatIntegrations.Tests.Incoming;

/// <summary>Incoming script interplay with a stub host (IN-17, IN-72, IN-73, SCR-4, SCR-10, SCR-11, SCR-47..SCR-49).</summary>
public sealed class IncomingScriptTests
{
    private EngineFixture _f = null!;
    private string _id = "";
    private string _token = "";

    [SetUp]
    public async Task SetUp()
    {
        _f = new EngineFixture();
        (_id, _token) = await _f.CreateIncomingAsync("""{"scriptEnabled":true,"script":"class Script { process_incoming_request() {} }"}""");
    }

    [TearDown]
    public void TearDown() => _f.Dispose();

    [Test]
    public async Task HandleIncoming_ScriptRequest_HasExactShape_SCR4()
    {
        await _f.PostAsync(_id, _token, """{"a":1}""", query: "?x=1&x=2&y=z", headers: new() { ["X-Custom"] = "v" });
        var req = _f.Scripts.Arguments.Single()["request"]!.AsObject();
        req.Select(p => p.Key).Should().BeEquivalentTo("url", "url_raw", "url_params", "headers", "content", "content_raw", "body", "user");
        req["url"]!["hash"]!.GetValue<string>().Should().Be("");
        req["url"]!["search"]!.GetValue<string>().Should().Be("?x=1&x=2&y=z");
        req["url"]!["query"]!.ToJsonString().Should().Be("""{"x":["1","2"],"y":"z"}""");
        req["url"]!["pathname"]!.GetValue<string>().Should().Be($"/hooks/{_id}/{_token}");
        req["url"]!["path"]!.GetValue<string>().Should().Be($"/hooks/{_id}/{_token}?x=1&x=2&y=z");
        req["url_params"]!.ToJsonString().Should().Be($$"""{"integrationId":"{{_id}}","token":"{{_token}}"}""");
        req["headers"]!["x-custom"]!.GetValue<string>().Should().Be("v");
        req["content"]!.ToJsonString().Should().Be("""{"a":1}""");
        req["body"]!.ToJsonString().Should().Be("""{"a":1}""");
        req["content_raw"]!.GetValue<string>().Should().Be("""{"a":1}""");
        req["user"]!.ToJsonString().Should().Be("""{"_id":"u-bot","name":"Rocket Cat","username":"rocket.cat"}""");
    }

    [TestCase("[1]")]
    [TestCase("not json")]
    [TestCase("")]
    public async Task HandleIncoming_NonObjectBodyWithScript_ContentIsEmptyObject_IN17(string body)
    {
        var r = await _f.PostAsync(_id, _token, body, "text/plain");
        r.StatusCode.Should().Be(200);
        var req = _f.Scripts.Arguments.Single()["request"]!;
        req["content"]!.ToJsonString().Should().Be("{}");
        req["content_raw"]!.GetValue<string>().Should().Be(body);
    }

    [Test]
    public async Task HandleIncoming_InvalidJsonWithScript_Still400_IN11()
    {
        (await _f.PostAsync(_id, _token, "{bad")).Body["error"]!.GetValue<string>().Should().Be("error-invalid-json");
        _f.Scripts.Arguments.Should().BeEmpty();
    }

    [TestCase("null")]
    [TestCase("false")]
    [TestCase("0")]
    [TestCase("\"\"")]
    public async Task HandleIncoming_FalsyResult_200NothingPosted_SCR10(string value)
    {
        _f.Scripts.Invoke = _ => StubScriptHost.Returns(value);
        var r = await _f.PostAsync(_id, _token, """{"text":"x"}""");
        r.Body.ToJsonString().Should().Be("""{"success":true}""");
        _f.Chat.Sent.Should().BeEmpty();
    }

    [Test]
    public async Task HandleIncoming_ErrorString_400_SCR10()
    {
        _f.Scripts.Invoke = _ => StubScriptHost.Returns("""{"error":"nope","content":{"text":"x"}}""");
        var r = await _f.PostAsync(_id, _token, "{}");
        r.StatusCode.Should().Be(400);
        r.Body.ToJsonString().Should().Be("""{"success":false,"error":"nope"}""");
    }

    [Test]
    public async Task HandleIncoming_ErrorObject_400WithKeys_SCR10()
    {
        _f.Scripts.Invoke = _ => StubScriptHost.Returns("""{"error":{"code":7,"success":true}}""");
        var r = await _f.PostAsync(_id, _token, "{}");
        r.StatusCode.Should().Be(400);
        r.Body.ToJsonString().Should().Be("""{"code":7,"success":false}""");
    }

    [Test]
    public async Task HandleIncoming_FalsyErrorWithContent_Posts_SCR10()
    {
        _f.Scripts.Invoke = _ => StubScriptHost.Returns("""{"error":"","content":{"text":"posted"}}""");
        (await _f.PostAsync(_id, _token, "{}")).StatusCode.Should().Be(200);
        _f.Chat.Sent.Single().Text.Should().Be("posted");
    }

    [Test]
    public async Task HandleIncoming_ContentAndResponse_PostsAndAnswersResponse_IN51()
    {
        _f.Scripts.Invoke = _ => StubScriptHost.Returns("""{"content":{"text":"c"},"response":{"ok":1,"success":false}}""");
        var r = await _f.PostAsync(_id, _token, "{}");
        r.Body.ToJsonString().Should().Be("""{"ok":1,"success":true}""");
        _f.Chat.Sent.Single().Text.Should().Be("c");
    }

    [Test]
    public async Task HandleIncoming_ResponseOnly_NothingPosted_SCR10()
    {
        _f.Scripts.Invoke = _ => StubScriptHost.Returns("""{"response":{"ignored":true}}""");
        var r = await _f.PostAsync(_id, _token, "{}");
        r.Body.ToJsonString().Should().Be("""{"ignored":true,"success":true}""");
        _f.Chat.Sent.Should().BeEmpty();
    }

    [Test]
    public async Task HandleIncoming_MessageWithoutContentWrapper_Accepted_SCR10()
    {
        _f.Scripts.Invoke = _ => StubScriptHost.Returns("""{"text":"bare"}""");
        (await _f.PostAsync(_id, _token, "{}")).StatusCode.Should().Be(200);
        _f.Chat.Sent.Single().Text.Should().Be("bare");
    }

    [TestCase("true")]
    [TestCase("1")]
    [TestCase("\"s\"")]
    [TestCase("[1]")]
    [TestCase("""{"other":1}""")]
    [TestCase("""{"content":[1]}""")]
    [TestCase("""{"content":"text"}""")]
    public async Task HandleIncoming_InvalidResult_400InvalidResult_SCR10(string value)
    {
        _f.Scripts.Invoke = _ => StubScriptHost.Returns(value);
        var r = await _f.PostAsync(_id, _token, "{}");
        r.StatusCode.Should().Be(400);
        r.Body.ToJsonString().Should().Be("""{"success":false,"error":"error-running-script","reason":"invalid-result"}""");
    }

    [Test]
    public async Task HandleIncoming_ContentWithChannel_GuardStillApplies_IN48_SEC15()
    {
        _f.Scripts.Invoke = _ => StubScriptHost.Returns("""{"content":{"text":"x","channel":"#finance"}}""");
        (await _f.PostAsync(_id, _token, "{}")).Body["error"]!.GetValue<string>().Should().Be("overriding destination channel is disabled for this integration");
    }

    [Test]
    public async Task HandleIncoming_ScriptUserKey_Ignored_SCR11()
    {
        _f.Scripts.Invoke = _ => StubScriptHost.Returns("""{"content":{"text":"x","user":"u-alice"}}""");
        await _f.PostAsync(_id, _token, "{}");
        _f.Chat.Sent.Single().SenderId.Should().Be("u-bot");
    }

    [Test]
    public async Task HandleIncoming_SeparateResponseFromBody_AppliesWhenScriptOmitsIt_IN52()
    {
        _f.Scripts.Invoke = _ => StubScriptHost.Returns("""{"content":{"text":"x"}}""");
        var r = await _f.PostAsync(_id, _token, """{"separateResponse":true}""");
        r.Body["responses"]!.AsArray().Should().HaveCount(1);
    }

    [Test]
    public async Task HandleIncoming_ResponseBeatsSeparateResponse_IN52()
    {
        _f.Scripts.Invoke = _ => StubScriptHost.Returns("""{"content":{"text":"x","separateResponse":true},"response":{"r":1}}""");
        var r = await _f.PostAsync(_id, _token, "{}");
        r.Body.ToJsonString().Should().Be("""{"r":1,"success":true}""");
    }

    [TestCase("timeout")]
    [TestCase("statement-limit")]
    [TestCase("exception")]
    public async Task HandleIncoming_ScriptFailed_400WithReason_SCR47_SCR48(string reason)
    {
        _f.Scripts.Invoke = _ => new ScriptCallResult { Outcome = ScriptOutcome.Failed, Reason = reason, ErrorDetail = "secret detail" };
        var r = await _f.PostAsync(_id, _token, "{}");
        r.StatusCode.Should().Be(400);
        r.Body.ToJsonString().Should().Be($$"""{"success":false,"error":"error-running-script","reason":"{{reason}}"}""");
    }

    [Test]
    public async Task HandleIncoming_EvaluationFailed_400_SCR49()
    {
        _f.Scripts.Invoke = _ => new ScriptCallResult { Outcome = ScriptOutcome.EvaluationFailed, Reason = "exception" };
        (await _f.PostAsync(_id, _token, "{}")).Body.ToJsonString().Should().Be("""{"success":false,"error":"error-evaluating-script"}""");
    }

    [Test]
    public async Task HandleIncoming_ScriptBusy_503RetryAfter_SCR3()
    {
        _f.Scripts.Invoke = _ => new ScriptCallResult { Outcome = ScriptOutcome.Busy };
        var r = await _f.PostAsync(_id, _token, "{}");
        r.StatusCode.Should().Be(503);
        r.Headers.Should().Contain(new KeyValuePair<string, string>("Retry-After", "1"));
        r.Body["error"]!.GetValue<string>().Should().Be("error-script-busy");
    }

    [Test]
    public async Task HandleIncoming_ScriptsDisabled_503_IN73()
    {
        using var f = new EngineFixture(o => o.Scripts.Disabled = true);
        var (id, token) = await f.CreateIncomingAsync("""{"scriptEnabled":true,"script":"class Script { process_incoming_request() {} }"}""");
        var r = await f.PostAsync(id, token, """{"text":"raw"}""");
        r.StatusCode.Should().Be(503);
        r.Body["error"]!.GetValue<string>().Should().Be("error-scripts-disabled");
        f.Chat.Sent.Should().BeEmpty();
    }

    [Test]
    public async Task HandleIncoming_GetWithScript_ScriptRuns_IN72()
    {
        _f.Scripts.Invoke = a => StubScriptHost.Returns(new JsonObject { ["content"] = new JsonObject { ["text"] = a["request"]!["url"]!["query"]!["q"]!.GetValue<string>() } }.ToJsonString());
        (await _f.PostAsync(_id, _token, "", method: "GET", query: "?q=hello")).StatusCode.Should().Be(200);
        _f.Chat.Sent.Single().Text.Should().Be("hello");
    }

    [Test]
    public async Task HandleIncoming_RecordIncomingHistory_WritesRedactedRecordWithScriptLogs_IN74_SEC16()
    {
        using var f = new EngineFixture(o => o.RecordIncomingHistory = true);
        var (id, token) = await f.CreateIncomingAsync("""{"scriptEnabled":true,"script":"class Script { process_incoming_request() {} }"}""");
        f.Scripts.Invoke = _ => new ScriptCallResult
        {
            Outcome = ScriptOutcome.Completed,
            Value = JsonNode.Parse("""{"content":{"text":"x"}}"""),
            Logs = [new ScriptLogEntry("log", "saw token " + token, f.Time.GetUtcNow())],
        };
        (await f.PostAsync(id, token, """{"token":"sender-secret","a":1}""")).StatusCode.Should().Be(200);
        var page = await f.Store.ListHistoryAsync(id, 0, 10);
        page.Total.Should().Be(1);
        var doc = page.Items[0].Document;
        doc["type"]!.GetValue<string>().Should().Be("incoming-webhook");
        doc["attempt"]!.GetValue<int>().Should().Be(0);
        doc["data"]!["token"]!.GetValue<string>().Should().Be("[redacted]");
        doc["scriptLogs"]![0]!["message"]!.GetValue<string>().Should().NotContain(token);
        doc.ToJsonString().Should().NotContain(token).And.NotContain("sender-secret");
    }

    [Test]
    public async Task HandleIncoming_RecordIncomingHistoryOff_WritesNothing_IN74()
    {
        (await _f.PostAsync(_id, _token, "{}")).StatusCode.Should().Be(200);
        (await _f.Store.ListHistoryAsync(_id, 0, 10)).Total.Should().Be(0);
    }

    [Test]
    public async Task HandleIncoming_ScriptHostThrows_400Exception_GEN7()
    {
        _f.Scripts.Invoke = _ => throw new InvalidOperationException("host bug");
        (await _f.PostAsync(_id, _token, "{}")).Body["reason"]!.GetValue<string>().Should().Be("exception");
    }

    // MSG-11, issue 13: a script's message with no text and no attachments posts nothing and answers 200, as in
    // Rocket.Chat (GitLab disables a hook after repeated 400s). A body without a script still answers 400
    // (IncomingPipelineTests.HandleIncoming_NoTextNoAttachments_EmptyMessage_MSG11).
    [TestCase("""{"content":{}}""")]
    [TestCase("""{"content":{"text":"  \n"}}""")]
    [TestCase("""{"content":{"text":"","attachments":[]}}""")]
    [TestCase("""{"content":{"attachments":[5,"x",null]}}""")]
    [TestCase("""{"content":{"msg":" ","icon_emoji":":x:","username":"gitlab"}}""")]
    [TestCase("""{"text":" "}""")]
    public async Task HandleIncoming_ScriptMessageWithoutTextOrAttachments_200NothingPosted_MSG11(string value)
    {
        _f.Scripts.Invoke = _ => StubScriptHost.Returns(value);

        var r = await _f.PostAsync(_id, _token, """{"object_kind":"push"}""");

        r.StatusCode.Should().Be(200);
        r.Body.ToJsonString().Should().Be("""{"success":true}""");
        _f.Chat.Sent.Should().BeEmpty();
    }

    // MSG-11, IN-51: with a response, the answer is the script's response, as when a message is posted.
    [Test]
    public async Task HandleIncoming_EmptyScriptMessageWithResponse_AnswersResponse_MSG11_IN51()
    {
        _f.Scripts.Invoke = _ => StubScriptHost.Returns("""{"content":{"text":""},"response":{"ok":1,"success":false}}""");

        var r = await _f.PostAsync(_id, _token, "{}");

        r.StatusCode.Should().Be(200);
        r.Body.ToJsonString().Should().Be("""{"ok":1,"success":true}""");
        _f.Chat.Sent.Should().BeEmpty();
    }

    // MSG-11: the shortcut is for an empty message only; a script content that fails validation still answers 400.
    [TestCase("""{"content":{"text":{}}}""", "text")]
    [TestCase("""{"content":{"groupable":"yes"}}""", "groupable")]
    public async Task HandleIncoming_EmptyScriptMessageWithInvalidField_Still400_MSG11_IN31(string value, string field)
    {
        _f.Scripts.Invoke = _ => StubScriptHost.Returns(value);

        var r = await _f.PostAsync(_id, _token, "{}");

        r.StatusCode.Should().Be(400);
        r.Body["field"]!.GetValue<string>().Should().Be(field);
    }

    // MSG-11, IN-74: the script's author learns it from a console warning in the script log and the history record,
    // next to the script's own lines; the engine log has a warning (event 1009) that quotes nothing from the content.
    [Test]
    public async Task HandleIncoming_EmptyScriptMessage_ConsoleWarningInLogAndHistory_MSG11_IN74()
    {
        var logs = new FakeLoggerProvider();
        using var f = new EngineFixture(o => o.RecordIncomingHistory = true, logs: logs);
        var (id, token) = await f.CreateIncomingAsync("""{"scriptEnabled":true,"script":"class Script { process_incoming_request() {} }"}""");
        f.Scripts.Invoke = _ => new ScriptCallResult
        {
            Outcome = ScriptOutcome.Completed,
            Value = JsonNode.Parse("""{"content":{"text":"   ","avatar":"javascript:alert(1)"}}"""),
            Logs = [new ScriptLogEntry("log", "own line", f.Time.GetUtcNow())],
        };

        (await f.PostAsync(id, token, """{"object_kind":"pipeline"}""")).StatusCode.Should().Be(200);

        var doc = (await f.Store.ListHistoryAsync(id, 0, 10)).Items.Single().Document;
        doc["statusCode"]!.GetValue<int>().Should().Be(200);
        var scriptLogs = doc["scriptLogs"]!.AsArray();
        scriptLogs.Select(l => l!["level"]!.GetValue<string>()).Should().Equal("log", "warn");
        scriptLogs[1]!["message"]!.GetValue<string>().Should().Be(IncomingPipeline.EmptyScriptMessageWarning);
        logs.Collector.GetSnapshot().Should().Contain(e => e.Id.Id == 2004 && e.Message.Contains(IncomingPipeline.EmptyScriptMessageWarning, StringComparison.Ordinal));
        logs.Collector.GetSnapshot().Should().ContainSingle(e => e.Id.Id == 1009 && e.Level == LogLevel.Warning);
        logs.Collector.GetSnapshot().Should().Contain(e => e.Id.Id == 1004 && e.Message.Contains("avatar", StringComparison.Ordinal), "the draft's own warnings are logged too");
        logs.Collector.GetSnapshot().Where(e => e.Level >= LogLevel.Information).Should().NotContain(e => e.Message.Contains("javascript", StringComparison.Ordinal));
        f.Chat.Sent.Should().BeEmpty();
    }
}
