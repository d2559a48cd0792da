using System.Collections.Concurrent;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static ChatIntegrations.Storage.StoreJson;

namespace ChatIntegrations.Sqlite;

/// <summary>An <see cref="IIntegrationStore"/> on one SQLite file: durable on one node (DLV-2).</summary>
/// <remarks>Thread-safe. WAL mode lets a small pool of read connections work while one writer connection, serialised
/// by a semaphore, applies changes; multi-statement changes run in <c>BEGIN IMMEDIATE</c> transactions, so several
/// processes on the same file stay correct too. A busy, locked or unreachable database surfaces as
/// <see cref="IntegrationStoreUnavailableException"/> (GEN-14).</remarks>
internal sealed class SqliteIntegrationStore : IIntegrationStore, ChatIntegrations.Delivery.IDeliveryCompletionStore, IAsyncDisposable, IDisposable
{
    private const string DeliveryColumns = "id, kind, integration_id, integration_version, url, payload, event, trigger_word, prepared_request, prepared_version, state, attempts, next_attempt_at, lease_owner, lease_expires_at, lease_token, created_at, updated_at, replay_of";

    private readonly string _connectionString;
    private readonly string _dataSource;
    private readonly TimeSpan _busyTimeout;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly SemaphoreSlim _readGate;
    private readonly ConcurrentBag<SqliteSession> _readers = [];
    private SqliteSession? _writer;
    private volatile bool _initialized;
    private bool _disposed;

    public SqliteIntegrationStore(IOptions<SqliteStoreOptions> options, ILogger<SqliteIntegrationStore>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var o = options.Value;
        var validation = new SqliteStoreOptionsValidator().Validate(null, o);
        if (validation.Failed) throw new OptionsValidationException(nameof(SqliteStoreOptions), typeof(SqliteStoreOptions), [validation.FailureMessage]);
        var builder = string.IsNullOrWhiteSpace(o.ConnectionString)
            ? new SqliteConnectionStringBuilder { DataSource = o.DataSource }
            : new SqliteConnectionStringBuilder(o.ConnectionString);
        builder.Pooling = false; // the store keeps its own connections open
        builder.DefaultTimeout = Math.Max(1, (int)Math.Ceiling(o.BusyTimeout.TotalSeconds));
        _connectionString = builder.ToString();
        _dataSource = builder.DataSource;
        _busyTimeout = o.BusyTimeout;
        _readGate = new SemaphoreSlim(o.ReadConnections, o.ReadConnections);
        _logger = logger ?? NullLogger<SqliteIntegrationStore>.Instance;
    }

    // ---- integrations -------------------------------------------------------------------------------------------

