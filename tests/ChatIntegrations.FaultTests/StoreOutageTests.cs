using System.Diagnostics;
using System.Text;
using ChatIntegrations.FaultHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ChatIntegrations.FaultTests;

/// <summary>Issue item 5, third scenario: the store goes away for a while (PostgreSQL stopped and started; a SQLite file
/// write-locked by another connection). The engine behaves as GEN-14 says: publishing fails fast with
/// <see cref="IntegrationStoreUnavailableException"/>, incoming answers 503, the dispatcher backs off and resumes; it
/// never crashes and drops no work.</summary>
[NonParallelizable]
public sealed class StoreOutageTests
{
    private const int Events = 200;
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMilliseconds(500);

    private static Task<IncomingWebhookResponse> PostIncomingAsync(IntegrationEngine engine, (string Id, string Token) incoming, CancellationToken ct) =>
        engine.HandleIncomingAsync(new IncomingWebhookRequest
        {
            Method = "POST",
            Path = $"/hooks/{incoming.Id}/{Uri.EscapeDataString(incoming.Token)}",
            Headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Content-Type"] = "application/json" },
            Body = new MemoryStream(Encoding.UTF8.GetBytes("""{"text":"hello during the outage"}""")),
        }, ct);

    private static async Task<IntegrationStoreUnavailableException> PublishShouldFailFastAsync(IntegrationEngine engine, CancellationToken ct)
    {
        var sw = Stopwatch.StartNew();
        var act = () => engine.PublishAsync(FaultEngine.Message("outage", 1_000_000), ct);
        var thrown = (await act.Should().ThrowAsync<IntegrationStoreUnavailableException>()).Which;
        sw.Elapsed.Should().BeLessThan(PublishTimeout + TimeSpan.FromSeconds(3), "publishing retries for Store.PublishTimeout, then throws (GEN-14)");
        return thrown;
    }

