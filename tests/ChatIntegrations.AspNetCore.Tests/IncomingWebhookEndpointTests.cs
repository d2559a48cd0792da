using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ChatIntegrations.AspNetCore.Tests.Infrastructure;
using FluentAssertions;
using NUnit.Framework;

namespace ChatIntegrations.AspNetCore.Tests;

/// <summary>The webhook routes of the adapter through real Kestrel: routes, methods, tokens, bodies, limits.</summary>
[TestFixture]
[CancelAfter(20_000)]
public sealed class IncomingWebhookEndpointTests
{
    private const string InvalidToken = "Invalid integration id or token provided.";
    private SampleServer _server = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _server = await SampleServer.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await _server.DisposeAsync();

    private static CancellationToken Ct => TestContext.CurrentContext.CancellationToken;

    // IN-3: both forms, with and without a trailing slash.
    [TestCase("/hooks/{id}/{token}")]
    [TestCase("/hooks/{id}/{token}/")]
    [TestCase("/hooks/{id}/u-someone/{token}")]
    [TestCase("/hooks/{id}/u-someone/{token}/")]
    public async Task HandleIncoming_BothRouteForms_Returns200AndPosts(string template)
    {
        var (id, token) = await _server.CreateIncomingAsync(new JsonObject { ["channel"] = "#random" });
        var before = _server.MessageCount("random");

        var r = await _server.PostJsonAsync(template.Replace("{id}", id).Replace("{token}", token), """{"text":"route form"}""");

        r.Status.Should().Be(HttpStatusCode.OK, r.Text);
        r.Text.Should().Be("""{"success":true}""");
        r.Headers["Content-Type"].Should().Be("application/json; charset=utf-8");
        _server.MessageCount("random").Should().Be(before + 1);
    }

    // IN-3: a percent-encoded token containing '/', '+' and '=' reaches the engine decoded; GEN-8 import keeps it.
    [Test]
    public async Task HandleIncoming_PercentEncodedLegacyToken_Returns200()
    {
        const string token = "old/Token+With=Slash/1234";
        var id = "legacy-" + Guid.NewGuid().ToString("N")[..8];
        var import = await _server.SendAsync(HttpMethod.Post, "/api/integrations/import",
            new JsonObject { ["type"] = "webhook-incoming", ["_id"] = id, ["token"] = token, ["channel"] = "#general", ["username"] = "rocket.cat" }.ToJsonString());
        import.Status.Should().Be(HttpStatusCode.OK, import.Text);

        var r = await _server.PostJsonAsync($"/hooks/{id}/{Uri.EscapeDataString(token)}", """{"text":"encoded"}""");

        r.Status.Should().Be(HttpStatusCode.OK, r.Text);
    }

    // IN-70: GET is a credential check; nothing is posted.
    [Test]
    public async Task HandleIncoming_GetWithValidToken_Returns200AndPostsNothing()
    {
        var (id, token) = await _server.CreateIncomingAsync(new JsonObject { ["channel"] = "#random" });
        var before = _server.MessageCount("random");

        var r = await _server.SendAsync(HttpMethod.Get, $"/hooks/{id}/{token}?text=ignored");

        r.Status.Should().Be(HttpStatusCode.OK);
        r.Text.Should().Be("""{"success":true}""");
        _server.MessageCount("random").Should().Be(before);
    }

    // IN-6: other methods answer 405 with Allow, before the token check.
    [TestCase("PUT")]
    [TestCase("DELETE")]
    [TestCase("PATCH")]
    [TestCase("OPTIONS")]
    public async Task HandleIncoming_OtherMethod_Returns405WithAllow(string method)
    {
        var r = await _server.SendAsync(new HttpMethod(method), "/hooks/unknownid/unknowntoken", "{}");

        r.Status.Should().Be(HttpStatusCode.MethodNotAllowed);
        r.Headers["Allow"].Should().Be("GET, POST");
        r.Error.Should().Be("error-method-not-allowed");
    }

    // IN-4, IN-5: unknown id and wrong token answer identically.
    [Test]
    public async Task HandleIncoming_UnknownIdOrWrongToken_Returns404Envelope()
    {
        var (id, _) = await _server.CreateIncomingAsync();

        var unknown = await _server.PostJsonAsync("/hooks/doesnotexist12345/sometoken", """{"text":"x"}""");
        var wrong = await _server.PostJsonAsync($"/hooks/{id}/wrongtokenwrongtoken", """{"text":"x"}""");
        var noForm = await _server.PostJsonAsync("/hooks/only-one-segment", """{"text":"x"}""");

        foreach (var r in new[] { unknown, wrong, noForm })
        {
            r.Status.Should().Be(HttpStatusCode.NotFound);
            r.Text.Should().Be($$"""{"success":false,"error":"{{InvalidToken}}"}""");
        }
    }

