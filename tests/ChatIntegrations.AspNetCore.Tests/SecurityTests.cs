using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ChatIntegrations.AspNetCore.Tests.Infrastructure;
using FluentAssertions;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using NUnit.Framework;

namespace ChatIntegrations.AspNetCore.Tests;

/// <summary>SEC-4 (no token in any log line) and SEC-5 (failed-token throttle per address), each on its own host.</summary>
[TestFixture]
[CancelAfter(30_000)]
public sealed class SecurityTests
{
    // SEC-5, threat table: 31 bad tokens from one address → the 31st answers 429; a valid token still answers 200.
    [Test]
    public async Task HandleIncoming_31BadTokensFromOneAddress_Returns429ButValidTokenStill200()
    {
        await using var server = await SampleServer.StartAsync();
        var (id, token) = await server.CreateIncomingAsync();

        var answers = new List<Answer>();
        for (var i = 0; i < 31; i++) answers.Add(await server.PostJsonAsync($"/hooks/{id}/bad-token-{i}", """{"text":"x"}"""));
        var valid = await server.PostJsonAsync($"/hooks/{id}/{token}", """{"text":"valid after guessing"}""");

        answers.Take(30).Should().OnlyContain(a => a.Status == HttpStatusCode.NotFound);
        answers[30].Status.Should().Be(HttpStatusCode.TooManyRequests);
        int.Parse(answers[30].Headers["Retry-After"], System.Globalization.CultureInfo.InvariantCulture).Should().BeInRange(1, 600);
        answers[30].Error.Should().StartWith("Error, too many requests.");
        valid.Status.Should().Be(HttpStatusCode.OK, valid.Text);
    }

    // SEC-5: the host decides which address counts (reverse proxies); here every request claims a new address.
    [Test]
    public async Task MapChatIntegrations_ClientAddressAccessor_IsWhatTheThrottleCounts()
    {
        await using var server = await SampleServer.StartAsync();
        var (id, _) = await server.CreateIncomingAsync();

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 31; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/hooks/{id}/bad-{i}") { Content = new StringContent("{}") };
            request.Headers.Add("X-Forwarded-For", $"203.0.113.{i + 1}");
            using var response = await server.Client.SendAsync(request);
            answers.Add(response.StatusCode);
        }

        // Without forwarded-headers middleware the sample counts the socket address, so the 31st is throttled.
        answers[30].Should().Be(HttpStatusCode.TooManyRequests);
    }

    // SEC-4, threat table "token leak through logs": all categories at Trace, scopes included, during a failed and a
    // successful call; no captured line contains the token, and the hosting line shows the redacted path.
    [Test]
    public async Task FrameworkLogs_FailedAndSuccessfulCalls_NeverContainToken()
    {
        var capture = new FakeLogCollector();
        await using var server = await SampleServer.StartAsync(
            b =>
            {
                b.Logging.AddProvider(new FakeLoggerProvider(capture));
                b.Logging.SetMinimumLevel(LogLevel.Trace);
                b.Logging.AddFilter((_, _, _) => true);
                b.Services.AddHttpLogging(o => o.LoggingFields = Microsoft.AspNetCore.HttpLogging.HttpLoggingFields.All);
            },
            app => app.UseHttpLogging(),
            "--Logging:LogLevel:Default=Trace", "--Logging:LogLevel:Microsoft.AspNetCore=Trace");
        var (id, token) = await server.CreateIncomingAsync();
        var wrongToken = token[..^4] + "ZZZZ";

        var failed = await server.PostJsonAsync($"/hooks/{id}/{wrongToken}", """{"text":"fail"}""");
        var succeeded = await server.PostJsonAsync($"/hooks/{id}/{token}", """{"text":"ok"}""");
        var legacy = await server.PostJsonAsync($"/hooks/{id}/u-x/{token}/", """{"text":"ok"}""");
        var notAllowed = await server.SendAsync(HttpMethod.Put, $"/hooks/{id}/{token}", "{}");
        await server.DisposeAsync(); // flush everything the host logs at shutdown too

        failed.Status.Should().Be(HttpStatusCode.NotFound);
        succeeded.Status.Should().Be(HttpStatusCode.OK);
        legacy.Status.Should().Be(HttpStatusCode.OK);
        notAllowed.Status.Should().Be(HttpStatusCode.MethodNotAllowed);
        var lines = capture.GetSnapshot().Select(Line).ToArray();
        lines.Should().Contain(l => l.Contains("Microsoft.AspNetCore.Hosting.Diagnostics", StringComparison.Ordinal) && l.Contains($"/hooks/{id}/***", StringComparison.Ordinal),
            "the capture must see the framework's request lines for this test to mean anything");
        lines.Should().Contain(l => l.Contains("Microsoft.AspNetCore.Routing", StringComparison.Ordinal));
        lines.Where(l => l.Contains(token, StringComparison.Ordinal) || l.Contains(wrongToken, StringComparison.Ordinal)).Should().BeEmpty();
    }

    /// <summary>One captured record as text: category, event id, message, structured values, scopes and exception.</summary>
    private static string Line(FakeLogRecord r)
    {
        var line = new StringBuilder($"{r.Level} {r.Category}[{r.Id.Id}] {r.Message}");
        foreach (var (k, v) in r.StructuredState ?? []) line.Append($" | {k}={v}");
        foreach (var scope in r.Scopes)
        {
            line.Append(" => ").Append(scope);
            if (scope is IEnumerable<KeyValuePair<string, object?>> pairs)
            {
                foreach (var (k, v) in pairs) line.Append($" {k}={v}");
            }
        }

        if (r.Exception is not null) line.Append(" ! ").Append(r.Exception);
        return line.ToString();
    }

    // SEC-4: the helper for hosts that log paths themselves.
    [TestCase("POST http://h/hooks/abc/TOKEN?x=1 - 200", "POST http://h/hooks/abc/*** ?x=1 - 200")]
    [TestCase("path '/HOOKS/abc/user/TOKEN/'", "path '/HOOKS/abc/***'")]
    [TestCase("/hooks/abc", "/hooks/abc")]
    [TestCase("/api/integrations/abc/token", "/api/integrations/abc/token")]
    public void RedactHookPaths_Text_ReplacesTokenSegments(string input, string expected)
    {
        ChatIntegrationsLogRedaction.RedactHookPaths(input).Replace("***?", "*** ?", StringComparison.Ordinal).Should().Be(expected);
    }
}
