using ChatIntegrations.Tests.TestDoubles;

namespace ChatIntegrations.Tests.Delivery;

/// <summary>The dispatcher while the store is down (GEN-14) and the history purge (DLV-25), on the manual clock.</summary>
public sealed class DispatcherStoreOutageTests
{
    // Each dispatcher loop turn while the store is down starts with the (failing) start-up recovery (DLV-39).
    private static int Recoveries(SwitchableStore store) => store.Refused.Count(r => r.Call == nameof(IIntegrationStore.ReleaseLeasesAsync));

    [Test]
    [CancelAfter(30_000)]
    public async Task Dispatcher_StoreDown_BacksOff1sDoublingTo30sThenResumesOnItsOwn_GEN14(CancellationToken ct)
    {
        var store = new SwitchableStore();
        await using var f = new DeliveryFixture(store: store);
        store.Clock = f.Time;
        var receiver = f.Receiver();
        var i = await f.CreateOutgoingAsync(receiver.Url("/hook"));
        await f.Engine.PublishAsync(DeliveryFixture.Message("hi"), ct);
        var id = (await store.ClaimDueAsync("probe", f.Time.GetUtcNow(), TimeSpan.FromSeconds(30), 1, ct)).Single().Id;
        await store.ReleaseLeasesAsync("probe", f.Time.GetUtcNow(), ct); // back to pending, due now, untouched otherwise

        store.Down = true;
        var t0 = f.Time.GetUtcNow();
        await f.StartAsync(); // the start-up recovery fails and is retried by the loop, which does not crash
        await DeliveryFixture.WaitUntilAsync(() => Task.FromResult(Recoveries(store) >= 2 && f.Time.HasTimerDueAt(t0 + TimeSpan.FromSeconds(1))), ct);

        var at = t0;
        foreach (var seconds in new[] { 1, 2, 4, 8, 16, 30, 30 })
        {
            var delay = TimeSpan.FromSeconds(seconds);
            var before = Recoveries(store);
            await DeliveryFixture.WaitUntilAsync(() => Task.FromResult(f.Time.HasTimerDueAt(at + delay)), ct);
            f.Time.Advance(delay - TimeSpan.FromMilliseconds(1));
            Recoveries(store).Should().Be(before, $"no store call before the {seconds} s back-off ends");
            f.Time.Advance(TimeSpan.FromMilliseconds(1));
            await DeliveryFixture.WaitUntilAsync(() => Task.FromResult(Recoveries(store) > before), ct);
            at += delay;
            store.Refused.Last(r => r.Call == nameof(IIntegrationStore.ReleaseLeasesAsync)).At.Should().Be(at);
        }

        receiver.Requests.Should().BeEmpty();
        store.Down = false;
        var d = (await store.GetDeliveryAsync(id, ct))!;
        d.State.Should().Be(DeliveryState.Pending, "no delivery changes state while the store is down");
        d.Attempts.Should().Be(0);

        // The next back-off is 30 s again; then the dispatcher resumes without any help.
        await DeliveryFixture.WaitUntilAsync(() => Task.FromResult(f.Time.HasTimerDueAt(at + TimeSpan.FromSeconds(30))), ct);
        f.Time.Advance(TimeSpan.FromSeconds(30));
        d = await f.WaitForStateAsync(id, ct, DeliveryState.Succeeded);
        d.Attempts.Should().Be(1);
        receiver.Requests.Should().ContainSingle();
        (await f.HistoryAsync(i.Id)).Should().ContainSingle();
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task Dispatcher_HistoryOlderThanRetention_PurgedByHourlyPurgeWithFinishedDelivery_DLV25(CancellationToken ct)
    {
        var store = new SwitchableStore();
        await using var f = new DeliveryFixture(o => o.HistoryRetention = TimeSpan.FromDays(1), store);
        store.Clock = f.Time;
        var receiver = f.Receiver();
        var i = await f.CreateOutgoingAsync(receiver.Url("/hook"));
        await f.StartAsync();
        var t0 = f.Time.GetUtcNow();

        await f.Engine.PublishAsync(DeliveryFixture.Message("hi"), ct);
        await DeliveryFixture.WaitUntilAsync(() => Task.FromResult(!receiver.Requests.IsEmpty), ct);
        var id = receiver.Requests.Single().Headers["webhook-id"];
        await f.WaitForStateAsync(id, ct, DeliveryState.Succeeded);
        (await f.HistoryAsync(i.Id)).Should().ContainSingle();
        store.Purges.Should().NotBeEmpty("a purge runs when the dispatcher starts");

        // 23 h later the record is younger than the retention: the purge that runs keeps it.
        var purges = store.Purges.Count;
        f.Time.Advance(TimeSpan.FromHours(23));
        await DeliveryFixture.WaitUntilAsync(() => Task.FromResult(store.Purges.Count > purges), ct);
        store.Purges.Last().Before.Should().Be(t0 + TimeSpan.FromHours(23) - TimeSpan.FromDays(1), "before = now - HistoryRetention");
        (await f.HistoryAsync(i.Id)).Should().ContainSingle();
        (await f.Store.GetDeliveryAsync(id, ct)).Should().NotBeNull();

        // Within the hour after the record is a day old, it is gone, and so is its finished delivery.
        f.Time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(1));
        await DeliveryFixture.WaitUntilAsync(async () => (await f.HistoryAsync(i.Id)).Count == 0, ct);
        (await f.Store.GetDeliveryAsync(id, ct)).Should().BeNull("DLV-25: finished deliveries follow the same retention");
        var last = store.Purges.Last();
        (last.At - last.Before).Should().Be(TimeSpan.FromDays(1));
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task Dispatcher_PurgeRunsOncePerHour_NotOnEveryLoop_DLV25(CancellationToken ct)
    {
        var store = new SwitchableStore();
        await using var f = new DeliveryFixture(store: store);
        store.Clock = f.Time;
        await f.StartAsync();
        var t0 = f.Time.GetUtcNow();
        await DeliveryFixture.WaitUntilAsync(() => Task.FromResult(!store.Purges.IsEmpty && f.Time.ActiveTimers > 0), ct);

        // Many poll-interval wake-ups within the hour: no further purge.
        for (var n = 0; n < 20; n++)
        {
            f.Time.Advance(TimeSpan.FromMinutes(2));
            var rearmed = f.Time.GetUtcNow() + TimeSpan.FromMilliseconds(50); // the loop went round and waits one poll interval
            await DeliveryFixture.WaitUntilAsync(() => Task.FromResult(f.Time.HasTimerDueAt(rearmed)), ct);
        }

        store.Purges.Should().ContainSingle().Which.At.Should().Be(t0);
        f.Time.Advance(TimeSpan.FromMinutes(21)); // t0 + 61 min
        await DeliveryFixture.WaitUntilAsync(() => Task.FromResult(store.Purges.Count == 2), ct);
        store.Purges.Last().At.Should().BeOnOrAfter(t0 + TimeSpan.FromHours(1)).And.BeOnOrBefore(t0 + TimeSpan.FromMinutes(61));
    }
}
