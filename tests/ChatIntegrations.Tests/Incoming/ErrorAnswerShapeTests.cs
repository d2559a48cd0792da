using System.Text.Json;
using ChatIntegrations.Tests.TestDoubles;

namespace ChatIntegrations.Tests.Incoming;

/// <summary>IN-53: every error answer the engine generates is <c>{"success":false,"error":…}</c>, with at most
/// <c>message</c>, <c>reason</c> or <c>field</c> besides, whatever went wrong.</summary>
public sealed class ErrorAnswerShapeTests
{
    private static readonly string[] AllowedKeys = ["success", "error", "message", "reason", "field"];

    private static IEnumerable<TestCaseData> BadRequests()
    {
        TestCaseData Case(string name, int status, string body, string? contentType = "application/json", string settings = "{}",
            string method = "POST", Dictionary<string, string>? headers = null, bool wrongToken = false) =>
            new TestCaseData(status, body, contentType, settings, method, headers, wrongToken).SetArgDisplayNames(name);

        yield return Case("wrong token", 404, """{"text":"x"}""", wrongToken: true);
        yield return Case("method", 405, "", method: "PUT");
        yield return Case("disabled", 503, """{"text":"x"}""", settings: """{"enabled":false}""");
        yield return Case("too large", 413, """{"text":"longer than twenty bytes"}""", settings: """{"maxBodyBytes":20}""");
        yield return Case("charset", 415, """{"text":"x"}""", "application/json; charset=klingon");
        yield return Case("encoding", 415, """{"text":"x"}""", headers: new() { ["Content-Encoding"] = "gzip" });
        yield return Case("invalid json", 400, """{"text":""");
        yield return Case("too deep", 400, new string('[', 70) + new string(']', 70));
        yield return Case("not an object", 400, "[1,2]");
        yield return Case("plain text", 400, "hello", "text/plain");
        yield return Case("form payload", 400, "payload=%7Bnot", "application/x-www-form-urlencoded");
        yield return Case("multipart", 400, "--b\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\nx", "multipart/form-data; boundary=b");
        yield return Case("multipart charset", 415, "--b\r\nContent-Disposition: form-data; name=\"text\"\r\nContent-Type: text/plain; charset=klingon\r\n\r\nx\r\n--b--", "multipart/form-data; boundary=b");
        yield return Case("override disabled", 400, """{"text":"x","channel":"#alerts"}""");
        yield return Case("unknown channel", 400, """{"text":"x","channel":"#nope"}""", settings: """{"overrideDestinationChannelEnabled":true}""");
        yield return Case("too many destinations", 400, $$"""{"text":"x","channel":[{{string.Join(",", Enumerable.Range(0, 21).Select(n => $"\"#c{n}\""))}}]}""", settings: """{"overrideDestinationChannelEnabled":true}""");
        yield return Case("too many attachments", 400, $$"""{"attachments":[{{string.Join(",", Enumerable.Repeat("{}", 101))}}]}""");
        yield return Case("text too long", 400, $$"""{"text":"{{new string('a', 5001)}}"}""");
        yield return Case("field type", 400, """{"text":{"a":1}}""");
        yield return Case("bad boolean", 400, """{"text":"x","parseUrls":"maybe"}""");
    }

    [TestCaseSource(nameof(BadRequests))]
    public async Task HandleIncoming_BadRequest_AnswerIsSuccessFalseErrorAndAllowedKeysOnly_IN53(int status, string body, string? contentType,
        string settings, string method, Dictionary<string, string>? headers, bool wrongToken)
    {
        using var f = new EngineFixture();
        var (id, token) = await f.CreateIncomingAsync(settings);

        var r = await f.PostAsync(id, wrongToken ? new string('w', token.Length) : token, body, contentType, headers: headers, method: method);

        r.StatusCode.Should().Be(status, r.Body.ToJsonString());
        r.Body["success"]!.GetValueKind().Should().Be(JsonValueKind.False);
        r.Body["error"]!.GetValue<string>().Should().NotBeNullOrWhiteSpace();
        r.Body.Select(p => p.Key).Should().BeSubsetOf(AllowedKeys);
        f.Chat.Sent.Should().BeEmpty();
    }

    [Test]
    public async Task HandleIncoming_RateLimited_AnswerHasAllowedKeysOnly_IN53_IN63()
    {
        using var f = new EngineFixture();
        var (id, token) = await f.CreateIncomingAsync("""{"rateLimit":{"enabled":true,"permits":1,"windowSeconds":60}}""");
        (await f.PostAsync(id, token, """{"text":"1"}""")).StatusCode.Should().Be(200);

        var r = await f.PostAsync(id, token, """{"text":"2"}""");

        r.StatusCode.Should().Be(429);
        r.Body["success"]!.GetValueKind().Should().Be(JsonValueKind.False);
        r.Body.Select(p => p.Key).Should().BeSubsetOf(AllowedKeys);
    }
}
