using System.Diagnostics;
using ChatIntegrations.FaultHost;
using Microsoft.Extensions.DependencyInjection;

namespace ChatIntegrations.FaultTests;

/// <summary>Issue item 5, second scenario: two engine nodes on one PostgreSQL database deliver 10,000 events to one
/// loopback receiver: exactly once each when no node dies (DLV-31, DLV-35), at least once with the same webhook-id when
/// one node is SIGKILLed mid-run (DLV-3, DLV-7, DLV-34).</summary>
[NonParallelizable]
public sealed class TwoNodePostgreSqlTests
{
    private const int Events = 10_000;
    private const int Concurrency = 64;

    private string _connectionString = "";
    private string _schema = "";

    [SetUp]
    public void SetUp()
    {
        _connectionString = FaultEnvironment.RequireSharedPostgres();
        _schema = FaultEnvironment.NewSchema();
    }

    [TearDown]
    public async Task TearDown()
    {
        if (_schema.Length > 0 && _connectionString.Length > 0) await FaultEnvironment.DropSchemaAsync(_connectionString, _schema);
    }

    private NodeSettings Node(string id, string url, string integrationId, int publish) => new()
    {
        Store = "pg", Db = _connectionString, Schema = _schema, NodeId = id, Url = url, IntegrationId = integrationId, Publish = publish,
        PublishParallel = 16, Concurrency = Concurrency, PerEndpoint = Concurrency, LeaseSeconds = 30, PollMs = 20, RetryCount = 6,
    };

    /// <summary>Creates the outgoing integration in the test's schema (no dispatcher runs in the test process).</summary>
    private async Task<string> SetUpIntegrationAsync(string url, CancellationToken ct)
    {
        var s = new NodeSettings { Store = "pg", Db = _connectionString, Schema = _schema, NodeId = "setup", Url = url };
        using var host = FaultEngine.Build(s);
        return await FaultEngine.CreateOutgoingAsync(host.Services.GetRequiredService<IntegrationEngine>(), s, ct);
    }

    /// <summary>Publishes from the test process (an engine whose dispatcher is not started), so that neither node is
    /// woken by an in-process signal and both compete for the queue through the store alone.</summary>
    private async Task<int> PublishAsync(string url, CancellationToken ct)
    {
        var s = new NodeSettings { Store = "pg", Db = _connectionString, Schema = _schema, NodeId = "publisher", Url = url };
        using var host = FaultEngine.Build(s);
        return await FaultEngine.PublishAsync(host.Services.GetRequiredService<IntegrationEngine>(), "publisher", Events, 16, cancellationToken: ct);
    }

