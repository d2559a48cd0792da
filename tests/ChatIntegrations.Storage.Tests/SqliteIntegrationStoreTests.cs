using ChatIntegrations.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChatIntegrations.Storage.Tests;

/// <summary>The store contract on SQLite (a temporary file per test), plus durability, migrations and outages.</summary>
[TestFixture]
public sealed class SqliteIntegrationStoreTests : DurableStoreContractTests
{
    private readonly List<IAsyncDisposable> _stores = [];
    private string _folder = "";

    private string DbPath => Path.Combine(_folder, "store.db");

    private static CancellationToken Ct => TestContext.CurrentContext.CancellationToken;

    [SetUp]
    public void CreateFolder()
    {
        _folder = Path.Combine(Path.GetTempPath(), "ci-sqlite-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
    }

    [TearDown]
    public async Task DeleteFolder()
    {
        foreach (var store in _stores) await store.DisposeAsync();
        _stores.Clear();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary file is harmless.
        }
    }

    protected override Task<IIntegrationStore> CreateStoreAsync() => Task.FromResult<IIntegrationStore>(Open());

    protected override Task<IIntegrationStore> OpenSecondStoreAsync(IIntegrationStore first) => Task.FromResult<IIntegrationStore>(Open());

    private SqliteIntegrationStore Open(Action<SqliteStoreOptions>? configure = null)
    {
        var options = new SqliteStoreOptions { DataSource = DbPath };
        configure?.Invoke(options);
        var store = new SqliteIntegrationStore(Options.Create(options));
        _stores.Add(store);
        return store;
    }

    [Test]
    public async Task Reopen_AfterDispose_KeepsEveryKindOfData()
    {
        // DLV-2: the SQLite store is durable on one node.
        var store = Open();
        await store.TryAddAsync(Some.FullIntegration(), Ct);
        await store.EnqueueAsync([Some.Delivery("d1"), Some.Delivery("d2")], 100, Ct);
        var leased = (await store.ClaimDueAsync("node-a", Some.T0, TimeSpan.FromMinutes(2), 1, Ct)).Single();
        await store.SaveHistoryAsync(Some.History("h1"), Ct);
        await store.SetCrmDataAsync("room", "crm", Ct);
        await store.DisposeAsync();

        var reopened = Open();
        (await reopened.GetAsync("full-1", Ct)).Should().BeEquivalentTo(Some.FullIntegration());
        (await reopened.GetDeliveryAsync("d2", Ct)).Should().Be(Some.Delivery("d2"));
        (await reopened.GetDeliveryAsync(leased.Id, Ct)).Should().Be(leased);
        (await reopened.GetHistoryAsync("int-1", "h1", Ct)).Should().NotBeNull();
        (await reopened.GetCrmDataAsync("room", Ct)).Should().Be("crm");
        (await reopened.ReleaseLeasesAsync("node-a", Some.T0.AddMinutes(1), Ct)).Should().ContainSingle().Which.Id.Should().Be(leased.Id); // DLV-39
    }

    [Test]
    public async Task Open_NewFile_UsesWalAndRecordsEachMigrationOnce()
    {
        // DLV-2: WAL mode; numbered migrations recorded in schema_version, idempotent on reopen.
        await Open().GetNextDueAsync(Ct);
        await Open().GetNextDueAsync(Ct);
        var reopened = Open();
        await reopened.TryAddAsync(Some.Integration(), Ct);
        SchemaVersions().Should().Equal(SqliteMigrations.All.Select(m => (long)m.Version));
        Scalar("PRAGMA journal_mode;").Should().Be("wal");
    }

    [Test]
    public async Task Open_DatabaseAtVersion2WithDeliveries_AddsPendingIndexesAndListsThem()
    {
        // DLV-2: a database made by an earlier version gets migration 3 (the pending-view indexes) on open, data kept.
        using (var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False"))
        {
            connection.Open();
            using var cmd = connection.CreateCommand();
            cmd.CommandText = """
                CREATE TABLE schema_version (version INTEGER NOT NULL PRIMARY KEY, description TEXT NOT NULL, applied_at INTEGER NOT NULL);
                INSERT INTO schema_version VALUES (1, 'v1', 0), (2, 'v2', 0);
                """ + SqliteMigrations.All[0].Sql + SqliteMigrations.All[1].Sql + """
                INSERT INTO deliveries (id, kind, integration_id, integration_version, url, payload, state, attempts, next_attempt_at,
                    created_at, updated_at, due_at) VALUES ('d-old', 'outgoing', 'int-1', 1, 'https://r.test/', '{}', 'pending', 1, 5000, 0, 0, 5000);
                """;
            cmd.ExecuteNonQuery();
        }

        var page = await Open().ListPendingDeliveriesAsync("int-1", 0, 10, Ct);
        page.Items.Should().ContainSingle().Which.Should().Match<PendingDelivery>(d => d.Id == "d-old" && d.Attempts == 1 && d.NextAttemptAt == DateTimeOffset.FromUnixTimeMilliseconds(5000));
        SchemaVersions().Should().Equal(SqliteMigrations.All.Select(m => (long)m.Version));
        Scalar("SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name IN ('ix_deliveries_integration_pending', 'ix_history_delivery');").Should().Be(2L);
    }

    [Test]
    public void Migrations_RunTwiceOnOneConnection_AreIdempotent()
    {
        // DLV-2: re-running the runner (or a migration's SQL) changes nothing.
        using var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False");
        connection.Open();
        SqliteMigrations.Run(connection).Applied.Should().HaveCount(SqliteMigrations.All.Count);
        SqliteMigrations.Run(connection).Applied.Should().BeEmpty();
        using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = SqliteMigrations.All[0].Sql; // IF NOT EXISTS throughout
            cmd.ExecuteNonQuery();
        }

        connection.Close();
        SchemaVersions().Should().Equal(SqliteMigrations.All.Select(m => (long)m.Version));
    }