    /// <summary>A loopback receiver that holds every request until <c>Hold</c> completes, then answers 200.</summary>
    private static async Task<(LoopbackReceiver Receiver, TaskCompletionSource Hold)> HoldingReceiverAsync()
    {
        var receiver = await LoopbackReceiver.StartAsync();
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        receiver.Policy = async (_, abort) =>
        {
            await hold.Task.WaitAsync(abort);
            return 200;
        };
        return (receiver, hold);
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task Engine_PostgreSqlStoppedThenStarted_PublishThrowsFastIncoming503DispatcherResumesNothingLost_GEN14(CancellationToken ct)
    {
        await using var pg = await PrivatePostgres.StartAsync(ct);
        if (pg is null)
        {
            FaultEnvironment.Missing("the PostgreSQL server binaries (initdb, pg_ctl; CHATINTEGRATIONS_PG_BIN)");
            return;
        }

        var (receiver, hold) = await HoldingReceiverAsync();
        await using var receiverScope = receiver;
        var s = new NodeSettings
        {
            Store = "pg", Db = pg.ConnectionString, Schema = "chat_integrations", NodeId = "outage-pg", Url = receiver.Url,
            Concurrency = 8, PerEndpoint = 8, LeaseSeconds = 30, PollMs = 20, PublishTimeoutMs = (int)PublishTimeout.TotalMilliseconds, LogLevel = Microsoft.Extensions.Logging.LogLevel.Error,
        };
        using var host = FaultEngine.Build(s);
        var engine = host.Services.GetRequiredService<IntegrationEngine>();
        await FaultEngine.CreateOutgoingAsync(engine, s, ct);
        var incoming = await FaultEngine.CreateIncomingAsync(engine, ct);
        (await PostIncomingAsync(engine, incoming, ct)).StatusCode.Should().Be(200);
        await host.StartAsync(ct);
        (await FaultEngine.PublishAsync(engine, "before", Events, 4, cancellationToken: ct)).Should().Be(Events);
        await FaultEnvironment.WaitUntilAsync(() => Task.FromResult(receiver.Requests >= s.Concurrency), ct);

        await pg.StopServerAsync(ct);

        var thrown = await PublishShouldFailFastAsync(engine, ct);
        thrown.Message.Should().Contain("PostgreSQL store is unavailable");
        var answer = await PostIncomingAsync(engine, incoming, ct);
        answer.StatusCode.Should().Be(503);
        answer.Body["error"]!.GetValue<string>().Should().Be("error-store-unavailable");
        answer.Headers.Should().Contain(new KeyValuePair<string, string>("Retry-After", "5"));

        // The attempts in flight finish at the receiver while the store is down: their outcome cannot be recorded.
        hold.TrySetResult();
        await FaultEnvironment.WaitUntilAsync(() => Task.FromResult(receiver.Delivered.Count >= s.Concurrency), ct);
        await Task.Delay(TimeSpan.FromSeconds(3), ct); // the outage lasts: the dispatcher backs off (1 s, 2 s, …)
        var duringOutage = receiver.Requests;

        await pg.StartServerAsync(ct);

        // Everything stored before the outage is delivered; the engine takes new work again.
        (await FaultEngine.PublishAsync(engine, "after", 10, 2, cancellationToken: ct)).Should().Be(10);
        await FaultEnvironment.WaitUntilAsync(async () =>
        {
            try
            {
                var rows = await DeliveryRows.PostgresAsync(pg.ConnectionString, s.Schema, ct);
                return rows.Count == Events + 10 && rows.All(d => d.State == "succeeded");
            }
            catch (Npgsql.NpgsqlException)
            {
                return false;
            }
        }, ct, everyMs: 250);
        (await PostIncomingAsync(engine, incoming, ct)).StatusCode.Should().Be(200);
        await host.StopAsync(ct);

        var all = await DeliveryRows.PostgresAsync(pg.ConnectionString, s.Schema, ct);
        receiver.Delivered.Keys.Order(StringComparer.Ordinal).Should().Equal(all.Select(d => d.Id).Order(StringComparer.Ordinal), "no stored delivery is dropped");
        TestContext.Progress.WriteLine($"requests during the outage {duringOutage}, total {receiver.Requests}, duplicate sends {receiver.Seen.Values.Sum() - receiver.Seen.Count}");
    }

    [Test]
    [CancelAfter(90_000)]
    public async Task Engine_SqliteFileWriteLockedByAnotherConnection_PublishThrowsFastDispatcherBacksOffAndResumes_GEN14(CancellationToken ct)
    {
        var dir = Directory.CreateTempSubdirectory("fault-lock.");
        var file = Path.Combine(dir.FullName, "integrations.db");
        var (receiver, hold) = await HoldingReceiverAsync();
        await using var receiverScope = receiver;
        var s = new NodeSettings
        {
            Store = "sqlite", Db = file, NodeId = "outage-sqlite", Url = receiver.Url, Concurrency = 8, PerEndpoint = 8, LeaseSeconds = 30,
            PollMs = 20, PublishTimeoutMs = (int)PublishTimeout.TotalMilliseconds, BusyTimeoutMs = 100,
            LogLevel = Microsoft.Extensions.Logging.LogLevel.Error,
        };
        using var host = FaultEngine.Build(s);
        var engine = host.Services.GetRequiredService<IntegrationEngine>();
        await FaultEngine.CreateOutgoingAsync(engine, s, ct);
        var incoming = await FaultEngine.CreateIncomingAsync(engine, ct);
        await host.StartAsync(ct);
        (await FaultEngine.PublishAsync(engine, "before", Events, 4, cancellationToken: ct)).Should().Be(Events);
        await FaultEnvironment.WaitUntilAsync(() => Task.FromResult(receiver.Requests >= s.Concurrency), ct);

        // Another connection takes the write lock and keeps it (BEGIN EXCLUSIVE; in WAL mode readers go on).
        await using (var locker = new SqliteConnection($"Data Source={file};Pooling=False;Default Timeout=30"))
        {
            await locker.OpenAsync(ct);
            await using (var begin = locker.CreateCommand())
            {
                begin.CommandText = "PRAGMA busy_timeout = 30000; BEGIN EXCLUSIVE;";
                await begin.ExecuteNonQueryAsync(ct);
            }

            var snapshot = await DeliveryRows.SqliteAsync(file, ct);
            var thrown = await PublishShouldFailFastAsync(engine, ct);
            thrown.Message.Should().Contain("SQLite database").And.Contain("unavailable");

            // Incoming only reads here (no script, no history), and WAL readers are not blocked: it still answers;
            // were the read to fail, the answer would be 503 error-store-unavailable (GEN-14). Never a crash or 500.
            var answer = await PostIncomingAsync(engine, incoming, ct);
            TestContext.Progress.WriteLine($"incoming during the write lock: {answer.StatusCode} {answer.Body.ToJsonString()}");
            answer.StatusCode.Should().BeOneOf(200, 503);
            if (answer.StatusCode == 503) answer.Body["error"]!.GetValue<string>().Should().Be("error-store-unavailable");

            hold.TrySetResult();
            await FaultEnvironment.WaitUntilAsync(() => Task.FromResult(receiver.Delivered.Count >= s.Concurrency), ct);
            await Task.Delay(TimeSpan.FromSeconds(3), ct); // the lock lasts: the dispatcher backs off

            var during = await DeliveryRows.SqliteAsync(file, ct);
            during.OrderBy(d => d.Id, StringComparer.Ordinal).Select(d => (d.Id, d.State, d.Attempts)).Should().Equal(
                snapshot.OrderBy(d => d.Id, StringComparer.Ordinal).Select(d => (d.Id, d.State, d.Attempts)),
                "no delivery changes state while the store is down (GEN-14)");

            await using var rollback = locker.CreateCommand();
            rollback.CommandText = "ROLLBACK;";
            await rollback.ExecuteNonQueryAsync(ct);
        }

        (await FaultEngine.PublishAsync(engine, "after", 10, 2, cancellationToken: ct)).Should().Be(10);
        await FaultEnvironment.WaitUntilAsync(async () =>
        {
            var rows = await DeliveryRows.SqliteAsync(file, ct);
            return rows.Count == Events + 10 && rows.All(d => d.State == "succeeded");
        }, ct, everyMs: 250);
        await host.StopAsync(ct);

        var all = await DeliveryRows.SqliteAsync(file, ct);
        receiver.Delivered.Keys.Order(StringComparer.Ordinal).Should().Equal(all.Select(d => d.Id).Order(StringComparer.Ordinal), "no stored delivery is dropped");
        TestContext.Progress.WriteLine($"total requests {receiver.Requests}, duplicate sends {receiver.Seen.Values.Sum() - receiver.Seen.Count}");
        try
        {
            dir.Delete(recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
