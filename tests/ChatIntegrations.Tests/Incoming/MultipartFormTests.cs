using System.Text;
using System.Text.Json.Nodes;
using ChatIntegrations.Incoming;
using ChatIntegrations.Tests.TestDoubles;

namespace ChatIntegrations.Tests.Incoming;

/// <summary>IN-13: <c>multipart/form-data</c> bodies (what <c>curl -F</c>, browsers and Mattermost clients send): text
/// fields as in IN-12.1 and IN-12.3, file parts ignored, malformed bodies answered with a specific error.</summary>
public sealed class MultipartFormTests
{
    private const string Boundary = "------------------------c0b08de73fd57aac";
    private const string CurlType = "multipart/form-data; boundary=" + Boundary;

    // Byte for byte what curl 8 sends for: curl -F 'text=Hello from curl -F' -F 'channel=#alerts' -F 'attachment=@f.txt'
    private const string CurlBody =
        "--" + Boundary + "\r\n" +
        "Content-Disposition: form-data; name=\"text\"\r\n\r\n" +
        "Hello from curl -F\r\n" +
        "--" + Boundary + "\r\n" +
        "Content-Disposition: form-data; name=\"channel\"\r\n\r\n" +
        "#alerts\r\n" +
        "--" + Boundary + "\r\n" +
        "Content-Disposition: form-data; name=\"attachment\"; filename=\"f.txt\"\r\n" +
        "Content-Type: text/plain\r\n\r\n" +
        "filedata\n\r\n" +
        "--" + Boundary + "--\r\n";

    private static string Form(params (string Headers, string Value)[] parts)
    {
        var sb = new StringBuilder();
        foreach (var (headers, value) in parts) sb.Append("--XyZ\r\n").Append(headers).Append("\r\n\r\n").Append(value).Append("\r\n");
        return sb.Append("--XyZ--\r\n").ToString();
    }

    private static string Field(string name) => $"Content-Disposition: form-data; name=\"{name}\"";

    private static (ParsedBody? Body, BodyParseError? Error) Parse(string body, string contentType = "multipart/form-data; boundary=XyZ") =>
        BodyParser.Parse(Encoding.UTF8.GetBytes(body), contentType, null, 64);

    [Test]
    public void Parse_CurlFormWithFile_TextFieldsOnlyFileIgnored_IN13()
    {
        var (body, error) = Parse(CurlBody, CurlType);

        error.Should().BeNull();
        body!.Kind.Should().Be(BodyKind.Object);
        body.Object!.ToJsonString().Should().Be("""{"text":"Hello from curl -F","channel":"#alerts"}""");
        body.RawText.Should().Be(CurlBody, "content_raw is the body as received (IN-17)");
    }

    [Test]
    public void Parse_SinglePayloadField_ParsedAsJson_IN13_IN12()
    {
        var text = Form((Field("payload"), """{"text":"from slack style","attachments":[{"title":"t"}]}"""));

        var (body, error) = Parse(text);

        error.Should().BeNull();
        body!.Object!.ToJsonString().Should().Be("""{"text":"from slack style","attachments":[{"title":"t"}]}""");
        body.RawText.Should().Be(text);
    }

    [Test]
    public void Parse_PayloadFieldAndFile_FileDoesNotCountAsField_IN13()
    {
        var (body, _) = Parse(Form(
            (Field("payload"), """{"text":"x"}"""),
            (Field("log") + "; filename=\"build.log\"\r\nContent-Type: application/octet-stream", "binary\0data")));

        body!.Object!.ToJsonString().Should().Be("""{"text":"x"}""");
    }

    [Test]
    public void Parse_PayloadFieldWithOtherFields_FlatObject_IN12()
    {
        var (body, _) = Parse(Form((Field("payload"), """{"text":"x"}"""), (Field("text"), "y")));

        body!.Object!.ToJsonString().Should().Be("""{"payload":"{\u0022text\u0022:\u0022x\u0022}","text":"y"}""");
    }

    [Test]
    public void Parse_PayloadFieldInvalidJson_400InvalidJson_IN13_IN11()
    {
        var (body, error) = Parse(Form((Field("payload"), "{not json")));

        body.Should().BeNull();
        error!.Status.Should().Be(400);
        error.Error.Should().Be("error-invalid-json");
    }

    [Test]
    public void Parse_RepeatedField_StringArray_IN13_IN12()
    {
        var (body, _) = Parse(Form((Field("tag"), "a"), (Field("text"), "t"), (Field("tag"), "b"), (Field("tag"), "c")));

        body!.Object!.ToJsonString().Should().Be("""{"tag":["a","b","c"],"text":"t"}""");
    }

    [Test]
    public void Parse_ValuesWithLineBreaksDashesAndEmpty_KeptExactly_IN13()
    {
        // Neither a line that starts with a longer boundary nor one with the boundary inside it ends a part.
        var value = "line one\r\n--XyZW not a delimiter\r\nx --XyZ\r\n\r\nlast";
        var (body, error) = Parse(Form((Field("text"), value), (Field("empty"), "")));

        error.Should().BeNull();
        body!.Object!["text"]!.GetValue<string>().Should().Be(value);
        body.Object["empty"]!.GetValue<string>().Should().Be("");
    }

