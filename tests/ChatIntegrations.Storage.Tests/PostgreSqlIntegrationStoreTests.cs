using ChatIntegrations.PostgreSql;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ChatIntegrations.Storage.Tests;

/// <summary>The store contract on PostgreSQL (a random schema per test, dropped afterwards), plus migrations.</summary>
[TestFixture]
public sealed class PostgreSqlIntegrationStoreTests : DurableStoreContractTests
{
    private readonly List<IAsyncDisposable> _stores = [];
    private string _connectionString = "";
    private string _schema = "";

    private static CancellationToken Ct => TestContext.CurrentContext.CancellationToken;

    [SetUp]
    public void ChooseSchema()
    {
        _connectionString = PostgreSqlTestDatabase.ConnectionString();
        _schema = PostgreSqlTestDatabase.NewSchemaName();
    }

    [TearDown]
    public async Task DropSchema()
    {
        foreach (var store in _stores) await store.DisposeAsync();
        _stores.Clear();
        if (_schema.Length > 0 && _connectionString.Length > 0) await PostgreSqlTestDatabase.DropSchemaAsync(_connectionString, _schema);
    }

    protected override Task<IIntegrationStore> CreateStoreAsync() => Task.FromResult<IIntegrationStore>(Open());

    protected override Task<IIntegrationStore> OpenSecondStoreAsync(IIntegrationStore first) => Task.FromResult<IIntegrationStore>(Open());

    private PostgreSqlIntegrationStore Open()
    {
        var store = new PostgreSqlIntegrationStore(Options.Create(new PostgreSqlStoreOptions { ConnectionString = _connectionString, Schema = _schema }));
        _stores.Add(store);
        return store;
    }

    [Test]
    public async Task FirstStart_SeveralNodesAtOnce_MigrateOnceAndAllWork()
    {
        // DLV-2, DLV-31: nodes sharing one database may start together (pg_advisory_xact_lock).
        var stores = Enumerable.Range(0, 6).Select(_ => Open()).ToList();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var work = stores.Select((s, i) => Task.Run(async () =>
        {
            await start.Task;
            return await s.TryAddAsync(Some.Integration($"i{i}"), Ct);
        })).ToList();
        start.SetResult();
        (await Task.WhenAll(work)).Should().AllBeEquivalentTo(true);
        (await PostgreSqlTestDatabase.SchemaVersionsAsync(_connectionString, _schema)).Should().Equal(PostgreSqlMigrations.All.Select(m => m.Version));
        (await stores[0].ListAsync(new IntegrationQuery(), Ct)).Total.Should().Be(6);
    }

    [Test]
    public async Task Migrations_RunAgain_AreIdempotent()
    {
        // DLV-2: a second run applies nothing, and each migration's SQL may run twice.
        await Open().GetNextDueAsync(Ct);
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(Ct);
        (await PostgreSqlMigrations.RunAsync(connection, _schema, Ct)).Applied.Should().BeEmpty();
        await using (var again = new NpgsqlCommand(PostgreSqlMigrations.All[0].Sql.Replace("{s}", PostgreSqlMigrations.Quote(_schema), StringComparison.Ordinal), connection))
        {
            await again.ExecuteNonQueryAsync(Ct);
        }

        (await PostgreSqlTestDatabase.SchemaVersionsAsync(_connectionString, _schema)).Should().Equal(PostgreSqlMigrations.All.Select(m => m.Version));
        await Open().TryAddAsync(Some.Integration(), Ct);
    }

    [Test]
    public async Task Migrations_Latest_NoDeliveriesIndexIsLimitedToLeasedRows()
    {
        // Migration 3: an index whose predicate a completion's "state = 'leased' AND lease_token = ..." implies lets the
        // planner read every lease (and every dead entry of a finished one) instead of one primary-key lookup per row.
        await Open().GetNextDueAsync(Ct);
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(Ct);
        await using var cmd = new NpgsqlCommand("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = @s AND tablename = 'deliveries'", connection);
        cmd.Parameters.AddWithValue("s", _schema);
        var definitions = new Dictionary<string, string>();
        await using (var reader = await cmd.ExecuteReaderAsync(Ct))
        {
            while (await reader.ReadAsync(Ct)) definitions[reader.GetString(0)] = reader.GetString(1);
        }

        definitions.Values.Should().NotContain(d => d.Contains("state", StringComparison.Ordinal));
        definitions.Should().ContainKey("ix_deliveries_lease_owner").WhoseValue.Should().Contain("WHERE (lease_owner IS NOT NULL)");
    }

