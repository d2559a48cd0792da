using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ChatIntegrations.Tests.TestDoubles;
using Microsoft.Extensions.DependencyInjection;

namespace ChatIntegrations.Tests.Incoming;

public sealed class IncomingPipelineTests
{
    private EngineFixture _f = null!;

    [SetUp]
    public void SetUp() => _f = new EngineFixture();

    [TearDown]
    public void TearDown() => _f.Dispose();

    [Test]
    public async Task HandleIncoming_JsonText_PostsToDefaultChannel_IN30_IN50()
    {
        var (id, token) = await _f.CreateIncomingAsync();
        var r = await _f.PostAsync(id, token, """{"text":"  hello  "}""");
        r.StatusCode.Should().Be(200);
        r.Body.ToJsonString().Should().Be("""{"success":true}""");
        var m = _f.Chat.Sent.Single();
        m.RoomId.Should().Be("R_GENERAL");
        m.Text.Should().Be("hello");
        m.SenderId.Should().Be("u-bot");
        m.BotIntegrationId.Should().Be(id);
        m.ParseUrls.Should().BeTrue();
        m.Groupable.Should().BeFalse();
    }

    [Test]
    public async Task HandleIncoming_UnknownIdAndWrongToken_AnswerSame404_IN4_IN5()
    {
        var (id, _) = await _f.CreateIncomingAsync();
        var a = await _f.PostAsync("nope", "x".PadRight(48, 'x'), "{}");
        var b = await _f.PostAsync(id, "y".PadRight(48, 'y'), "{}");
        a.StatusCode.Should().Be(404);
        b.StatusCode.Should().Be(404);
        a.Body.ToJsonString().Should().Be(b.Body.ToJsonString()).And.Be("""{"success":false,"error":"Invalid integration id or token provided."}""");
    }

    [Test]
    public async Task HandleIncoming_OutgoingToken_Answers404_SEC2()
    {
        var created = await _f.Engine.CreateAsync(EngineFixture.Admin, JsonNode.Parse("""
            {"type":"webhook-outgoing","username":"rocket.cat","urls":["https://example.com/x"],"event":"sendMessage"}
            """)!.AsObject());
        created.Success.Should().BeTrue(created.Body.ToJsonString());
        var i = created.Body["integration"]!;
        var r = await _f.PostAsync(i["_id"]!.GetValue<string>(), i["token"]!.GetValue<string>(), """{"text":"x"}""");
        r.StatusCode.Should().Be(404);
    }

    [TestCase("PUT")]
    [TestCase("DELETE")]
    [TestCase("OPTIONS")]
    public async Task HandleIncoming_OtherMethod_Answers405WithAllow_IN6(string method)
    {
        var r = await _f.PostAsync("any", "token-that-is-not-checked-yet", "{}", method: method);
        r.StatusCode.Should().Be(405);
        r.Headers.Should().Contain(new KeyValuePair<string, string>("Allow", "GET, POST"));
        r.Body["error"]!.GetValue<string>().Should().Be("error-method-not-allowed");
    }

    [Test]
    public async Task HandleIncoming_LegacyRouteAndTrailingSlash_Accepted_IN3()
    {
        var (id, token) = await _f.CreateIncomingAsync();
        var r = await _f.Engine.HandleIncomingAsync(new IncomingWebhookRequest
        {
            Method = "POST",
            Path = $"/hooks/{id}/someUser/{Uri.EscapeDataString(token)}/",
            Headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Content-Type"] = "application/json" },
            Body = new MemoryStream("""{"text":"legacy"}"""u8.ToArray()),
        });
        r.StatusCode.Should().Be(200);
        _f.Chat.Sent.Single().Text.Should().Be("legacy");
    }

