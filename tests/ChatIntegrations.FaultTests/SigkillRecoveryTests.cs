using ChatIntegrations.FaultHost;

namespace ChatIntegrations.FaultTests;

/// <summary>Issue item 5, first scenario: a node SIGKILLed while deliveries are pending, leased and scheduled for
/// retry loses none of them after a restart (DLV-2, DLV-3, DLV-39), on the SQLite store.</summary>
[NonParallelizable]
public sealed class SigkillRecoveryTests
{
    private const int Events = 400;
    private const int FailFirst = 150;
    private const int Concurrency = 8;

    [Test]
    [CancelAfter(90_000)]
    public async Task Dispatcher_SigkillWithPendingLeasedAndScheduledRetries_RestartDeliversEveryDeliveryNoneLost_DLV2_DLV3_DLV39(CancellationToken ct)
    {
        var dir = Directory.CreateTempSubdirectory("fault-sigkill.");
        var file = Path.Combine(dir.FullName, "integrations.db");
        await using var receiver = await LoopbackReceiver.StartAsync();

        // The receiver answers 503 to the first requests (retries get scheduled, DLV-14), then holds every request
        // open until released, so the node has attempts in flight when it is killed.
        var failBudget = FailFirst;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        receiver.Policy = async (_, abort) =>
        {
            if (Interlocked.Decrement(ref failBudget) >= 0) return 503;
            await release.Task.WaitAsync(abort);
            return 200;
        };

        var settings = new NodeSettings
        {
            Store = "sqlite", Db = file, NodeId = "sigkill-node", Url = receiver.Url, Publish = Events, PublishParallel = 4,
            RetryCount = 6, RetryDelay = "powers-of-ten", Concurrency = Concurrency, PerEndpoint = Concurrency, LeaseSeconds = 30, PollMs = 20,
        };
        List<DeliveryRow> beforeKill;
        await using (var node = FaultProcess.Start("node", settings.ToArgs()))
        {
            (await node.WaitForLineAsync("PUBLISHED", ct)).Should().StartWith($"PUBLISHED {Events} ");
            await FaultEnvironment.WaitUntilAsync(() => Task.FromResult(receiver.Requests >= FailFirst + Concurrency), ct);
            await FaultEnvironment.WaitUntilAsync(async () =>
                (await DeliveryRows.SqliteAsync(file, ct)).Count(d => d.State == "leased") == Concurrency, ct);

            await node.KillAsync(); // SIGKILL: no shutdown code runs
            beforeKill = await DeliveryRows.SqliteAsync(file, ct);
        }

        TestContext.Progress.WriteLine($"at kill: {string.Join(", ", beforeKill.GroupBy(d => (d.State, Retried: d.Attempts > 0)).Select(g => $"{g.Key.State}{(g.Key.Retried ? " retrying" : "")}={g.Count()}"))}");
        beforeKill.Should().HaveCount(Events, "every published event's delivery was stored before PublishAsync returned (DLV-2)");
        beforeKill.Count(d => d.State == "leased").Should().Be(Concurrency, "attempts were in flight");
        beforeKill.Count(d => d.State == "pending" && d.Attempts > 0).Should().BePositive("retries were scheduled");
        beforeKill.Count(d => d.State == "pending" && d.Attempts == 0).Should().BePositive("deliveries were waiting for their first attempt");
        beforeKill.Should().OnlyContain(d => d.State == "pending" || d.State == "leased");

        // Restart with the same NodeId: its leases come back at once (DLV-39); the receiver now answers 200.
        receiver.Policy = null;
        release.TrySetResult();
        settings.Publish = 0;
        await using (var restarted = FaultProcess.Start("restarted", settings.ToArgs()))
        {
            await restarted.WaitForLineAsync("STARTED", ct);
            await FaultEnvironment.WaitUntilAsync(async () =>
                (await DeliveryRows.SqliteAsync(file, ct)).All(d => d.State == "succeeded"), ct, everyMs: 200);
            await restarted.StopAsync(ct);
        }

        var after = await DeliveryRows.SqliteAsync(file, ct);
        after.Select(d => d.Id).Order(StringComparer.Ordinal).Should().Equal(beforeKill.Select(d => d.Id).Order(StringComparer.Ordinal), "no delivery is lost or invented");
        after.Should().OnlyContain(d => d.State == "succeeded");
        receiver.Delivered.Keys.Order(StringComparer.Ordinal).Should().Equal(after.Select(d => d.Id).Order(StringComparer.Ordinal), "every delivery reached the receiver with a 2xx, under its own webhook-id (DLV-7)");
        var restartRecords = await DeliveryRows.SqliteCountAsync(file, "SELECT COUNT(*) FROM history WHERE document LIKE '%cancelled-by-restart%'", ct);
        restartRecords.Should().Be(Concurrency, "each interrupted attempt gets a cancelled-by-restart record (DLV-39)");
        TestContext.Progress.WriteLine($"receiver: {receiver.Requests} requests, {receiver.Delivered.Count} ids delivered, {receiver.Delivered.Values.Sum() - receiver.Delivered.Count} duplicate 2xx");

        try
        {
            dir.Delete(recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