    private async Task<long> LeasedByAsync(string node, CancellationToken ct)
    {
        await using var c = new Npgsql.NpgsqlConnection(_connectionString);
        await c.OpenAsync(ct);
        await using var cmd = new Npgsql.NpgsqlCommand($"SELECT count(*) FROM \"{_schema}\".deliveries WHERE state = 'leased' AND lease_owner = @n", c);
        cmd.Parameters.AddWithValue("n", node);
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    [Test]
    [CancelAfter(150_000)]
    public async Task Dispatcher_TwoNodes10000EventsNoNodeDies_EachDeliveryIdReceivedExactlyOnce_DLV31_DLV35(CancellationToken ct)
    {
        await using var receiver = await LoopbackReceiver.StartAsync();
        var integrationId = await SetUpIntegrationAsync(receiver.Url, ct);
        var sw = Stopwatch.StartNew();
        await using var a = FaultProcess.Start("node-a", Node("node-a", receiver.Url, integrationId, 0).ToArgs());
        await using var b = FaultProcess.Start("node-b", Node("node-b", receiver.Url, integrationId, 0).ToArgs());
        await Task.WhenAll(a.WaitForLineAsync("STARTED", ct), b.WaitForLineAsync("STARTED", ct));
        var publishing = PublishAsync(receiver.Url, ct);
        var leasedByB = 0L;
        await FaultEnvironment.WaitUntilAsync(async () => (leasedByB = await LeasedByAsync("node-b", ct)) > 0 || receiver.Delivered.Count >= Events, ct, everyMs: 10);
        (await publishing).Should().Be(Events);
        var published = sw.Elapsed;
        await FaultEnvironment.WaitUntilAsync(() => Task.FromResult(receiver.Delivered.Count >= Events), ct, everyMs: 100);
        var elapsed = sw.Elapsed;
        await FaultEnvironment.WaitUntilAsync(async () =>
            (await DeliveryRows.PostgresAsync(_connectionString, _schema, ct)).All(d => d.State == "succeeded"), ct, everyMs: 200);
        await Task.WhenAll(a.StopAsync(ct), b.StopAsync(ct));

        var rows = await DeliveryRows.PostgresAsync(_connectionString, _schema, ct);
        leasedByB.Should().BePositive("both nodes take part");
        TestContext.Progress.WriteLine($"two nodes: published in {published.TotalSeconds:F1} s; {Events} delivered {elapsed.TotalSeconds:F1} s after start; 2xx window {receiver.OkWindow.TotalSeconds:F1} s; cpu a {a.CpuTime.TotalSeconds:F1} s, b {b.CpuTime.TotalSeconds:F1} s");
        rows.Should().HaveCount(Events);
        rows.Should().OnlyContain(d => d.State == "succeeded" && d.Attempts == 1);
        receiver.Seen.Keys.Order(StringComparer.Ordinal).Should().Equal(rows.Select(d => d.Id).Order(StringComparer.Ordinal), "each delivery reaches the receiver under its own webhook-id (DLV-7)");
        receiver.Seen.Where(kv => kv.Value != 1).Should().BeEmpty("without a crash or lease expiry a delivery is sent by exactly one node, once (DLV-35)");
        receiver.Requests.Should().Be(Events);
    }

    [Test]
    [CancelAfter(150_000)]
    public async Task Dispatcher_TwoNodesOneSigkilledMidRun_EveryDeliveryIdReceivedAtLeastOnce_DLV3_DLV34(CancellationToken ct)
    {
        await using var receiver = await LoopbackReceiver.StartAsync();
        var integrationId = await SetUpIntegrationAsync(receiver.Url, ct);
        await using var a = FaultProcess.Start("node-a", Node("node-a", receiver.Url, integrationId, 0).ToArgs());
        await using var b = FaultProcess.Start("node-b", Node("node-b", receiver.Url, integrationId, 0).ToArgs());
        await Task.WhenAll(a.WaitForLineAsync("STARTED", ct), b.WaitForLineAsync("STARTED", ct));
        var publishing = PublishAsync(receiver.Url, ct);

        // Kill node B mid-run, while it holds leases.
        await FaultEnvironment.WaitUntilAsync(() => Task.FromResult(receiver.Delivered.Count >= Events / 4), ct, everyMs: 20);
        var leasedByB = 0L;
        await FaultEnvironment.WaitUntilAsync(async () => (leasedByB = await LeasedByAsync("node-b", ct)) > 0, ct, everyMs: 5);
        await b.KillAsync();
        var atKill = receiver.Delivered.Count;
        TestContext.Progress.WriteLine($"node-b killed with {atKill} delivered, {leasedByB} leased by node-b just before; {await LeasedByAsync("node-b", ct)} after");
        (await publishing).Should().Be(Events, "publishing does not depend on a node");

        // Node A finishes; node B's leases expire after LeaseDuration (30 s) and node A takes them over (DLV-34).
        await FaultEnvironment.WaitUntilAsync(async () =>
            (await DeliveryRows.PostgresAsync(_connectionString, _schema, ct)).All(d => d.State == "succeeded"), ct, everyMs: 250);
        await a.StopAsync(ct);

        var rows = await DeliveryRows.PostgresAsync(_connectionString, _schema, ct);
        rows.Should().HaveCount(Events);
        rows.Should().OnlyContain(d => d.State == "succeeded");
        receiver.Delivered.Keys.Order(StringComparer.Ordinal).Should().Equal(rows.Select(d => d.Id).Order(StringComparer.Ordinal), "every delivery reaches the receiver at least once, with its own webhook-id (DLV-3, DLV-7)");
        var duplicates = receiver.Seen.Where(kv => kv.Value > 1).Select(kv => kv.Key).ToList();
        TestContext.Progress.WriteLine($"duplicates: {duplicates.Count}; requests {receiver.Requests}");
        duplicates.Count.Should().BeLessThanOrEqualTo(Concurrency, "only attempts in flight on the killed node may be sent twice (DLV-34)");
    }
}
