using System.Security.Claims;
using System.Text.Json.Nodes;
using ChatIntegrations.Tests.Security.Ssrf;
using ChatIntegrations.Tests.TestDoubles;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ChatIntegrations.Tests.Delivery;

/// <summary>The dashboard's delivery overview (issue 15): <see cref="IntegrationEngine.GetPendingDeliveriesAsync"/>
/// and the delivery figures of <see cref="IntegrationEngine.ListAsync"/>, with the real dispatcher, loopback receivers
/// and a manual clock.</summary>
public sealed class PendingDeliveriesTests
{
    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    [Test]
    [CancelAfter(20_000)]
    public async Task GetPendingDeliveriesAsync_FailedAttemptScheduledForRetry_ShowsNextAttemptThenDisappearsOnceDelivered_DLV14_DLV20(CancellationToken ct)
    {
        await using var f = new DeliveryFixture();
        var answers = 0;
        var receiver = f.Receiver(_ => Interlocked.Increment(ref answers) == 1 ? new TinyResponse(503) : new TinyResponse(200));
        var i = await f.CreateOutgoingAsync(receiver.Url("/hook"), """{"retryCount":3,"retryDelay":"powers-of-two","triggerWords":["!deploy"]}""");
        await f.StartAsync();
        var start = f.Time.GetUtcNow();

        await f.Engine.PublishAsync(DeliveryFixture.Message("!deploy secret-plans"), ct);
        await DeliveryFixture.WaitUntilAsync(() => Task.FromResult(receiver.Requests.Count == 1), ct);
        var id = receiver.Requests.Single().Headers["webhook-id"];
        await f.WaitForStateAsync(id, ct, DeliveryState.Pending);

        var r = await f.Engine.GetPendingDeliveriesAsync(EngineFixture.Admin, i.Id, cancellationToken: ct);
        r.Success.Should().BeTrue(r.Body.ToJsonString());
        r.Body["total"]!.GetValue<int>().Should().Be(1);
        var d = r.Body["deliveries"]!.AsArray().Should().ContainSingle().Subject!.AsObject();
        d["_id"]!.GetValue<string>().Should().Be(id);
        d["state"]!.GetValue<string>().Should().Be("pending");
        d["attempts"]!.GetValue<int>().Should().Be(1);
        d["nextAttemptAt"]!.GetValue<string>().Should().Be(Iso(start + TimeSpan.FromSeconds(2)), "DLV-11 powers-of-two: 2 s after the first attempt");
        d["event"]!.GetValue<string>().Should().Be("sendMessage");
        d["triggerWord"]!.GetValue<string>().Should().Be("!deploy");
        d["lastError"]!.GetValue<string>().Should().Be("http-status-503");
        d["lastErrorAt"]!.GetValue<string>().Should().Be(Iso(start));
        // SEC-16, SEC-17: no token, payload or URL in the overview.
        var json = r.Body.ToJsonString();
        json.Should().NotContain(i.Token).And.NotContain("secret-plans").And.NotContain(receiver.Url("/hook"));
        d.Select(p => p.Key).Should().NotContain(["payload", "url", "preparedRequest", "leaseToken"]);

        f.Time.Advance(TimeSpan.FromSeconds(2));
        await f.WaitForStateAsync(id, ct, DeliveryState.Succeeded);
        var after = await f.Engine.GetPendingDeliveriesAsync(EngineFixture.Admin, i.Id, cancellationToken: ct);
        after.Body["deliveries"]!.AsArray().Should().BeEmpty();
        after.Body["total"]!.GetValue<int>().Should().Be(0);
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task ListAsync_FailuresOlderAndWithinTheHour_CountsOnlyLastHourAndGivesLatestOutcome_DLV20_DLV22(CancellationToken ct)
    {
        await using var f = new DeliveryFixture();
        var status = 404;
        var receiver = f.Receiver(_ => new TinyResponse(Volatile.Read(ref status)));
        var i = await f.CreateOutgoingAsync(receiver.Url("/hook"), """{"retryCount":3,"retryDelay":"powers-of-two"}""");
        var incoming = await f.Engine.CreateAsync(EngineFixture.Admin, new JsonObject { ["type"] = "webhook-incoming", ["name"] = "in", ["channel"] = "#general", ["username"] = "rocket.cat" });
        incoming.Success.Should().BeTrue(incoming.Body.ToJsonString());
        await f.StartAsync();

        // A final failure 61 minutes ago: outside the window.
        await f.Engine.PublishAsync(DeliveryFixture.Message("one", messageId: "m1"), ct);
        await DeliveryFixture.WaitUntilAsync(async () => (await f.HistoryAsync(i.Id)).Count == 1 && f.Dispatcher.InFlight == 0, ct);
        f.Time.Advance(TimeSpan.FromMinutes(61));

        // A retryable failure now (its retry is not due yet), then a success a second later.
        Volatile.Write(ref status, 503);
        await f.Engine.PublishAsync(DeliveryFixture.Message("two", messageId: "m2"), ct);
        await DeliveryFixture.WaitUntilAsync(async () => (await f.HistoryAsync(i.Id)).Count == 2 && f.Dispatcher.InFlight == 0, ct);
        f.Time.Advance(TimeSpan.FromSeconds(1));
        Volatile.Write(ref status, 200);
        await f.Engine.PublishAsync(DeliveryFixture.Message("three", messageId: "m3"), ct);
        await DeliveryFixture.WaitUntilAsync(async () => (await f.HistoryAsync(i.Id)).Count == 3 && f.Dispatcher.InFlight == 0, ct);

        var list = await f.Engine.ListAsync(EngineFixture.Admin, new IntegrationQuery(), ct);
        list.Success.Should().BeTrue(list.Body.ToJsonString());
        var rows = list.Body["integrations"]!.AsArray().Select(n => n!.AsObject()).ToList();
        var outgoing = rows.Single(r => r["_id"]!.GetValue<string>() == i.Id);
        outgoing["failuresLastHour"]!.GetValue<int>().Should().Be(1);
        outgoing["lastDelivery"]!["outcome"]!.GetValue<string>().Should().Be("success");
        outgoing["lastDelivery"]!["at"]!.GetValue<string>().Should().Be(Iso(f.Time.GetUtcNow()));
        outgoing["lastDelivery"]!["step"]!.GetValue<string>().Should().Be("after-http-call");
        outgoing.ToJsonString().Should().NotContain(i.Token);
        var quiet = rows.Single(r => r["type"]!.GetValue<string>() == "webhook-incoming");
        quiet.ContainsKey("lastDelivery").Should().BeFalse("incoming integrations have no deliveries");
        quiet.ContainsKey("failuresLastHour").Should().BeFalse();

        // The failure leaves the window an hour after it happened.
        f.Time.Advance(TimeSpan.FromMinutes(60));
        var later = await f.Engine.ListAsync(EngineFixture.Admin, new IntegrationQuery(), ct);
        later.Body["integrations"]!.AsArray().Single(n => n!["_id"]!.GetValue<string>() == i.Id)!["failuresLastHour"]!.GetValue<int>().Should().Be(0);
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task GetPendingDeliveriesAsync_ActorWithoutViewHistory_DeniedAndListHasNoFigures_SEC20_SEC21(CancellationToken ct)
    {
        var asked = new List<IntegrationOperation>();
        await using var f = new DeliveryFixture(more: s => s.Replace(ServiceDescriptor.Singleton<IIntegrationAuthorizer>(new DelegateAuthorizer((_, op, _) =>
        {
            lock (asked) asked.Add(op);
            return op != IntegrationOperation.ViewHistory;
        }))));
        var receiver = f.Receiver(_ => new TinyResponse(503));
        var i = await f.CreateOutgoingAsync(receiver.Url("/hook"));
        await f.StartAsync();
        await f.Engine.PublishAsync(DeliveryFixture.Message("hello"), ct);
        await DeliveryFixture.WaitUntilAsync(async () => (await f.HistoryAsync(i.Id)).Count == 1 && f.Dispatcher.InFlight == 0, ct);

        var denied = await f.Engine.GetPendingDeliveriesAsync(EngineFixture.Admin, i.Id, cancellationToken: ct);
        denied.Error.Should().Be("not_authorized");
        denied.Body.ToJsonString().Should().Be("""{"success":false,"error":"not_authorized"}""");

        var list = await f.Engine.ListAsync(EngineFixture.Admin, new IntegrationQuery(), ct);
        list.Success.Should().BeTrue();
        var row = list.Body["integrations"]!.AsArray().Single()!.AsObject();
        row.ContainsKey("lastDelivery").Should().BeFalse();
        row.ContainsKey("failuresLastHour").Should().BeFalse();
        asked.Should().Contain(IntegrationOperation.ViewHistory);
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task GetPendingDeliveriesAsync_BadPagingOrUnknownIntegration_FailsWithFieldOrNotFound_GEN11(CancellationToken ct)
    {
        await using var f = new DeliveryFixture();
        var i = await f.CreateOutgoingAsync("http://127.0.0.1:9/hook");
        (await f.Engine.GetPendingDeliveriesAsync(EngineFixture.Admin, i.Id, offset: -1, cancellationToken: ct)).Body["field"]!.GetValue<string>().Should().Be("offset");
        (await f.Engine.GetPendingDeliveriesAsync(EngineFixture.Admin, i.Id, count: 101, cancellationToken: ct)).Body["field"]!.GetValue<string>().Should().Be("count");
        (await f.Engine.GetPendingDeliveriesAsync(EngineFixture.Admin, "nope", cancellationToken: ct)).Error.Should().Be("error-not-found");
        var empty = await f.Engine.GetPendingDeliveriesAsync(EngineFixture.Admin, IntegrationEngine.OmnichannelWebhookId, cancellationToken: ct);
        empty.Success.Should().BeTrue();
        empty.Body["total"]!.GetValue<int>().Should().Be(0);
    }

    private sealed class DelegateAuthorizer(Func<ClaimsPrincipal, IntegrationOperation, IntegrationResource, bool> decide) : IIntegrationAuthorizer
    {
        public ValueTask<bool> AuthorizeAsync(ClaimsPrincipal actor, IntegrationOperation operation, IntegrationResource resource, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(decide(actor, operation, resource));
    }
}