    public ValueTask<Integration?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        return ReadAsync(id, static (s, id) =>
        {
            var cmd = s.Command("SELECT document FROM integrations WHERE id = $id;");
            cmd.Parameters.AddWithValue("$id", id);
            return cmd.ExecuteScalar() is string json ? DeserializeCached(json) : null;
        }, cancellationToken);
    }

    public ValueTask<bool> TryAddAsync(Integration integration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(integration);
        return WriteAsync(integration, static (s, i) =>
        {
            var cmd = s.Command("""
                INSERT INTO integrations (id, type, name, name_key, enabled, updated_at, version, document)
                VALUES ($id, $type, $name, $key, $enabled, $updated, $version, $doc) ON CONFLICT (id) DO NOTHING;
                """);
            AddIntegration(cmd, i);
            return cmd.ExecuteNonQuery() == 1;
        }, cancellationToken);
    }

    public ValueTask<bool> TryUpdateAsync(Integration integration, long expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(integration);
        return WriteAsync((integration, expectedVersion), static (s, state) =>
        {
            var cmd = s.Command("""
                UPDATE integrations SET type = $type, name = $name, name_key = $key, enabled = $enabled,
                    updated_at = $updated, version = $version, document = $doc
                WHERE id = $id AND version = $expected;
                """);
            AddIntegration(cmd, state.integration);
            cmd.Parameters.AddWithValue("$expected", state.expectedVersion);
            return cmd.ExecuteNonQuery() == 1;
        }, cancellationToken);
    }

    public ValueTask<bool> DeleteAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        return WriteAsync(id, static (s, id) =>
        {
            var cmd = s.Command("DELETE FROM integrations WHERE id = $id;");
            cmd.Parameters.AddWithValue("$id", id);
            return cmd.ExecuteNonQuery() == 1;
        }, cancellationToken);
    }

    public ValueTask<IntegrationPage> ListAsync(IntegrationQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return ReadAsync(query, static (s, q) =>
        {
            // GEN-11: one cached statement per filter combination keeps the indexes usable.
            var where = new StringBuilder("1 = 1");
            if (q.Type is not null) where.Append(" AND type = $type");
            if (q.Enabled is not null) where.Append(" AND enabled = $enabled");
            if (!string.IsNullOrEmpty(q.Name)) where.Append(" AND instr(name_key, $name) > 0");
            using var tx = s.Connection.BeginTransaction(deferred: true); // one snapshot for page and total
            var count = s.Command($"SELECT COUNT(*) FROM integrations WHERE {where};", tx);
            AddFilters(count, q);
            var total = Convert.ToInt32(count.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
            var page = s.Command($"SELECT document FROM integrations WHERE {where} ORDER BY updated_at DESC, id LIMIT $count OFFSET $offset;", tx);
            AddFilters(page, q);
            page.Parameters.AddWithValue("$count", Math.Max(0, q.Count));
            page.Parameters.AddWithValue("$offset", Math.Max(0, q.Offset));
            var items = new List<Integration>();
            using (var reader = page.ExecuteReader())
            {
                while (reader.Read()) items.Add(Deserialize(reader.GetString(0)));
            }

            tx.Commit();
            return new IntegrationPage(items, total);
        }, cancellationToken);

        static void AddFilters(SqliteCommand cmd, IntegrationQuery q)
        {
            if (q.Type is { } type) cmd.Parameters.AddWithValue("$type", type.ToString());
            if (q.Enabled is { } enabled) cmd.Parameters.AddWithValue("$enabled", enabled ? 1 : 0);
            if (!string.IsNullOrEmpty(q.Name)) cmd.Parameters.AddWithValue("$name", NameKey(q.Name));
        }
    }

    private static void AddIntegration(SqliteCommand cmd, Integration i)
    {
        cmd.Parameters.AddWithValue("$id", i.Id);
        cmd.Parameters.AddWithValue("$type", i.Type.ToString());
        cmd.Parameters.AddWithValue("$name", i.Name);
        cmd.Parameters.AddWithValue("$key", NameKey(i.Name));
        cmd.Parameters.AddWithValue("$enabled", i.Enabled ? 1 : 0);
        cmd.Parameters.AddWithValue("$updated", Ms(i.UpdatedAt));
        cmd.Parameters.AddWithValue("$version", i.Version);
        cmd.Parameters.AddWithValue("$doc", Serialize(i));
    }

    // ---- delivery queue -----------------------------------------------------------------------------------------

    public ValueTask<bool> EnqueueAsync(IReadOnlyList<DeliveryRecord> deliveries, int maxPending, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(deliveries);
        return WriteAsync((deliveries, maxPending), static (s, state) =>
        {
            // DLV-38: the bound check and the inserts commit together, or nothing is stored. BEGIN IMMEDIATE holds the
            // write lock, so no other enqueue runs in between.
            using var tx = s.Connection.BeginTransaction(deferred: false);
            if (!WithinBound(s, tx, state.maxPending))
            {
                tx.Commit(); // keeps the exact count just made
                return false;
            }

            foreach (var d in state.deliveries)
            {
                var insert = s.Command($"""
                    INSERT INTO deliveries ({DeliveryColumns}, due_at) VALUES ($id, $kind, $integration_id, $integration_version,
                        $url, $payload, $event, $trigger_word, $prepared_request, $prepared_version, $state, $attempts,
                        $next_attempt_at, $lease_owner, $lease_expires_at, $lease_token, $created_at, $updated_at, $replay_of, $due_at);
                    """, tx);
                AddDelivery(insert, d);
                try
                {
                    insert.ExecuteNonQuery();
                }
                catch (SqliteException e) when (e.SqliteErrorCode == 19) // SQLITE_CONSTRAINT: the transaction rolls back
                {
                    throw new InvalidOperationException($"Delivery {d.Id} already exists.", e);
                }
            }

            tx.Commit();
            return true;
        }, cancellationToken);
    }

    /// <summary>DLV-38, exact without counting the queue each time: counted + since (migration 2) bounds the unfinished
    /// deliveries from above, since a finished delivery never becomes unfinished again. Below the bound it decides
    /// alone; otherwise the exact count decides, and becomes the new base.</summary>
    private static bool WithinBound(SqliteSession s, SqliteTransaction tx, int maxPending)
    {
        var read = s.Command("SELECT counted, since FROM queue_bound WHERE id = 1;", tx);
        using (var reader = read.ExecuteReader())
        {
            if (reader.Read() && !reader.IsDBNull(0) && reader.GetInt64(0) + reader.GetInt64(1) < maxPending) return true;
        }

        var count = s.Command("SELECT COUNT(*) FROM deliveries WHERE due_at IS NOT NULL;", tx);
        var unfinished = (long)count.ExecuteScalar()!;
        var reset = s.Command("UPDATE queue_bound SET counted = $counted, since = 0 WHERE id = 1;", tx);
        reset.Parameters.AddWithValue("$counted", unfinished);
        reset.ExecuteNonQuery();
        return unfinished < maxPending;
    }

    public ValueTask<IReadOnlyList<DeliveryRecord>> ClaimDueAsync(string nodeId, DateTimeOffset now, TimeSpan leaseDuration, int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(nodeId);
        return WriteAsync((nodeId, now, leaseDuration, maxCount), static (s, a) =>
        {
            // DLV-31, DLV-34: pending and due, or leased with an expired lease; oldest due first. BEGIN IMMEDIATE holds
            // the file's write lock from the select to the commit, so no other process claims the same rows.
            using var tx = s.Connection.BeginTransaction(deferred: false);
            var select = s.Command("SELECT id FROM deliveries WHERE due_at IS NOT NULL AND due_at <= $now ORDER BY due_at, id LIMIT $n;", tx);
            select.Parameters.AddWithValue("$now", Ms(a.now));
            select.Parameters.AddWithValue("$n", Math.Max(0, a.maxCount));
            var ids = new List<string>();
            using (var reader = select.ExecuteReader())
            {
                while (reader.Read()) ids.Add(reader.GetString(0));
            }

            var expires = Ms(a.now + a.leaseDuration);
            var claimed = new List<DeliveryRecord>(ids.Count);
            foreach (var id in ids)
            {
                var update = s.Command($"""
                    UPDATE deliveries SET state = 'leased', lease_owner = $node, lease_token = lower(hex(randomblob(16))),
                        lease_expires_at = $expires, due_at = $expires, updated_at = $now
                    WHERE id = $id RETURNING {DeliveryColumns};
                    """, tx);
                update.Parameters.AddWithValue("$node", a.nodeId);
                update.Parameters.AddWithValue("$expires", expires);
                update.Parameters.AddWithValue("$now", Ms(a.now));
                update.Parameters.AddWithValue("$id", id);
                using var reader = update.ExecuteReader();
                while (reader.Read()) claimed.Add(ReadDelivery(reader));
            }

            tx.Commit();
            return (IReadOnlyList<DeliveryRecord>)claimed;
        }, cancellationToken);
    }

    public ValueTask<bool> RenewLeaseAsync(string deliveryId, string leaseToken, DateTimeOffset leaseExpiresAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(deliveryId);
        ArgumentNullException.ThrowIfNull(leaseToken);
        return WriteAsync((deliveryId, leaseToken, leaseExpiresAt), static (s, a) =>
        {
            // DLV-32, DLV-33: only the current holder extends the lease.
            var cmd = s.Command("UPDATE deliveries SET lease_expires_at = $expires, due_at = $expires WHERE id = $id AND state = 'leased' AND lease_token = $token;");
            cmd.Parameters.AddWithValue("$expires", Ms(a.leaseExpiresAt));
            cmd.Parameters.AddWithValue("$id", a.deliveryId);
            cmd.Parameters.AddWithValue("$token", a.leaseToken);
            return cmd.ExecuteNonQuery() == 1;
        }, cancellationToken);
    }

    public ValueTask<bool> CompleteAsync(DeliveryUpdate update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        if (update.State == DeliveryState.Leased) throw new ArgumentException("A completed delivery cannot stay leased.", nameof(update));
        return WriteAsync(update, static (s, u) => Complete(s, u, null), cancellationToken);
    }

    /// <summary>DLV-33: a stale holder's update matches no row and changes nothing.</summary>
    private static bool Complete(SqliteSession s, DeliveryUpdate u, SqliteTransaction? tx)
    {
        {
            var cmd = s.Command("""
                UPDATE deliveries SET state = $state, attempts = $attempts, next_attempt_at = $next, prepared_request = $prepared,
                    prepared_version = $prepared_version, lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL,
                    updated_at = $updated, due_at = $due
                WHERE id = $id AND state = 'leased' AND lease_token = $token;
                """, tx);
            cmd.Parameters.AddWithValue("$state", Text(u.State));
            cmd.Parameters.AddWithValue("$attempts", u.Attempts);
            cmd.Parameters.AddWithValue("$next", Ms(u.NextAttemptAt));
            cmd.Parameters.AddWithValue("$prepared", (object?)u.PreparedRequest ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$prepared_version", (object?)u.PreparedVersion ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$updated", Ms(u.UpdatedAt));
            cmd.Parameters.AddWithValue("$due", u.State == DeliveryState.Pending ? Ms(u.NextAttemptAt) : DBNull.Value);
            cmd.Parameters.AddWithValue("$id", u.DeliveryId);
            cmd.Parameters.AddWithValue("$token", u.LeaseToken);
            return cmd.ExecuteNonQuery() == 1;
        }
    }

    /// <summary>Several completions and their history records in one <c>BEGIN IMMEDIATE</c> transaction: one lock and
    /// one commit (one WAL append of each touched page) for the whole batch. Each record is written only when its
    /// lease-conditioned update matched (DLV-33); any failure rolls the whole batch back.</summary>
    public ValueTask<bool[]> CompleteBatchAsync(IReadOnlyList<(DeliveryUpdate Update, HistoryRecord? History, string? Document)> items,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        var documents = ChatIntegrations.Storage.StoreJson.CheckCompletionBatch(items); // serialised outside the write gate
        return WriteAsync((items, documents), static (s, a) =>
        {
            using var tx = s.Connection.BeginTransaction(deferred: false);
            var accepted = new bool[a.items.Count];
            for (var i = 0; i < accepted.Length; i++)
            {
                var (update, history, _) = a.items[i];
                accepted[i] = Complete(s, update, tx);
                if (accepted[i] && history is not null) SaveHistory(s, history, a.documents[i]!, tx);
            }

            tx.Commit();
            return accepted;
        }, cancellationToken);
    }

    public ValueTask<IReadOnlyList<DeliveryRecord>> ReleaseLeasesAsync(string nodeId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(nodeId);
        return WriteAsync((nodeId, now), static (s, a) =>
        {
            // DLV-39: back to pending, due now, no attempt counted; report the rows as they were.
            using var tx = s.Connection.BeginTransaction(deferred: false);
            var select = s.Command($"SELECT {DeliveryColumns} FROM deliveries WHERE state = 'leased' AND lease_owner = $node ORDER BY id;", tx);
            select.Parameters.AddWithValue("$node", a.nodeId);
            var released = new List<DeliveryRecord>();
            using (var reader = select.ExecuteReader())
            {
                while (reader.Read()) released.Add(ReadDelivery(reader));
            }

            if (released.Count > 0)
            {
                var update = s.Command("""
                    UPDATE deliveries SET state = 'pending', next_attempt_at = $now, due_at = $now, lease_owner = NULL,
                        lease_token = NULL, lease_expires_at = NULL, updated_at = $now
                    WHERE state = 'leased' AND lease_owner = $node;
                    """, tx);
                update.Parameters.AddWithValue("$now", Ms(a.now));
                update.Parameters.AddWithValue("$node", a.nodeId);
                update.ExecuteNonQuery();
            }

            tx.Commit();
            return (IReadOnlyList<DeliveryRecord>)released;
        }, cancellationToken);
    }

    public ValueTask<DeliveryRecord?> GetDeliveryAsync(string deliveryId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(deliveryId);
        return ReadAsync(deliveryId, static (s, id) =>
        {
            var cmd = s.Command($"SELECT {DeliveryColumns} FROM deliveries WHERE id = $id;");
            cmd.Parameters.AddWithValue("$id", id);
            using var reader = cmd.ExecuteReader();
            return reader.Read() ? ReadDelivery(reader) : null;
        }, cancellationToken);
    }

    public ValueTask<DateTimeOffset?> GetNextDueAsync(CancellationToken cancellationToken = default) =>
        ReadAsync(0, static (s, _) =>
        {
            // DLV-18: the due_at index answers this with one seek.
            var cmd = s.Command("SELECT MIN(due_at) FROM deliveries WHERE due_at IS NOT NULL;");
            return cmd.ExecuteScalar() is long ms ? Time(ms) : (DateTimeOffset?)null;
        }, cancellationToken);

    public ValueTask<PendingDeliveryPage> ListPendingDeliveriesAsync(string integrationId, int offset, int count, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(integrationId);
        return ReadAsync((integrationId, offset, count), static (s, a) =>
        {
            // GEN-11: one snapshot for page and total; the partial index ix_deliveries_integration_pending (migration 3)
            // holds exactly the unfinished deliveries, in this order. The last error is one seek in ix_history_delivery.
            using var tx = s.Connection.BeginTransaction(deferred: true);
            var total = s.Command("SELECT COUNT(*) FROM deliveries WHERE integration_id = $integration_id AND due_at IS NOT NULL;", tx);
            total.Parameters.AddWithValue("$integration_id", a.integrationId);
            var n = Convert.ToInt32(total.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
            var page = s.Command("""
                SELECT d.id, d.kind, d.integration_id, d.event, d.trigger_word, d.state, d.attempts, d.next_attempt_at,
                    d.created_at, d.updated_at, d.lease_owner, d.lease_expires_at,
                    COALESCE(json_extract(e.document, '$.errorReason'), json_extract(e.document, '$.step')), e.updated_at
                FROM deliveries d
                LEFT JOIN history e ON e.id = (
                    SELECT h.id FROM history h WHERE h.delivery_id = d.id AND json_extract(h.document, '$.error') IS 1
                    ORDER BY h.updated_at DESC, h.id LIMIT 1)
                WHERE d.integration_id = $integration_id AND d.due_at IS NOT NULL
                ORDER BY d.next_attempt_at, d.id LIMIT $count OFFSET $offset;
                """, tx);
            page.Parameters.AddWithValue("$integration_id", a.integrationId);
            page.Parameters.AddWithValue("$count", Math.Max(0, a.count));
            page.Parameters.AddWithValue("$offset", Math.Max(0, a.offset));
            var items = new List<PendingDelivery>();
            using (var reader = page.ExecuteReader())
            {
                while (reader.Read())
                {
                    items.Add(new PendingDelivery
                    {
                        Id = reader.GetString(0),
                        Kind = Kind(reader.GetString(1)),
                        IntegrationId = reader.GetString(2),
                        Event = reader.IsDBNull(3) ? null : reader.GetString(3),
                        TriggerWord = reader.IsDBNull(4) ? null : reader.GetString(4),
                        State = State(reader.GetString(5)),
                        Attempts = reader.GetInt32(6),
                        NextAttemptAt = Time(reader.GetInt64(7)),
                        CreatedAt = Time(reader.GetInt64(8)),
                        UpdatedAt = Time(reader.GetInt64(9)),
                        LeaseOwner = reader.IsDBNull(10) ? null : reader.GetString(10),
                        LeaseExpiresAt = reader.IsDBNull(11) ? null : Time(reader.GetInt64(11)),
                        LastError = reader.IsDBNull(12) ? null : reader.GetValue(12).ToString(),
                        LastErrorAt = reader.IsDBNull(13) ? null : Time(reader.GetInt64(13)),
                    });
                }
            }

            tx.Commit();
            return new PendingDeliveryPage(items, n);
        }, cancellationToken);
    }

    public ValueTask<IReadOnlyDictionary<string, DeliveryStats>> GetDeliveryStatsAsync(IReadOnlyCollection<string> integrationIds, DateTimeOffset failuresSince, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(integrationIds);
        var ids = new System.Text.Json.Nodes.JsonArray(integrationIds.Select(i => (System.Text.Json.Nodes.JsonNode?)System.Text.Json.Nodes.JsonValue.Create(i)).ToArray()).ToJsonString();
        return ReadAsync((ids, failuresSince), static (s, a) =>
        {
            // One statement for the whole page of integrations: per id, the newest finished attempt record (a backward
            // walk of ix_history_integration) and the failed attempts since the cut-off (a range of the same index).
            var cmd = s.Command("""
                WITH ids(id) AS (SELECT DISTINCT value FROM json_each($ids))
                SELECT ids.id, l.updated_at, json_extract(l.document, '$.error'), json_extract(l.document, '$.step'),
                    (SELECT COUNT(*) FROM history f WHERE f.integration_id = ids.id AND f.updated_at >= $since
                        AND f.delivery_id IS NOT NULL AND json_extract(f.document, '$.error') IS 1)
                FROM ids
                LEFT JOIN history l ON l.id = (
                    SELECT h.id FROM history h WHERE h.integration_id = ids.id AND h.delivery_id IS NOT NULL
                        AND json_extract(h.document, '$.finished') IS 1
                        AND COALESCE(json_extract(h.document, '$.step'), '') NOT LIKE 'cancelled-by-%'
                    ORDER BY h.updated_at DESC, h.id LIMIT 1);
                """);
            cmd.Parameters.AddWithValue("$ids", a.ids);
            cmd.Parameters.AddWithValue("$since", Ms(a.failuresSince));
            var result = new Dictionary<string, DeliveryStats>(StringComparer.Ordinal);
            using var reader = cmd.ExecuteReader();
            while (reader.Read())
            {
                var id = reader.GetString(0);
                var found = !reader.IsDBNull(1);
                result[id] = new DeliveryStats(
                    id,
                    found ? (!reader.IsDBNull(2) && reader.GetInt64(2) == 1 ? DeliveryOutcome.Failed : DeliveryOutcome.Succeeded) : null,
                    found ? Time(reader.GetInt64(1)) : null,
                    found && !reader.IsDBNull(3) ? reader.GetValue(3).ToString() : null,
                    reader.GetInt32(4));
            }

            return (IReadOnlyDictionary<string, DeliveryStats>)result;
        }, cancellationToken);
    }

    private static void AddDelivery(SqliteCommand cmd, DeliveryRecord d)
    {
        cmd.Parameters.AddWithValue("$id", d.Id);
        cmd.Parameters.AddWithValue("$kind", Text(d.Kind));
        cmd.Parameters.AddWithValue("$integration_id", d.IntegrationId);
        cmd.Parameters.AddWithValue("$integration_version", d.IntegrationVersion);
        cmd.Parameters.AddWithValue("$url", d.Url);
        cmd.Parameters.AddWithValue("$payload", d.Payload);
        cmd.Parameters.AddWithValue("$event", (object?)d.Event ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$trigger_word", (object?)d.TriggerWord ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$prepared_request", (object?)d.PreparedRequest ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$prepared_version", (object?)d.PreparedVersion ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$state", Text(d.State));
        cmd.Parameters.AddWithValue("$attempts", d.Attempts);
        cmd.Parameters.AddWithValue("$next_attempt_at", Ms(d.NextAttemptAt));
        cmd.Parameters.AddWithValue("$lease_owner", (object?)d.LeaseOwner ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$lease_expires_at", d.LeaseExpiresAt is { } e ? Ms(e) : DBNull.Value);
        cmd.Parameters.AddWithValue("$lease_token", (object?)d.LeaseToken ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$created_at", Ms(d.CreatedAt));
        cmd.Parameters.AddWithValue("$updated_at", Ms(d.UpdatedAt));
        cmd.Parameters.AddWithValue("$replay_of", (object?)d.ReplayOf ?? DBNull.Value);
        object due = d.State switch
        {
            DeliveryState.Pending => Ms(d.NextAttemptAt),
            DeliveryState.Leased => d.LeaseExpiresAt is { } lease ? Ms(lease) : 0L,
            _ => DBNull.Value,
        };
        cmd.Parameters.AddWithValue("$due_at", due);
    }

    // ---- history and crmData ------------------------------------------------------------------------------------

    public ValueTask SaveHistoryAsync(HistoryRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        var document = record.Document.ToJsonString(); // serialised outside the write gate
        return new ValueTask(WriteAsync((record, document), static (s, a) => SaveHistory(s, a.record, a.document, null), cancellationToken).AsTask());
    }

    /// <summary>DLV-20: insert or replace, the document as JSON text next to its indexed columns.</summary>
    private static int SaveHistory(SqliteSession s, HistoryRecord h, string document, SqliteTransaction? tx)
    {
        {
            var cmd = s.Command("""
                INSERT INTO history (id, integration_id, delivery_id, attempt, created_at, updated_at, document)
                VALUES ($id, $integration_id, $delivery_id, $attempt, $created_at, $updated_at, $doc)
                ON CONFLICT (id) DO UPDATE SET integration_id = excluded.integration_id, delivery_id = excluded.delivery_id,
                    attempt = excluded.attempt, created_at = excluded.created_at, updated_at = excluded.updated_at,
                    document = excluded.document;
                """, tx);
            cmd.Parameters.AddWithValue("$id", h.Id);
            cmd.Parameters.AddWithValue("$integration_id", h.IntegrationId);
            cmd.Parameters.AddWithValue("$delivery_id", (object?)h.DeliveryId ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$attempt", h.Attempt);
            cmd.Parameters.AddWithValue("$created_at", Ms(h.CreatedAt));
            cmd.Parameters.AddWithValue("$updated_at", Ms(h.UpdatedAt));
            cmd.Parameters.AddWithValue("$doc", document);
            return cmd.ExecuteNonQuery();
        }
    }

    public ValueTask<HistoryPage> ListHistoryAsync(string integrationId, int offset, int count, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(integrationId);
        return ReadAsync((integrationId, offset, count), static (s, a) =>
        {
            // DLV-24, GEN-11: newest _updatedAt first, then id.
            using var tx = s.Connection.BeginTransaction(deferred: true);
            var total = s.Command("SELECT COUNT(*) FROM history WHERE integration_id = $integration_id;", tx);
            total.Parameters.AddWithValue("$integration_id", a.integrationId);
            var n = Convert.ToInt32(total.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
            var page = s.Command($"SELECT {HistoryColumns} FROM history WHERE integration_id = $integration_id ORDER BY updated_at DESC, id LIMIT $count OFFSET $offset;", tx);
            page.Parameters.AddWithValue("$integration_id", a.integrationId);
            page.Parameters.AddWithValue("$count", Math.Max(0, a.count));
            page.Parameters.AddWithValue("$offset", Math.Max(0, a.offset));
            var items = new List<HistoryRecord>();
            using (var reader = page.ExecuteReader())
            {
                while (reader.Read()) items.Add(ReadHistory(reader));
            }

            tx.Commit();
            return new HistoryPage(items, n);
        }, cancellationToken);
    }

    public ValueTask<HistoryRecord?> GetHistoryAsync(string integrationId, string historyId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(integrationId);
        ArgumentNullException.ThrowIfNull(historyId);
        return ReadAsync((integrationId, historyId), static (s, a) =>
        {
            var cmd = s.Command($"SELECT {HistoryColumns} FROM history WHERE id = $id AND integration_id = $integration_id;");
            cmd.Parameters.AddWithValue("$id", a.historyId);
            cmd.Parameters.AddWithValue("$integration_id", a.integrationId);
            using var reader = cmd.ExecuteReader();
            return reader.Read() ? ReadHistory(reader) : null;
        }, cancellationToken);
    }

    public ValueTask<int> ClearHistoryAsync(string integrationId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(integrationId);
        return WriteAsync(integrationId, static (s, id) =>
        {
            // DLV-26
            var cmd = s.Command("DELETE FROM history WHERE integration_id = $integration_id;");
            cmd.Parameters.AddWithValue("$integration_id", id);
            return cmd.ExecuteNonQuery();
        }, cancellationToken);
    }

    public ValueTask<int> PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken = default) =>
        WriteAsync(before, static (s, before) =>
        {
            // DLV-25: history and finished deliveries follow the same retention.
            using var tx = s.Connection.BeginTransaction(deferred: false);
            var history = s.Command("DELETE FROM history WHERE updated_at < $before;", tx);
            history.Parameters.AddWithValue("$before", Ms(before));
            var removed = history.ExecuteNonQuery();
            var deliveries = s.Command("DELETE FROM deliveries WHERE due_at IS NULL AND updated_at < $before;", tx);
            deliveries.Parameters.AddWithValue("$before", Ms(before));
            removed += deliveries.ExecuteNonQuery();
            tx.Commit();
            return removed;
        }, cancellationToken);

    public ValueTask<string?> GetCrmDataAsync(string roomId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(roomId);
        return ReadAsync(roomId, static (s, roomId) =>
        {
            var cmd = s.Command("SELECT data FROM crm_data WHERE room_id = $room;");
            cmd.Parameters.AddWithValue("$room", roomId);
            return cmd.ExecuteScalar() as string;
        }, cancellationToken);
    }

    public ValueTask SetCrmDataAsync(string roomId, string crmData, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(roomId);
        ArgumentNullException.ThrowIfNull(crmData);
        return new ValueTask(WriteAsync((roomId, crmData), static (s, a) =>
        {
            var cmd = s.Command("INSERT INTO crm_data (room_id, data) VALUES ($room, $data) ON CONFLICT (room_id) DO UPDATE SET data = excluded.data;");
            cmd.Parameters.AddWithValue("$room", a.roomId);
            cmd.Parameters.AddWithValue("$data", a.crmData);
            return cmd.ExecuteNonQuery();
        }, cancellationToken).AsTask());
    }

    private const string HistoryColumns = "id, integration_id, delivery_id, attempt, created_at, updated_at, document";

    // ---- connections, schema and errors -------------------------------------------------------------------------

    /// <summary>Runs <paramref name="work"/> on the writer connection, one caller at a time.</summary>
    private async ValueTask<T> WriteAsync<TState, T>(TState state, Func<SqliteSession, TState, T> work, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                EnsureSchema();
                _writer ??= new SqliteSession(_connectionString, _busyTimeout);
                return work(_writer, state);
            }
            catch (SqliteException e) when (IsUnavailable(e))
            {
                // The connection may be broken (I/O error, file gone): open a fresh one next time.
                _writer?.Dispose();
                _writer = null;
                throw Unavailable(e);
            }
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>Runs <paramref name="work"/> on a pooled read connection.</summary>
    private async ValueTask<T> ReadAsync<TState, T>(TState state, Func<SqliteSession, TState, T> work, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_initialized)
        {
            await WriteAsync(0, static (_, _) => 0, cancellationToken).ConfigureAwait(false); // migrates under the write gate
        }

        await _readGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        SqliteSession? session = null;
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!_readers.TryTake(out session)) session = new SqliteSession(_connectionString, _busyTimeout);
            var result = work(session, state);
            if (!_disposed)
            {
                _readers.Add(session);
                session = null;
            }

            return result;
        }
        catch (SqliteException e) when (IsUnavailable(e))
        {
            throw Unavailable(e);
        }
        finally
        {
            session?.Dispose(); // a connection that failed is not reused
            _readGate.Release();
        }
    }

    /// <summary>Creates or migrates the schema once; called under the write gate.</summary>
    private void EnsureSchema()
    {
        if (_initialized) return;
        _writer ??= new SqliteSession(_connectionString, _busyTimeout);
        var connection = _writer.Connection;
        using (var wal = connection.CreateCommand())
        {
            // WAL is a property of the file: readers keep reading while one writer commits.
            wal.CommandText = "PRAGMA journal_mode = WAL;";
            wal.ExecuteNonQuery();
        }

        var (found, applied) = SqliteMigrations.Run(connection);
        foreach (var (version, description) in applied) SqliteLog.MigrationApplied(_logger, version, description);
        if (found > SqliteMigrations.LatestVersion) SqliteLog.SchemaNewer(_logger, _dataSource, found, SqliteMigrations.LatestVersion);
        SqliteLog.Opened(_logger, _dataSource, Math.Max(found, SqliteMigrations.LatestVersion));
        _initialized = true;
    }

    /// <summary>Busy, locked, I/O error, full, cannot open, lock protocol: the database cannot serve now (GEN-14).</summary>
    private static bool IsUnavailable(SqliteException e) => (e.SqliteErrorCode & 0xFF) is 5 or 6 or 10 or 13 or 14 or 15;

    private IntegrationStoreUnavailableException Unavailable(SqliteException e)
    {
        SqliteLog.Unavailable(_logger, e.SqliteErrorCode, e.Message);
        return new IntegrationStoreUnavailableException($"The SQLite database '{_dataSource}' is unavailable: {e.Message}", e);
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _writeGate.Wait();
        try
        {
            _writer?.Dispose();
            _writer = null;
            while (_readers.TryTake(out var reader)) reader.Dispose();
        }
        finally
        {
            _writeGate.Release();
        }
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