    [Test]
    public async Task HandleIncoming_Disabled_Answers503_IN8()
    {
        var (id, token) = await _f.CreateIncomingAsync("""{"enabled":false}""");
        var r = await _f.PostAsync(id, token, """{"text":"x"}""");
        r.StatusCode.Should().Be(503);
        r.Body.ToJsonString().Should().Be("""{"success":false,"error":"Service Unavailable"}""");
        _f.Chat.Sent.Should().BeEmpty();
    }

    [Test]
    public async Task HandleIncoming_ThirtyOneBadTokens_ThrottlesButValidTokenStillWorks_SEC5()
    {
        var (id, token) = await _f.CreateIncomingAsync();
        var from = IPAddress.Parse("203.0.113.7");
        for (var n = 0; n < 30; n++) (await _f.PostAsync(id, "bad-token-" + n, "{}", from: from)).StatusCode.Should().Be(404);
        var throttled = await _f.PostAsync(id, "bad-token-31", "{}", from: from);
        throttled.StatusCode.Should().Be(429);
        throttled.Headers.Should().Contain(h => h.Key == "Retry-After");
        (await _f.PostAsync(id, token, """{"text":"ok"}""", from: from)).StatusCode.Should().Be(200);
        (await _f.PostAsync(id, "bad", "{}", from: IPAddress.Parse("203.0.113.8"))).StatusCode.Should().Be(404);
        _f.Time.Advance(TimeSpan.FromMinutes(10));
        (await _f.PostAsync(id, "bad-again", "{}", from: from)).StatusCode.Should().Be(404);
    }

    [Test]
    public async Task HandleIncoming_OverRateLimit_Answers429WithHeaders_IN60_IN62_IN63()
    {
        var (id, token) = await _f.CreateIncomingAsync("""{"rateLimit":{"enabled":true,"permits":2,"windowSeconds":60}}""");
        var first = await _f.PostAsync(id, token, """{"text":"1"}""");
        first.Headers.Should().Contain(new KeyValuePair<string, string>("X-RateLimit-Limit", "2"))
            .And.Contain(new KeyValuePair<string, string>("X-RateLimit-Remaining", "1"))
            .And.Contain(new KeyValuePair<string, string>("X-RateLimit-Reset", _f.Time.GetUtcNow().AddSeconds(60).ToUnixTimeMilliseconds().ToString()));
        (await _f.PostAsync(id, token, "not json at all", "text/plain")).StatusCode.Should().Be(400); // counted although it fails (IN-61)
        _f.Time.Advance(TimeSpan.FromSeconds(20));
        var third = await _f.PostAsync(id, token, """{"text":"3"}""");
        third.StatusCode.Should().Be(429);
        third.Headers.Should().Contain(new KeyValuePair<string, string>("Retry-After", "40"));
        third.Body["error"]!.GetValue<string>().Should().Be("Error, too many requests. Please slow down. You must wait 40 seconds before trying again.");
        _f.Time.Advance(TimeSpan.FromSeconds(40));
        (await _f.PostAsync(id, token, """{"text":"4"}""")).StatusCode.Should().Be(200);
    }

    [Test]
    public async Task HandleIncoming_RateLimitDisabled_NoHeaders_IN60()
    {
        var (id, token) = await _f.CreateIncomingAsync("""{"rateLimit":{"enabled":false}}""");
        for (var n = 0; n < 100; n++) (await _f.PostAsync(id, token, """{"text":"x"}""")).StatusCode.Should().Be(200);
        (await _f.PostAsync(id, token, """{"text":"x"}""")).Headers.Should().NotContain(h => h.Key.StartsWith("X-RateLimit"));
    }

    [Test]
    public async Task HandleIncoming_DeclaredLengthOverLimit_413WithoutReading_IN20()
    {
        var (id, token) = await _f.CreateIncomingAsync();
        var body = new ThrowingStream();
        var r = await _f.Engine.HandleIncomingAsync(new IncomingWebhookRequest
        {
            Method = "POST",
            Path = $"/hooks/{id}/{token}",
            ContentLength = 1024 * 1024 + 1,
            Body = body,
        });
        r.StatusCode.Should().Be(413);
        r.Body["error"]!.GetValue<string>().Should().Be("error-payload-too-large");
        body.WasRead.Should().BeFalse();
    }

