using System.Net;
using ChatIntegrations.Security.Ssrf;
using Microsoft.Extensions.DependencyInjection;

namespace ChatIntegrations.Tests.Security.Ssrf;

/// <summary>Redirect rules of <see cref="OutboundHttpClient"/> that need an https first hop, with a stub primary
/// handler in place of the network (the connect-time guard is covered by <see cref="OutboundHttpClientTests"/>).</summary>
public sealed class OutboundRedirectPolicyTests
{
    private static OutboundHarness WithStub(Func<HttpRequestMessage, HttpResponseMessage> answer, List<Uri> seen) =>
        new(more: s => s.AddHttpClient(SsrfDefaults.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => new StubHandler(r =>
        {
            seen.Add(r.RequestUri!);
            return answer(r);
        })));

    private static HttpResponseMessage Redirect(HttpStatusCode status, string location)
    {
        var response = new HttpResponseMessage(status);
        response.Headers.Location = new Uri(location, UriKind.RelativeOrAbsolute);
        return response;
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task SendAsync_HttpsToHttpRedirect_IsRefused_SEC10(CancellationToken cancellationToken)
    {
        var seen = new List<Uri>();
        using var h = WithStub(_ => Redirect(HttpStatusCode.MovedPermanently, "http://hooks.example.test/plain"), seen);

        var failure = await h.Invoking(x => x.GetAsync("https://hooks.example.test/secure", cancellationToken))
            .Should().ThrowAsync<OutboundRequestException>();

        failure.Which.Code.Should().Be("EREDIRECT");
        seen.Should().Equal(new Uri("https://hooks.example.test/secure"));
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task SendAsync_HttpToHttpsRedirect_IsFollowed_SEC10(CancellationToken cancellationToken)
    {
        var seen = new List<Uri>();
        using var h = WithStub(r => r.RequestUri!.Scheme == "http"
            ? Redirect(HttpStatusCode.Found, "https://hooks.example.test/secure")
            : new HttpResponseMessage(HttpStatusCode.OK), seen);

        var response = await h.GetAsync("http://hooks.example.test/", cancellationToken);

        response.StatusCode.Should().Be(200);
        response.Url.Should().Be(new Uri("https://hooks.example.test/secure"));
        response.Redirected.Should().BeTrue();
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task SendAsync_RedirectWithoutLocation_IsReturnedAsIs_SEC10(CancellationToken cancellationToken)
    {
        var seen = new List<Uri>();
        using var h = WithStub(_ => new HttpResponseMessage(HttpStatusCode.Found), seen);

        var response = await h.GetAsync("https://hooks.example.test/", cancellationToken);

        response.StatusCode.Should().Be(302);
        response.Redirected.Should().BeFalse();
    }

    private sealed class StubHandler(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(answer(request));
    }
}