    [Test]
    public async Task Open_SchemaAtVersion4WithDeliveries_AddsPendingIndexesAndListsThem()
    {
        // DLV-2: a schema made by an earlier version gets migration 5 (the pending-view indexes) on open, data kept.
        await using (var connection = new NpgsqlConnection(_connectionString))
        {
            await connection.OpenAsync(Ct);
            var q = PostgreSqlMigrations.Quote(_schema);
            var earlier = string.Concat(PostgreSqlMigrations.All.Where(m => m.Version <= 4).Select(m => m.Sql.Replace("{s}", q, StringComparison.Ordinal)));
            await using var cmd = new NpgsqlCommand($"""
                CREATE SCHEMA IF NOT EXISTS {q};
                {earlier}
                CREATE TABLE {q}.schema_version (version integer NOT NULL PRIMARY KEY, description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now());
                INSERT INTO {q}.schema_version (version, description) VALUES (1, 'v1'), (2, 'v2'), (3, 'v3'), (4, 'v4');
                INSERT INTO {q}.deliveries (id, kind, integration_id, integration_version, url, payload, state, attempts, next_attempt_at,
                    created_at, updated_at, due_at) VALUES ('d-old', 'outgoing', 'int-1', 1, 'https://r.test/', '[]', 'pending', 1, 5000, 0, 0, 5000);
                """, connection);
            await cmd.ExecuteNonQueryAsync(Ct);
        }

        var page = await Open().ListPendingDeliveriesAsync("int-1", 0, 10, Ct);
        page.Items.Should().ContainSingle().Which.Should().Match<PendingDelivery>(d => d.Id == "d-old" && d.Attempts == 1 && d.NextAttemptAt == DateTimeOffset.FromUnixTimeMilliseconds(5000));
        (await PostgreSqlTestDatabase.SchemaVersionsAsync(_connectionString, _schema)).Should().Equal(PostgreSqlMigrations.All.Select(m => m.Version));
        await using var check = new NpgsqlConnection(_connectionString);
        await check.OpenAsync(Ct);
        await using var indexes = new NpgsqlCommand("SELECT count(*) FROM pg_indexes WHERE schemaname = @s AND indexname IN ('ix_deliveries_integration_pending', 'ix_history_delivery')", check);
        indexes.Parameters.AddWithValue("s", _schema);
        (await indexes.ExecuteScalarAsync(Ct)).Should().Be(2L);
    }

    [Test]
    public async Task Reopen_AfterDispose_KeepsData()
    {
        // DLV-2: durable and shared.
        var store = Open();
        await store.TryAddAsync(Some.FullIntegration(), Ct);
        await store.EnqueueAsync([Some.Delivery("d1")], 10, Ct);
        await store.DisposeAsync();
        var reopened = Open();
        (await reopened.GetAsync("full-1", Ct)).Should().BeEquivalentTo(Some.FullIntegration());
        (await reopened.GetDeliveryAsync("d1", Ct)).Should().Be(Some.Delivery("d1"));
    }

