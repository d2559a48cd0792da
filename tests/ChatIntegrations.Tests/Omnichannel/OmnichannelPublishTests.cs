using System.Text.Json.Nodes;
using ChatIntegrations.Tests.TestDoubles;
using static ChatIntegrations.Tests.Omnichannel.OmnichannelKit;

namespace ChatIntegrations.Tests.Omnichannel;

/// <summary>PublishOmnichannelAsync: enqueue before returning (GEN-3), store outages (GEN-14), a full queue (DLV-38)
/// and argument checks (OMNI-4).</summary>
public sealed class OmnichannelPublishTests
{
    [Test]
    [CancelAfter(20_000)]
    public async Task PublishOmnichannelAsync_ReturnsWithDeliveryEnqueuedAndNoHttpCall_GEN3_OMNI34(CancellationToken ct)
    {
        var (f, receiver) = await StartAsync(start: false);
        await using var _ = f;

        await f.Engine.PublishOmnichannelAsync(Taken(), ct);

        (await f.Store.GetNextDueAsync(ct)).Should().Be(f.Time.GetUtcNow());
        receiver.Requests.Should().BeEmpty("the dispatcher has not started; publishing never waits for HTTP");
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task PublishOmnichannelAsync_StoreDown_ThrowsAfterPublishTimeout_GEN14(CancellationToken ct)
    {
        await using var f = new DeliveryFixture(store: new UnavailableStore());
        var publishing = f.Engine.PublishOmnichannelAsync(Taken(), ct);
        while (!publishing.IsCompleted)
        {
            f.Time.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Yield();
        }

        await FluentActions.Awaiting(() => publishing).Should().ThrowAsync<IntegrationStoreUnavailableException>();
        f.Time.GetUtcNow().Should().BeOnOrAfter(T0.AddSeconds(2));
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task PublishOmnichannelAsync_QueueFull_RecordsQueueFullAndSucceeds_DLV38(CancellationToken ct)
    {
        var (f, _) = await StartAsync(configure: o => o.MaxPendingDeliveries = 1, start: false);
        await using var __ = f;

        await f.Engine.PublishOmnichannelAsync(Taken(), ct);
        await f.Engine.PublishOmnichannelAsync(Taken(), ct);

        var h = (await HistoryAsync(f)).Should().ContainSingle().Subject;
        h.Attempt.Should().Be(0);
        h.Document["type"]!.GetValue<string>().Should().Be("omnichannel-webhook");
        h.Document["step"]!.GetValue<string>().Should().Be("queue-full");
        h.Document.ToJsonString().Should().NotContain(Secret);
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task PublishOmnichannelAsync_MissingRoomOrForm_Throws_OMNI4(CancellationToken ct)
    {
        var (f, _) = await StartAsync(start: false);
        await using var __ = f;

        await FluentActions.Awaiting(() => f.Engine.PublishOmnichannelAsync(new OmnichannelEvent { Type = OmnichannelEventType.SessionStart }, ct))
            .Should().ThrowAsync<ArgumentNullException>();
        await FluentActions.Awaiting(() => f.Engine.PublishOmnichannelAsync(new OmnichannelEvent { Type = OmnichannelEventType.OfflineMessage }, ct))
            .Should().ThrowAsync<ArgumentNullException>();
        await FluentActions.Awaiting(() => f.Engine.PublishOmnichannelAsync(null!, ct)).Should().ThrowAsync<ArgumentNullException>();
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task PublishOmnichannelAsync_SystemMessageEvent_NotSent_OMNI13(CancellationToken ct)
    {
        var (f, _) = await StartAsync(start: false);
        await using var __ = f;
        var system = new OmnichannelMessage("s1", new OmnichannelUserReference("a1", "agent.smith"), T0) { Type = "livechat-started" };

        await f.Engine.PublishOmnichannelAsync(Of(OmnichannelEventType.Message, null, system), ct);

        (await f.Store.GetNextDueAsync(ct)).Should().BeNull();
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task PublishOmnichannelAsync_UnknownValues_LeftOut_OMNI20(CancellationToken ct)
    {
        var (f, receiver) = await StartAsync();
        await using var _ = f;

        await f.Engine.PublishOmnichannelAsync(new OmnichannelEvent
        {
            Type = OmnichannelEventType.SessionStart,
            Room = new OmnichannelRoom("LR9"),
            Visitor = new OmnichannelVisitor("v9"),
        }, ct);
        var body = (await ReceivedAsync(f, receiver, 1, ct)).Single().Body;

        Canonical(body).Should().Be(Canonical("""{"type":"LivechatSessionStart","_id":"LR9","visitor":{"_id":"v9"},"messages":[]}"""));
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task StartAsync_OmnichannelLeaseLeftByCrash_ReleasedWithTypedRecordAndDeliveredOnce_DLV39_OMNI34(CancellationToken ct)
    {
        var (f, receiver) = await StartAsync(start: false);
        await using var _ = f;
        await f.Engine.PublishOmnichannelAsync(Taken(), ct);
        var claimed = await f.Store.ClaimDueAsync("node-a", f.Time.GetUtcNow(), TimeSpan.FromMinutes(2), 10, ct);
        claimed.Should().ContainSingle();

        await f.StartAsync();
        await f.WaitForStateAsync(claimed[0].Id, ct, DeliveryState.Succeeded);

        receiver.Requests.Should().ContainSingle();
        var records = await HistoryAsync(f);
        records.Select(h => h.Document["step"]!.GetValue<string>()).Should().BeEquivalentTo("cancelled-by-restart", "after-http-call");
        records.Should().OnlyContain(h => h.Document["type"]!.GetValue<string>() == "omnichannel-webhook");
    }
}
