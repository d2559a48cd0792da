using System.Net;
using System.Net.Sockets;
using System.Text;
using ChatIntegrations.Security.Ssrf;

namespace ChatIntegrations.Tests.Security.Ssrf;

/// <summary>The guarded client end to end, on real loopback sockets. 127.0.0.0/8 is denied by SEC-7, so each test
/// allow-lists exactly the receiver it needs.</summary>
public sealed class OutboundHttpClientTests
{
    private static readonly IPAddress Public = IPAddress.Parse("127.0.0.2"); // "public" via the allow list
    private static readonly IPAddress Private = IPAddress.Parse("127.0.0.3"); // denied (loopback)

    private static Func<Task> Call(Func<Task> call) => call;

    private static async Task<OutboundRequestException> FailsWith(Func<Task> call, string code)
    {
        var failure = await call.Should().ThrowAsync<OutboundRequestException>();
        failure.Which.Code.Should().Be(code);
        return failure.Which;
    }

    // SEC-30 row "SSRF through the outgoing URL", connect half.
    [Test]
    [CancelAfter(10_000)]
    public async Task SendAsync_NameResolvingToPrivateAddress_FailsEssrfWithoutSocket_SEC7_SEC9(CancellationToken cancellationToken)
    {
        using var h = new OutboundHarness();
        h.Dns.Answer("10.0.0.5");

        await FailsWith(() => h.GetAsync("http://hooks.example.test/x?token=secret", cancellationToken), "ESSRF");

        h.Dns.Calls.Should().Be(1);
        h.Connector.Attempts.Should().BeEmpty();
        h.Logs.GetSnapshot().Should().Contain(e => e.Id.Id == 4002).And.NotContain(e => e.Message.Contains("secret", StringComparison.Ordinal));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task SendAsync_NameResolvingToMappedPrivateAddress_FailsEssrf_SEC7(CancellationToken cancellationToken)
    {
        using var h = new OutboundHarness();
        h.Dns.Answer("::ffff:10.0.0.5", "64:ff9b::a9fe:a9fe");

        await FailsWith(() => h.GetAsync("http://hooks.example.test/", cancellationToken), "ESSRF");
        h.Connector.Attempts.Should().BeEmpty();
    }

    // SEC-30 row "SSRF through DNS rebinding".
    [Test]
    [CancelAfter(10_000)]
    public async Task SendAsync_ResolverAnswersPublicThenPrivate_ConnectsOnlyToVettedAddress_SEC9(CancellationToken cancellationToken)
    {
        await using var server = new TinyHttpServer(Public);
        using var h = new OutboundHarness(o => o.AllowList.Add("127.0.0.2/32"));
        h.Dns.Resolve = (_, call) => call == 0 ? [Public] : [Private];
        var url = $"http://rebind.example.test:{server.Port}/";

        var first = await h.GetAsync(url, cancellationToken);
        first.StatusCode.Should().Be(200);

        // The server closes every connection, so the next request resolves again: now to the private address.
        await FailsWith(() => h.GetAsync(url, cancellationToken), "ESSRF");

        h.Dns.Calls.Should().Be(2);
        h.Connector.Attempts.Should().Equal(new IPEndPoint(Public, server.Port));
        server.Connections.Should().Be(1);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task SendAsync_MixedAnswer_DropsDeniedAndConnectsToVetted_SEC9(CancellationToken cancellationToken)
    {
        await using var server = new TinyHttpServer(Public);
        using var h = new OutboundHarness(o => o.AllowList.Add("127.0.0.2/32"));
        h.Dns.Answer("127.0.0.3", "10.0.0.5", "127.0.0.2");

        var response = await h.GetAsync($"http://mixed.example.test:{server.Port}/", cancellationToken);

        response.StatusCode.Should().Be(200);
        h.Connector.Attempts.Should().Equal(new IPEndPoint(Public, server.Port));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task SendAsync_FirstVettedAddressRefuses_TriesTheNext_SEC9(CancellationToken cancellationToken)
    {
        await using var server = new TinyHttpServer(Public);
        using var h = new OutboundHarness(o => o.AllowList.Add("127.0.0.0/8"));
        h.Dns.Answer("127.0.0.4", "127.0.0.2");

        // Same port for both addresses: nothing listens on 127.0.0.4.
        var response = await h.GetAsync($"http://two.example.test:{server.Port}/", cancellationToken);

        response.StatusCode.Should().Be(200);
        h.Connector.Attempts.Select(e => e.Address.ToString()).Should().Equal("127.0.0.4", "127.0.0.2");
    }

    // SEC-30 row "SSRF through a redirect".
    [Test]
    [CancelAfter(10_000)]
    public async Task SendAsync_307ToLoopback_FailsEssrf_SEC10(CancellationToken cancellationToken)
    {
        await using var server = new TinyHttpServer(Public);
        using var h = new OutboundHarness(o => o.AllowList.Add("127.0.0.2/32"));
        server.Handler = _ => TinyResponse.Redirect(307, $"http://127.0.0.1:{server.Port}/");

        await FailsWith(
            () => h.Client.SendAsync(new OutboundRequest { Method = "POST", Url = new Uri(server.Url()), Body = "{}"u8.ToArray() }, cancellationToken),
            "ESSRF");

        server.Requests.Should().HaveCount(1);
        h.Connector.Attempts.Should().HaveCount(1);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task SendAsync_RedirectToNameResolvingPrivate_FailsEssrf_SEC10(CancellationToken cancellationToken)
    {
        await using var server = new TinyHttpServer(Public);
        using var h = new OutboundHarness(o => o.AllowList.Add("127.0.0.2/32"));
        h.Dns.Answer("169.254.169.254");
        server.Handler = _ => TinyResponse.Redirect(302, "http://innocent.example.test/latest/meta-data/");

        await FailsWith(() => h.GetAsync(server.Url(), cancellationToken), "ESSRF");
        h.Connector.Attempts.Should().HaveCount(1);
    }

    // SEC-30 row "SSRF through an environment proxy".
    [Test]
    [NonParallelizable]
    [CancelAfter(10_000)]
    public async Task SendAsync_EnvironmentProxySet_StillFailsEssrf_SEC9(CancellationToken cancellationToken)
    {
        await using var proxy = new TinyHttpServer(IPAddress.Loopback);
        var saved = (Http: Environment.GetEnvironmentVariable("HTTP_PROXY"), Https: Environment.GetEnvironmentVariable("HTTPS_PROXY"));
        Environment.SetEnvironmentVariable("HTTP_PROXY", proxy.Url());
        Environment.SetEnvironmentVariable("HTTPS_PROXY", proxy.Url());
        try
        {
            using var h = new OutboundHarness();
            h.Dns.Answer("10.0.0.5");

            await FailsWith(() => h.GetAsync("http://internal.example.test/", cancellationToken), "ESSRF");
            await FailsWith(() => h.GetAsync("https://internal.example.test/", cancellationToken), "ESSRF");

            h.Connector.Attempts.Should().BeEmpty();
            proxy.Connections.Should().Be(0);
        }
        finally
        {
            Environment.SetEnvironmentVariable("HTTP_PROXY", saved.Http);
            Environment.SetEnvironmentVariable("HTTPS_PROXY", saved.Https);
        }
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task SendAsync_ConfiguredProxy_ChecksTargetBeforeSending_SEC9(CancellationToken cancellationToken)
    {
        await using var proxy = new TinyHttpServer(IPAddress.Loopback);
        using var h = new OutboundHarness(o => o.Proxy = new Uri(proxy.Url()));

        await FailsWith(() => h.GetAsync("http://10.0.0.5/", cancellationToken), "ESSRF");
        await FailsWith(() => h.GetAsync("http://metadata.google.internal/", cancellationToken), "ESSRF");
        proxy.Connections.Should().Be(0);

        var response = await h.GetAsync("http://hooks.example.test/path", cancellationToken);

        response.StatusCode.Should().Be(200);
        proxy.Requests.Should().ContainSingle().Which.Target.Should().Be("http://hooks.example.test/path");
        h.Dns.Hosts.Should().NotContain("hooks.example.test", "the proxy resolves the target");
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task SendAsync_AllowListedResponse_ReturnsStatusHeadersBodyAndUrl_SEC11(CancellationToken cancellationToken)
    {
        await using var server = new TinyHttpServer(IPAddress.Loopback);
        using var h = new OutboundHarness(o => o.AllowList.Add("127.0.0.1/32"));
        server.Handler = r => new TinyResponse(201, "héllo " + r.Body,
            new Dictionary<string, string> { ["X-Custom"] = "yes", ["Content-Type"] = "text/plain; charset=utf-8" });

        var response = await h.Client.SendAsync(new OutboundRequest
        {
            Method = "POST",
            Url = new Uri(server.Url("/hook")),
            Body = Encoding.UTF8.GetBytes("body"),
            Headers = [new("X-Test", "1"), new("Content-Type", "application/json"), new("Host", "evil")],
        }, cancellationToken);

        response.StatusCode.Should().Be(201);
        response.Headers.Should().ContainKey("x-custom").WhoseValue.Should().Be("yes");
        response.Headers.Should().ContainKey("content-type");
        response.BodyText.Should().Be("héllo body");
        response.MediaType.Should().Be("text/plain");
        response.Url.Should().Be(new Uri(server.Url("/hook")));
        response.Redirected.Should().BeFalse();
        response.Truncated.Should().BeFalse();
        var seen = server.Requests.Should().ContainSingle().Subject;
        seen.Headers["X-Test"].Should().Be("1");
        seen.Headers["Content-Type"].Should().Be("application/json");
        seen.Headers["Host"].Should().Be($"127.0.0.1:{server.Port}");
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task SendAsync_LiteralLoopbackNotAllowListed_FailsEssrfWithoutSocket_SEC7(CancellationToken cancellationToken)
    {
        await using var server = new TinyHttpServer(IPAddress.Loopback);
        using var h = new OutboundHarness();

        await FailsWith(() => h.GetAsync(server.Url(), cancellationToken), "ESSRF");
        await FailsWith(() => h.GetAsync($"http://localhost:{server.Port}/", cancellationToken), "ESSRF");
        h.Connector.Attempts.Should().BeEmpty();
        h.Dns.Calls.Should().Be(0, "denied names are refused before resolution");
        server.Connections.Should().Be(0);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task SendAsync_NodeOwnAddress_FailsEssrf_SEC7(CancellationToken cancellationToken)
    {
        using var h = new OutboundHarness();
        h.Local.Addresses.Add(IPAddress.Parse("8.8.4.4"));
        h.Dns.Answer("8.8.4.4");

        await FailsWith(() => h.GetAsync("http://self.example.test/", cancellationToken), "ESSRF");
        h.Connector.Attempts.Should().BeEmpty();
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task SendAsync_AllowListedNameResolvingToPrivate_Connects_SEC11(CancellationToken cancellationToken)
    {
        await using var server = new TinyHttpServer(IPAddress.Loopback);
        using var h = new OutboundHarness(o =>
        {
            o.AllowList.Add("hooks.internal");
            o.AllowList.Add("*.corp.test");
        });
        h.Dns.Answer("127.0.0.1");

        (await h.GetAsync($"http://HOOKS.internal:{server.Port}/", cancellationToken)).StatusCode.Should().Be(200);
        (await h.GetAsync($"http://a.b.corp.test:{server.Port}/", cancellationToken)).StatusCode.Should().Be(200);
        await FailsWith(() => h.GetAsync($"http://corp.test:{server.Port}/", cancellationToken), "ESSRF");
        await FailsWith(() => h.GetAsync($"http://other.internal:{server.Port}/", cancellationToken), "ESSRF");
        server.Connections.Should().Be(2);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task SendAsync_PortNotInAllowedPorts_FailsEssrf_SEC8(CancellationToken cancellationToken)
    {
        await using var server = new TinyHttpServer(IPAddress.Loopback);
        using var h = new OutboundHarness(o =>
        {
            o.AllowList.Add("127.0.0.1/32");
            o.AllowedPorts.Add(443);
        });

        await FailsWith(() => h.GetAsync(server.Url(), cancellationToken), "ESSRF");
        server.Connections.Should().Be(0);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task SendAsync_PortInAllowedPorts_Connects_SEC8(CancellationToken cancellationToken)
    {
        await using var server = new TinyHttpServer(IPAddress.Loopback);
        using var h = new OutboundHarness(o =>
        {
            o.AllowList.Add("127.0.0.1/32");
            o.AllowedPorts.Add(server.Port);
        });

        (await h.GetAsync(server.Url(), cancellationToken)).StatusCode.Should().Be(200);
    }

    [TestCase("ftp://files.example.test/x")]
    [TestCase("file:///etc/passwd")]
    [CancelAfter(10_000)]
    public async Task SendAsync_SchemeOtherThanHttp_FailsEssrf_SEC8(string url, CancellationToken cancellationToken)
    {
        using var h = new OutboundHarness();
        await FailsWith(() => h.GetAsync(url, cancellationToken), "ESSRF");
        h.Connector.Attempts.Should().BeEmpty();
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task SendAsync_GuardDisabled_ReachesLoopbackAndWarns_SEC12(CancellationToken cancellationToken)
    {
        await using var server = new TinyHttpServer(IPAddress.Loopback);
        using var h = new OutboundHarness(o => o.Enabled = false);

        (await h.GetAsync(server.Url(), cancellationToken)).StatusCode.Should().Be(200);
        (await h.GetAsync(server.Url(), cancellationToken)).StatusCode.Should().Be(200);

        h.Logs.GetSnapshot().Where(e => e.Id.Id == 4001).Should().ContainSingle().Which.Level.Should().Be(Microsoft.Extensions.Logging.LogLevel.Warning);
    }

    [TestCase(301, "POST", "GET", "")]
    [TestCase(302, "POST", "GET", "")]
    [TestCase(303, "POST", "GET", "")]
    [TestCase(303, "PUT", "GET", "")]
    [TestCase(302, "PUT", "PUT", "payload")]
    [TestCase(307, "POST", "POST", "payload")]
    [TestCase(308, "PUT", "PUT", "payload")]
    [CancelAfter(10_000)]
    public async Task SendAsync_Redirect_FollowsWithBrowserMethodRules_SEC10(int status, string method, string nextMethod, string nextBody,
        CancellationToken cancellationToken)
    {
        await using var server = new TinyHttpServer(IPAddress.Loopback);
        using var h = new OutboundHarness(o => o.AllowList.Add("127.0.0.1/32"));
        server.Handler = r => r.Target == "/start" ? TinyResponse.Redirect(status, "/next") : new TinyResponse(200, "done");

        var response = await h.Client.SendAsync(new OutboundRequest
        {
            Method = method,
            Url = new Uri(server.Url("/start")),
            Body = Encoding.UTF8.GetBytes("payload"),
            ContentType = "text/plain",
        }, cancellationToken);

        response.StatusCode.Should().Be(200);
        response.Redirected.Should().BeTrue();
        response.Url.Should().Be(new Uri(server.Url("/next")));
        var second = server.Requests.Last();
        second.Method.Should().Be(nextMethod);
        second.Body.Should().Be(nextBody);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task SendAsync_RedirectToAnotherOrigin_DropsCredentials_SEC10(CancellationToken cancellationToken)
    {
        await using var first = new TinyHttpServer(IPAddress.Loopback);
        await using var second = new TinyHttpServer(Public);
        using var h = new OutboundHarness(o => o.AllowList.Add("127.0.0.0/8"));
        first.Handler = _ => TinyResponse.Redirect(307, second.Url("/x"));

        await h.Client.SendAsync(new OutboundRequest
        {
            Method = "GET",
            Url = new Uri(first.Url()),
            Headers = [new("Authorization", "Bearer secret"), new("X-Keep", "1")],
        }, cancellationToken);

        first.Requests.Single().Headers.Should().ContainKey("Authorization");
        second.Requests.Single().Headers.Should().NotContainKey("Authorization").And.ContainKey("X-Keep");
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task SendAsync_EndlessRedirects_FailsEredirectAfterMaxRedirects_SEC10(CancellationToken cancellationToken)
    {
        await using var server = new TinyHttpServer(IPAddress.Loopback);
        using var h = new OutboundHarness(o => o.AllowList.Add("127.0.0.1/32"));
        int n = 0;
        server.Handler = _ => TinyResponse.Redirect(302, $"/hop{Interlocked.Increment(ref n)}");

        await FailsWith(() => h.GetAsync(server.Url(), cancellationToken), "EREDIRECT");

        server.Requests.Should().HaveCount(6, "the first request and five followed hops");
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task SendAsync_MaxRedirectsOption_IsHonoured_SEC10(CancellationToken cancellationToken)
    {
        await using var server = new TinyHttpServer(IPAddress.Loopback);
        using var h = new OutboundHarness(o =>
        {
            o.AllowList.Add("127.0.0.1/32");
            o.MaxRedirects = 1;
        });
        server.Handler = r => r.Target switch
        {
            "/" => TinyResponse.Redirect(307, "/a"),
            "/a" => TinyResponse.Redirect(307, "/b"),
            _ => new TinyResponse(200),
        };

        await FailsWith(() => h.GetAsync(server.Url(), cancellationToken), "EREDIRECT");
        var ok = await h.Client.SendAsync(new OutboundRequest { Method = "GET", Url = new Uri(server.Url()), MaxRedirects = 2 }, cancellationToken);
        ok.StatusCode.Should().Be(200);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task SendAsync_RedirectModes_ManualErrorAndMethodPreserving_SEC10(CancellationToken cancellationToken)
    {
        await using var server = new TinyHttpServer(IPAddress.Loopback);
        using var h = new OutboundHarness(o => o.AllowList.Add("127.0.0.1/32"));
        server.Handler = r => r.Target switch
        {
            "/302" => TinyResponse.Redirect(302, "/done"),
            "/307" => TinyResponse.Redirect(307, "/done"),
            _ => new TinyResponse(200, "done"),
        };

        var manual = await h.GetAsync(server.Url("/302"), cancellationToken, OutboundRedirectMode.Manual);
        manual.StatusCode.Should().Be(302);
        manual.Headers["location"].Should().Be("/done");
        manual.Redirected.Should().BeFalse();

        await FailsWith(() => h.GetAsync(server.Url("/307"), cancellationToken, OutboundRedirectMode.Error), "EREDIRECT");

        (await h.GetAsync(server.Url("/302"), cancellationToken, OutboundRedirectMode.FollowMethodPreserving)).StatusCode.Should().Be(302);
        (await h.GetAsync(server.Url("/307"), cancellationToken, OutboundRedirectMode.FollowMethodPreserving)).StatusCode.Should().Be(200);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task SendAsync_RedirectToOtherScheme_FailsEredirect_SEC8_SEC10(CancellationToken cancellationToken)
    {
        await using var server = new TinyHttpServer(IPAddress.Loopback);
        using var h = new OutboundHarness(o => o.AllowList.Add("127.0.0.1/32"));
        server.Handler = _ => TinyResponse.Redirect(302, "ftp://files.example.test/x");

        await FailsWith(() => h.GetAsync(server.Url(), cancellationToken), "EREDIRECT");
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task SendAsync_BodyLongerThanLimit_IsCutAndReportedTruncated_OUT71(CancellationToken cancellationToken)
    {
        await using var server = new TinyHttpServer(IPAddress.Loopback);
        using var h = new OutboundHarness(o => o.AllowList.Add("127.0.0.1/32"));
        server.Handler = r => new TinyResponse(200, new string('x', r.Target == "/exact" ? 1000 : 5000));

        var cut = await h.Client.SendAsync(new OutboundRequest { Method = "GET", Url = new Uri(server.Url("/big")), MaxBodyBytes = 1000 }, cancellationToken);
        cut.Truncated.Should().BeTrue();
        cut.Body.Length.Should().Be(1000);
        cut.Invoking(r => r.ThrowIfTruncated()).Should().Throw<OutboundRequestException>().Which.Code.Should().Be("ETOOLARGE");

        var exact = await h.Client.SendAsync(new OutboundRequest { Method = "GET", Url = new Uri(server.Url("/exact")), MaxBodyBytes = 1000 }, cancellationToken);
        exact.Truncated.Should().BeFalse();
        exact.Body.Length.Should().Be(1000);
    }

    [TestCase("empty", 0)]
    [TestCase("declared", 3000)]
    [TestCase("close-delimited", 20_000)]
    [TestCase("gzip", 20_000)]
    [CancelAfter(10_000)]
    public async Task SendAsync_BodyFramings_ReadWholeBodyUntruncated_OUT71(string framing, int size, CancellationToken cancellationToken)
    {
        // The buffer is sized from Content-Length when there is one; a decompressed body outgrows the declared (compressed)
        // length, and a body without one is read until the connection closes.
        await using var server = new TinyHttpServer(IPAddress.Loopback);
        using var h = new OutboundHarness(o => o.AllowList.Add("127.0.0.1/32"));
        var text = string.Concat(Enumerable.Range(0, size).Select(i => (char)('a' + (i % 26))));
        server.Handler = _ => framing switch
        {
            "gzip" => new TinyResponse(200, Headers: new Dictionary<string, string> { ["Content-Encoding"] = "gzip" }) { Bytes = Gzip(text) },
            "close-delimited" => new TinyResponse(200, text) { CloseDelimited = true },
            _ => new TinyResponse(200, text),
        };

        var response = await h.GetAsync(server.Url(), cancellationToken);

        response.Truncated.Should().BeFalse();
        Encoding.UTF8.GetString(response.Body.Span).Should().Be(text);
    }

    private static byte[] Gzip(string text)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(buffer, System.IO.Compression.CompressionLevel.Optimal))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text));
        }

        return buffer.ToArray();
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task SendAsync_DefaultLimit_IsOneMebibyte_OUT71(CancellationToken cancellationToken)
    {
        await using var server = new TinyHttpServer(IPAddress.Loopback);
        using var h = new OutboundHarness(o => o.AllowList.Add("127.0.0.1/32"));
        server.Handler = _ => new TinyResponse(200, new string('y', (1024 * 1024) + 10));

        var response = await h.GetAsync(server.Url(), cancellationToken);

        response.Truncated.Should().BeTrue();
        response.Body.Length.Should().Be(1024 * 1024);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task SendAsync_ServerNeverAnswers_FailsEtimedout_DLV19(CancellationToken cancellationToken)
    {
        await using var server = new TinyHttpServer(IPAddress.Loopback);
        using var h = new OutboundHarness(o => o.AllowList.Add("127.0.0.1/32"));
        server.Handler = _ => null;

        await FailsWith(
            () => h.Client.SendAsync(new OutboundRequest { Method = "GET", Url = new Uri(server.Url()), Timeout = TimeSpan.FromMilliseconds(300) }, cancellationToken),
            "ETIMEDOUT");
    }

    // DLV-19: the timeout covers reading the body, not only the wait for the headers.
    [Test]
    [CancelAfter(10_000)]
    public async Task SendAsync_BodyStallsAfterHeaders_FailsEtimedout_DLV19(CancellationToken cancellationToken)
    {
        await using var server = new TinyHttpServer(IPAddress.Loopback);
        using var h = new OutboundHarness(o => o.AllowList.Add("127.0.0.1/32"));
        server.Handler = _ => new TinyResponse(200, new string('z', 64 * 1024)) { StallBody = true };

        await FailsWith(
            () => h.Client.SendAsync(new OutboundRequest { Method = "GET", Url = new Uri(server.Url()), Timeout = TimeSpan.FromMilliseconds(300) }, cancellationToken),
            "ETIMEDOUT");
    }

    // DLV-19, SEC-10: a hop after a redirect runs under the call's timeout too.
    [Test]
    [CancelAfter(10_000)]
    public async Task SendAsync_RedirectToServerThatNeverAnswers_FailsEtimedout_DLV19_SEC10(CancellationToken cancellationToken)
    {
        await using var target = new TinyHttpServer(IPAddress.Loopback);
        await using var first = new TinyHttpServer(IPAddress.Loopback);
        using var h = new OutboundHarness(o => o.AllowList.Add("127.0.0.1/32"));
        first.Handler = _ => TinyResponse.Redirect(307, target.Url("/next"));
        target.Handler = _ => null;

        await FailsWith(
            () => h.Client.SendAsync(new OutboundRequest { Method = "GET", Url = new Uri(first.Url()), Timeout = TimeSpan.FromMilliseconds(400) }, cancellationToken),
            "ETIMEDOUT");

        target.Requests.Should().ContainSingle(r => r.Target == "/next");
        first.Requests.Should().ContainSingle();
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task SendAsync_CallerCancels_ThrowsOperationCanceled(CancellationToken cancellationToken)
    {
        await using var server = new TinyHttpServer(IPAddress.Loopback);
        using var h = new OutboundHarness(o => o.AllowList.Add("127.0.0.1/32"));
        server.Handler = _ => null;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var call = h.GetAsync(server.Url(), cts.Token);
        await cts.CancelAsync();

        await Call(() => call).Should().ThrowAsync<OperationCanceledException>();
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task SendAsync_NothingListens_FailsEconnrefused(CancellationToken cancellationToken)
    {
        using var h = new OutboundHarness(o => o.AllowList.Add("127.0.0.1/32"));
        await FailsWith(() => h.GetAsync($"http://127.0.0.1:{TinyHttpServer.FreePort()}/", cancellationToken), "ECONNREFUSED");
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task SendAsync_ServerResetsConnection_FailsEconnreset(CancellationToken cancellationToken)
    {
        await using var server = new TinyHttpServer(IPAddress.Loopback);
        using var h = new OutboundHarness(o => o.AllowList.Add("127.0.0.1/32"));
        server.Handler = _ => new TinyResponse(200) { Reset = true };

        await FailsWith(() => h.GetAsync(server.Url(), cancellationToken), "ECONNRESET");
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task SendAsync_TlsToPlainServer_FailsEtls(CancellationToken cancellationToken)
    {
        await using var server = new TinyHttpServer(IPAddress.Loopback);
        using var h = new OutboundHarness(o => o.AllowList.Add("127.0.0.1/32"));
        server.Greeting = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"u8.ToArray();

        await FailsWith(() => h.GetAsync($"https://127.0.0.1:{server.Port}/", cancellationToken), "ETLS");
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task SendAsync_UnknownName_FailsEnotfound(CancellationToken cancellationToken)
    {
        using var h = new OutboundHarness();
        await FailsWith(() => h.GetAsync("http://no-such-host.example.test/", cancellationToken), "ENOTFOUND");

        h.Dns.Resolve = (_, _) => [];
        await FailsWith(() => h.GetAsync("http://empty.example.test/", cancellationToken), "ENOTFOUND");
        h.Connector.Attempts.Should().BeEmpty();
    }
}