    // SEC-2, IN-4: an outgoing integration's id and token never work as an incoming URL.
    [Test]
    public async Task HandleIncoming_OutgoingIntegrationToken_Returns404()
    {
        var created = await _server.SendAsync(HttpMethod.Post, "/api/integrations", new JsonObject
        {
            ["type"] = "webhook-outgoing",
            ["name"] = "outgoing",
            ["event"] = "sendMessage",
            ["channel"] = "#general",
            ["urls"] = new JsonArray("https://93.184.215.14/hook"),
            ["username"] = "rocket.cat",
            ["token"] = "outgoing-token-123456",
        }.ToJsonString());
        created.Status.Should().Be(HttpStatusCode.OK, created.Text);
        var id = created.Json!["integration"]!["_id"]!.GetValue<string>();

        var r = await _server.PostJsonAsync($"/hooks/{id}/outgoing-token-123456", """{"text":"x"}""");

        r.Status.Should().Be(HttpStatusCode.NotFound);
        r.Error.Should().Be(InvalidToken);
    }

    // IN-8: a disabled integration answers 503 and parses nothing.
    [Test]
    public async Task HandleIncoming_Disabled_Returns503()
    {
        var (id, token) = await _server.CreateIncomingAsync(new JsonObject { ["enabled"] = false });

        var r = await _server.PostJsonAsync($"/hooks/{id}/{token}", "not json at all");

        r.Status.Should().Be(HttpStatusCode.ServiceUnavailable);
        r.Text.Should().Be("""{"success":false,"error":"Service Unavailable"}""");
    }

    // IN-12.1: Slack-style payload= form.
    [Test]
    public async Task HandleIncoming_FormPayload_PostsMessage()
    {
        var (id, token) = await _server.CreateIncomingAsync(new JsonObject { ["channel"] = "#random" });
        var body = "payload=" + Uri.EscapeDataString("""{"text":"from a form"}""");

        var r = await _server.SendAsync(HttpMethod.Post, $"/hooks/{id}/{token}", body, "application/x-www-form-urlencoded; charset=utf-8");

        r.Status.Should().Be(HttpStatusCode.OK, r.Text);
        _server.LastMessage("random").Text.Should().Be("from a form");
    }

    // IN-12.3: a flat form becomes an object of strings; '+' is a space.
    [Test]
    public async Task HandleIncoming_FlatForm_PostsTextField()
    {
        var (id, token) = await _server.CreateIncomingAsync(new JsonObject { ["channel"] = "#random" });

        var r = await _server.SendAsync(HttpMethod.Post, $"/hooks/{id}/{token}", "text=hello+flat%21", "application/x-www-form-urlencoded");

        r.Status.Should().Be(HttpStatusCode.OK, r.Text);
        _server.LastMessage("random").Text.Should().Be("hello flat!");
    }

    // IN-13: a multipart form with a file, as HttpClient, browsers and curl -F send it; the file part is ignored.
    [Test]
    public async Task HandleIncoming_MultipartFormWithFile_PostsTextField()
    {
        var (id, token) = await _server.CreateIncomingAsync(new JsonObject { ["channel"] = "#random" });
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent("hello from a multipart form"), "text");
        form.Add(new ByteArrayContent([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A]) { Headers = { ContentType = new("image/png") } }, "file", "chart.png");

        var r = await _server.SendAsync(HttpMethod.Post, $"/hooks/{id}/{token}", form);

