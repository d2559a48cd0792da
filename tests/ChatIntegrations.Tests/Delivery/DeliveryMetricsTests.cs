using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using ChatIntegrations.Diagnostics;
using ChatIntegrations.Tests.Security.Ssrf;
using ChatIntegrations.Tests.TestDoubles;

namespace ChatIntegrations.Tests.Delivery;

/// <summary>The GEN-15 delivery instruments, observed with a <see cref="MeterListener"/> restricted to the fixture's own
/// meter (other tests running in parallel publish on meters of the same name).</summary>
public sealed class DeliveryMetricsTests
{
    private sealed record Measurement(string Instrument, double Value, IReadOnlyDictionary<string, object?> Tags);

    private static MeterListener Listen(DeliveryFixture f, ConcurrentQueue<Measurement> into)
    {
        var meter = f.Get<Telemetry>().Meter;
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (ReferenceEquals(instrument.Meter, meter)) l.EnableMeasurementEvents(instrument);
            },
        };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => into.Enqueue(new(i.Name, v, ToDictionary(tags))));
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => into.Enqueue(new(i.Name, v, ToDictionary(tags))));
        listener.Start();
        return listener;
    }

    private static Dictionary<string, object?> ToDictionary(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var d = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (k, v) in tags) d[k] = v;
        return d;
    }

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
        var measurements = new ConcurrentQueue<Measurement>();
        using var listener = Listen(f, measurements);
        var receiver = f.Receiver();
        var i = await f.CreateOutgoingAsync(receiver.Url("/hooks/secret-path?apikey=s3cr3t"));
        await f.StartAsync();

        await f.Engine.PublishAsync(DeliveryFixture.Message("hi"), ct);
        await DeliveryFixture.WaitUntilAsync(() => Task.FromResult(!receiver.Requests.IsEmpty), ct);
        await f.WaitForStateAsync(receiver.Requests.Single().Headers["webhook-id"], ct, DeliveryState.Succeeded);
        receiver.Requests.Single().Target.Should().Be("/hooks/secret-path?apikey=s3cr3t");

        var delivery = measurements.Should().ContainSingle(m => m.Instrument == "chatintegrations.deliveries").Subject;
        delivery.Value.Should().Be(1);
        delivery.Tags.Should().BeEquivalentTo(new Dictionary<string, object?> { ["kind"] = "outgoing", ["state"] = "succeeded" });

        var attempt = measurements.Should().ContainSingle(m => m.Instrument == "chatintegrations.attempts").Subject;
        attempt.Value.Should().Be(1);
        attempt.Tags.Should().BeEquivalentTo(new Dictionary<string, object?>
        {
            ["kind"] = "outgoing", ["outcome"] = "success", ["status_code"] = 200, ["host"] = "127.0.0.1",
        });

        var duration = measurements.Should().ContainSingle(m => m.Instrument == "chatintegrations.attempt.duration").Subject;
        duration.Value.Should().BeGreaterThanOrEqualTo(0);
        duration.Tags.Should().BeEquivalentTo(new Dictionary<string, object?> { ["kind"] = "outgoing", ["outcome"] = "success", ["host"] = "127.0.0.1" });
        f.Get<Telemetry>().AttemptDuration.Unit.Should().Be("s");
        NoPathOrQuery(measurements);
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
        var measurements = new ConcurrentQueue<Measurement>();
        using var listener = Listen(f, measurements);
        var healthy = false;
        var receiver = f.Receiver(_ => Volatile.Read(ref healthy) ? new TinyResponse(200, "ok") : new TinyResponse(503, "down"));
        var i = await f.CreateOutgoingAsync(receiver.Url("/private/path?token=s3cr3t"), """{"retryCount":0}""");
        await f.StartAsync();

        foreach (var (text, n) in new[] { ("one", 1), ("two", 2) })
        {
            await f.Engine.PublishAsync(DeliveryFixture.Message(text, messageId: text), ct);
            await DeliveryFixture.WaitUntilAsync(async () => (await f.HistoryAsync(i.Id)).Count == n && f.Dispatcher.InFlight == 0, ct);
        }

        var opened = measurements.Where(m => m.Instrument == "chatintegrations.breaker.transitions").Should().ContainSingle().Subject;
        opened.Tags.Should().BeEquivalentTo(new Dictionary<string, object?> { ["host"] = "127.0.0.1", ["state"] = "open" });
        var failed = measurements.Where(m => m.Instrument == "chatintegrations.attempts").ToList();
        failed.Should().HaveCount(2).And.OnlyContain(m => (string)m.Tags["outcome"]! == "retryable" && (int)m.Tags["status_code"]! == 503);
        measurements.Where(m => m.Instrument == "chatintegrations.deliveries").Select(m => m.Tags["state"]).Should().Equal("failed", "failed");

        // After the break, one trial attempt goes through and succeeds: half-open, then closed.
        Volatile.Write(ref healthy, true);
        f.Time.Advance(TimeSpan.FromSeconds(30));
        await f.Engine.PublishAsync(DeliveryFixture.Message("three", messageId: "three"), ct);
        await DeliveryFixture.WaitUntilAsync(async () => (await f.HistoryAsync(i.Id)).Count == 3 && f.Dispatcher.InFlight == 0, ct);

        measurements.Where(m => m.Instrument == "chatintegrations.breaker.transitions").Select(m => m.Tags["state"])
            .Should().Equal("open", "half-open", "closed");
        measurements.Where(m => m.Instrument == "chatintegrations.breaker.transitions").Should().OnlyContain(m => (string)m.Tags["host"]! == "127.0.0.1");
        measurements.Where(m => m.Instrument == "chatintegrations.attempts").Last().Tags["outcome"].Should().Be("success");
        NoPathOrQuery(measurements);
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task Dispatcher_FinalFailureAndNetworkError_AttemptOutcomeTags_GEN15(CancellationToken ct)
    {
        await using var f = new DeliveryFixture();
        var measurements = new ConcurrentQueue<Measurement>();
        using var listener = Listen(f, measurements);
        var receiver = f.Receiver(_ => new TinyResponse(404, "nope"));
        var notFound = await f.CreateOutgoingAsync(receiver.Url("/a?x=1"));
        var refused = await f.CreateOutgoingAsync($"http://127.0.0.1:{TinyHttpServer.FreePort()}/b?y=2", """{"retryCount":0}""");
        await f.StartAsync();

        await f.Engine.PublishAsync(DeliveryFixture.Message("hi"), ct);
        await DeliveryFixture.WaitUntilAsync(async () => (await f.HistoryAsync(notFound.Id)).Count == 1 && (await f.HistoryAsync(refused.Id)).Count == 1
            && f.Dispatcher.InFlight == 0, ct);

        var attempts = measurements.Where(m => m.Instrument == "chatintegrations.attempts").ToList();
        attempts.Should().HaveCount(2);
        attempts.Should().ContainSingle(m => (string)m.Tags["outcome"]! == "final" && Equals(m.Tags["status_code"], 404));
        attempts.Should().ContainSingle(m => (string)m.Tags["outcome"]! == "retryable" && m.Tags["status_code"] == null);
        measurements.Where(m => m.Instrument == "chatintegrations.deliveries").Select(m => m.Tags["state"]).Should().BeEquivalentTo(["failed", "failed"]);
        NoPathOrQuery(measurements);
    }
}