    [Test]
    public async Task HandleIncoming_UndeclaredOversizeBody_413_IN20()
    {
        var (id, token) = await _f.CreateIncomingAsync();
        var bytes = Encoding.UTF8.GetBytes("{\"text\":\"" + new string('a', 1024 * 1024) + "\"}");
        var r = await _f.Engine.HandleIncomingAsync(new IncomingWebhookRequest { Method = "POST", Path = $"/hooks/{id}/{token}", Body = new MemoryStream(bytes) });
        r.StatusCode.Should().Be(413);
    }

    [Test]
    public async Task HandleIncoming_IntegrationBodyLimit_Applies_IN22()
    {
        var (id, token) = await _f.CreateIncomingAsync("""{"maxBodyBytes":20}""");
        (await _f.PostAsync(id, token, """{"text":"this is longer than twenty"}""")).StatusCode.Should().Be(413);
        (await _f.PostAsync(id, token, """{"text":"short"}""")).StatusCode.Should().Be(200);
    }

    [TestCase("{\"text\":", "error-invalid-json")]
    [TestCase("{'text':'x'}", "error-invalid-json")]
    public async Task HandleIncoming_MalformedJson_400WithPosition_IN11(string body, string error)
    {
        var (id, token) = await _f.CreateIncomingAsync();
        var r = await _f.PostAsync(id, token, body);
        r.StatusCode.Should().Be(400);
        r.Body["error"]!.GetValue<string>().Should().Be(error);
        r.Body["message"]!.GetValue<string>().Should().Contain("line 1");
    }

    [Test]
    public async Task HandleIncoming_65NestedArrays_JsonTooDeep_IN18()
    {
        var (id, token) = await _f.CreateIncomingAsync();
        var deep = "{\"a\":" + new string('[', 64) + new string(']', 64) + "}";
        (await _f.PostAsync(id, token, deep)).Body["error"]!.GetValue<string>().Should().Be("error-json-too-deep");
        var ok = "{\"text\":\"x\",\"a\":" + new string('[', 62) + new string(']', 62) + "}";
        (await _f.PostAsync(id, token, ok)).StatusCode.Should().Be(200);
    }

    [Test]
    public async Task HandleIncoming_DuplicateKeys_LastWins_IN18()
    {
        var (id, token) = await _f.CreateIncomingAsync();
        (await _f.PostAsync(id, token, """{"text":"first","text":"second"}""")).StatusCode.Should().Be(200);
        _f.Chat.Sent.Single().Text.Should().Be("second");
    }

    [TestCase("[1,2]")]
    [TestCase("\"str\"")]
    [TestCase("42")]
    [TestCase("null")]
    public async Task HandleIncoming_NonObjectJson_400InvalidBody_IN16(string body)
    {
        var (id, token) = await _f.CreateIncomingAsync();
        var r = await _f.PostAsync(id, token, body);
        r.StatusCode.Should().Be(400);
        r.Body.ToJsonString().Should().Be("""{"success":false,"error":"error-invalid-body","message":"body must be a JSON object"}""");
    }

    [TestCase("")]
    [TestCase("   ")]
    [TestCase("{}")]
    public async Task HandleIncoming_EmptyBody_200NothingPosted_IN16(string body)
    {
        var (id, token) = await _f.CreateIncomingAsync();
        var r = await _f.PostAsync(id, token, body);
        r.StatusCode.Should().Be(200);
        _f.Chat.Sent.Should().BeEmpty();
    }

    [Test]
    public async Task HandleIncoming_Get_CredentialCheckOnly_IN70()
    {
        var (id, token) = await _f.CreateIncomingAsync();
        var r = await _f.PostAsync(id, token, """{"text":"ignored"}""", method: "GET", query: "?text=hi");
        r.StatusCode.Should().Be(200);
        _f.Chat.Sent.Should().BeEmpty(); // IN-71: query never maps to message fields
    }

