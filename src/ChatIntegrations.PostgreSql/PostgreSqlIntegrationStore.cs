using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using static ChatIntegrations.Storage.StoreJson;

namespace ChatIntegrations.PostgreSql;

/// <summary>An <see cref="IIntegrationStore"/> on PostgreSQL, shared by several nodes (DLV-2, DLV-31).</summary>
/// <remarks>Thread-safe, and safe across processes: claims lock rows with <c>FOR UPDATE SKIP LOCKED</c> in one
/// statement, every later change is conditioned on the lease token (DLV-33), and the queue bound is checked under a
/// transaction-scoped advisory lock (DLV-38). Connection failures surface as
/// <see cref="IntegrationStoreUnavailableException"/> (GEN-14). Hot statements are auto-prepared per connection.</remarks>
internal sealed class PostgreSqlIntegrationStore : IIntegrationStore, ChatIntegrations.Delivery.IDeliveryCompletionStore,
    ChatIntegrations.Security.ISharedWindowCounter, IAsyncDisposable, IDisposable
{
    private const string DeliveryColumns = "id, kind, integration_id, integration_version, url, payload, event, trigger_word, prepared_request, prepared_version, state, attempts, next_attempt_at, lease_owner, lease_expires_at, lease_token, created_at, updated_at, replay_of";
    private const string HistoryColumns = "id, integration_id, delivery_id, attempt, created_at, updated_at, document";

    private readonly NpgsqlDataSource _dataSource;
    private readonly string _schema;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _initGate = new(1, 1);
    private readonly Sql _sql;
    private readonly Lock _claimGate = new();
    private volatile bool _initialized;
    private bool _disposed;

    // The claim floor (see ClaimDueAsync): a lower bound for the claim's index scan while a backlog drains, and the
    // clock reading of the last claim that scanned from the start. Both in Unix milliseconds.
    private long _claimFloor = long.MinValue;
    private long _lastFullClaim = long.MinValue;

    public PostgreSqlIntegrationStore(IOptions<PostgreSqlStoreOptions> options, ILogger<PostgreSqlIntegrationStore>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var o = options.Value;
        var validation = new PostgreSqlStoreOptionsValidator().Validate(null, o);
        if (validation.Failed) throw new OptionsValidationException(nameof(PostgreSqlStoreOptions), typeof(PostgreSqlStoreOptions), [validation.FailureMessage]);
        var builder = new NpgsqlDataSourceBuilder(o.ConnectionString);
        if (builder.ConnectionStringBuilder.MaxAutoPrepare == 0) builder.ConnectionStringBuilder.MaxAutoPrepare = PostgreSqlStoreDefaults.MaxAutoPrepare;

        // The store's pool is its own and its connections carry no session state (locks are transaction-scoped, no SET,
        // no LISTEN, no temp tables), so the reset Npgsql sends when a connection goes back to the pool (five statements
        // before the next command) is pure cost: while deliveries ran, five of every six statements the server executed.
        builder.ConnectionStringBuilder.NoResetOnClose = true;
        _dataSource = builder.Build();
        _schema = o.Schema;
        SharesRateLimits = o.SharedRateLimits;
        _sql = new Sql(PostgreSqlMigrations.Quote(o.Schema));
        _logger = logger ?? NullLogger<PostgreSqlIntegrationStore>.Instance;
    }

    /// <summary>Gets the connection string the store's own data source uses, after the store's defaults (for tests).</summary>
    internal string EffectiveConnectionString => _dataSource.ConnectionString;

    // ---- integrations -------------------------------------------------------------------------------------------

    public ValueTask<Integration?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        return RunAsync(id, static async (c, sql, id, ct) =>
        {
            await using var cmd = new NpgsqlCommand(sql.GetIntegration, c);
            Text(cmd, "id", id);
            return await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false) is string json ? DeserializeCached(json) : null;
        }, cancellationToken);
    }

    public ValueTask<bool> TryAddAsync(Integration integration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(integration);
        return RunAsync(integration, static async (c, sql, i, ct) =>
        {
            await using var cmd = new NpgsqlCommand(sql.AddIntegration, c);
            AddIntegration(cmd, i);
            return await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 1;
        }, cancellationToken);
    }

    public ValueTask<bool> TryUpdateAsync(Integration integration, long expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(integration);
        return RunAsync((integration, expectedVersion), static async (c, sql, a, ct) =>
        {
            await using var cmd = new NpgsqlCommand(sql.UpdateIntegration, c);
            AddIntegration(cmd, a.integration);
            Bigint(cmd, "expected", a.expectedVersion);
            return await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 1;
        }, cancellationToken);
    }

    public ValueTask<bool> DeleteAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        return RunAsync(id, static async (c, sql, id, ct) =>
        {
            await using var cmd = new NpgsqlCommand(sql.DeleteIntegration, c);
            Text(cmd, "id", id);
            return await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 1;
        }, cancellationToken);
    }

    public ValueTask<IntegrationPage> ListAsync(IntegrationQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return RunAsync(query, static async (c, sql, q, ct) =>
        {
            // GEN-11: page and total in one statement (one snapshot); one statement text per filter combination.
            var where = new StringBuilder("true");
            if (q.Type is not null) where.Append(" AND type = @type");
            if (q.Enabled is not null) where.Append(" AND enabled = @enabled");
            if (!string.IsNullOrEmpty(q.Name)) where.Append(" AND strpos(name_key, @name) > 0");
            await using var cmd = new NpgsqlCommand($"""
                SELECT t.total, p.document FROM (SELECT count(*) AS total FROM {sql.Schema}.integrations WHERE {where}) t
                LEFT JOIN LATERAL (SELECT document, updated_at, id FROM {sql.Schema}.integrations WHERE {where}
                    ORDER BY updated_at DESC, id LIMIT @count OFFSET @offset) p ON true
                ORDER BY p.updated_at DESC, p.id;
                """, c);
            if (q.Type is { } type) Text(cmd, "type", type.ToString());
            if (q.Enabled is { } enabled) cmd.Parameters.Add(new NpgsqlParameter("enabled", NpgsqlDbType.Boolean) { Value = enabled });
            if (!string.IsNullOrEmpty(q.Name)) Text(cmd, "name", NameKey(q.Name));
            Bigint(cmd, "count", Math.Max(0, q.Count));
            Bigint(cmd, "offset", Math.Max(0, q.Offset));
            var total = 0L;
            var items = new List<Integration>();
            await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                total = reader.GetInt64(0);
                if (!reader.IsDBNull(1)) items.Add(Deserialize(reader.GetString(1)));
            }

            return new IntegrationPage(items, (int)total);
        }, cancellationToken);
    }

    private static void AddIntegration(NpgsqlCommand cmd, Integration i)
    {
        Text(cmd, "id", i.Id);
        Text(cmd, "type", i.Type.ToString());
        Text(cmd, "name", i.Name);
        Text(cmd, "key", NameKey(i.Name));
        cmd.Parameters.Add(new NpgsqlParameter("enabled", NpgsqlDbType.Boolean) { Value = i.Enabled });
        Bigint(cmd, "updated", Ms(i.UpdatedAt));
        Bigint(cmd, "version", i.Version);
        cmd.Parameters.Add(new NpgsqlParameter("doc", NpgsqlDbType.Json) { Value = Serialize(i) });
    }

    // ---- shared rate-limit windows (IN-64) ------------------------------------------------------------------------

    public bool SharesRateLimits { get; }

    public ValueTask<(long Count, DateTimeOffset End)> HitAsync(string key, DateTimeOffset now, TimeSpan length, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        return RunAsync((key, now, length), static async (c, sql, a, ct) =>
        {
            // One statement: the row lock orders the hits of all nodes; a window that ended is replaced by a new one.
            await using var cmd = new NpgsqlCommand(sql.HitWindow, c);
            Text(cmd, "key", a.key);
            Bigint(cmd, "now", Ms(a.now));
            Bigint(cmd, "end", Ms(a.now + a.length));
            await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            await reader.ReadAsync(ct).ConfigureAwait(false);
            return (reader.GetInt64(0), Time(reader.GetInt64(1)));
        }, cancellationToken);
    }

    // ---- delivery queue -----------------------------------------------------------------------------------------

    public ValueTask<bool> EnqueueAsync(IReadOnlyList<DeliveryRecord> deliveries, int maxPending, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(deliveries);
        return RunAsync((deliveries, maxPending, key: PostgreSqlMigrations.LockKey("enqueue:" + _schema)), static async (c, sql, a, ct) =>
        {
            // DLV-38: enqueuers on all nodes take the same advisory lock, so the bound check and the inserts are atomic.
            // One round trip: the statements of a batch run in one implicit transaction (a failure rolls back all of
            // them, and the transaction-scoped lock is held until its end). Each statement after the lock has its own
            // snapshot under READ COMMITTED, so it sees every earlier enqueue.
            var batch = new NpgsqlBatch(c);
            await using (batch.ConfigureAwait(false))
            {
                var enqueueLock = new NpgsqlBatchCommand(sql.EnqueueLock);
                Bigint(enqueueLock.Parameters, "key", a.key);
                batch.BatchCommands.Add(enqueueLock);
                var decide = new NpgsqlBatchCommand(sql.DecideEnqueue);
                Bigint(decide.Parameters, "max", a.maxPending);
                batch.BatchCommands.Add(decide);
                foreach (var d in a.deliveries)
                {
                    var insert = new NpgsqlBatchCommand(sql.InsertDeliveryIfAccepted);
                    AddDelivery(insert.Parameters, d);
                    batch.BatchCommands.Add(insert);
                }

                try
                {
                    await using var reader = await batch.ExecuteReaderAsync(ct).ConfigureAwait(false);
                    await reader.NextResultAsync(ct).ConfigureAwait(false); // past the lock
                    var accepted = await reader.ReadAsync(ct).ConfigureAwait(false) && reader.GetBoolean(0);
                    while (await reader.NextResultAsync(ct).ConfigureAwait(false))
                    {
                        // the inserts: read to the end, so that a failure surfaces here
                    }

                    return accepted;
                }
                catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
                {
                    throw new InvalidOperationException($"A delivery with one of these ids already exists: {e.MessageText}", e);
                }
            }
        }, cancellationToken);
    }

    /// <remarks>While a backlog drains, the front of the due index fills with the entries of rows already claimed,
    /// which only VACUUM removes (autovacuum looks once a minute). A claim that scanned them all would cost more with
    /// every delivery. So after a full batch the next claim starts its scan at the oldest due time that batch took; a
    /// row due before that (one another node's claim held and then rolled back, or one enqueued by a node whose clock
    /// is behind ours; retries, releases and expired leases fall due after the floor) waits for the next claim that
    /// scans from the start: one does at least every <see cref="FullClaimInterval"/>, and every claim
    /// does after a batch that was not full.</remarks>
    public ValueTask<IReadOnlyList<DeliveryRecord>> ClaimDueAsync(string nodeId, DateTimeOffset now, TimeSpan leaseDuration, int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(nodeId);
        var nowMs = Ms(now);
        long floor;
        lock (_claimGate)
        {
            var fresh = nowMs >= _lastFullClaim && nowMs - _lastFullClaim < (long)FullClaimInterval.TotalMilliseconds;
            floor = fresh ? _claimFloor : long.MinValue;
        }

        return RunAsync((store: this, nodeId, now, leaseDuration, maxCount, floor), static async (c, sql, a, ct) =>
        {
            // DLV-31, DLV-34: one statement; rows another node is claiming right now are skipped, not waited for.
            await using var cmd = new NpgsqlCommand(sql.Claim, c);
            Text(cmd, "node", a.nodeId);
            Bigint(cmd, "now", Ms(a.now));
            Bigint(cmd, "floor", a.floor);
            Bigint(cmd, "expires", Ms(a.now + a.leaseDuration));
            Bigint(cmd, "n", Math.Max(0, a.maxCount));
            var claimed = new List<(long Due, DeliveryRecord Delivery)>();
            await using (var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(ct).ConfigureAwait(false)) claimed.Add((reader.GetInt64(19), ReadDelivery(reader)));
            }

            // RETURNING has no order: oldest due first, as claimed.
            claimed.Sort(static (x, y) => x.Due != y.Due ? x.Due.CompareTo(y.Due) : string.CompareOrdinal(x.Delivery.Id, y.Delivery.Id));
            a.store.NoteClaim(Ms(a.now), a.floor, claimed.Count > 0 && claimed.Count >= a.maxCount ? claimed[0].Due : null);
            return (IReadOnlyList<DeliveryRecord>)claimed.ConvertAll(static x => x.Delivery);
        }, cancellationToken);
    }

    /// <summary>Gets the longest time a claim may start its scan past the front of the due index (see
    /// <see cref="ClaimDueAsync"/>).</summary>
    internal static TimeSpan FullClaimInterval { get; } = TimeSpan.FromSeconds(1);

    /// <summary>Keeps the floor for the next claim: the oldest due time of a full batch, or none.</summary>
    private void NoteClaim(long nowMs, long floorUsed, long? fullBatchOldestDue)
    {
        lock (_claimGate)
        {
            if (floorUsed == long.MinValue) _lastFullClaim = nowMs;
            _claimFloor = fullBatchOldestDue ?? long.MinValue;
        }
    }

    public ValueTask<bool> RenewLeaseAsync(string deliveryId, string leaseToken, DateTimeOffset leaseExpiresAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(deliveryId);
        ArgumentNullException.ThrowIfNull(leaseToken);
        return RunAsync((deliveryId, leaseToken, leaseExpiresAt), static async (c, sql, a, ct) =>
        {
            // DLV-32, DLV-33
            await using var cmd = new NpgsqlCommand(sql.Renew, c);
            Bigint(cmd, "expires", Ms(a.leaseExpiresAt));
            Text(cmd, "id", a.deliveryId);
            Text(cmd, "token", a.leaseToken);
            return await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 1;
        }, cancellationToken);
    }

    public ValueTask<bool> CompleteAsync(DeliveryUpdate update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        if (update.State == DeliveryState.Leased) throw new ArgumentException("A completed delivery cannot stay leased.", nameof(update));
        return RunAsync(update, static async (c, sql, u, ct) =>
        {
            // DLV-33: a stale holder's update matches no row and changes nothing.
            await using var cmd = new NpgsqlCommand(sql.Complete, c);
            Text(cmd, "state", ChatIntegrations.Storage.StoreJson.Text(u.State));
            cmd.Parameters.Add(new NpgsqlParameter("attempts", NpgsqlDbType.Integer) { Value = u.Attempts });
            Bigint(cmd, "next", Ms(u.NextAttemptAt));
            Text(cmd, "prepared", u.PreparedRequest);
            Bigint(cmd, "prepared_version", u.PreparedVersion);
            Bigint(cmd, "updated", Ms(u.UpdatedAt));
            Bigint(cmd, "due", u.State == DeliveryState.Pending ? Ms(u.NextAttemptAt) : null);
            Text(cmd, "id", u.DeliveryId);
            Text(cmd, "token", u.LeaseToken);
            return await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 1;
        }, cancellationToken);
    }

    /// <summary>Several completions and their history records in one statement (one round trip, one transaction, one
    /// plan): the rows come as arrays, and each record is inserted only when its lease-conditioned update matched
    /// (DLV-33). A failure applies nothing.</summary>
    public ValueTask<bool[]> CompleteBatchAsync(IReadOnlyList<(DeliveryUpdate Update, HistoryRecord? History, string? Document)> items,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        var documents = ChatIntegrations.Storage.StoreJson.CheckCompletionBatch(items);
        if (items.Count == 0) return ValueTask.FromResult(Array.Empty<bool>());
        return RunAsync((items, documents), static async (c, sql, a, ct) =>
        {
            var n = a.items.Count;
            var ids = new string[n];
            var tokens = new string[n];
            var states = new string[n];
            var attempts = new int[n];
            var next = new long[n];
            var prepared = new string?[n];
            var preparedVersions = new long?[n];
            var updated = new long[n];
            var due = new long?[n];
            var records = 0;
            for (var i = 0; i < n; i++)
            {
                var u = a.items[i].Update;
                ids[i] = u.DeliveryId;
                tokens[i] = u.LeaseToken;
                states[i] = ChatIntegrations.Storage.StoreJson.Text(u.State);
                attempts[i] = u.Attempts;
                next[i] = Ms(u.NextAttemptAt);
                prepared[i] = u.PreparedRequest;
                preparedVersions[i] = u.PreparedVersion;
                updated[i] = Ms(u.UpdatedAt);
                due[i] = u.State == DeliveryState.Pending ? Ms(u.NextAttemptAt) : null;
                if (a.items[i].History is not null) records++;
            }

            var owners = new string[records];
            var hIds = new string[records];
            var hIntegrations = new string[records];
            var hDeliveries = new string?[records];
            var hAttempts = new int[records];
            var hCreated = new long[records];
            var hUpdated = new long[records];
            var hDocs = new string[records];
            for (int i = 0, j = 0; i < n; i++)
            {
                if (a.items[i].History is not { } h) continue;
                owners[j] = ids[i];
                hIds[j] = h.Id;
                hIntegrations[j] = h.IntegrationId;
                hDeliveries[j] = h.DeliveryId;
                hAttempts[j] = h.Attempt;
                hCreated[j] = Ms(h.CreatedAt);
                hUpdated[j] = Ms(h.UpdatedAt);
                hDocs[j] = a.documents[i]!;
                j++;
            }

            await using var cmd = new NpgsqlCommand(sql.CompleteBatch, c);
            var p = cmd.Parameters;
            p.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = ids });
            p.Add(new NpgsqlParameter("tokens", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = tokens });
            p.Add(new NpgsqlParameter("states", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = states });
            p.Add(new NpgsqlParameter("attempts", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = attempts });
            p.Add(new NpgsqlParameter("next", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = next });
            p.Add(new NpgsqlParameter("prepared", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = prepared });
            p.Add(new NpgsqlParameter("prepared_versions", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = preparedVersions });
            p.Add(new NpgsqlParameter("updated", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = updated });
            p.Add(new NpgsqlParameter("due", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = due });
            p.Add(new NpgsqlParameter("h_owners", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = owners });
            p.Add(new NpgsqlParameter("h_ids", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = hIds });
            p.Add(new NpgsqlParameter("h_integration_ids", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = hIntegrations });
            p.Add(new NpgsqlParameter("h_delivery_ids", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = hDeliveries });
            p.Add(new NpgsqlParameter("h_attempts", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = hAttempts });
            p.Add(new NpgsqlParameter("h_created", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = hCreated });
            p.Add(new NpgsqlParameter("h_updated", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = hUpdated });
            p.Add(new NpgsqlParameter("h_docs", NpgsqlDbType.Array | NpgsqlDbType.Json) { Value = hDocs });
            var accepted = new HashSet<string>(StringComparer.Ordinal);
            await using (var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(ct).ConfigureAwait(false)) accepted.Add(reader.GetString(0));
            }

            var result = new bool[n];
            for (var i = 0; i < n; i++) result[i] = accepted.Contains(ids[i]);
            return result;
        }, cancellationToken);
    }

    public ValueTask<IReadOnlyList<DeliveryRecord>> ReleaseLeasesAsync(string nodeId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(nodeId);
        return RunAsync((nodeId, now), static async (c, sql, a, ct) =>
        {
            // DLV-39: back to pending, due now, no attempt counted; the CTE returns the rows as they were.
            await using var cmd = new NpgsqlCommand(sql.Release, c);
            Text(cmd, "node", a.nodeId);
            Bigint(cmd, "now", Ms(a.now));
            var released = new List<DeliveryRecord>();
            await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false)) released.Add(ReadDelivery(reader));
            released.Sort(static (x, y) => string.CompareOrdinal(x.Id, y.Id));
            return (IReadOnlyList<DeliveryRecord>)released;
        }, cancellationToken);
    }

    public ValueTask<DeliveryRecord?> GetDeliveryAsync(string deliveryId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(deliveryId);
        return RunAsync(deliveryId, static async (c, sql, id, ct) =>
        {
            await using var cmd = new NpgsqlCommand(sql.GetDelivery, c);
            Text(cmd, "id", id);
            await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            return await reader.ReadAsync(ct).ConfigureAwait(false) ? ReadDelivery(reader) : null;
        }, cancellationToken);
    }

    public ValueTask<DateTimeOffset?> GetNextDueAsync(CancellationToken cancellationToken = default) =>
        RunAsync(0, static async (c, sql, _, ct) =>
        {
            // DLV-18
            await using var cmd = new NpgsqlCommand(sql.NextDue, c);
            return await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false) is long ms ? Time(ms) : (DateTimeOffset?)null;
        }, cancellationToken);

    public ValueTask<PendingDeliveryPage> ListPendingDeliveriesAsync(string integrationId, int offset, int count, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(integrationId);
        return RunAsync((integrationId, offset, count), static async (c, sql, a, ct) =>
        {
            // GEN-11: page and total in one statement (one snapshot).
            await using var cmd = new NpgsqlCommand(sql.ListPending, c);
            Text(cmd, "integration_id", a.integrationId);
            Bigint(cmd, "count", Math.Max(0, a.count));
            Bigint(cmd, "offset", Math.Max(0, a.offset));
            var total = 0L;
            var items = new List<PendingDelivery>();
            await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                total = reader.GetInt64(0);
                if (reader.IsDBNull(1)) continue;
                items.Add(new PendingDelivery
                {
                    Id = reader.GetString(1),
                    Kind = ChatIntegrations.Storage.StoreJson.Kind(reader.GetString(2)),
                    IntegrationId = reader.GetString(3),
                    Event = reader.IsDBNull(4) ? null : reader.GetString(4),
                    TriggerWord = reader.IsDBNull(5) ? null : reader.GetString(5),
                    State = ChatIntegrations.Storage.StoreJson.State(reader.GetString(6)),
                    Attempts = reader.GetInt32(7),
                    NextAttemptAt = Time(reader.GetInt64(8)),
                    CreatedAt = Time(reader.GetInt64(9)),
                    UpdatedAt = Time(reader.GetInt64(10)),
                    LeaseOwner = reader.IsDBNull(11) ? null : reader.GetString(11),
                    LeaseExpiresAt = reader.IsDBNull(12) ? null : Time(reader.GetInt64(12)),
                    LastError = reader.IsDBNull(13) ? null : reader.GetString(13),
                    LastErrorAt = reader.IsDBNull(14) ? null : Time(reader.GetInt64(14)),
                });
            }

            return new PendingDeliveryPage(items, (int)total);
        }, cancellationToken);
    }

    public ValueTask<IReadOnlyDictionary<string, DeliveryStats>> GetDeliveryStatsAsync(IReadOnlyCollection<string> integrationIds, DateTimeOffset failuresSince, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(integrationIds);
        var ids = integrationIds.Distinct(StringComparer.Ordinal).ToArray();
        return RunAsync((ids, failuresSince), static async (c, sql, a, ct) =>
        {
            await using var cmd = new NpgsqlCommand(sql.DeliveryStats, c);
            cmd.Parameters.Add(new NpgsqlParameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = a.ids });
            Bigint(cmd, "since", Ms(a.failuresSince));
            var result = new Dictionary<string, DeliveryStats>(a.ids.Length, StringComparer.Ordinal);
            await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                var id = reader.GetString(0);
                var found = !reader.IsDBNull(1);
                result[id] = new DeliveryStats(
                    id,
                    found ? (!reader.IsDBNull(2) && reader.GetBoolean(2) ? DeliveryOutcome.Failed : DeliveryOutcome.Succeeded) : null,
                    found ? Time(reader.GetInt64(1)) : null,
                    found && !reader.IsDBNull(3) ? reader.GetString(3) : null,
                    (int)reader.GetInt64(4));
            }

            return (IReadOnlyDictionary<string, DeliveryStats>)result;
        }, cancellationToken);
    }

    private static void AddDelivery(NpgsqlParameterCollection p, DeliveryRecord d)
    {
        Text(p, "id", d.Id);
        Text(p, "kind", ChatIntegrations.Storage.StoreJson.Text(d.Kind));
        Text(p, "integration_id", d.IntegrationId);
        Bigint(p, "integration_version", d.IntegrationVersion);
        Text(p, "url", d.Url);
        Text(p, "payload", d.Payload);
        Text(p, "event", d.Event);
        Text(p, "trigger_word", d.TriggerWord);
        Text(p, "prepared_request", d.PreparedRequest);
        Bigint(p, "prepared_version", d.PreparedVersion);
        Text(p, "state", ChatIntegrations.Storage.StoreJson.Text(d.State));
        p.Add(new NpgsqlParameter("attempts", NpgsqlDbType.Integer) { Value = d.Attempts });
        Bigint(p, "next_attempt_at", Ms(d.NextAttemptAt));
        Text(p, "lease_owner", d.LeaseOwner);
        Bigint(p, "lease_expires_at", d.LeaseExpiresAt is { } e ? Ms(e) : null);
        Text(p, "lease_token", d.LeaseToken);
        Bigint(p, "created_at", Ms(d.CreatedAt));
        Bigint(p, "updated_at", Ms(d.UpdatedAt));
        Text(p, "replay_of", d.ReplayOf);
        Bigint(p, "due_at", d.State switch
        {
            DeliveryState.Pending => Ms(d.NextAttemptAt),
            DeliveryState.Leased => d.LeaseExpiresAt is { } lease ? Ms(lease) : 0L,
            _ => null,
        });
    }

    // ---- history and crmData ------------------------------------------------------------------------------------

    public async ValueTask SaveHistoryAsync(HistoryRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        await RunAsync(record, static async (c, sql, h, ct) =>
        {
            // DLV-20: insert or replace; the document as json next to its indexed columns.
            await using var cmd = new NpgsqlCommand(sql.SaveHistory, c);
            Text(cmd, "id", h.Id);
            Text(cmd, "integration_id", h.IntegrationId);
            Text(cmd, "delivery_id", h.DeliveryId);
            cmd.Parameters.Add(new NpgsqlParameter("attempt", NpgsqlDbType.Integer) { Value = h.Attempt });
            Bigint(cmd, "created_at", Ms(h.CreatedAt));
            Bigint(cmd, "updated_at", Ms(h.UpdatedAt));
            cmd.Parameters.Add(new NpgsqlParameter("doc", NpgsqlDbType.Json) { Value = h.Document.ToJsonString() });
            return await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    public ValueTask<HistoryPage> ListHistoryAsync(string integrationId, int offset, int count, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(integrationId);
        return RunAsync((integrationId, offset, count), static async (c, sql, a, ct) =>
        {
            // DLV-24, GEN-11: newest _updatedAt first, then id; page and total in one statement.
            await using var cmd = new NpgsqlCommand(sql.ListHistory, c);
            Text(cmd, "integration_id", a.integrationId);
            Bigint(cmd, "count", Math.Max(0, a.count));
            Bigint(cmd, "offset", Math.Max(0, a.offset));
            var total = 0L;
            var items = new List<HistoryRecord>();
            await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                total = reader.GetInt64(0);
                if (!reader.IsDBNull(1)) items.Add(ReadHistory(reader, 1));
            }

            return new HistoryPage(items, (int)total);
        }, cancellationToken);
    }

    public ValueTask<HistoryRecord?> GetHistoryAsync(string integrationId, string historyId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(integrationId);
        ArgumentNullException.ThrowIfNull(historyId);
        return RunAsync((integrationId, historyId), static async (c, sql, a, ct) =>
        {
            await using var cmd = new NpgsqlCommand(sql.GetHistory, c);
            Text(cmd, "id", a.historyId);
            Text(cmd, "integration_id", a.integrationId);
            await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            return await reader.ReadAsync(ct).ConfigureAwait(false) ? ReadHistory(reader, 0) : null;
        }, cancellationToken);
    }

    public ValueTask<int> ClearHistoryAsync(string integrationId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(integrationId);
        return RunAsync(integrationId, static async (c, sql, id, ct) =>
        {
            // DLV-26
            await using var cmd = new NpgsqlCommand(sql.ClearHistory, c);
            Text(cmd, "integration_id", id);
            return await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }, cancellationToken);
    }

    public ValueTask<int> PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken = default) =>
        RunAsync(before, static async (c, sql, before, ct) =>
        {
            // DLV-25: history and finished deliveries follow the same retention.
            await using var cmd = new NpgsqlCommand(sql.Purge, c);
            Bigint(cmd, "before", Ms(before));
            return (int)(long)(await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
        }, cancellationToken);

    public ValueTask<string?> GetCrmDataAsync(string roomId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(roomId);
        return RunAsync(roomId, static async (c, sql, roomId, ct) =>
        {
            await using var cmd = new NpgsqlCommand(sql.GetCrm, c);
            Text(cmd, "room", roomId);
            return await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false) as string;
        }, cancellationToken);
    }

    public async ValueTask SetCrmDataAsync(string roomId, string crmData, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(roomId);
        ArgumentNullException.ThrowIfNull(crmData);
        await RunAsync((roomId, crmData), static async (c, sql, a, ct) =>
        {
            await using var cmd = new NpgsqlCommand(sql.SetCrm, c);
            Text(cmd, "room", a.roomId);
            Text(cmd, "data", a.crmData);
            return await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    // ---- parameters ---------------------------------------------------------------------------------------------

    // Typed parameters: the same types on every execution keep auto-prepared statements valid.
    private static void Text(NpgsqlCommand cmd, string name, string? value) => Text(cmd.Parameters, name, value);

    private static void Text(NpgsqlParameterCollection p, string name, string? value) =>
        p.Add(new NpgsqlParameter(name, NpgsqlDbType.Text) { Value = (object?)value ?? DBNull.Value });

    private static void Bigint(NpgsqlCommand cmd, string name, long? value) => Bigint(cmd.Parameters, name, value);

    private static void Bigint(NpgsqlParameterCollection p, string name, long? value) =>
        p.Add(new NpgsqlParameter(name, NpgsqlDbType.Bigint) { Value = value is { } v ? v : DBNull.Value });

    // ---- connections, schema and errors -------------------------------------------------------------------------

    private async ValueTask<T> RunAsync<TState, T>(TState state, Func<NpgsqlConnection, Sql, TState, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        try
        {
            if (!_initialized) await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
            var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                return await work(connection, _sql, state, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (IsUnavailable(e))
        {
            PostgreSqlLog.Unavailable(_logger, (e as PostgresException)?.SqlState, e.Message);
            throw new IntegrationStoreUnavailableException($"The PostgreSQL store is unavailable: {e.Message}", e);
        }
    }

    private async Task EnsureSchemaAsync(CancellationToken cancellationToken)
    {
        await _initGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_initialized) return;
            var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                var (found, applied) = await PostgreSqlMigrations.RunAsync(connection, _schema, cancellationToken).ConfigureAwait(false);
                foreach (var (version, description) in applied) PostgreSqlLog.MigrationApplied(_logger, _schema, version, description);
                if (found > PostgreSqlMigrations.LatestVersion) PostgreSqlLog.SchemaNewer(_logger, _schema, found, PostgreSqlMigrations.LatestVersion);
                PostgreSqlLog.Opened(_logger, _schema, Math.Max(found, PostgreSqlMigrations.LatestVersion));
            }

            _initialized = true;
        }
        finally
        {
            _initGate.Release();
        }
    }

    /// <summary>Connection-level failures (GEN-14): class 08 (connection exception), 57P (operator intervention, server
    /// shutting down or not yet accepting connections), 53300 (too many connections), and client-side socket, I/O and
    /// timeout failures. Query errors (syntax, constraints, …) are bugs, not outages, and pass through.</summary>
    internal static bool IsUnavailable(Exception e) => e switch
    {
        PostgresException p => p.SqlState.StartsWith("08", StringComparison.Ordinal)
            || p.SqlState.StartsWith("57P", StringComparison.Ordinal)
            || p.SqlState == PostgresErrorCodes.TooManyConnections,
        NpgsqlException n => n.IsTransient || n.InnerException is SocketException or IOException or TimeoutException,
        SocketException => true,
        _ => false,
    };

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _dataSource.Dispose();
        _initGate.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        await _dataSource.DisposeAsync().ConfigureAwait(false);
        _initGate.Dispose();
    }

    /// <summary>The statement texts for one schema, built once so auto-prepare sees identical texts.</summary>
    private sealed class Sql(string s)
    {
        public string Schema { get; } = s;

        public string GetIntegration { get; } = $"SELECT document::text FROM {s}.integrations WHERE id = @id;";

        public string AddIntegration { get; } = $"""
            INSERT INTO {s}.integrations (id, type, name, name_key, enabled, updated_at, version, document)
            VALUES (@id, @type, @name, @key, @enabled, @updated, @version, @doc) ON CONFLICT (id) DO NOTHING;
            """;

        public string UpdateIntegration { get; } = $"""
            UPDATE {s}.integrations SET type = @type, name = @name, name_key = @key, enabled = @enabled,
                updated_at = @updated, version = @version, document = @doc
            WHERE id = @id AND version = @expected;
            """;

        public string DeleteIntegration { get; } = $"DELETE FROM {s}.integrations WHERE id = @id;";

        public string EnqueueLock { get; } = "SELECT pg_advisory_xact_lock(@key);";

        // DLV-38, exact without counting the queue each time (migration 2): counted + since bounds the unfinished
        // deliveries from above. Below the bound it decides alone; otherwise the exact count decides and becomes the new
        // base. The uncorrelated count is an init plan, run only when the CASE reaches it, and once (c is materialised).
        // The decision is kept in the row for the inserts that follow in the same transaction.
        public string DecideEnqueue { get; } = $"""
            WITH b AS (SELECT counted, since FROM {s}.queue_bound WHERE id = 1),
            c AS MATERIALIZED (SELECT CASE WHEN b.counted IS NOT NULL AND b.counted + b.since < @max THEN NULL
                              ELSE (SELECT count(*) FROM {s}.deliveries WHERE due_at IS NOT NULL) END AS exact FROM b)
            UPDATE {s}.queue_bound q SET counted = coalesce(c.exact, q.counted),
                since = CASE WHEN c.exact IS NULL THEN q.since ELSE 0 END,
                accepted = c.exact IS NULL OR c.exact < @max
            FROM c WHERE q.id = 1
            RETURNING q.accepted;
            """;

        public string InsertDeliveryIfAccepted { get; } = $"""
            INSERT INTO {s}.deliveries ({DeliveryColumns}, due_at) SELECT @id, @kind, @integration_id, @integration_version,
                @url, @payload, @event, @trigger_word, @prepared_request, @prepared_version, @state, @attempts,
                @next_attempt_at, @lease_owner, @lease_expires_at, @lease_token, @created_at, @updated_at, @replay_of, @due_at
            WHERE (SELECT accepted FROM {s}.queue_bound WHERE id = 1);
            """;

        public string Claim { get; } = $"""
            UPDATE {s}.deliveries d SET state = 'leased', lease_owner = @node,
                lease_token = replace(gen_random_uuid()::text, '-', ''), lease_expires_at = @expires, due_at = @expires,
                updated_at = @now
            FROM (SELECT id, due_at FROM {s}.deliveries WHERE due_at >= @floor AND due_at <= @now ORDER BY due_at, id LIMIT @n
                  FOR UPDATE SKIP LOCKED) c
            WHERE d.id = c.id
            RETURNING {Prefixed("d.", DeliveryColumns)}, c.due_at;
            """;

        public string HitWindow { get; } = $"""
            INSERT INTO {s}.rate_windows AS w (key, window_end, hits) VALUES (@key, @end, 1)
            ON CONFLICT (key) DO UPDATE SET
                window_end = CASE WHEN w.window_end <= @now THEN excluded.window_end ELSE w.window_end END,
                hits = CASE WHEN w.window_end <= @now THEN 1 ELSE w.hits + 1 END
            RETURNING hits, window_end;
            """;

        public string Renew { get; } = $"""
            UPDATE {s}.deliveries SET lease_expires_at = @expires, due_at = @expires
            WHERE id = @id AND state = 'leased' AND lease_token = @token;
            """;

        public string Complete { get; } = $"""
            UPDATE {s}.deliveries SET state = @state, attempts = @attempts, next_attempt_at = @next,
                prepared_request = @prepared, prepared_version = @prepared_version, lease_owner = NULL, lease_token = NULL,
                lease_expires_at = NULL, updated_at = @updated, due_at = @due
            WHERE id = @id AND state = 'leased' AND lease_token = @token;
            """;

        public string CompleteBatch { get; } = $"""
            WITH v AS (
                SELECT * FROM unnest(@ids, @tokens, @states, @attempts, @next, @prepared, @prepared_versions, @updated, @due)
                    AS v(id, token, state, attempts, next, prepared, prepared_version, updated, due)),
            u AS (
                UPDATE {s}.deliveries d SET state = v.state, attempts = v.attempts, next_attempt_at = v.next,
                    prepared_request = v.prepared, prepared_version = v.prepared_version, lease_owner = NULL, lease_token = NULL,
                    lease_expires_at = NULL, updated_at = v.updated, due_at = v.due
                FROM v WHERE d.id = v.id AND d.state = 'leased' AND d.lease_token = v.token
                RETURNING d.id),
            h AS (
                INSERT INTO {s}.history (id, integration_id, delivery_id, attempt, created_at, updated_at, document)
                SELECT r.id, r.integration_id, r.delivery_id, r.attempt, r.created_at, r.updated_at, r.document
                FROM unnest(@h_owners, @h_ids, @h_integration_ids, @h_delivery_ids, @h_attempts, @h_created, @h_updated, @h_docs)
                    AS r(owner, id, integration_id, delivery_id, attempt, created_at, updated_at, document)
                WHERE r.owner IN (SELECT id FROM u)
                ON CONFLICT (id) DO UPDATE SET integration_id = excluded.integration_id, delivery_id = excluded.delivery_id,
                    attempt = excluded.attempt, created_at = excluded.created_at, updated_at = excluded.updated_at,
                    document = excluded.document)
            SELECT id FROM u;
            """;

        public string Release { get; } = $"""
            WITH old AS (SELECT {DeliveryColumns} FROM {s}.deliveries WHERE state = 'leased' AND lease_owner = @node FOR UPDATE)
            UPDATE {s}.deliveries d SET state = 'pending', next_attempt_at = @now, due_at = @now, lease_owner = NULL,
                lease_token = NULL, lease_expires_at = NULL, updated_at = @now
            FROM old WHERE d.id = old.id
            RETURNING {Prefixed("old.", DeliveryColumns)};
            """;

        public string GetDelivery { get; } = $"SELECT {DeliveryColumns} FROM {s}.deliveries WHERE id = @id;";

        public string NextDue { get; } = $"SELECT min(due_at) FROM {s}.deliveries WHERE due_at IS NOT NULL;";

        public string SaveHistory { get; } = $"""
            INSERT INTO {s}.history (id, integration_id, delivery_id, attempt, created_at, updated_at, document)
            VALUES (@id, @integration_id, @delivery_id, @attempt, @created_at, @updated_at, @doc)
            ON CONFLICT (id) DO UPDATE SET integration_id = excluded.integration_id, delivery_id = excluded.delivery_id,
                attempt = excluded.attempt, created_at = excluded.created_at, updated_at = excluded.updated_at,
                document = excluded.document;
            """;

        public string ListHistory { get; } = $"""
            SELECT t.total, p.id, p.integration_id, p.delivery_id, p.attempt, p.created_at, p.updated_at, p.document::text
            FROM (SELECT count(*) AS total FROM {s}.history WHERE integration_id = @integration_id) t
            LEFT JOIN LATERAL (SELECT {HistoryColumns} FROM {s}.history WHERE integration_id = @integration_id
                ORDER BY updated_at DESC, id LIMIT @count OFFSET @offset) p ON true
            ORDER BY p.updated_at DESC, p.id;
            """;

        public string GetHistory { get; } = $"""
            SELECT id, integration_id, delivery_id, attempt, created_at, updated_at, document::text
            FROM {s}.history WHERE id = @id AND integration_id = @integration_id;
            """;

        public string ClearHistory { get; } = $"DELETE FROM {s}.history WHERE integration_id = @integration_id;";

        public string Purge { get; } = $"""
            WITH h AS (DELETE FROM {s}.history WHERE updated_at < @before RETURNING 1),
                 d AS (DELETE FROM {s}.deliveries WHERE due_at IS NULL AND updated_at < @before RETURNING 1)
            SELECT (SELECT count(*) FROM h) + (SELECT count(*) FROM d);
            """;

        // The dashboard's pending view: ix_deliveries_integration_pending (migration 5) holds the unfinished deliveries in
        // this order; the last error is one seek in ix_history_delivery per row of the page.
        public string ListPending { get; } = $"""
            SELECT t.total, p.id, p.kind, p.integration_id, p.event, p.trigger_word, p.state, p.attempts, p.next_attempt_at,
                p.created_at, p.updated_at, p.lease_owner, p.lease_expires_at, p.last_error, p.last_error_at
            FROM (SELECT count(*) AS total FROM {s}.deliveries WHERE integration_id = @integration_id AND due_at IS NOT NULL) t
            LEFT JOIN LATERAL (
                SELECT d.id, d.kind, d.integration_id, d.event, d.trigger_word, d.state, d.attempts, d.next_attempt_at,
                    d.created_at, d.updated_at, d.lease_owner, d.lease_expires_at,
                    coalesce(e.document->>'errorReason', e.document->>'step') AS last_error, e.updated_at AS last_error_at
                FROM {s}.deliveries d
                LEFT JOIN LATERAL (
                    SELECT h.document, h.updated_at FROM {s}.history h
                    WHERE h.delivery_id = d.id AND (h.document->>'error') = 'true'
                    ORDER BY h.updated_at DESC, h.id LIMIT 1) e ON true
                WHERE d.integration_id = @integration_id AND d.due_at IS NOT NULL
                ORDER BY d.next_attempt_at, d.id LIMIT @count OFFSET @offset) p ON true
            ORDER BY p.next_attempt_at, p.id;
            """;

        // One statement for a page of integrations: per id, the newest finished attempt record (a backward walk of
        // ix_history_integration) and the failed attempts since the cut-off (a range of the same index).
        public string DeliveryStats { get; } = $"""
            SELECT i.id, l.updated_at, (l.document->>'error') = 'true', l.document->>'step',
                (SELECT count(*) FROM {s}.history f WHERE f.integration_id = i.id AND f.updated_at >= @since
                    AND f.delivery_id IS NOT NULL AND (f.document->>'error') = 'true')
            FROM (SELECT DISTINCT unnest(@ids) AS id) i
            LEFT JOIN LATERAL (
                SELECT h.updated_at, h.document FROM {s}.history h
                WHERE h.integration_id = i.id AND h.delivery_id IS NOT NULL AND (h.document->>'finished') = 'true'
                    AND coalesce(h.document->>'step', '') NOT LIKE 'cancelled-by-%'
                ORDER BY h.updated_at DESC, h.id LIMIT 1) l ON true;
            """;

        public string GetCrm { get; } = $"SELECT data FROM {s}.crm_data WHERE room_id = @room;";

        public string SetCrm { get; } = $"""
            INSERT INTO {s}.crm_data (room_id, data) VALUES (@room, @data)
            ON CONFLICT (room_id) DO UPDATE SET data = excluded.data;
            """;

        private static string Prefixed(string prefix, string columns) =>
            string.Join(", ", columns.Split(", ").Select(c => prefix + c));
    }
}