    [Test]
    public async Task FirstStart_SeveralStoresAtOnce_MigrateOnceAndAllWork()
    {
        // DLV-2: concurrent first start on one file (BEGIN IMMEDIATE serialises the migration).
        var stores = Enumerable.Range(0, 6).Select(_ => Open()).ToList();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var work = stores.Select((s, i) => Task.Run(async () =>
        {
            await start.Task;
            return await s.TryAddAsync(Some.Integration($"i{i}"), Ct);
        })).ToList();
        start.SetResult();
        (await Task.WhenAll(work)).Should().AllBeEquivalentTo(true);
        SchemaVersions().Should().Equal(SqliteMigrations.All.Select(m => (long)m.Version));
        (await stores[0].ListAsync(new IntegrationQuery(), Ct)).Total.Should().Be(6);
    }

    [Test]
    public async Task TryAddAsync_DatabaseLockedByAnotherProcess_ThrowsStoreUnavailableWithSqliteCause()
    {
        // GEN-14: a busy database is an outage, reported with the SqliteException as the cause.
        var store = Open(o => o.BusyTimeout = TimeSpan.FromMilliseconds(50));
        await store.GetNextDueAsync(Ct); // schema in place
        using var other = new SqliteConnection($"Data Source={DbPath};Pooling=False;Default Timeout=1");
        other.Open();
        using var holder = other.BeginTransaction(deferred: false); // holds the write lock

        var act = async () => await store.TryAddAsync(Some.Integration(), Ct);

        (await act.Should().ThrowAsync<IntegrationStoreUnavailableException>()).WithInnerException<SqliteException>();
        (await store.GetAsync("int-1", Ct)).Should().BeNull("WAL readers are not blocked by the writer");
        holder.Rollback();
        (await store.TryAddAsync(Some.Integration(), Ct)).Should().BeTrue("the store recovers once the lock is gone");
    }

    [Test]
    public async Task GetAsync_FolderMissing_ThrowsStoreUnavailable()
    {
        // GEN-14: a database that cannot be opened is unavailable.
        var store = Open(o => o.DataSource = Path.Combine(_folder, "missing", "store.db"));
        var act = async () => await store.GetAsync("x", Ct);
        (await act.Should().ThrowAsync<IntegrationStoreUnavailableException>()).WithInnerException<SqliteException>();
    }

    [Test]
    public async Task UseSqliteStore_Path_ReplacesDefaultStore()
    {
        // DLV-2: the builder extension swaps the in-memory default.
        var services = new ServiceCollection();
        services.AddChatIntegrations().UseSqliteStore(DbPath);
        await using var provider = services.BuildServiceProvider();
        var store = provider.GetRequiredService<IIntegrationStore>();
        store.Should().BeOfType<SqliteIntegrationStore>();
        (await store.TryAddAsync(Some.Integration(), Ct)).Should().BeTrue();
    }

    [TestCase(null, null, "exactly one of DataSource")]
    [TestCase("a.db", "Data Source=b.db", "exactly one of DataSource")]
    [TestCase(null, "Data Source=:memory:", "must name a database file")]
    [TestCase(":memory:", null, "must be a file path")]
    public void UseSqliteStore_InvalidOptions_FailsWithReadableMessage(string? path, string? connectionString, string expected)
    {
        // GEN-1: options are validated at startup with one readable message.
        var services = new ServiceCollection();
        services.AddChatIntegrations().UseSqliteStore(o => { o.DataSource = path; o.ConnectionString = connectionString; o.ReadConnections = 0; });
        using var provider = services.BuildServiceProvider();
        var act = () => provider.GetRequiredService<IOptions<SqliteStoreOptions>>().Value;
        act.Should().Throw<OptionsValidationException>().WithMessage($"*{expected}*").WithMessage("*ReadConnections*");
    }

    private List<long> SchemaVersions()
    {
        using var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False");
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT version FROM schema_version ORDER BY version;";
        using var reader = cmd.ExecuteReader();
        var versions = new List<long>();
        while (reader.Read()) versions.Add(reader.GetInt64(0));
        return versions;
    }

    private object? Scalar(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False");
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteScalar();
    }

    protected override (IIntegrationStore Store, CompletionBatchChecks.Batch Batch) OpenBatched()
    {
        var store = Open();
        return (store, store.CompleteBatchAsync);
    }
}