    [Test]
    public async Task HandleIncoming_PlainTextUnparseable_400InvalidJson_IN14()
    {
        var (id, token) = await _f.CreateIncomingAsync();
        var r = await _f.PostAsync(id, token, "hello there", "text/plain");
        r.StatusCode.Should().Be(400);
        r.Body["error"]!.GetValue<string>().Should().Be("error-invalid-json");
    }

    [Test]
    public async Task HandleIncoming_JsonWithWrongType_ParsedAsJson_IN14()
    {
        var (id, token) = await _f.CreateIncomingAsync();
        (await _f.PostAsync(id, token, """ {"text":"a&b=c"}""", "text/plain")).StatusCode.Should().Be(200);
        (await _f.PostAsync(id, token, """{"text":"no type"}""", null)).StatusCode.Should().Be(200);
        _f.Chat.Sent.Select(m => m.Text).Should().Equal("a&b=c", "no type");
    }

    [Test]
    public async Task HandleIncoming_FormPayload_SlackStyleWithCharset_IN12_MSG42()
    {
        var (id, token) = await _f.CreateIncomingAsync();
        var r = await _f.PostAsync(id, token, "payload=" + Uri.EscapeDataString("""{"text":"from slack"}"""), "application/x-www-form-urlencoded; charset=utf-8");
        r.StatusCode.Should().Be(200);
        _f.Chat.Sent.Single().Text.Should().Be("from slack");
    }

    [Test]
    public async Task HandleIncoming_FormFields_FlatStringsAndRepeatedKeys_IN12()
    {
        var (id, token) = await _f.CreateIncomingAsync();
        var r = await _f.PostAsync(id, token, "text=hi+there&channel=%23alerts", "application/x-www-form-urlencoded");
        // channel in the body without override enabled is rejected by the guard
        r.StatusCode.Should().Be(400);
        r.Body["error"]!.GetValue<string>().Should().Be("overriding destination channel is disabled for this integration");
        var ok = await _f.PostAsync(id, token, "text=hi+there", "application/x-www-form-urlencoded");
        ok.StatusCode.Should().Be(200);
        _f.Chat.Sent.Single().Text.Should().Be("hi there");
    }

    [Test]
    public async Task HandleIncoming_FormBodyThatIsJson_ParsedWhole_IN12()
    {
        var (id, token) = await _f.CreateIncomingAsync();
        (await _f.PostAsync(id, token, """{"text":"a&b=c"}""", "application/x-www-form-urlencoded")).StatusCode.Should().Be(200);
        _f.Chat.Sent.Single().Text.Should().Be("a&b=c");
    }

    [Test]
    public async Task HandleIncoming_BadPayloadJson_400_IN12()
    {
        var (id, token) = await _f.CreateIncomingAsync();
        var r = await _f.PostAsync(id, token, "payload=%7Bnot", "application/x-www-form-urlencoded");
        r.Body["error"]!.GetValue<string>().Should().Be("error-invalid-json");
    }

    [Test]
    public async Task HandleIncoming_UnknownCharsetAndEncoding_415_IN10()
    {
        var (id, token) = await _f.CreateIncomingAsync();
        (await _f.PostAsync(id, token, """{"text":"x"}""", "application/json; charset=klingon")).Body["error"]!.GetValue<string>().Should().Be("error-unsupported-charset");
        var gz = await _f.PostAsync(id, token, """{"text":"x"}""", headers: new() { ["Content-Encoding"] = "gzip" });
        gz.StatusCode.Should().Be(415);
        gz.Body["error"]!.GetValue<string>().Should().Be("error-unsupported-encoding");
    }

