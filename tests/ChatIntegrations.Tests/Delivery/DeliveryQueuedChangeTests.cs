using System.Text.Json.Nodes;
using ChatIntegrations.Tests.Omnichannel;
using ChatIntegrations.Tests.Security.Ssrf;
using ChatIntegrations.Tests.TestDoubles;

namespace ChatIntegrations.Tests.Delivery;

/// <summary>DLV-6 for an attempt that waits for a free slot of its endpoint (DLV-5): what changed while it waited
/// still counts, however long the attempts ahead of it took.</summary>
public sealed class DeliveryQueuedChangeTests
{
    /// <summary>A receiver that holds the first request until <paramref name="release"/> is set; others answer at once.</summary>
    private static Func<TinyRequest, TinyResponse?> HoldFirst(ManualResetEventSlim release, CancellationToken ct)
    {
        var requests = 0;
        return _ =>
        {
            if (Interlocked.Increment(ref requests) == 1) release.Wait(ct);
            return new TinyResponse(200, "ok");
        };
    }

    /// <summary>Publishes a second event while the first attempt is held, and returns the second delivery's id once it
    /// was claimed and its integration read, so that it waits for the endpoint's only slot with what it read.</summary>
    private static async Task<string> QueueSecondAsync(SwitchableStore store, TinyHttpServer receiver, Func<Task> publish, CancellationToken ct)
    {
        await publish();
        await DeliveryFixture.WaitUntilAsync(() => Task.FromResult(receiver.Requests.Count == 1), ct);
        var first = receiver.Requests.Single().Headers["webhook-id"];
        await publish();
        string? queued = null;
        await DeliveryFixture.WaitUntilAsync(() =>
        {
            var calls = store.Calls.ToList();
            var claim = calls.FindIndex(c => c.StartsWith("claim:", StringComparison.Ordinal) && c != "claim:" + first);
            if (claim < 0 || !calls.Skip(claim + 1).Any(c => c.StartsWith("get:", StringComparison.Ordinal))) return Task.FromResult(false);
            queued = calls[claim]["claim:".Length..];
            return Task.FromResult(true);
        }, ct);
        return queued!;
    }

    private static async Task<(DeliveryFixture F, TinyHttpServer Receiver, Integration Integration, string Queued)> QueueOutgoingAsync(
        ManualResetEventSlim release, CancellationToken ct)
    {
        var store = new SwitchableStore();
        var f = new DeliveryFixture(o => o.Dispatcher.MaxConcurrencyPerEndpoint = 1, store: store);
        store.Clock = f.Time;
        var receiver = f.Receiver(HoldFirst(release, ct));
        var i = await f.CreateOutgoingAsync(receiver.Url("/hook"), """{"timeoutMs":60000}""");
        await f.StartAsync();
        var n = 0;
        var queued = await QueueSecondAsync(store, receiver, () => f.Engine.PublishAsync(DeliveryFixture.Message("message " + ++n, messageId: "m" + n), ct), ct);
        (await f.HistoryAsync(i.Id)).Should().BeEmpty("nothing has finished yet");
        return (f, receiver, i, queued);
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task ProcessAsync_IntegrationDisabledWhileAttemptWaitsForSlot_CancelledWithoutRequest_DLV6_DLV5(CancellationToken ct)
    {
        using var release = new ManualResetEventSlim();
        var (f, receiver, i, queued) = await QueueOutgoingAsync(release, ct);
        await using var __ = f;

        (await f.Engine.UpdateAsync(EngineFixture.Admin, i.Id, new JsonObject { ["enabled"] = false }, cancellationToken: ct)).Success.Should().BeTrue();
        release.Set();
        var d = await f.WaitForStateAsync(queued, ct, DeliveryState.Cancelled, DeliveryState.Succeeded);

        d.State.Should().Be(DeliveryState.Cancelled);
        receiver.Requests.Should().ContainSingle("the queued attempt sends nothing once the integration is disabled");
        d.Attempts.Should().Be(1);
        (await f.HistoryAsync(i.Id)).Single(h => h.DeliveryId == queued).Document["step"]!.GetValue<string>().Should().Be("integration-disabled");
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task ProcessAsync_TokenRegeneratedWhileAttemptWaitsForSlot_SentWithNewTokenNoExtraAttempt_DLV6_GEN10(CancellationToken ct)
    {
        using var release = new ManualResetEventSlim();
        var (f, receiver, i, queued) = await QueueOutgoingAsync(release, ct);
        await using var __ = f;

        var token = (await f.Engine.RegenerateTokenAsync(EngineFixture.Admin, i.Id, ct)).Body["token"]!.GetValue<string>();
        release.Set();
        var d = await f.WaitForStateAsync(queued, ct, DeliveryState.Succeeded);

        var sent = receiver.Requests.Single(r => r.Headers["webhook-id"] == queued);
        JsonNode.Parse(sent.Body)!["token"]!.GetValue<string>().Should().Be(token, "the request is built again from the current settings");
        d.Attempts.Should().Be(1, "going back to the queue counts no attempt");
        (await f.HistoryAsync(i.Id)).Where(h => h.DeliveryId == queued).Should().ContainSingle();
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task ProcessAsync_NothingChangedWhileAttemptWaitsForSlot_SentAsBuilt_DLV5(CancellationToken ct)
    {
        using var release = new ManualResetEventSlim();
        var (f, receiver, i, queued) = await QueueOutgoingAsync(release, ct);
        await using var __ = f;

        release.Set();
        var d = await f.WaitForStateAsync(queued, ct, DeliveryState.Succeeded);

        d.Attempts.Should().Be(1);
        receiver.Requests.Should().HaveCount(2);
        JsonNode.Parse(receiver.Requests.Single(r => r.Headers["webhook-id"] == queued).Body)!["token"]!.GetValue<string>().Should().Be(i.Token);
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task ProcessAsync_OmnichannelUrlClearedWhileAttemptWaitsForSlot_CancelledWithoutRequest_DLV6_OMNI30(CancellationToken ct)
    {
        using var release = new ManualResetEventSlim();
        var store = new SwitchableStore();
        var (f, receiver) = await OmnichannelKit.StartAsync(HoldFirst(release, ct), configure: o => o.Dispatcher.MaxConcurrencyPerEndpoint = 1, store: store);
        await using var __ = f;
        store.Clock = f.Time;
        var queued = await QueueSecondAsync(store, receiver, () => f.Engine.PublishOmnichannelAsync(OmnichannelKit.Taken(), ct), ct);

        (await f.Engine.SaveOmnichannelSettingsAsync(EngineFixture.Admin, new JsonObject { ["url"] = "" }, ct)).Success.Should().BeTrue();
        release.Set();
        var d = await f.WaitForStateAsync(queued, ct, DeliveryState.Cancelled, DeliveryState.Succeeded);

        d.State.Should().Be(DeliveryState.Cancelled);
        receiver.Requests.Should().ContainSingle();
        (await OmnichannelKit.HistoryAsync(f)).Single(h => h.DeliveryId == queued).Document["step"]!.GetValue<string>().Should().Be("integration-disabled");
    }
}
