using System.Collections.Concurrent;

namespace ChatIntegrations.Storage;

/// <summary>An <see cref="IIntegrationStore"/> that keeps everything in memory. For tests and demos: nothing survives
/// a restart.</summary>
/// <remarks>Thread-safe.</remarks>
public sealed class InMemoryIntegrationStore : IIntegrationStore
{
    private readonly ConcurrentDictionary<string, Integration> _items = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DeliveryRecord> _deliveries = new(StringComparer.Ordinal);
    private readonly Lock _queueLock = new();
    private readonly ConcurrentDictionary<string, HistoryRecord> _history = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _crmData = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public ValueTask<Integration?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        return ValueTask.FromResult(_items.TryGetValue(id, out var i) ? i : null);
    }

    /// <inheritdoc />
    public ValueTask<bool> TryAddAsync(Integration integration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(integration);
        return ValueTask.FromResult(_items.TryAdd(integration.Id, integration));
    }

    /// <inheritdoc />
    public ValueTask<bool> TryUpdateAsync(Integration integration, long expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(integration);
        while (_items.TryGetValue(integration.Id, out var current))
        {
            if (current.Version != expectedVersion) return ValueTask.FromResult(false);
            if (_items.TryUpdate(integration.Id, integration, current)) return ValueTask.FromResult(true);
        }

        return ValueTask.FromResult(false);
    }

    /// <inheritdoc />
    public ValueTask<bool> DeleteAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        return ValueTask.FromResult(_items.TryRemove(id, out _));
    }

    /// <inheritdoc />
    public ValueTask<IntegrationPage> ListAsync(IntegrationQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var matches = _items.Values
            .Where(i => query.Type is null || i.Type == query.Type)
            .Where(i => query.Enabled is null || i.Enabled == query.Enabled)
            .Where(i => string.IsNullOrEmpty(query.Name) || i.Name.Contains(query.Name, StringComparison.OrdinalIgnoreCase))
            .OrderByDescending(i => i.UpdatedAt)
            .ThenBy(i => i.Id, StringComparer.Ordinal)
            .ToList();
        var page = matches.Skip(query.Offset).Take(query.Count).ToList();
        return ValueTask.FromResult(new IntegrationPage(page, matches.Count));
    }

    /// <inheritdoc />
    public ValueTask<bool> EnqueueAsync(IReadOnlyList<DeliveryRecord> deliveries, int maxPending, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(deliveries);
        lock (_queueLock)
        {
            var unfinished = _deliveries.Values.Count(d => d.State is DeliveryState.Pending or DeliveryState.Leased);
            if (unfinished >= maxPending) return ValueTask.FromResult(false);
            foreach (var d in deliveries)
            {
                if (_deliveries.ContainsKey(d.Id)) throw new InvalidOperationException($"Delivery {d.Id} already exists.");
            }

            foreach (var d in deliveries) _deliveries[d.Id] = d;
        }

        return ValueTask.FromResult(true);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<DeliveryRecord>> ClaimDueAsync(string nodeId, DateTimeOffset now, TimeSpan leaseDuration, int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(nodeId);
        lock (_queueLock)
        {
            var due = _deliveries.Values
                .Where(d => (d.State == DeliveryState.Pending && d.NextAttemptAt <= now) || (d.State == DeliveryState.Leased && d.LeaseExpiresAt <= now))
                .OrderBy(d => d.State == DeliveryState.Pending ? d.NextAttemptAt : d.LeaseExpiresAt!.Value)
                .ThenBy(d => d.Id, StringComparer.Ordinal)
                .Take(maxCount)
                .ToList();
            var claimed = new List<DeliveryRecord>(due.Count);
            foreach (var d in due)
            {
                var leased = d with
                {
                    State = DeliveryState.Leased,
                    LeaseOwner = nodeId,
                    LeaseToken = Guid.NewGuid().ToString("N"),
                    LeaseExpiresAt = now + leaseDuration,
                    UpdatedAt = now,
                };
                _deliveries[d.Id] = leased;
                claimed.Add(leased);
            }

            return ValueTask.FromResult<IReadOnlyList<DeliveryRecord>>(claimed);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> RenewLeaseAsync(string deliveryId, string leaseToken, DateTimeOffset leaseExpiresAt, CancellationToken cancellationToken = default)
    {
        lock (_queueLock)
        {
            if (!_deliveries.TryGetValue(deliveryId, out var d) || d.State != DeliveryState.Leased || d.LeaseToken != leaseToken) return ValueTask.FromResult(false);
            _deliveries[deliveryId] = d with { LeaseExpiresAt = leaseExpiresAt };
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> CompleteAsync(DeliveryUpdate update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        if (update.State == DeliveryState.Leased) throw new ArgumentException("A completed delivery cannot stay leased.", nameof(update));
        lock (_queueLock)
        {
            if (!_deliveries.TryGetValue(update.DeliveryId, out var d) || d.State != DeliveryState.Leased || d.LeaseToken != update.LeaseToken)
            {
                return ValueTask.FromResult(false);
            }

            _deliveries[d.Id] = d with
            {
                State = update.State,
                Attempts = update.Attempts,
                NextAttemptAt = update.NextAttemptAt,
                PreparedRequest = update.PreparedRequest,
                PreparedVersion = update.PreparedVersion,
                LeaseOwner = null,
                LeaseToken = null,
                LeaseExpiresAt = null,
                UpdatedAt = update.UpdatedAt,
            };
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<DeliveryRecord>> ReleaseLeasesAsync(string nodeId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        lock (_queueLock)
        {
            var mine = _deliveries.Values.Where(d => d.State == DeliveryState.Leased && d.LeaseOwner == nodeId).ToList();
            foreach (var d in mine)
            {
                _deliveries[d.Id] = d with { State = DeliveryState.Pending, NextAttemptAt = now, LeaseOwner = null, LeaseToken = null, LeaseExpiresAt = null, UpdatedAt = now };
            }

            return ValueTask.FromResult<IReadOnlyList<DeliveryRecord>>(mine);
        }
    }

    /// <inheritdoc />
    public ValueTask<DeliveryRecord?> GetDeliveryAsync(string deliveryId, CancellationToken cancellationToken = default)
    {
        lock (_queueLock)
        {
            return ValueTask.FromResult(_deliveries.TryGetValue(deliveryId, out var d) ? d : null);
        }
    }

    /// <inheritdoc />
    public ValueTask<DateTimeOffset?> GetNextDueAsync(CancellationToken cancellationToken = default)
    {
        lock (_queueLock)
        {
            DateTimeOffset? next = null;
            foreach (var d in _deliveries.Values)
            {
                DateTimeOffset? due = d.State switch
                {
                    DeliveryState.Pending => d.NextAttemptAt,
                    DeliveryState.Leased => d.LeaseExpiresAt,
                    _ => null,
                };
                if (due is { } t && (next is null || t < next)) next = t;
            }

            return ValueTask.FromResult(next);
        }
    }

    /// <inheritdoc />
    public ValueTask<PendingDeliveryPage> ListPendingDeliveriesAsync(string integrationId, int offset, int count, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(integrationId);
        List<DeliveryRecord> unfinished;
        lock (_queueLock)
        {
            unfinished = _deliveries.Values
                .Where(d => d.IntegrationId == integrationId && d.State is DeliveryState.Pending or DeliveryState.Leased)
                .OrderBy(d => d.NextAttemptAt).ThenBy(d => d.Id, StringComparer.Ordinal)
                .ToList();
        }

        var page = unfinished.Skip(Math.Max(0, offset)).Take(Math.Max(0, count)).Select(d =>
        {
            var lastError = _history.Values
                .Where(h => h.DeliveryId == d.Id && IsTrue(h.Document, "error"))
                .OrderByDescending(h => h.UpdatedAt).ThenBy(h => h.Id, StringComparer.Ordinal)
                .FirstOrDefault();
            return new PendingDelivery
            {
                Id = d.Id,
                Kind = d.Kind,
                IntegrationId = d.IntegrationId,
                Event = d.Event,
                TriggerWord = d.TriggerWord,
                State = d.State,
                Attempts = d.Attempts,
                NextAttemptAt = d.NextAttemptAt,
                CreatedAt = d.CreatedAt,
                UpdatedAt = d.UpdatedAt,
                LeaseOwner = d.LeaseOwner,
                LeaseExpiresAt = d.LeaseExpiresAt,
                LastError = lastError is null ? null : StringOf(lastError.Document, "errorReason") ?? StringOf(lastError.Document, "step"),
                LastErrorAt = lastError?.UpdatedAt,
            };
        }).ToList();
        return ValueTask.FromResult(new PendingDeliveryPage(page, unfinished.Count));
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyDictionary<string, DeliveryStats>> GetDeliveryStatsAsync(IReadOnlyCollection<string> integrationIds, DateTimeOffset failuresSince, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(integrationIds);
        var wanted = new HashSet<string>(integrationIds, StringComparer.Ordinal);
        var attempts = _history.Values.Where(h => h.DeliveryId is not null && wanted.Contains(h.IntegrationId)).ToLookup(h => h.IntegrationId, StringComparer.Ordinal);
        var result = new Dictionary<string, DeliveryStats>(wanted.Count, StringComparer.Ordinal);
        foreach (var id in wanted)
        {
            var records = attempts[id];
            var last = records
                .Where(h => IsTrue(h.Document, "finished") && !(StringOf(h.Document, "step") ?? "").StartsWith("cancelled-by-", StringComparison.Ordinal))
                .OrderByDescending(h => h.UpdatedAt).ThenBy(h => h.Id, StringComparer.Ordinal)
                .FirstOrDefault();
            var failures = records.Count(h => h.UpdatedAt >= failuresSince && IsTrue(h.Document, "error"));
            result[id] = new DeliveryStats(
                id,
                last is null ? null : IsTrue(last.Document, "error") ? DeliveryOutcome.Failed : DeliveryOutcome.Succeeded,
                last?.UpdatedAt,
                last is null ? null : StringOf(last.Document, "step"),
                failures);
        }

        return ValueTask.FromResult<IReadOnlyDictionary<string, DeliveryStats>>(result);
    }

    private static bool IsTrue(System.Text.Json.Nodes.JsonObject document, string key) =>
        document[key] is System.Text.Json.Nodes.JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.True;

    private static string? StringOf(System.Text.Json.Nodes.JsonObject document, string key) =>
        document[key] is System.Text.Json.Nodes.JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String ? v.GetValue<string>() : null;

    /// <inheritdoc />
    public ValueTask SaveHistoryAsync(HistoryRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        _history[record.Id] = record with { Document = (System.Text.Json.Nodes.JsonObject)record.Document.DeepClone() };
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<HistoryPage> ListHistoryAsync(string integrationId, int offset, int count, CancellationToken cancellationToken = default)
    {
        var matches = _history.Values.Where(h => h.IntegrationId == integrationId)
            .OrderByDescending(h => h.UpdatedAt).ThenBy(h => h.Id, StringComparer.Ordinal).ToList();
        return ValueTask.FromResult(new HistoryPage(matches.Skip(offset).Take(count).ToList(), matches.Count));
    }

    /// <inheritdoc />
    public ValueTask<HistoryRecord?> GetHistoryAsync(string integrationId, string historyId, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_history.TryGetValue(historyId, out var h) && h.IntegrationId == integrationId ? h : null);

    /// <inheritdoc />
    public ValueTask<int> ClearHistoryAsync(string integrationId, CancellationToken cancellationToken = default)
    {
        var removed = 0;
        foreach (var h in _history.Values.Where(h => h.IntegrationId == integrationId).ToList())
        {
            if (_history.TryRemove(h.Id, out _)) removed++;
        }

        return ValueTask.FromResult(removed);
    }

    /// <inheritdoc />
    public ValueTask<int> PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken = default)
    {
        var removed = 0;
        foreach (var h in _history.Values.Where(h => h.UpdatedAt < before).ToList())
        {
            if (_history.TryRemove(h.Id, out _)) removed++;
        }

        lock (_queueLock)
        {
            foreach (var d in _deliveries.Values.Where(d => d.State is DeliveryState.Succeeded or DeliveryState.Failed or DeliveryState.Cancelled && d.UpdatedAt < before).ToList())
            {
                if (_deliveries.Remove(d.Id)) removed++;
            }
        }

        return ValueTask.FromResult(removed);
    }

    /// <inheritdoc />
    public ValueTask<string?> GetCrmDataAsync(string roomId, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_crmData.TryGetValue(roomId, out var v) ? v : null);

    /// <inheritdoc />
    public ValueTask SetCrmDataAsync(string roomId, string crmData, CancellationToken cancellationToken = default)
    {
        _crmData[roomId] = crmData;
        return ValueTask.CompletedTask;
    }
}
