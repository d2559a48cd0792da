using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace ChatIntegrations.Storage;

/// <summary>Text forms of the stored values, shared by the durable stores: integration documents as JSON, enums as lowercase names, times as Unix
/// milliseconds.</summary>
internal static class StoreJson
{
    /// <summary>Serialises every property of <see cref="Integration"/> (camelCase, enums by name).</summary>
    public static readonly JsonSerializerOptions Options = CreateOptions();

    public static string Serialize(Integration integration) => JsonSerializer.Serialize(integration, Options);

    public static Integration Deserialize(string json) =>
        JsonSerializer.Deserialize<Integration>(json, Options) ?? throw new InvalidDataException("A stored integration document is null.");

    // Every delivery attempt re-reads its integration (DLV-6; attempts claimed together share one read made after their
    // claim). The document is still read from the store each time; only its parsing is skipped when the stored text is
    // exactly the text parsed before (Integration is an immutable record), so a changed integration is always seen at once.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Integration> Parsed = new(StringComparer.Ordinal);

    /// <summary>Parses a stored integration document, reusing the result for identical text.</summary>
    public static Integration DeserializeCached(string json)
    {
        if (Parsed.TryGetValue(json, out var cached)) return cached;
        var integration = Deserialize(json);
        if (Parsed.Count >= 256) Parsed.Clear(); // bounded: old versions are dropped wholesale
        Parsed.TryAdd(json, integration);
        return integration;
    }

    /// <summary>Checks a completion batch (<see cref="Delivery.IDeliveryCompletionStore"/>): no update leaves its
    /// delivery leased, and no delivery appears twice. Returns each item's history document as JSON text (the given
    /// one, or serialised now), null where there is no record.</summary>
    public static string?[] CheckCompletionBatch(IReadOnlyList<(DeliveryUpdate Update, HistoryRecord? History, string? Document)> items)
    {
        var documents = new string?[items.Count];
        var ids = new HashSet<string>(items.Count, StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++)
        {
            var (update, history, document) = items[i];
            ArgumentNullException.ThrowIfNull(update, nameof(items));
            if (update.State == DeliveryState.Leased) throw new ArgumentException("A completed delivery cannot stay leased.", nameof(items));
            if (!ids.Add(update.DeliveryId)) throw new ArgumentException($"Delivery {update.DeliveryId} is completed twice in one batch.", nameof(items));
            documents[i] = history is null ? null : document ?? history.Document.ToJsonString();
        }

        return documents;
    }

    public static string Text(DeliveryState state) => state switch
    {
        DeliveryState.Pending => "pending",
        DeliveryState.Leased => "leased",
        DeliveryState.Succeeded => "succeeded",
        DeliveryState.Failed => "failed",
        DeliveryState.Cancelled => "cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "Unknown delivery state."),
    };

    public static DeliveryState State(string text) => text switch
    {
        "pending" => DeliveryState.Pending,
        "leased" => DeliveryState.Leased,
        "succeeded" => DeliveryState.Succeeded,
        "failed" => DeliveryState.Failed,
        "cancelled" => DeliveryState.Cancelled,
        _ => throw new InvalidDataException($"Unknown stored delivery state '{text}'."),
    };

    public static string Text(DeliveryKind kind) => kind switch
    {
        DeliveryKind.Outgoing => "outgoing",
        DeliveryKind.Omnichannel => "omnichannel",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown delivery kind."),
    };

    public static DeliveryKind Kind(string text) => text switch
    {
        "outgoing" => DeliveryKind.Outgoing,
        "omnichannel" => DeliveryKind.Omnichannel,
        _ => throw new InvalidDataException($"Unknown stored delivery kind '{text}'."),
    };

    public static long Ms(DateTimeOffset value) => value.ToUnixTimeMilliseconds();

    public static DateTimeOffset Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    /// <summary>Reads a delivery row whose columns are in the durable stores' common order (id, kind, integration id,
    /// version, url, payload, event, trigger word, prepared request, prepared version, state, attempts, next attempt,
    /// lease owner, lease expiry, lease token, created, updated, replay of).</summary>
    public static DeliveryRecord ReadDelivery(System.Data.Common.DbDataReader r) => new()
    {
        Id = r.GetString(0),
        Kind = Kind(r.GetString(1)),
        IntegrationId = r.GetString(2),
        IntegrationVersion = r.GetInt64(3),
        Url = r.GetString(4),
        Payload = r.GetString(5),
        Event = r.IsDBNull(6) ? null : r.GetString(6),
        TriggerWord = r.IsDBNull(7) ? null : r.GetString(7),
        PreparedRequest = r.IsDBNull(8) ? null : r.GetString(8),
        PreparedVersion = r.IsDBNull(9) ? null : r.GetInt64(9),
        State = State(r.GetString(10)),
        Attempts = r.GetInt32(11),
        NextAttemptAt = Time(r.GetInt64(12)),
        LeaseOwner = r.IsDBNull(13) ? null : r.GetString(13),
        LeaseExpiresAt = r.IsDBNull(14) ? null : Time(r.GetInt64(14)),
        LeaseToken = r.IsDBNull(15) ? null : r.GetString(15),
        CreatedAt = Time(r.GetInt64(16)),
        UpdatedAt = Time(r.GetInt64(17)),
        ReplayOf = r.IsDBNull(18) ? null : r.GetString(18),
    };

    /// <summary>Reads a history row whose columns, from <paramref name="o"/> on, are in the durable stores' common order
    /// (id, integration id, delivery id, attempt, created, updated, document).</summary>
    public static HistoryRecord ReadHistory(System.Data.Common.DbDataReader r, int o = 0) => new()
    {
        Id = r.GetString(o),
        IntegrationId = r.GetString(o + 1),
        DeliveryId = r.IsDBNull(o + 2) ? null : r.GetString(o + 2),
        Attempt = r.GetInt32(o + 3),
        CreatedAt = Time(r.GetInt64(o + 4)),
        UpdatedAt = Time(r.GetInt64(o + 5)),
        Document = JsonNode.Parse(r.GetString(o + 6))?.AsObject() ?? [],
    };

    /// <summary>The case-folded name that the GEN-11 substring filter searches.</summary>
    public static string NameKey(string name) => name.ToUpperInvariant();

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        options.Converters.Add(new JsonStringEnumConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