        r.Status.Should().Be(HttpStatusCode.OK, r.Text);
        _server.LastMessage("random").Text.Should().Be("hello from a multipart form");
    }

    // IN-13: a form cut short answers 400 with the reason, and posts nothing.
    [Test]
    public async Task HandleIncoming_TruncatedMultipartForm_Returns400WithReason()
    {
        var (id, token) = await _server.CreateIncomingAsync(new JsonObject { ["channel"] = "#random" });
        var before = _server.MessageCount("random");

        var r = await _server.SendAsync(HttpMethod.Post, $"/hooks/{id}/{token}",
            "--b1\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\nhello", "multipart/form-data; boundary=b1");

        r.Status.Should().Be(HttpStatusCode.BadRequest);
        r.Text.Should().Be("""{"success":false,"error":"error-invalid-multipart","message":"part 1 is not followed by a boundary line; the body ends before the closing boundary"}""");
        _server.MessageCount("random").Should().Be(before);
    }

    // IN-12, IN-45, IN-52: worked example A (with #random for #ops: rocket.cat is not a member of the sample's #ops).
    [Test]
    public async Task HandleIncoming_WorkedExampleA_SeparateResponseReportsEachDestination()
    {
        var (id, token) = await _server.CreateIncomingAsync(new JsonObject { ["overrideDestinationChannelEnabled"] = true });
        var payload = """{"text":"Build <https://ci.example/42|#42> failed","channel":["#random","#nope"],"separateResponse":true}""";

        var r = await _server.SendAsync(HttpMethod.Post, $"/hooks/{id}/{token}", "payload=" + Uri.EscapeDataString(payload), "application/x-www-form-urlencoded; charset=utf-8");

        r.Status.Should().Be(HttpStatusCode.OK, r.Text);
        r.Json!["success"]!.GetValue<bool>().Should().BeTrue();
        var responses = r.Json["responses"]!.AsArray();
        responses.Should().HaveCount(2);
        responses[0]!["channel"]!.GetValue<string>().Should().Be("#random");
        responses[0]!["message"]!["rid"]!.GetValue<string>().Should().Be("r-random");
        responses[0]!["message"]!["msg"]!.GetValue<string>().Should().Be("Build [#42](https://ci.example/42) failed");
        responses[0]!["message"]!["_id"]!.GetValue<string>().Should().Be(_server.LastMessage("random").Id);
        responses[1]!.ToJsonString().Should().Be("""{"channel":"#nope","error":"invalid-channel"}""");
    }

    // IN-46: without separateResponse the bad entry fails the whole request and nothing is posted.
    [Test]
    public async Task HandleIncoming_WorkedExampleAWithoutSeparateResponse_Returns400AndPostsNothing()
    {
        var (id, token) = await _server.CreateIncomingAsync(new JsonObject { ["overrideDestinationChannelEnabled"] = true });
        var before = _server.MessageCount("random");
        var payload = """{"text":"Build failed","channel":["#random","#nope"]}""";

        var r = await _server.SendAsync(HttpMethod.Post, $"/hooks/{id}/{token}", "payload=" + Uri.EscapeDataString(payload), "application/x-www-form-urlencoded");

        r.Status.Should().Be(HttpStatusCode.BadRequest);
        r.Text.Should().Be("""{"success":false,"error":"invalid-channel"}""");
        _server.MessageCount("random").Should().Be(before);
    }

    // IN-10, IN-14: the media type is case-insensitive; JSON sent as text/plain or octet-stream (or with no type) is
    // still parsed when it looks like JSON; plain text is unparseable.
    [TestCase("application/JSON; charset=UTF-8", """{"text":"t1"}""", 200, null)]
    [TestCase("text/plain", """ {"text":"t2"}""", 200, null)]
    [TestCase("application/octet-stream", """{"text":"t3"}""", 200, null)]
    [TestCase(null, """{"text":"t4"}""", 200, null)]
    [TestCase("text/plain", "hello there", 400, "error-invalid-json")]
    [TestCase("application/vnd.custom+json", """{"text":"t5"}""", 200, null)]
    public async Task HandleIncoming_ContentTypes_ParseAsSpecified(string? contentType, string body, int status, string? error)
    {
        var (id, token) = await _server.CreateIncomingAsync();

        var r = await _server.SendAsync(HttpMethod.Post, $"/hooks/{id}/{token}", body, contentType);

        ((int)r.Status).Should().Be(status, r.Text);
        r.Error.Should().Be(error);
    }

    // IN-10: unknown charsets and content encodings are refused.
    [Test]
    public async Task HandleIncoming_UnknownCharset_Returns415()
    {
        var (id, token) = await _server.CreateIncomingAsync();

        var r = await _server.SendAsync(HttpMethod.Post, $"/hooks/{id}/{token}", """{"text":"x"}""", "application/json; charset=klingon");

        ((int)r.Status).Should().Be(415);
        r.Error.Should().Be("error-unsupported-charset");
    }

    // IN-16: non-object JSON is refused; empty and {} are accepted and post nothing.
    [TestCase("[1,2]", 400, "error-invalid-body")]
    [TestCase("\"text\"", 400, "error-invalid-body")]
    [TestCase("42", 400, "error-invalid-body")]
    [TestCase("null", 400, "error-invalid-body")]
    [TestCase("", 200, null)]
    [TestCase("   ", 200, null)]
    [TestCase("{}", 200, null)]
    public async Task HandleIncoming_BodyShapes_AnswerPerIN16(string body, int status, string? error)
    {
        var (id, token) = await _server.CreateIncomingAsync(new JsonObject { ["channel"] = "#random" });
        var before = _server.MessageCount("random");

        var r = await _server.PostJsonAsync($"/hooks/{id}/{token}", body);

        ((int)r.Status).Should().Be(status, r.Text);
        r.Error.Should().Be(error);
        _server.MessageCount("random").Should().Be(before);
    }

    // IN-11: invalid JSON with a JSON content type answers a stable code and a message.
    [Test]
    public async Task HandleIncoming_InvalidJson_Returns400WithMessage()
    {
        var (id, token) = await _server.CreateIncomingAsync();

        var r = await _server.PostJsonAsync($"/hooks/{id}/{token}", """{"text": "unterminated""");

        r.Status.Should().Be(HttpStatusCode.BadRequest);
        r.Error.Should().Be("error-invalid-json");
        r.Json!["message"]!.GetValue<string>().Should().NotBeEmpty();
    }

    // IN-18: nesting deeper than 64 is refused.
    [Test]
    public async Task HandleIncoming_65DeepArrays_ReturnsJsonTooDeep()
    {
        var (id, token) = await _server.CreateIncomingAsync();
        var body = """{"text":"deep","x":""" + new string('[', 64) + new string(']', 64) + "}";

        var r = await _server.PostJsonAsync($"/hooks/{id}/{token}", body);

        r.Status.Should().Be(HttpStatusCode.BadRequest, r.Text);
        r.Error.Should().Be("error-json-too-deep");
    }

    // IN-20: a declared Content-Length over 1 MiB is refused before any body byte is sent.
    [Test]
    public async Task HandleIncoming_ContentLengthOverLimit_Returns413BeforeReading()
    {
        var (id, token) = await _server.CreateIncomingAsync();
        var head = $"POST /hooks/{id}/{token} HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: {1024 * 1024 + 1}\r\n\r\n";

        var (status, _, body) = await RawHttp.ExchangeAsync(_server.Address, head, body: null, Ct);

        status.Should().Be(413);
        body.Should().Contain("error-payload-too-large");
    }

    // IN-20, IN-21: a chunked body is cut off as soon as it passes 1 MiB; the terminating chunk is never sent.
    [Test]
    public async Task HandleIncoming_ChunkedOverLimit_Returns413()
    {
        var (id, token) = await _server.CreateIncomingAsync();
        var head = $"POST /hooks/{id}/{token} HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
        var chunks = new MemoryStream();
        var chunk = Encoding.ASCII.GetBytes(new string(' ', 64 * 1024));
        for (var i = 0; i < 17; i++) // 17 × 64 KiB = 1 MiB + 64 KiB, no final zero chunk
        {
            chunks.Write(Encoding.ASCII.GetBytes($"{chunk.Length:X}\r\n"));
            chunks.Write(chunk);
            chunks.Write("\r\n"u8);
        }

        var (status, _, body) = await RawHttp.ExchangeAsync(_server.Address, head, chunks.ToArray(), Ct);

        status.Should().Be(413);
        body.Should().Contain("error-payload-too-large");
    }

    // IN-20: exactly the limit is accepted (whitespace after the object).
    [Test]
    public async Task HandleIncoming_BodyOfExactlyOneMiB_IsAccepted()
    {
        var (id, token) = await _server.CreateIncomingAsync();
        var json = """{"text":"big"}""";
        var body = json + new string(' ', 1024 * 1024 - json.Length);

        var r = await _server.PostJsonAsync($"/hooks/{id}/{token}", body);

        r.Status.Should().Be(HttpStatusCode.OK, r.Text);
    }

    // IN-60..IN-63: per-integration fixed window, 429 with Retry-After and X-RateLimit-* on every answer.
    [Test]
    public async Task HandleIncoming_OverRateLimit_Returns429WithHeaders()
    {
        var (id, token) = await _server.CreateIncomingAsync(new JsonObject { ["rateLimit"] = new JsonObject { ["enabled"] = true, ["permits"] = 2, ["windowSeconds"] = 60 } });
        var path = $"/hooks/{id}/{token}";

        var first = await _server.PostJsonAsync(path, """{"text":"1"}""");
        var second = await _server.PostJsonAsync(path, """{"text":2"""); // a failing request still counts (IN-61)
        var third = await _server.PostJsonAsync(path, """{"text":"3"}""");

        first.Status.Should().Be(HttpStatusCode.OK);
        first.Headers["X-RateLimit-Limit"].Should().Be("2");
        first.Headers["X-RateLimit-Remaining"].Should().Be("1");
        long.Parse(first.Headers["X-RateLimit-Reset"], System.Globalization.CultureInfo.InvariantCulture).Should().BeGreaterThan(DateTimeOffset.UtcNow.AddSeconds(-1).ToUnixTimeMilliseconds());
        second.Status.Should().Be(HttpStatusCode.BadRequest);
        second.Headers["X-RateLimit-Remaining"].Should().Be("0");
        third.Status.Should().Be(HttpStatusCode.TooManyRequests);
        var retryAfter = int.Parse(third.Headers["Retry-After"], System.Globalization.CultureInfo.InvariantCulture);
        retryAfter.Should().BeInRange(1, 60);
        third.Error.Should().Be($"Error, too many requests. Please slow down. You must wait {retryAfter} seconds before trying again.");
        third.Headers.Should().ContainKey("X-RateLimit-Limit");
    }
}
