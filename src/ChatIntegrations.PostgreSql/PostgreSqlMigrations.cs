using Npgsql;

namespace ChatIntegrations.PostgreSql;

/// <summary>The numbered schema migrations of the PostgreSQL store and their runner. Each migration is idempotent and
/// runs at most once per schema, recorded in <c>schema_version</c>.</summary>
internal static class PostgreSqlMigrations
{
    /// <summary>The migrations, in order; <c>{s}</c> stands for the quoted schema. Never edit a released one.</summary>
    public static readonly IReadOnlyList<(int Version, string Description, string Sql)> All =
    [
        (1, "integrations, deliveries, history, crm_data", """
            CREATE TABLE IF NOT EXISTS {s}.integrations (
                id text COLLATE "C" NOT NULL PRIMARY KEY,
                type text NOT NULL,
                name text NOT NULL,
                name_key text NOT NULL,
                enabled boolean NOT NULL,
                updated_at bigint NOT NULL,
                version bigint NOT NULL,
                document json NOT NULL -- json, not jsonb: keeps key order and accepts \u0000 escapes
            );
            CREATE INDEX IF NOT EXISTS ix_integrations_updated ON {s}.integrations (updated_at DESC, id);

            CREATE TABLE IF NOT EXISTS {s}.deliveries (
                id text COLLATE "C" NOT NULL PRIMARY KEY,
                kind text NOT NULL,
                integration_id text NOT NULL,
                integration_version bigint NOT NULL,
                url text NOT NULL,
                payload text NOT NULL,
                event text NULL,
                trigger_word text NULL,
                prepared_request text NULL,
                prepared_version bigint NULL,
                state text NOT NULL,
                attempts integer NOT NULL,
                next_attempt_at bigint NOT NULL,
                lease_owner text NULL,
                lease_expires_at bigint NULL,
                lease_token text NULL,
                created_at bigint NOT NULL,
                updated_at bigint NOT NULL,
                replay_of text NULL,
                due_at bigint NULL -- next_attempt_at when pending, lease_expires_at when leased, NULL when finished
            );
            CREATE INDEX IF NOT EXISTS ix_deliveries_due ON {s}.deliveries (due_at, id) WHERE due_at IS NOT NULL;
            CREATE INDEX IF NOT EXISTS ix_deliveries_owner ON {s}.deliveries (lease_owner) WHERE state = 'leased';
            CREATE INDEX IF NOT EXISTS ix_deliveries_finished ON {s}.deliveries (updated_at) WHERE due_at IS NULL;

            CREATE TABLE IF NOT EXISTS {s}.history (
                id text COLLATE "C" NOT NULL PRIMARY KEY,
                integration_id text NOT NULL,
                delivery_id text NULL,
                attempt integer NOT NULL,
                created_at bigint NOT NULL,
                updated_at bigint NOT NULL,
                document json NOT NULL -- json, not jsonb: keeps key order and accepts \u0000 escapes
            );
            CREATE INDEX IF NOT EXISTS ix_history_integration ON {s}.history (integration_id, updated_at DESC, id);
            CREATE INDEX IF NOT EXISTS ix_history_updated ON {s}.history (updated_at);

            CREATE TABLE IF NOT EXISTS {s}.crm_data (
                room_id text COLLATE "C" NOT NULL PRIMARY KEY,
                data text NOT NULL
            );
            """),
        (2, "queue bound without counting the queue on every enqueue", """
            -- DLV-38 stays exact: counted + since is an upper bound of the unfinished deliveries (a delivery never
            -- becomes unfinished again), so an enqueue may trust it while it is below the bound, and counts exactly
            -- otherwise. counted NULL: not counted yet. The trigger keeps since for every insert, whichever node or
            -- library version makes it; enqueuers hold the enqueue advisory lock, so the row is never contended.
            CREATE TABLE IF NOT EXISTS {s}.queue_bound (
                id integer NOT NULL PRIMARY KEY CHECK (id = 1),
                counted bigint NULL,
                since bigint NOT NULL,
                accepted boolean NOT NULL
            );
            INSERT INTO {s}.queue_bound (id, counted, since, accepted) VALUES (1, NULL, 0, false) ON CONFLICT (id) DO NOTHING;
            CREATE OR REPLACE FUNCTION {s}.count_enqueued() RETURNS trigger LANGUAGE plpgsql AS $f$
            BEGIN
                UPDATE {s}.queue_bound SET since = since + (SELECT count(*) FROM new_rows WHERE due_at IS NOT NULL) WHERE id = 1;
                RETURN NULL;
            END
            $f$;
            DROP TRIGGER IF EXISTS deliveries_count_enqueued ON {s}.deliveries;
            CREATE TRIGGER deliveries_count_enqueued AFTER INSERT ON {s}.deliveries
                REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {s}.count_enqueued();
            """),
        (3, "lease owner index that completions cannot pick", """
            -- ix_deliveries_owner's predicate (state = 'leased') is implied by every completion's and renewal's condition
            -- (state = 'leased' AND lease_token = ...), so the planner could answer them by reading every lease, and every
            -- dead entry that finished leases leave behind until VACUUM, instead of one primary-key lookup per row.
            -- Releasing a node's leases (DLV-39) is all this index is for; keyed on the owner alone, only that query can
            -- use it.
            DROP INDEX IF EXISTS {s}.ix_deliveries_owner;
            CREATE INDEX IF NOT EXISTS ix_deliveries_lease_owner ON {s}.deliveries (lease_owner) WHERE lease_owner IS NOT NULL;
            """),
        (4, "rate-limit windows shared by all nodes", """
            -- IN-64: one row per counted key (an incoming integration), used only with SharedRateLimits. A window starts
            -- with the first hit after the previous one ended (IN-60); times in Unix milliseconds.
            CREATE TABLE IF NOT EXISTS {s}.rate_windows (
                key text COLLATE "C" NOT NULL PRIMARY KEY,
                window_end bigint NOT NULL,
                hits bigint NOT NULL
            );
            """),
        (5, "indexes for the pending deliveries of an integration and the history of a delivery", """
            -- The dashboard's pending view: an integration's unfinished deliveries in next_attempt_at order. Partial, so
            -- finished deliveries (the bulk of the table until purged) are not in it.
            CREATE INDEX IF NOT EXISTS ix_deliveries_integration_pending ON {s}.deliveries (integration_id, next_attempt_at, id) WHERE due_at IS NOT NULL;
            -- The last failed attempt of a delivery.
            CREATE INDEX IF NOT EXISTS ix_history_delivery ON {s}.history (delivery_id, updated_at DESC, id) WHERE delivery_id IS NOT NULL;
            """),
    ];

