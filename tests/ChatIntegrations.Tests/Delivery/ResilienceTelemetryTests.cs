using System.Globalization;
using System.Text;
using ChatIntegrations.Diagnostics;
using ChatIntegrations.Tests.Security.Ssrf;
using ChatIntegrations.Tests.TestDoubles;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace ChatIntegrations.Tests.Delivery;

/// <summary>The telemetry of the outbound client's resilience handler (Microsoft.Extensions.Http.Resilience: Polly's
/// logs and <c>Polly</c> meter, enriched by Microsoft.Extensions.Resilience) reaches the host next to the library's
/// own, and never writes a URL path, query or token (SEC-4, GEN-15, DLV-19, DLV-19a).</summary>
public sealed class ResilienceTelemetryTests
{
    private const string Token = "SECRET-TOKEN";
    private const string Query = "x=secret";

    [Test]
    [CancelAfter(30_000)]
    public async Task Dispatcher_FailingDeliveriesOpenBreaker_TelemetryNeverWritesPathQueryOrToken_SEC4(CancellationToken ct)
    {
        var logs = new FakeLogCollector();
        await using var f = new DeliveryFixture(
            o => o.Dispatcher.Breaker.MinimumThroughput = 2,
            more: s => s.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(new FakeLoggerProvider(logs))));
        var telemetry = f.Get<Telemetry>();
        using var pollyEvents = new MetricCollector<int>(null, "Polly", "resilience.polly.strategy.events");
        using var pollyDurations = new MetricCollector<double>(null, "Polly", "resilience.polly.pipeline.duration");
        using var attempts = new MetricCollector<long>(telemetry.Attempts);
        using var transitions = new MetricCollector<long>(telemetry.BreakerTransitions);
        var receiver = f.Receiver(_ => new TinyResponse(503, "down"));
        var down = await f.CreateOutgoingAsync(receiver.Url($"/hooks/{Token}?{Query}"), """{"retryCount":0}""");
        var refused = await f.CreateOutgoingAsync($"http://127.0.0.1:{TinyHttpServer.FreePort()}/hooks/{Token}?{Query}", """{"retryCount":0}""");
        await f.StartAsync();

        foreach (var (text, n) in new[] { ("one", 1), ("two", 2) })
        {
            await f.Engine.PublishAsync(DeliveryFixture.Message(text, messageId: text), ct);
            await DeliveryFixture.WaitUntilAsync(async () => (await f.HistoryAsync(down.Id)).Count == n && (await f.HistoryAsync(refused.Id)).Count == n
                && f.Dispatcher.InFlight == 0, ct);
        }

        receiver.Requests.Should().HaveCount(2).And.OnlyContain(r => r.Target == $"/hooks/{Token}?{Query}");

        // The telemetry is there: Polly logged and metered the resilience handler's pipeline (Microsoft.Extensions.Http.Resilience
        // names it after the client and the handler), with the endpoint (scheme, host, port) as instance.
        const string Pipeline = "ChatIntegrations.Outgoing-Attempt";
        var endpoint = new Uri(receiver.Url("/")).GetLeftPart(UriPartial.Authority);
        var records = logs.GetSnapshot();
        records.Should().Contain(r => r.Category == "Polly" && r.Message.Contains(Pipeline + "/" + endpoint, StringComparison.Ordinal));
        pollyEvents.GetMeasurementSnapshot().Should().Contain(m => Equals(m.Tags["pipeline.name"], Pipeline)
            && Equals(m.Tags["pipeline.instance"], endpoint) && Equals(m.Tags["event.name"], "OnCircuitOpened"));
        pollyDurations.GetMeasurementSnapshot().Should().Contain(m => Equals(m.Tags["pipeline.name"], Pipeline));
        transitions.GetMeasurementSnapshot().Should().NotBeEmpty();
        attempts.GetMeasurementSnapshot().Should().HaveCount(4);

        // None of it, at any level or in any tag, carries the URL's path, query or token.
        string[] secrets = [Token, Query, "/hooks"];
        foreach (var record in records)
        {
            Line(record).Should().NotContainAny(secrets, "SEC-4: log record {0}[{1}]", record.Category, record.Id.Id);
        }

        var tags = pollyEvents.GetMeasurementSnapshot().SelectMany(m => m.Tags)
            .Concat(pollyDurations.GetMeasurementSnapshot().SelectMany(m => m.Tags))
            .Concat(attempts.GetMeasurementSnapshot().SelectMany(m => m.Tags))
            .Concat(transitions.GetMeasurementSnapshot().SelectMany(m => m.Tags));
        foreach (var (key, value) in tags)
        {
            (Convert.ToString(value, CultureInfo.InvariantCulture) ?? "").Should().NotContainAny(secrets, "SEC-4: metric tag {0}", key);
        }
    }

    /// <summary>One record as text: message, structured values, scopes and the whole exception.</summary>
    private static string Line(FakeLogRecord r)
    {
        var line = new StringBuilder(r.Message);
        foreach (var (k, v) in r.StructuredState ?? []) line.Append($" | {k}={v}");
        foreach (var scope in r.Scopes) line.Append(" => ").Append(scope);
        if (r.Exception is not null) line.Append(" ! ").Append(r.Exception);
        return line.ToString();
    }
}
