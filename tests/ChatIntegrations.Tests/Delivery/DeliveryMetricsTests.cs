using ChatIntegrations.Diagnostics;
using ChatIntegrations.Tests.Security.Ssrf;
using ChatIntegrations.Tests.TestDoubles;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace ChatIntegrations.Tests.Delivery;

/// <summary>The GEN-15 delivery instruments, observed with <see cref="MetricCollector{T}"/>s bound to the fixture's own
/// instruments (other tests running in parallel publish on meters of the same name).</summary>
public sealed class DeliveryMetricsTests
{
    private sealed record Measurement(string Instrument, double Value, IReadOnlyDictionary<string, object?> Tags);

    /// <summary>Collects every delivery instrument of one fixture; <see cref="All"/> is a snapshot.</summary>
    private sealed class Collected(Telemetry telemetry) : IDisposable
    {
        private readonly MetricCollector<long>[] _counters =
            [new(telemetry.Deliveries), new(telemetry.Attempts), new(telemetry.BreakerTransitions)];

        private readonly MetricCollector<double> _duration = new(telemetry.AttemptDuration);

        public IReadOnlyList<Measurement> All =>
        [
            .. _counters.SelectMany(c => c.GetMeasurementSnapshot().Select(m => new Measurement(c.Instrument!.Name, m.Value, m.Tags))),
            .. _duration.GetMeasurementSnapshot().Select(m => new Measurement(_duration.Instrument!.Name, m.Value, m.Tags)),
        ];

        public void Dispose()
        {
            foreach (var c in _counters) c.Dispose();
            _duration.Dispose();
        }
    }

    private static Collected Listen(DeliveryFixture f) => new(f.Get<Telemetry>());