    /// <summary>Gets the newest schema version this library knows.</summary>
    public static int LatestVersion => All[^1].Version;

    /// <summary>Brings <paramref name="schema"/> up to <see cref="LatestVersion"/>. A transaction-scoped advisory lock
    /// serialises nodes that start at once, so each migration runs exactly once.</summary>
    /// <returns>The schema version found and the migrations applied.</returns>
    public static async Task<(int Found, List<(int Version, string Description)> Applied)> RunAsync(NpgsqlConnection connection, string schema, CancellationToken cancellationToken)
    {
        var s = Quote(schema);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var lockCmd = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key);", connection, tx))
        {
            lockCmd.Parameters.AddWithValue("key", LockKey("migrate:" + schema));
            await lockCmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        bool exists;
        await using (var check = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = @schema);", connection, tx))
        {
            check.Parameters.AddWithValue("schema", schema);
            exists = (bool)(await check.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }

        // Checked first: CREATE SCHEMA needs the CREATE privilege even with IF NOT EXISTS.
        if (!exists) await ExecuteAsync(connection, tx, $"CREATE SCHEMA IF NOT EXISTS {s};", cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, tx, $"""
            CREATE TABLE IF NOT EXISTS {s}.schema_version (
                version integer NOT NULL PRIMARY KEY,
                description text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            );
            """, cancellationToken).ConfigureAwait(false);
        int found;
        await using (var max = new NpgsqlCommand($"SELECT COALESCE(MAX(version), 0) FROM {s}.schema_version;", connection, tx))
        {
            found = (int)(await max.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }

        var applied = new List<(int, string)>();
        foreach (var (version, description, sql) in All)
        {
            if (version <= found) continue;
            await ExecuteAsync(connection, tx, sql.Replace("{s}", s, StringComparison.Ordinal), cancellationToken).ConfigureAwait(false);
            await using var record = new NpgsqlCommand($"INSERT INTO {s}.schema_version (version, description) VALUES (@v, @d);", connection, tx);
            record.Parameters.AddWithValue("v", version);
            record.Parameters.AddWithValue("d", description);
            await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            applied.Add((version, description));
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return (found, applied);
    }

    /// <summary>Quotes a validated schema name.</summary>
    public static string Quote(string schema) => "\"" + schema + "\"";

    /// <summary>A stable 64-bit advisory lock key (FNV-1a) for a name.</summary>
    public static long LockKey(string name)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in "ChatIntegrations:" + name)
        {
            hash ^= c;
            hash *= 1099511628211UL;
        }

        return unchecked((long)hash);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string sql, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand(sql, connection, tx);
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