    [Test]
    public void Parse_BareLineFeedsPreambleAndEpilogue_Read_IN13()
    {
        const string Text = "This is a preamble.\n--XyZ\nContent-Disposition: form-data; name=\"text\"\n\nhi\n--XyZ--\nan epilogue";

        var (body, error) = Parse(Text);

        error.Should().BeNull();
        body!.Object!.ToJsonString().Should().Be("""{"text":"hi"}""");
    }

    [Test]
    public void Parse_QuotedBoundaryAndHeaderCase_Read_IN13()
    {
        const string Text = "--a=b:c\r\ncontent-disposition: FORM-DATA; NAME=\"text\"\r\n\r\nquoted\r\n--a=b:c--";

        var (body, error) = Parse(Text, "Multipart/Form-Data; charset=utf-8; boundary=\"a=b:c\"");

        error.Should().BeNull();
        body!.Object!.ToJsonString().Should().Be("""{"text":"quoted"}""");
    }

    [Test]
    public void Parse_NameWithEscapedQuoteAndSemicolon_Read_IN13()
    {
        var (body, _) = Parse(Form(("Content-Disposition: form-data; name=\"a\\\"b;c\"", "v")));

        body!.Object!.Select(p => p.Key).Should().Equal("a\"b;c");
    }

    [Test]
    public void Parse_NonTextPartWithoutFileName_Ignored_IN13()
    {
        var (body, _) = Parse(Form(
            (Field("text") + "\r\nContent-Type: text/markdown; charset=utf-8", "*bold*"),
            (Field("meta") + "\r\nContent-Type: application/json", """{"a":1}"""),
            (Field("image") + "\r\nContent-Type: image/png", "\u0089PNG")));

        body!.Object!.ToJsonString().Should().Be("""{"text":"*bold*","meta":"{\u0022a\u0022:1}"}""");
    }

    [Test]
    public void Parse_OnlyFileParts_Empty_IN13_IN16()
    {
        var (body, error) = Parse(Form((Field("f") + "; filename=\"a.txt\"", "data")));

        error.Should().BeNull();
        body!.Kind.Should().Be(BodyKind.Empty);
    }

