using ChatIntegrations.Messages;

namespace ChatIntegrations.Tests.Messages;

/// <summary>The URL allow-list of attachment keys and avatars (MSG-20, MSG-33).</summary>
public sealed class MessageUrlsTests
{
    private const string Png1x1 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

    // MSG-33: absolute http(s) URLs and data:image/<png|jpeg|gif|webp|svg+xml> URIs, base64 or not, are kept.
    [TestCase("https://gitlab.example/uploads/avatar.png")]
    [TestCase("http://x.io/a?b=c#d")]
    [TestCase("HTTPS://X.IO/A")]
    [TestCase("https://x.io/a b.png")]
    [TestCase("data:image/png;base64," + Png1x1)]
    [TestCase("DATA:IMAGE/PNG;BASE64," + Png1x1)]
    [TestCase("data:image/jpeg;base64,/9j/4AAQSkZJRgABAQ==")]
    [TestCase("data:image/gif;base64,R0lGODlhAQABAAAAACw=")]
    [TestCase("data:image/webp;base64,UklGRhoAAABXRUJQ")]
    [TestCase("data:image/svg+xml;charset=utf-8,%3Csvg xmlns='http://www.w3.org/2000/svg'/%3E")]
    [TestCase("data:image/svg+xml,<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>")]
    [TestCase("data:image/svg+xml;utf8;base64,PHN2Zy8+")]
    public void CheckLink_AllowedForm_Accepted_MSG33(string value)
    {
        MessageUrls.CheckLink(value).Should().Be(UrlVerdict.Accepted);
        MessageUrls.CheckAvatar(value).Should().Be(UrlVerdict.Accepted, "an avatar accepts every link form (MSG-20)");
    }

    // MSG-33: every other value is refused, including schemes hidden by case, white space, control characters,
    // entities or percent-encoding, other data: types and relative or scheme-less text.
    [TestCase("javascript:alert(1)")]
    [TestCase("JaVaScRiPt:alert(1)")]
    [TestCase(" javascript:alert(1)")]
    [TestCase("\u0001javascript:alert(1)")]
    [TestCase("java\tscript:alert(1)")]
    [TestCase("javascript&#58;alert(1)")]
    [TestCase("&#106;avascript:alert(1)")]
    [TestCase("%6Aavascript:alert(1)")]
    [TestCase("vbscript:msgbox(1)")]
    [TestCase("file:///etc/passwd")]
    [TestCase("ftp://x.io/a.png")]
    [TestCase("mailto:a@b.c")]
    [TestCase("data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==")]
    [TestCase("data:text/html,<script>alert(1)</script>")]
    [TestCase("data:image/png")]
    [TestCase("data:image/png;base64,")]
    [TestCase("data:image/png;base64,not base64!")]
    [TestCase("data:image/png;base64,QUJD\nREVG")]
    [TestCase("data:image/x-icon;base64,AAABAAEAEBA=")]
    [TestCase("data:image/svg+xml;foo=<x>,<svg/>")]
    [TestCase("data:,hello")]
    [TestCase(" https://x.io/a")]
    [TestCase("https://x.io/a\n")]
    [TestCase("https://x.io/\u0000a")]
    [TestCase("https://")]
    [TestCase("https:x.io")]
    [TestCase("link-to-an-image")]
    [TestCase("x.io/a.png")]
    [TestCase("//evil.example/a.png")]
    [TestCase("")]
    public void CheckLink_OtherValue_NotAllowed_MSG33(string value) =>
        MessageUrls.CheckLink(value).Should().Be(UrlVerdict.NotAllowed);

    // MSG-20, MSG-33: an avatar also accepts a path relative to the chat (a single leading '/'); our choice: a
    // protocol-relative //host/x (or /\host/x, which browsers read the same way) is a network location, not a path.
    [TestCase("/avatar/x.png", true)]
    [TestCase("/avatar/rocket.cat", true)]
    [TestCase("/javascript:alert(1)", true)]
    [TestCase("//evil.example/x.png", false)]
    [TestCase("/\\evil.example/x.png", false)]
    [TestCase("/avatar\\x.png", false)]
    [TestCase("/", false)]
    [TestCase(" /avatar/x.png", false)]
    [TestCase("/avatar/x.png\r\n", false)]
    [TestCase("avatar/x.png", false)]
    [TestCase("javascript:alert(1)", false)]
    [TestCase(" javascript:alert(1)", false)]
    [TestCase("data:text/html,<script>alert(1)</script>", false)]
    public void CheckAvatar_RelativeAndHiddenSchemes_MSG20_MSG33(string value, bool accepted)
    {
        MessageUrls.CheckAvatar(value).Should().Be(accepted ? UrlVerdict.Accepted : UrlVerdict.NotAllowed);
        if (value.StartsWith('/')) MessageUrls.CheckLink(value).Should().Be(UrlVerdict.NotAllowed, "attachment keys take no relative URLs");
    }

    // MSG-33: our size choice, 64 KiB for the whole data: URI.
    [Test]
    public void CheckLink_DataUriAtAndOverLimit_64KiB_MSG33()
    {
        const string prefix = "data:image/png;base64,";
        var at = prefix + new string('A', MessageUrls.MaxDataUriLength - prefix.Length);
        var over = at + "A";

        at.Length.Should().Be(64 * 1024);
        MessageUrls.CheckLink(at).Should().Be(UrlVerdict.Accepted);
        MessageUrls.CheckLink(over).Should().Be(UrlVerdict.DataUriTooLarge);
        MessageUrls.CheckAvatar(over).Should().Be(UrlVerdict.DataUriTooLarge);
    }
}
