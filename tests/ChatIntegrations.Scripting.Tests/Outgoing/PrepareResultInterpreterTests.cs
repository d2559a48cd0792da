using System.Text.Json.Nodes;
using ChatIntegrations.Scripting.Jint.Outgoing;

namespace ChatIntegrations.Scripting.Tests.Outgoing;

public class PrepareResultInterpreterTests
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    private static PrepareResultInterpretation Run(string? json) =>
        PrepareResultInterpreter.Interpret(json is null ? null : JsonNode.Parse(json), DefaultTimeout);

    [TestCase(null)]
    [TestCase("false")]
    [TestCase("0")]
    [TestCase("\"\"")]
    [TestCase("\"text\"")]
    [TestCase("[1]")]
    public void Interpret_FalsyOrNotObject_SCR21_IsCancelledNoOpts(string? json)
    {
        var result = Run(json);
        result.Kind.Should().Be(PrepareResultKind.Cancelled);
        result.HistoryStep.Should().Be("after-prepare-no-opts");
    }

    [Test]
    public void Interpret_MessageWithoutUrl_SCR21_PostsMessageWithoutCall()
    {
        var result = Run("{\"message\":{\"text\":\"usage\"}}");
        result.Kind.Should().Be(PrepareResultKind.NoUrlOrMethod);
        result.HistoryStep.Should().Be("after-prepare-no-url_or_method");
        result.Message!["text"]!.GetValue<string>().Should().Be("usage");
    }

    [TestCase("{\"url\":\"ftp://x/\",\"method\":\"GET\"}", "InvalidUrl", "after-prepare-invalid-url")]
    [TestCase("{\"url\":\"/relative\",\"method\":\"GET\"}", "InvalidUrl", "after-prepare-invalid-url")]
    [TestCase("{\"url\":\"https://x/\",\"method\":\"TRACE\"}", "InvalidMethod", "after-prepare-invalid-method")]
    [TestCase("{\"url\":\"https://x/\",\"method\":\"get\",\"auth\":\"nocolon\"}", "InvalidAuth", "after-prepare-invalid-auth")]
    public void Interpret_InvalidFields_SCR22_FailAtTheirStep(string json, string kind, string step)
    {
        var result = Run(json);
        result.Kind.ToString().Should().Be(kind);
        result.HistoryStep.Should().Be(step);
    }

    [Test]
    public void Interpret_Auth_SCR23_BecomesBasic()
    {
        var result = Run("{\"url\":\"https://x/\",\"method\":\"get\",\"auth\":\"bot:s3cret\",\"headers\":{\"Host\":\"evil\",\"Content-Length\":\"1\",\"X-A\":\"b\",\"X-N\":5}}");
        result.Kind.Should().Be(PrepareResultKind.Send);
        result.HistoryStep.Should().Be("pre-http-call");
        result.Request!.Method.Should().Be("GET");
        result.Request.Headers.Should().BeEquivalentTo(new Dictionary<string, string> { ["X-A"] = "b", ["X-N"] = "5", ["Authorization"] = "Basic Ym90OnMzY3JldA==" });
    }

    [Test]
    public void Interpret_ObjectData_SCR22_IsJson()
    {
        var request = Run("{\"url\":\"https://x/a\",\"method\":\"POST\",\"data\":{\"a\":1},\"params\":{\"q\":\"1 2\"}}").Request!;
        request.Body.Should().Be("{\"a\":1}");
        request.ContentType.Should().Be("application/json; charset=utf-8");
        request.Url.AbsoluteUri.Should().Be("https://x/a?q=1%202");
        request.Timeout.Should().Be(DefaultTimeout);
    }

    [Test]
    public void Interpret_StringDataWithScriptContentType_SCR22_KeepsBoth()
    {
        var request = Run("{\"url\":\"https://x/\",\"method\":\"PUT\",\"data\":\"raw\",\"headers\":{\"Content-Type\":\"text/csv\"},\"timeout\":500}").Request!;
        request.Body.Should().Be("raw");
        request.ContentType.Should().Be("text/csv");
        request.Timeout.Should().Be(TimeSpan.FromSeconds(1), "SCR-22 clamps timeout to [1000, 60000]");
    }

    [Test]
    public void Interpret_FormContentType_SCR22_FormEncodesData()
    {
        var request = Run("{\"url\":\"https://x/\",\"method\":\"POST\",\"data\":{\"a\":\"b c\",\"n\":1},\"headers\":{\"Content-Type\":\"application/x-www-form-urlencoded\"}}").Request!;
        request.Body.Should().Be("a=b%20c&n=1");
    }

    [Test]
    public void Interpret_ParamsOnlyPost_SCR22_AreTheFormBody()
    {
        var request = Run("{\"url\":\"https://x/\",\"method\":\"POST\",\"params\":{\"a\":\"1\"}}").Request!;
        request.Body.Should().Be("a=1");
        request.ContentType.Should().Be("application/x-www-form-urlencoded");
        request.Url.AbsoluteUri.Should().Be("https://x/");
    }

    [Test]
    public void Interpret_LegacyContentAndGetBody_SCR22_ContentUsedBodyDroppedForGet()
    {
        Run("{\"url\":\"https://x/\",\"method\":\"POST\",\"content\":\"legacy\"}").Request!.Body.Should().Be("legacy");
        Run("{\"url\":\"https://x/\",\"method\":\"GET\",\"data\":{\"a\":1}}").Request!.Body.Should().BeNull();
    }
}

public class ProcessResultInterpreterTests
{
    [Test]
    public void Interpret_Content_SCR28_PostsMessage()
    {
        var result = ProcessResultInterpreter.Interpret(JsonNode.Parse("{\"content\":{\"text\":\"hi\"}}"));
        result.Kind.Should().Be(ProcessResultKind.PostMessage);
        result.HistoryStep.Should().Be("after-process-send-message");
        result.Content!["text"]!.GetValue<string>().Should().Be("hi");
    }

    [Test]
    public void Interpret_False_SCR28_Stops()
    {
        var result = ProcessResultInterpreter.Interpret(JsonNode.Parse("false"));
        result.Kind.Should().Be(ProcessResultKind.Stop);
        result.HistoryStep.Should().Be("after-process-false-result");
    }

    [TestCase(null)]
    [TestCase("true")]
    [TestCase("0")]
    [TestCase("{\"content\":\"text\"}")]
    [TestCase("{}")]
    public void Interpret_AnythingElse_SCR28_IsDefault(string? json)
    {
        ProcessResultInterpreter.Interpret(json is null ? null : JsonNode.Parse(json)).Kind.Should().Be(ProcessResultKind.Default);
    }
}