    [Test]
    public async Task HandleIncoming_Latin1Charset_Decoded_IN10()
    {
        var (id, token) = await _f.CreateIncomingAsync();
        var bytes = Encoding.Latin1.GetBytes("{\"text\":\"café\"}");
        var r = await _f.Engine.HandleIncomingAsync(new IncomingWebhookRequest
        {
            Method = "POST",
            Path = $"/hooks/{id}/{token}",
            Headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["content-type"] = "APPLICATION/JSON; Charset=ISO-8859-1" },
            Body = new MemoryStream(bytes),
        });
        r.StatusCode.Should().Be(200);
        _f.Chat.Sent.Single().Text.Should().Be("café");
    }

    [Test]
    public async Task HandleIncoming_WorkedExampleA_SeparateResponse_IN52()
    {
        var (id, token) = await _f.CreateIncomingAsync("""{"channel":["#alerts"],"overrideDestinationChannelEnabled":true}""");
        const string Body = "payload=%7B%22text%22%3A%22Build+%3Chttps%3A%2F%2Fci.example%2F42%7C%2342%3E+failed%22%2C%22channel%22%3A%5B%22%23ops%22%2C%22%23nope%22%5D%2C%22separateResponse%22%3Atrue%7D";
        var r = await _f.PostAsync(id, token, Body, "application/x-www-form-urlencoded; charset=utf-8");
        r.StatusCode.Should().Be(200);
        r.Body.ToJsonString().Should().Be(
            """{"success":true,"responses":[{"channel":"#ops","message":{"_id":"m1","rid":"R_OPS","ts":"2025-01-01T10:00:00.000Z","msg":"Build [#42](https://ci.example/42) failed"}},{"channel":"#nope","error":"invalid-channel"}]}""");

        var plain = Body.Replace("%2C%22separateResponse%22%3Atrue", "");
        var r2 = await _f.PostAsync(id, token, plain, "application/x-www-form-urlencoded; charset=utf-8");
        r2.StatusCode.Should().Be(400);
        r2.Body.ToJsonString().Should().Be("""{"success":false,"error":"invalid-channel"}""");
        _f.Chat.Sent.Should().HaveCount(1);
    }

    [Test]
    public async Task HandleIncoming_WorkedExampleB_OverrideGuard_IN48()
    {
        var (id, token) = await _f.CreateIncomingAsync("""{"channel":["#alerts"]}""");
        (await _f.PostAsync(id, token, """{"text":"hi","channel":"#alerts"}""")).StatusCode.Should().Be(200);
        (await _f.PostAsync(id, token, """{"text":"hi","channel":"R_ALERTS"}""")).StatusCode.Should().Be(200);
        var r = await _f.PostAsync(id, token, """{"text":"hi","channel":"#finance"}""");
        r.StatusCode.Should().Be(400);
        r.Body["error"]!.GetValue<string>().Should().Be("overriding destination channel is disabled for this integration");
        var secret = await _f.PostAsync(id, token, """{"text":"hi","roomId":"R_SECRET"}""");
        secret.Body["error"]!.GetValue<string>().Should().Be("overriding destination channel is disabled for this integration");
    }

    [Test]
    public async Task HandleIncoming_PrivateRoomNotMember_ErrorNotAllowed_IN44_SEC30()
    {
        var (id, token) = await _f.CreateIncomingAsync("""{"overrideDestinationChannelEnabled":true}""");
        var r = await _f.PostAsync(id, token, """{"text":"hi","channel":"#secret"}""");
        r.StatusCode.Should().Be(400);
        r.Body.ToJsonString().Should().Be("""{"success":false,"error":"error-not-allowed"}""");
    }

    [Test]
    public async Task HandleIncoming_Destinations_ResolveAndDeduplicate_IN40_IN45()
    {
        var (id, token) = await _f.CreateIncomingAsync("""{"overrideDestinationChannelEnabled":true}""");
        var r = await _f.PostAsync(id, token, """{"text":"hi","channel":[" #ops","R_OPS","#ops","@alice","u-bob",""]}""");
        r.StatusCode.Should().Be(200, r.Body.ToJsonString());
        _f.Chat.Sent.Select(m => m.RoomId).Should().Equal("R_OPS", "DM_u-alice_u-bot", "DM_u-bob_u-bot");
    }

    [Test]
    public async Task HandleIncoming_UsernameIsNotAUserIdForBareEntries_IN43()
    {
        var (id, token) = await _f.CreateIncomingAsync("""{"overrideDestinationChannelEnabled":true}""");
        var r = await _f.PostAsync(id, token, """{"text":"hi","channel":"alice"}""");
        r.Body["error"]!.GetValue<string>().Should().Be("invalid-channel");
    }

    [Test]
    public async Task HandleIncoming_TooManyDestinations_400_IN40()
    {
        var (id, token) = await _f.CreateIncomingAsync("""{"overrideDestinationChannelEnabled":true}""");
        var list = string.Join(",", Enumerable.Range(0, 21).Select(n => $"\"#r{n}\""));
        (await _f.PostAsync(id, token, $"{{\"text\":\"hi\",\"channel\":[{list}]}}")).Body["error"]!.GetValue<string>().Should().Be("error-too-many-destinations");
    }

    [Test]
    public async Task HandleIncoming_OneBadDestination_NothingPosted_IN46()
    {
        var (id, token) = await _f.CreateIncomingAsync("""{"overrideDestinationChannelEnabled":true}""");
        var r = await _f.PostAsync(id, token, """{"text":"hi","channel":["#ops","#missing"]}""");
        r.StatusCode.Should().Be(400);
        _f.Chat.Sent.Should().BeEmpty();
    }

    [Test]
    public async Task HandleIncoming_DefaultChannelGone_FailsLikeBodyEntry_IN47()
    {
        var (id, token) = await _f.CreateIncomingAsync("""{"channel":"#alerts"}""");
        _f.Chat.Rooms.Remove("R_ALERTS");
        var r = await _f.PostAsync(id, token, """{"text":"hi"}""");
        r.Body["error"]!.GetValue<string>().Should().Be("invalid-channel");
    }

    [TestCase("""{"text":{"a":1}}""", "text")]
    [TestCase("""{"text":"x","channel":5}""", "channel")]
    [TestCase("""{"text":"x","username":[1]}""", "username")]
    [TestCase("""{"text":"x","tmid":5}""", "tmid")]
    [TestCase("""{"text":"x","customFields":"no"}""", "customFields")]
    public async Task HandleIncoming_WrongFieldType_400NamesField_IN31(string body, string field)
    {
        var (id, token) = await _f.CreateIncomingAsync("""{"overrideDestinationChannelEnabled":true}""");
        var r = await _f.PostAsync(id, token, body);
        r.StatusCode.Should().Be(400);
        r.Body["error"]!.GetValue<string>().Should().Be("error-invalid-field");
        r.Body["field"]!.GetValue<string>().Should().Be(field);
    }

    [Test]
    public async Task HandleIncoming_NumberText_BecomesJsonText_IN30()
    {
        var (id, token) = await _f.CreateIncomingAsync();
        (await _f.PostAsync(id, token, """{"text":42}""")).StatusCode.Should().Be(200);
        _f.Chat.Sent.Single().Text.Should().Be("42");
    }

    [Test]
    public async Task HandleIncoming_TextTooLong_400_MSG10()
    {
        var (id, token) = await _f.CreateIncomingAsync();
        var r = await _f.PostAsync(id, token, "{\"text\":\"" + new string('x', 5001) + "\"}");
        r.Body.ToJsonString().Should().Be("""{"success":false,"error":"error-message-size-exceeded"}""");
        (await _f.PostAsync(id, token, "{\"text\":\"" + new string('x', 5000) + "\"}")).StatusCode.Should().Be(200);
    }

    [Test]
    public async Task HandleIncoming_NoTextNoAttachments_EmptyMessage_MSG11()
    {
        var (id, token) = await _f.CreateIncomingAsync();
        (await _f.PostAsync(id, token, """{"text":"  ","alias":"x"}""")).Body["error"]!.GetValue<string>().Should().Be("error-empty-message");
    }

    [Test]
    public async Task HandleIncoming_SinkError_PassesThrough_IN54()
    {
        var (id, token) = await _f.CreateIncomingAsync();
        _f.Chat.OnSend = _ => SendMessageResult.Failed("error-invalid-thread");
        var r = await _f.PostAsync(id, token, """{"text":"x","tmid":"nope"}""");
        r.StatusCode.Should().Be(400);
        r.Body["error"]!.GetValue<string>().Should().Be("error-invalid-thread");
    }

    [Test]
    public async Task HandleIncoming_SinkThrows_500_IN55()
    {
        var (id, token) = await _f.CreateIncomingAsync();
        _f.Chat.OnSend = _ => throw new InvalidOperationException("db down");
        var r = await _f.PostAsync(id, token, """{"text":"x"}""");
        r.StatusCode.Should().Be(500);
        r.Body.ToJsonString().Should().Be("""{"success":false,"error":"error-sending-message"}""");
    }

    [Test]
    public async Task HandleIncoming_SinkThrowsWithSeparateResponse_EntryError_IN55()
    {
        var (id, token) = await _f.CreateIncomingAsync("""{"overrideDestinationChannelEnabled":true}""");
        _f.Chat.OnSend = m => m.RoomId == "R_OPS" ? throw new InvalidOperationException("boom") : null;
        var r = await _f.PostAsync(id, token, """{"text":"x","channel":["#ops","#general"],"separateResponse":true}""");
        r.StatusCode.Should().Be(200);
        r.Body["responses"]![0]!["error"]!.GetValue<string>().Should().Be("error-sending-message");
        r.Body["responses"]![1]!["message"]!["rid"]!.GetValue<string>().Should().Be("R_GENERAL");
    }

    [Test]
    public async Task HandleIncoming_BotMarkerInBody_Replaced_MSG3()
    {
        var (id, token) = await _f.CreateIncomingAsync();
        await _f.PostAsync(id, token, """{"text":"x","bot":{"i":"forged"}}""");
        _f.Chat.Sent.Single().BotIntegrationId.Should().Be(id);
    }

    [Test]
    public async Task HandleIncoming_StoreUnavailable_503RetryAfter_GEN14()
    {
        using var f = new EngineFixture();
        var store = new UnavailableStore();
        var (id, token) = await f.CreateIncomingAsync();
        var r = await NewEngineWithStore(f, store).HandleIncomingAsync(new IncomingWebhookRequest { Method = "POST", Path = $"/hooks/{id}/{token}" });
        r.StatusCode.Should().Be(503);
        r.Body.ToJsonString().Should().Be("""{"success":false,"error":"error-store-unavailable"}""");
        r.Headers.Should().Contain(new KeyValuePair<string, string>("Retry-After", "5"));
    }

    private static IntegrationEngine NewEngineWithStore(EngineFixture f, IIntegrationStore store)
    {
        var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection();
        Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddSingleton<IIntegrationStore>(services, store);
        Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddSingleton<IChatDirectory>(services, f.Chat);
        Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddSingleton<IMessageSink>(services, f.Chat);
        services.AddChatIntegrations();
        return Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<IntegrationEngine>(
            Microsoft.Extensions.DependencyInjection.ServiceCollectionContainerBuilderExtensions.BuildServiceProvider(services));
    }

    private sealed class ThrowingStream : Stream
    {
        public bool WasRead { get; private set; }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => 0; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) { WasRead = true; throw new InvalidOperationException("must not be read"); }
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) { WasRead = true; throw new InvalidOperationException("must not be read"); }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
