using System.Text.Json.Nodes;
using ChatIntegrations.Security;

namespace ChatIntegrations.Delivery.History;

/// <summary>Builds one history record (DLV-20) step by step, with the Rocket.Chat step names (DLV-21). The record is
/// stored once, redacted, when the attempt ends (DLV-20 allows that).</summary>
internal sealed class AttemptHistory
{
    private readonly JsonObject _doc;
    private readonly JsonArray _steps = [];
    private readonly DateTimeOffset _createdAt;

    private AttemptHistory(string id, string integrationId, string? deliveryId, int attempt, JsonObject doc, DateTimeOffset now)
    {
        Id = id;
        IntegrationId = integrationId;
        DeliveryId = deliveryId;
        Attempt = attempt;
        _doc = doc;
        _createdAt = now;
        _doc["steps"] = _steps;
    }

    public string Id { get; }

    public string IntegrationId { get; }

    public string? DeliveryId { get; }

    public int Attempt { get; }

    public string? LastStep { get; private set; }

    public JsonObject Document => _doc;

    /// <summary>A new record id for a run of an attempt. An attempt cut short by a shutdown or restart is not counted
    /// (DLV-30, DLV-39), so the same attempt number can run again; each run gets its own record.</summary>
    public static string AttemptRecordId(string deliveryId, int attempt) => FormattableString.Invariant($"{deliveryId}-{attempt}-{Tokens.NewId()[..8]}");

    /// <summary>Starts the record of attempt <paramref name="attempt"/> of <paramref name="delivery"/>.</summary>
    public static AttemptHistory ForAttempt(Integration integration, DeliveryRecord delivery, int attempt, DateTimeOffset now, string type = "outgoing-webhook")
    {
        var doc = Base(integration, type, now);
        doc["deliveryId"] = delivery.Id;
        doc["attempt"] = attempt;
        if (delivery.ReplayOf is not null) doc["replayOf"] = delivery.ReplayOf;
        if (delivery.Event is not null) doc["event"] = delivery.Event;
        if (delivery.TriggerWord is not null) doc["triggerWord"] = delivery.TriggerWord;
        doc["url"] = delivery.Url;
        doc["ranPrepareScript"] = false;
        return new AttemptHistory(AttemptRecordId(delivery.Id, attempt), integration.Id, delivery.Id, attempt, doc, now);
    }

    /// <summary>Starts a record that belongs to no attempt (<c>queue-full</c>, <c>loop-suspected</c>; DLV-20).</summary>
    public static AttemptHistory WithoutAttempt(Integration integration, string? eventName, string? triggerWord, JsonObject? data, DateTimeOffset now, string type = "outgoing-webhook")
    {
        var doc = Base(integration, type, now);
        doc["attempt"] = 0;
        if (eventName is not null) doc["event"] = eventName;
        if (triggerWord is not null) doc["triggerWord"] = triggerWord;
        if (data is not null) doc["data"] = data.DeepClone();
        return new AttemptHistory(Tokens.NewId(), integration.Id, null, 0, doc, now);
    }

    public void Set(string key, JsonNode? value) => _doc[key] = value;

    public AttemptHistory Step(string name, DateTimeOffset at)
    {
        LastStep = name;
        _doc["step"] = name;
        _steps.Add(new JsonObject { ["name"] = name, ["at"] = Outgoing.OutgoingPayload.FormatDate(at) });
        return this;
    }

    public void Error(string? reason = null, string? stack = null)
    {
        _doc["error"] = true;
        if (reason is not null) _doc["errorReason"] = reason;
        if (stack is not null) _doc["errorStack"] = stack;
    }

    public void AddSentMessage(string key, string channel, JsonObject message)
    {
        if (_doc[key] is not JsonArray list) _doc[key] = list = [];
        list.Add(new JsonObject { ["channel"] = channel, ["message"] = message });
    }

    /// <summary>The redacted record to store (SEC-16).</summary>
    public HistoryRecord ToRecord(Integration? integration, bool finished, DateTimeOffset now)
    {
        // One pass copies and redacts (token keys of the payloads, every occurrence of the integration's secrets).
        var secrets = HistoryRedactor.SecretsOf(integration);
        return Record(HistoryRedactor.RedactedCopy(_doc, secrets), secrets, finished, now);
    }

    /// <summary>The redacted record to store (SEC-16), made from this builder's own document, redacted where it stands
    /// rather than copied (half the allocations of an attempt's history): for the end of an attempt. The record's
    /// document is the builder's, so a store must copy or serialise it when it saves it (all do); the builder may still
    /// add steps (a shutdown that cancels the write adds one), and redacting again changes nothing.</summary>
    /// <param name="integration">The integration whose secrets are redacted.</param>
    /// <param name="finished">Whether the record is final (DLV-22).</param>
    /// <param name="now">The record's update time.</param>
    /// <param name="json">The record's document, serialised.</param>
    /// <remarks>The <c>token</c> keys of the payloads are redacted first; the integration's secrets are then looked for
    /// in the serialised document, and only a document that may hold one is walked string by string (usually none
    /// does). A key holding a secret is then moved after the record's own keys, where the copy puts it before them.</remarks>
    public HistoryRecord TakeRecord(Integration? integration, bool finished, DateTimeOffset now, out string json)
    {
        var secrets = HistoryRedactor.SecretsOf(integration);
        HistoryRedactor.RedactInPlace(_doc, []);
        var record = Record(_doc, secrets, finished, now);
        json = _doc.ToJsonString();
        if (HistoryRedactor.MayContainSecret(json, secrets))
        {
            HistoryRedactor.RedactInPlace(_doc, secrets);
            json = _doc.ToJsonString();
        }

        return record;
    }

    private HistoryRecord Record(JsonObject doc, IReadOnlyList<string> secrets, bool finished, DateTimeOffset now)
    {
        doc["_id"] = HistoryRedactor.Scrub(Id, secrets);
        doc["finished"] = finished; // DLV-22
        doc["_createdAt"] = Outgoing.OutgoingPayload.FormatDate(_createdAt);
        doc["_updatedAt"] = Outgoing.OutgoingPayload.FormatDate(now);
        return new HistoryRecord
        {
            Id = Id,
            IntegrationId = IntegrationId,
            DeliveryId = DeliveryId,
            Attempt = Attempt,
            CreatedAt = _createdAt,
            UpdatedAt = now,
            Document = doc,
        };
    }

    private static JsonObject Base(Integration integration, string type, DateTimeOffset now) => new()
    {
        ["type"] = type,
        ["integration"] = new JsonObject { ["_id"] = integration.Id, ["name"] = integration.Name, ["version"] = integration.Version },
        ["error"] = false,
    };
}