    [Test]
    public async Task EnqueueAsync_ConcurrentNodesNearTheBound_NeverExceedIt()
    {
        // DLV-38: the bound holds across nodes (advisory lock around count and insert).
        var stores = Enumerable.Range(0, 4).Select(_ => Open()).ToList();
        await stores[0].GetNextDueAsync(Ct);
        var accepted = await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            Task.Run(async () => await stores[i % 4].EnqueueAsync([Some.Delivery($"d{i:D2}")], 10, Ct))));
        accepted.Count(a => a).Should().Be(10);
    }

    // ---- claim floor (the due index's dead front while a backlog drains) -----------------------------------------

    [Test]
    public async Task ClaimDueAsync_AfterFullBatch_RowDueBeforeItWaitsAtMostOneFullClaimInterval()
    {
        // DLV-31, DLV-34: after a full batch the next claim scans from that batch's oldest due time, so a row due before
        // it (here: enqueued late with an old due time, as by a node whose clock is behind) is left to the next claim that
        // scans from the start, at most FullClaimInterval later. Nothing is lost; DLV-37 promises no order across rows.
        var store = Open();
        var lease = TimeSpan.FromMinutes(2);
        await store.EnqueueAsync([.. Enumerable.Range(1, 4).Select(i => Some.Delivery($"d{i}", Some.T0.AddSeconds(i)))], 100, Ct);
        var now = Some.T0.AddSeconds(10);
        (await store.ClaimDueAsync("node-a", now, lease, 2, Ct)).Select(d => d.Id).Should().Equal("d1", "d2");

        await store.EnqueueAsync([Some.Delivery("d0", Some.T0)], 100, Ct);
        var soon = now + PostgreSqlIntegrationStore.FullClaimInterval / 2;
        (await store.ClaimDueAsync("node-a", soon, lease, 2, Ct)).Select(d => d.Id).Should().Equal(["d3", "d4"], "the scan starts at d1's due time");
        var later = now + PostgreSqlIntegrationStore.FullClaimInterval;
        (await store.ClaimDueAsync("node-a", later, lease, 2, Ct)).Select(d => d.Id).Should().Equal(["d0"], "a full scan finds it");
    }

    [Test]
    public async Task ClaimDueAsync_AfterBatchThatWasNotFull_NextClaimScansFromTheStart()
    {
        // DLV-31: the floor applies only while full batches show a backlog; otherwise every claim sees every due row.
        var store = Open();
        var lease = TimeSpan.FromMinutes(2);
        await store.EnqueueAsync([Some.Delivery("d1", Some.T0.AddSeconds(1)), Some.Delivery("d2", Some.T0.AddSeconds(2))], 100, Ct);
        var now = Some.T0.AddSeconds(10);
        (await store.ClaimDueAsync("node-a", now, lease, 5, Ct)).Select(d => d.Id).Should().Equal("d1", "d2");

        await store.EnqueueAsync([Some.Delivery("d0", Some.T0)], 100, Ct);
        (await store.ClaimDueAsync("node-a", now, lease, 5, Ct)).Select(d => d.Id).Should().Equal("d0");
    }

    [Test]
    public async Task ClaimDueAsync_RowLockedByAnotherClaimThatRollsBack_IsClaimedWithinOneFullClaimInterval()
    {
        // DLV-31, DLV-34: another node's claim holds the oldest row while this node takes a full batch past it (SKIP
        // LOCKED); that claim then rolls back, leaving the row pending before this node's floor. The next full scan,
        // at most FullClaimInterval later, takes it.
        var store = Open();
        var lease = TimeSpan.FromMinutes(2);
        await store.EnqueueAsync([.. Enumerable.Range(1, 5).Select(i => Some.Delivery($"d{i}", Some.T0.AddSeconds(i)))], 100, Ct);
        var now = Some.T0.AddSeconds(10);
        await using (var other = new NpgsqlConnection(_connectionString))
        {
            await other.OpenAsync(Ct);
            await using var tx = await other.BeginTransactionAsync(Ct);
            await using (var hold = new NpgsqlCommand($"SELECT id FROM \"{_schema}\".deliveries WHERE id = 'd1' FOR UPDATE", other, tx))
            {
                (await hold.ExecuteScalarAsync(Ct)).Should().Be("d1");
            }

            (await store.ClaimDueAsync("node-a", now, lease, 2, Ct)).Select(d => d.Id).Should().Equal("d2", "d3");
            await tx.RollbackAsync(Ct);
        }

        (await store.ClaimDueAsync("node-a", now.AddMilliseconds(10), lease, 2, Ct)).Select(d => d.Id).Should().Equal("d4", "d5");
        (await store.ClaimDueAsync("node-a", now + PostgreSqlIntegrationStore.FullClaimInterval, lease, 2, Ct)).Select(d => d.Id)
            .Should().Equal("d1");
        (await store.GetDeliveryAsync("d1", Ct))!.LeaseOwner.Should().Be("node-a");
    }

    // ---- shared rate-limit windows (IN-64) ------------------------------------------------------------------------

    [Test]
    public async Task HitAsync_TwoNodes_CountOneWindowTogetherAndOpenANewOneWhenItEnds_IN60_IN64()
    {
        var a = Open();
        var b = Open();
        var length = TimeSpan.FromSeconds(60);
        (await a.HitAsync("incoming:i1", Some.T0, length, Ct)).Should().Be((1L, Some.T0 + length));
        (await b.HitAsync("incoming:i1", Some.T0.AddSeconds(10), length, Ct)).Should().Be((2L, Some.T0 + length), "the same window");
        (await b.HitAsync("incoming:other", Some.T0.AddSeconds(10), length, Ct)).Should().Be((1L, Some.T0.AddSeconds(70)), "its own key");
        (await a.HitAsync("incoming:i1", Some.T0.AddSeconds(59), length, Ct)).Should().Be((3L, Some.T0 + length));

        var next = Some.T0 + length + TimeSpan.FromSeconds(5); // IN-60: the next window starts with the first hit after it ended
        (await b.HitAsync("incoming:i1", next, length, Ct)).Should().Be((1L, next + length));
    }

    [Test]
    public async Task HitAsync_ManyConcurrentHitsFromTwoNodes_CountsEachOnce_IN64()
    {
        var stores = new[] { Open(), Open() };
        var length = TimeSpan.FromMinutes(5);
        var hits = await Task.WhenAll(Enumerable.Range(0, 40).Select(n => Task.Run(async () =>
            (await stores[n % 2].HitAsync("incoming:busy", Some.T0.AddMilliseconds(n), length, Ct)).Count)));
        hits.Order().Should().Equal(Enumerable.Range(1, 40).Select(n => (long)n));
    }

    [TestCase(true, 3)]
    [TestCase(false, 6)]
    public async Task HandleIncomingAsync_TwoEnginesOnOneDatabase_SharedRateLimitsAllowTheLimitOnce_IN64_DLV36(bool shared, int allowed)
    {
        // IN-64: per node by default (two nodes allow twice the limit); with SharedRateLimits, once for all nodes.
        var providers = Enumerable.Range(0, 2).Select(_ =>
        {
            var services = new ServiceCollection();
            services.AddSingleton<IChatDirectory, NoChat>().AddSingleton<IMessageSink, NoChat>();
            services.AddChatIntegrations().UsePostgreSqlStore(o =>
            {
                o.ConnectionString = _connectionString;
                o.Schema = _schema;
                o.SharedRateLimits = shared;
            });
            return services.BuildServiceProvider();
        }).ToList();
        try
        {
            var integration = Some.Integration("in-1", type: IntegrationType.Incoming) with { RateLimit = new RateLimitSettings(true, 3, 600) };
            (await providers[0].GetRequiredService<IIntegrationStore>().TryAddAsync(integration, Ct)).Should().BeTrue();
            var statuses = new List<int>();
            for (var n = 0; n < 8; n++)
            {
                var engine = providers[n % 2].GetRequiredService<IntegrationEngine>();
                var response = await engine.HandleIncomingAsync(new IncomingWebhookRequest
                {
                    Method = "POST",
                    Path = "/hooks/in-1/tok-in-1",
                    Headers = new Dictionary<string, string> { ["Content-Type"] = "application/json" },
                    Body = new MemoryStream("""{"text":"hi"}"""u8.ToArray()),
                }, Ct);
                statuses.Add(response.StatusCode);
                if (response.StatusCode == 429) response.Headers.Should().Contain(h => h.Key == "Retry-After");
            }

            statuses.Count(s => s != 429).Should().Be(allowed, string.Join(",", statuses));
            statuses.Skip(allowed).Should().OnlyContain(s => s == 429);
        }
        finally
        {
            foreach (var p in providers) await p.DisposeAsync();
        }
    }

    /// <summary>A chat with no rooms and no users: enough for the rate limit, which comes before any of them.</summary>
    private sealed class NoChat : IChatDirectory, IMessageSink
    {
        public ValueTask<ChatRoom?> FindRoomAsync(string idOrName, CancellationToken cancellationToken = default) => ValueTask.FromResult<ChatRoom?>(null);

        public ValueTask<ChatUser?> FindUserAsync(string idOrUsername, bool byUsername = true, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult<ChatUser?>(null);

        public ValueTask<DirectoryResult<ChatRoom>> GetDirectRoomAsync(ChatUser sender, ChatUser other, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public ValueTask<string?> CheckMayPostAsync(ChatUser sender, ChatRoom room, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult<string?>(null);

        public ValueTask<SendMessageResult> SendAsync(ChatMessage message, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();
    }

    protected override (IIntegrationStore Store, CompletionBatchChecks.Batch Batch) OpenBatched()
    {
        var store = Open();
        return (store, store.CompleteBatchAsync);
    }
}

/// <summary>Checks of the PostgreSQL store that need no server.</summary>
[TestFixture]
[CancelAfter(60_000)]
public sealed class PostgreSqlStoreWithoutServerTests
{
    [Test]
    public async Task GetAsync_ServerUnreachable_ThrowsStoreUnavailableWithNpgsqlCause()
    {
        // GEN-14: a connection failure is an outage.
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // nothing listens there now
        await using var store = new PostgreSqlIntegrationStore(Options.Create(new PostgreSqlStoreOptions
        {
            ConnectionString = $"Host=127.0.0.1;Port={port};Username=nobody;Database=none;Timeout=3",
        }));

        var act = async () => await store.GetAsync("x", TestContext.CurrentContext.CancellationToken);

        (await act.Should().ThrowAsync<IntegrationStoreUnavailableException>()).WithInnerException<NpgsqlException>();
    }

    [TestCase("08006", true)]
    [TestCase("08001", true)]
    [TestCase("57P01", true)]
    [TestCase("57P03", true)]
    [TestCase("53300", true)]
    [TestCase("23505", false)]
    [TestCase("42P01", false)]
    [TestCase("40001", false)]
    public void IsUnavailable_PostgresErrorClass_MapsConnectionClassesOnly(string sqlState, bool expected)
    {
        // GEN-14: class 08 and 57P are outages; query errors pass through.
        PostgreSqlIntegrationStore.IsUnavailable(new PostgresException("m", "FATAL", "FATAL", sqlState)).Should().Be(expected);
    }

    [Test]
    public void UsePostgreSqlStore_ConnectionString_ReplacesDefaultStoreWithValidatedOptions()
    {
        // DLV-2: the builder extension swaps the in-memory default; the schema defaults to chat_integrations.
        var services = new ServiceCollection();
        services.AddChatIntegrations().UsePostgreSqlStore("Host=127.0.0.1;Username=x;Database=y");
        using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IOptions<PostgreSqlStoreOptions>>().Value.Schema.Should().Be("chat_integrations");
        provider.GetRequiredService<IIntegrationStore>().Should().BeOfType<PostgreSqlIntegrationStore>();
    }

    [TestCase("Host=127.0.0.1;Username=x;Database=y")]
    [TestCase("Host=127.0.0.1;Username=x;Database=y;No Reset On Close=false;Max Auto Prepare=5")]
    public void Constructor_AnyConnectionString_PoolSkipsSessionResetAndKeepsExplicitAutoPrepare(string connectionString)
    {
        // The store's connections hold no session state, so returning one to the pool resets nothing; an explicit
        // auto-prepare size is the host's choice and stays, and the default is the store's.
        using var store = new PostgreSqlIntegrationStore(Options.Create(new PostgreSqlStoreOptions { ConnectionString = connectionString }));
        var effective = new NpgsqlConnectionStringBuilder(store.EffectiveConnectionString);
        effective.NoResetOnClose.Should().BeTrue();
        effective.MaxAutoPrepare.Should().Be(connectionString.Contains("Max Auto Prepare", StringComparison.Ordinal) ? 5 : 32);
    }

    [TestCase("Bad-Schema")]
    [TestCase("")]
    [TestCase("x; drop table y")]
    public void UsePostgreSqlStore_InvalidSchema_FailsWithReadableMessage(string schema)
    {
        // GEN-1: validated at startup; the schema name is also an injection guard.
        var services = new ServiceCollection();
        services.AddChatIntegrations().UsePostgreSqlStore(o => { o.ConnectionString = "Host=h"; o.Schema = schema; });
        using var provider = services.BuildServiceProvider();
        var act = () => provider.GetRequiredService<IOptions<PostgreSqlStoreOptions>>().Value;
        act.Should().Throw<OptionsValidationException>().WithMessage("*Schema must be*");
    }
}