    [Test]
    public void Parse_PartCharsetAndCharsetField_DecodedPerPart_IN13_IN10()
    {
        var latin1 = Encoding.Latin1;
        var bytes = new List<byte>();
        void Add(string s, Encoding e) => bytes.AddRange(e.GetBytes(s));
        Add("--XyZ\r\n" + Field("_charset_") + "\r\n\r\niso-8859-1\r\n", Encoding.ASCII);
        Add("--XyZ\r\n" + Field("a") + "\r\n\r\n", Encoding.ASCII);
        Add("café", latin1); // no charset of its own: _charset_ applies
        Add("\r\n--XyZ\r\n" + Field("b") + "\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n", Encoding.ASCII);
        Add("\uFEFFnaïve", Encoding.UTF8); // its own charset wins; the BOM is removed
        Add("\r\n--XyZ--\r\n", Encoding.ASCII);

        var (body, error) = BodyParser.Parse(bytes.ToArray(), "multipart/form-data; boundary=XyZ", null, 64);

        error.Should().BeNull();
        body!.Object!.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping })
            .Should().Be("""{"a":"café","b":"naïve"}""", "_charset_ is not a field");
    }

    [TestCase("Content-Type: text/plain; charset=klingon", "field 'text' has an unsupported charset: klingon")]
    [TestCase("Content-Transfer-Encoding: base64", "field 'text' has Content-Transfer-Encoding base64; RFC 7578 form data is sent as it is")]
    public void Parse_UnsupportedPartEncoding_415_IN13_IN10(string header, string message)
    {
        var (body, error) = Parse(Form((Field("text") + "\r\n" + header, "aGk=")));

        body.Should().BeNull();
        error!.Status.Should().Be(415);
        error.Error.Should().Be(header.StartsWith("Content-Type", StringComparison.Ordinal) ? "error-unsupported-charset" : "error-unsupported-encoding");
        error.Message.Should().Be(message);
    }

    [Test]
    public void Parse_UnknownCharsetField_415_IN13()
    {
        var (_, error) = Parse(Form((Field("_charset_"), "klingon"), (Field("text"), "x")));

        error!.Status.Should().Be(415);
        error.Message.Should().Be("the _charset_ field names an unsupported charset: klingon");
    }

    [TestCase("multipart/form-data", "--XyZ--", "the Content-Type has no boundary parameter")]
    [TestCase("multipart/form-data; boundary=", "--XyZ--", "the Content-Type has no boundary parameter")]
    [TestCase("multipart/form-data; boundary=\"a b \"", "--a b --", "the boundary parameter is not a valid boundary (RFC 2046: 1 to 70 letters, digits or '()+_,-./:=? and spaces, not ending with a space)")]
    [TestCase("multipart/form-data; boundary=a<b", "--a<b--", "the boundary parameter is not a valid boundary (RFC 2046: 1 to 70 letters, digits or '()+_,-./:=? and spaces, not ending with a space)")]
    [TestCase("multipart/form-data; boundary=XyZ", "text=hello", "the body has no line with the opening boundary")]
    [TestCase("multipart/form-data; boundary=XyZ", "x--XyZ\r\n", "the body has no line with the opening boundary")]
    [TestCase("multipart/form-data; boundary=XyZ", "--XyZ\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\ncut off", "part 1 is not followed by a boundary line; the body ends before the closing boundary")]
    [TestCase("multipart/form-data; boundary=XyZ", "--XyZ\r\nContent-Disposition: form-data; name=\"text\"\r\nno empty line\r\n--XyZ--", "part 1 has no empty line after its headers")]
    [TestCase("multipart/form-data; boundary=XyZ", "--XyZ\r\n--XyZ--", "part 1 has no empty line after its headers")]
    [TestCase("multipart/form-data; boundary=XyZ", "--XyZ\r\n\r\nno headers\r\n--XyZ--", "part 1 has no 'Content-Disposition: form-data' header")]
    [TestCase("multipart/form-data; boundary=XyZ", "--XyZ\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nx\r\n--XyZ--", "part 1 has no 'Content-Disposition: form-data' header")]
    [TestCase("multipart/form-data; boundary=XyZ", "--XyZ\r\nContent-Disposition: form-data; filename=\"a\"\r\n\r\nx\r\n--XyZ--", "part 1 has no field name")]
    [TestCase("multipart/form-data; boundary=XyZ", "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--XyZ\r\nnot a header\r\n\r\ny\r\n--XyZ--", "part 2 has a header line without a name and a colon")]
    public void Parse_MalformedBody_400InvalidMultipartWithReason_IN13(string contentType, string text, string message)
    {
        var (body, error) = Parse(text, contentType);

        body.Should().BeNull();
        error.Should().Be(new BodyParseError(400, "error-invalid-multipart", message));
    }

    [Test]
    public void Parse_EveryTruncationAndByteChange_AnswersBodyOrSpecificError_IN13()
    {
        var original = Encoding.UTF8.GetBytes(CurlBody);
        var random = new Random(1313);
        var variants = new List<byte[]>();
        for (var n = 0; n <= original.Length; n++) variants.Add(original[..n]);
        for (var n = 0; n < 2000; n++)
        {
            var changed = (byte[])original.Clone();
            const string Bytes = "-\r\n\"; =:aZ\0";
            changed[random.Next(changed.Length)] = (byte)Bytes[random.Next(Bytes.Length)];
            variants.Add(changed);
        }

        foreach (var bytes in variants)
        {
            var (body, error) = BodyParser.Parse(bytes, CurlType, null, 64);
            (body is null).Should().Be(error is not null, "a parse gives a body or an error, never both or neither");
            if (error is not null) error.Error.Should().BeOneOf("error-invalid-multipart", "error-invalid-json");
        }
    }

    [Test]
    public async Task HandleIncoming_CurlForm_PostsTextToFormChannel_IN13()
    {
        using var f = new EngineFixture();
        var (id, token) = await f.CreateIncomingAsync("""{"overrideDestinationChannelEnabled":true}""");

        var r = await f.PostAsync(id, token, CurlBody, CurlType);

        r.StatusCode.Should().Be(200, r.Body.ToJsonString());
        var m = f.Chat.Sent.Single();
        m.Text.Should().Be("Hello from curl -F");
        m.RoomId.Should().Be("R_ALERTS");
    }

    [Test]
    public async Task HandleIncoming_MalformedMultipart_400WithMessageNothingPosted_IN13()
    {
        using var f = new EngineFixture();
        var (id, token) = await f.CreateIncomingAsync();

        var r = await f.PostAsync(id, token, CurlBody[..^30], CurlType);

        r.StatusCode.Should().Be(400);
        r.Body.ToJsonString().Should().Be("""{"success":false,"error":"error-invalid-multipart","message":"part 3 is not followed by a boundary line; the body ends before the closing boundary"}""");
        f.Chat.Sent.Should().BeEmpty();
    }

    [Test]
    public async Task HandleIncoming_MultipartWithScript_ContentIsFieldsAndContentRawIsBody_IN13_IN17()
    {
        using var f = new EngineFixture();
        var (id, token) = await f.CreateIncomingAsync("""{"scriptEnabled":true,"script":"class Script { process_incoming_request() { return {}; } }"}""");

        await f.PostAsync(id, token, CurlBody, CurlType);

        var request = f.Scripts.Arguments.Should().ContainSingle().Subject["request"]!;
        request["content"]!.ToJsonString().Should().Be("""{"text":"Hello from curl -F","channel":"#alerts"}""");
        request["content_raw"]!.GetValue<string>().Should().Be(CurlBody);
    }
}
