using Microsoft.Data.Sqlite;

namespace ChatIntegrations.Sqlite;

/// <summary>The numbered schema migrations of the SQLite store and their runner. Each migration is idempotent and
/// runs at most once per database, recorded in <c>schema_version</c>.</summary>
internal static class SqliteMigrations
{
    /// <summary>The migrations, in order. Never edit a released one: append a new number.</summary>
    public static readonly IReadOnlyList<(int Version, string Description, string Sql)> All =
    [
        (1, "integrations, deliveries, history, crm_data", """
            CREATE TABLE IF NOT EXISTS integrations (
                id TEXT NOT NULL PRIMARY KEY,
                type TEXT NOT NULL,
                name TEXT NOT NULL,
                name_key TEXT NOT NULL,
                enabled INTEGER NOT NULL,
                updated_at INTEGER NOT NULL,
                version INTEGER NOT NULL,
                document TEXT NOT NULL
            );
            CREATE INDEX IF NOT EXISTS ix_integrations_updated ON integrations (updated_at DESC, id);
            CREATE INDEX IF NOT EXISTS ix_integrations_type ON integrations (type, updated_at DESC, id);

            CREATE TABLE IF NOT EXISTS deliveries (
                id TEXT NOT NULL PRIMARY KEY,
                kind TEXT NOT NULL,
                integration_id TEXT NOT NULL,
                integration_version INTEGER NOT NULL,
                url TEXT NOT NULL,
                payload TEXT NOT NULL,
                event TEXT NULL,
                trigger_word TEXT NULL,
                prepared_request TEXT NULL,
                prepared_version INTEGER NULL,
                state TEXT NOT NULL,
                attempts INTEGER NOT NULL,
                next_attempt_at INTEGER NOT NULL,
                lease_owner TEXT NULL,
                lease_expires_at INTEGER NULL,
                lease_token TEXT NULL,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL,
                replay_of TEXT NULL,
                due_at INTEGER NULL -- next_attempt_at when pending, lease_expires_at when leased, NULL when finished
            );
            CREATE INDEX IF NOT EXISTS ix_deliveries_due ON deliveries (due_at, id) WHERE due_at IS NOT NULL;
            CREATE INDEX IF NOT EXISTS ix_deliveries_owner ON deliveries (lease_owner) WHERE state = 'leased';
            CREATE INDEX IF NOT EXISTS ix_deliveries_finished ON deliveries (updated_at) WHERE due_at IS NULL;

            CREATE TABLE IF NOT EXISTS history (
                id TEXT NOT NULL PRIMARY KEY,
                integration_id TEXT NOT NULL,
                delivery_id TEXT NULL,
                attempt INTEGER NOT NULL,
                created_at INTEGER NOT NULL,
                updated_at INTEGER NOT NULL,
                document TEXT NOT NULL
            );
            CREATE INDEX IF NOT EXISTS ix_history_integration ON history (integration_id, updated_at DESC, id);
            CREATE INDEX IF NOT EXISTS ix_history_updated ON history (updated_at);

            CREATE TABLE IF NOT EXISTS crm_data (
                room_id TEXT NOT NULL PRIMARY KEY,
                data TEXT NOT NULL
            );
            """),
        (2, "queue bound without counting the queue on every enqueue", """
            -- DLV-38 stays exact: counted + since is an upper bound of the unfinished deliveries (a delivery never
            -- becomes unfinished again), so an enqueue may trust it while it is below the bound, and counts exactly
            -- otherwise. counted NULL: not counted yet. The trigger keeps since for every insert.
            CREATE TABLE IF NOT EXISTS queue_bound (
                id INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
                counted INTEGER NULL,
                since INTEGER NOT NULL
            );
            INSERT INTO queue_bound (id, counted, since) VALUES (1, NULL, 0) ON CONFLICT (id) DO NOTHING;
            CREATE TRIGGER IF NOT EXISTS deliveries_count_enqueued AFTER INSERT ON deliveries WHEN new.due_at IS NOT NULL
            BEGIN
                UPDATE queue_bound SET since = since + 1 WHERE id = 1;
            END;
            """),
        (3, "indexes for the pending deliveries of an integration and the history of a delivery", """
            -- The dashboard's pending view: an integration's unfinished deliveries in NextAttemptAt order. Partial, so
            -- finished deliveries (the bulk of the table until purged) are not in it.
            CREATE INDEX IF NOT EXISTS ix_deliveries_integration_pending ON deliveries (integration_id, next_attempt_at, id) WHERE due_at IS NOT NULL;
            -- The last failed attempt of a delivery.
            CREATE INDEX IF NOT EXISTS ix_history_delivery ON history (delivery_id, updated_at DESC, id) WHERE delivery_id IS NOT NULL;
            """),
    ];

    /// <summary>Gets the newest schema version this library knows.</summary>
    public static int LatestVersion => All[^1].Version;

    /// <summary>Brings the database up to <see cref="LatestVersion"/>. <c>BEGIN IMMEDIATE</c> takes the write lock
    /// first, so two processes starting at once apply each migration exactly once.</summary>
    /// <returns>The schema version found and the migrations applied.</returns>
    public static (int Found, List<(int Version, string Description)> Applied) Run(SqliteConnection connection)
    {
        using var tx = connection.BeginTransaction(deferred: false); // BEGIN IMMEDIATE
        Execute(connection, tx, """
            CREATE TABLE IF NOT EXISTS schema_version (
                version INTEGER NOT NULL PRIMARY KEY,
                description TEXT NOT NULL,
                applied_at INTEGER NOT NULL
            );
            """);
        int found;
        using (var cmd = connection.CreateCommand())
        {
            cmd.Transaction = tx;
            cmd.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_version;";
            found = Convert.ToInt32(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }

        var applied = new List<(int, string)>();
        foreach (var (version, description, sql) in All)
        {
            if (version <= found) continue;
            Execute(connection, tx, sql);
            using var record = connection.CreateCommand();
            record.Transaction = tx;
            // The database's clock, for the record only: the store itself never reads a clock.
            record.CommandText = "INSERT INTO schema_version (version, description, applied_at) VALUES ($v, $d, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));";
            record.Parameters.AddWithValue("$v", version);
            record.Parameters.AddWithValue("$d", description);
            record.ExecuteNonQuery();
            applied.Add((version, description));
        }

        tx.Commit();
        return (found, applied);
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction tx, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}