    private static void NoPathOrQuery(IEnumerable<Measurement> all)
    {
        foreach (var m in all)
        {
            foreach (var (key, value) in m.Tags)
            {
                var text = Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "";
                text.Should().NotContainAny(["/", "?", "secret-path", "apikey", "s3cr3t", "http:"], $"GEN-15: tag {key} of {m.Instrument} is the host only");
            }
        }
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task Dispatcher_SuccessfulDelivery_RecordsDeliveryAttemptAndDurationWithHostOnlyTags_GEN15(CancellationToken ct)
    {
        await using var f = new DeliveryFixture();
        using var measurements = Listen(f);
        var receiver = f.Receiver();
        var i = await f.CreateOutgoingAsync(receiver.Url("/hooks/secret-path?apikey=s3cr3t"));
        await f.StartAsync();

        await f.Engine.PublishAsync(DeliveryFixture.Message("hi"), ct);
        await DeliveryFixture.WaitUntilAsync(() => Task.FromResult(!receiver.Requests.IsEmpty), ct);
        await f.WaitForStateAsync(receiver.Requests.Single().Headers["webhook-id"], ct, DeliveryState.Succeeded);
        receiver.Requests.Single().Target.Should().Be("/hooks/secret-path?apikey=s3cr3t");

        var delivery = measurements.All.Should().ContainSingle(m => m.Instrument == "chatintegrations.deliveries").Subject;
        delivery.Value.Should().Be(1);
        delivery.Tags.Should().BeEquivalentTo(new Dictionary<string, object?> { ["kind"] = "outgoing", ["state"] = "succeeded" });

        var attempt = measurements.All.Should().ContainSingle(m => m.Instrument == "chatintegrations.attempts").Subject;
        attempt.Value.Should().Be(1);
        attempt.Tags.Should().BeEquivalentTo(new Dictionary<string, object?>
        {
            ["kind"] = "outgoing", ["outcome"] = "success", ["status_code"] = 200, ["host"] = "127.0.0.1",
        });

        var duration = measurements.All.Should().ContainSingle(m => m.Instrument == "chatintegrations.attempt.duration").Subject;
        duration.Value.Should().BeGreaterThanOrEqualTo(0);
        duration.Tags.Should().BeEquivalentTo(new Dictionary<string, object?> { ["kind"] = "outgoing", ["outcome"] = "success", ["host"] = "127.0.0.1" });
        f.Get<Telemetry>().AttemptDuration.Unit.Should().Be("s");
        NoPathOrQuery(measurements.All);
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Dispatcher_FailuresOpenBreakerThenTrialSucceeds_RecordsOutcomesAndBreakerTransitions_GEN15_DLV19a(CancellationToken ct)
    {
        await using var f = new DeliveryFixture(o =>
        {
            o.Dispatcher.Breaker.MinimumThroughput = 2;
            o.Dispatcher.Breaker.BreakDuration = TimeSpan.FromSeconds(30);
        });
        using var measurements = Listen(f);
        var healthy = false;
        var receiver = f.Receiver(_ => Volatile.Read(ref healthy) ? new TinyResponse(200, "ok") : new TinyResponse(503, "down"));
        var i = await f.CreateOutgoingAsync(receiver.Url("/private/path?token=s3cr3t"), """{"retryCount":0}""");
        await f.StartAsync();

        foreach (var (text, n) in new[] { ("one", 1), ("two", 2) })
        {
            await f.Engine.PublishAsync(DeliveryFixture.Message(text, messageId: text), ct);
            await DeliveryFixture.WaitUntilAsync(async () => (await f.HistoryAsync(i.Id)).Count == n && f.Dispatcher.InFlight == 0, ct);
        }

        var opened = measurements.All.Where(m => m.Instrument == "chatintegrations.breaker.transitions").Should().ContainSingle().Subject;
        opened.Tags.Should().BeEquivalentTo(new Dictionary<string, object?> { ["host"] = "127.0.0.1", ["state"] = "open" });
        var failed = measurements.All.Where(m => m.Instrument == "chatintegrations.attempts").ToList();
        failed.Should().HaveCount(2).And.OnlyContain(m => (string)m.Tags["outcome"]! == "retryable" && (int)m.Tags["status_code"]! == 503);
        measurements.All.Where(m => m.Instrument == "chatintegrations.deliveries").Select(m => m.Tags["state"]).Should().Equal("failed", "failed");

        // After the break, one trial attempt goes through and succeeds: half-open, then closed.
        Volatile.Write(ref healthy, true);
        f.Time.Advance(TimeSpan.FromSeconds(30));
        await f.Engine.PublishAsync(DeliveryFixture.Message("three", messageId: "three"), ct);
        await DeliveryFixture.WaitUntilAsync(async () => (await f.HistoryAsync(i.Id)).Count == 3 && f.Dispatcher.InFlight == 0, ct);

        measurements.All.Where(m => m.Instrument == "chatintegrations.breaker.transitions").Select(m => m.Tags["state"])
            .Should().Equal("open", "half-open", "closed");
        measurements.All.Where(m => m.Instrument == "chatintegrations.breaker.transitions").Should().OnlyContain(m => (string)m.Tags["host"]! == "127.0.0.1");
        measurements.All.Where(m => m.Instrument == "chatintegrations.attempts").Last().Tags["outcome"].Should().Be("success");
        NoPathOrQuery(measurements.All);
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task Dispatcher_FinalFailureAndNetworkError_AttemptOutcomeTags_GEN15(CancellationToken ct)
    {
        await using var f = new DeliveryFixture();
        using var measurements = Listen(f);
        var receiver = f.Receiver(_ => new TinyResponse(404, "nope"));
        var notFound = await f.CreateOutgoingAsync(receiver.Url("/a?x=1"));
        var refused = await f.CreateOutgoingAsync($"http://127.0.0.1:{TinyHttpServer.FreePort()}/b?y=2", """{"retryCount":0}""");
        await f.StartAsync();

        await f.Engine.PublishAsync(DeliveryFixture.Message("hi"), ct);
        await DeliveryFixture.WaitUntilAsync(async () => (await f.HistoryAsync(notFound.Id)).Count == 1 && (await f.HistoryAsync(refused.Id)).Count == 1
            && f.Dispatcher.InFlight == 0, ct);

        var attempts = measurements.All.Where(m => m.Instrument == "chatintegrations.attempts").ToList();
        attempts.Should().HaveCount(2);
        attempts.Should().ContainSingle(m => (string)m.Tags["outcome"]! == "final" && Equals(m.Tags["status_code"], 404));
        attempts.Should().ContainSingle(m => (string)m.Tags["outcome"]! == "retryable" && m.Tags["status_code"] == null);
        measurements.All.Where(m => m.Instrument == "chatintegrations.deliveries").Select(m => m.Tags["state"]).Should().BeEquivalentTo(["failed", "failed"]);
        NoPathOrQuery(measurements.All);
    }
}
