using System.Text.Json.Nodes;

namespace ChatIntegrations;

/// <summary>What a delivery is for (DLV-1).</summary>
public enum DeliveryKind
{
    /// <summary>An outgoing webhook call.</summary>
    Outgoing,
    /// <summary>An omnichannel webhook call.</summary>
    Omnichannel,
}

/// <summary>The states of a delivery (DLV-4).</summary>
public enum DeliveryState
{
    /// <summary>Waiting for <see cref="DeliveryRecord.NextAttemptAt"/>.</summary>
    Pending,
    /// <summary>Claimed by a node, which holds <see cref="DeliveryRecord.LeaseToken"/>.</summary>
    Leased,
    /// <summary>Finished successfully.</summary>
    Succeeded,
    /// <summary>Finished with a final failure or with retries exhausted.</summary>
    Failed,
    /// <summary>Finished without a request (script, disabled integration, removed URL).</summary>
    Cancelled,
}

/// <summary>
/// One HTTP call to be made for an (event, integration, URL) triple or for an omnichannel event (DLV-1). Stores keep
/// every property; <see cref="Payload"/> and <see cref="PreparedRequest"/> are opaque JSON texts to them.
/// </summary>
public sealed record DeliveryRecord
{
    /// <summary>Gets the stable delivery id, <c>dlv_</c> + 32 lowercase hex digits (DLV-7).</summary>
    public required string Id { get; init; }

    /// <summary>Gets the delivery kind.</summary>
    public required DeliveryKind Kind { get; init; }

    /// <summary>Gets the integration id (the omnichannel webhook uses <c>omnichannel</c>).</summary>
    public required string IntegrationId { get; init; }

    /// <summary>Gets the integration version at enqueue time.</summary>
    public long IntegrationVersion { get; init; }

    /// <summary>Gets the target URL.</summary>
    public required string Url { get; init; }

    /// <summary>Gets the original payload as JSON text, without <c>token</c> (DLV-1).</summary>
    public required string Payload { get; init; }

    /// <summary>Gets the event name, for history.</summary>
    public string? Event { get; init; }

    /// <summary>Gets the trigger word that fired, for history.</summary>
    public string? TriggerWord { get; init; }

    /// <summary>Gets the prepared request as JSON text (SCR-24), once prepared.</summary>
    public string? PreparedRequest { get; init; }

    /// <summary>Gets the integration version the request was prepared under (SCR-24, DLV-6).</summary>
    public long? PreparedVersion { get; init; }

    /// <summary>Gets the state.</summary>
    public DeliveryState State { get; init; } = DeliveryState.Pending;

    /// <summary>Gets the number of attempts made.</summary>
    public int Attempts { get; init; }

    /// <summary>Gets when the delivery is next due.</summary>
    public DateTimeOffset NextAttemptAt { get; init; }

    /// <summary>Gets the node holding the lease (DLV-31).</summary>
    public string? LeaseOwner { get; init; }

    /// <summary>Gets when the lease expires.</summary>
    public DateTimeOffset? LeaseExpiresAt { get; init; }

    /// <summary>Gets the lease token every later change is conditioned on (DLV-33).</summary>
    public string? LeaseToken { get; init; }

    /// <summary>Gets when the delivery was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Gets when the delivery last changed.</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Gets the delivery this one replays (DLV-27).</summary>
    public string? ReplayOf { get; init; }
}

/// <summary>A state change of a leased delivery, conditioned on its lease token (DLV-33).</summary>
public sealed record DeliveryUpdate
{
    /// <summary>Gets the delivery id.</summary>
    public required string DeliveryId { get; init; }

    /// <summary>Gets the lease token the caller holds.</summary>
    public required string LeaseToken { get; init; }

    /// <summary>Gets the new state; <see cref="DeliveryState.Leased"/> is not allowed.</summary>
    public required DeliveryState State { get; init; }

    /// <summary>Gets the attempts made so far.</summary>
    public int Attempts { get; init; }

    /// <summary>Gets when a <see cref="DeliveryState.Pending"/> delivery is due again.</summary>
    public DateTimeOffset NextAttemptAt { get; init; }

    /// <summary>Gets the prepared request to keep (SCR-24); <see langword="null"/> clears it.</summary>
    public string? PreparedRequest { get; init; }

    /// <summary>Gets the version the request was prepared under.</summary>
    public long? PreparedVersion { get; init; }

    /// <summary>Gets the time of the change.</summary>
    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>One history record (DLV-20). Stores keep <see cref="Document"/> as JSON and index the other properties.</summary>
public sealed record HistoryRecord
{
    /// <summary>Gets the record id.</summary>
    public required string Id { get; init; }

    /// <summary>Gets the integration id the record belongs to (<c>omnichannel</c> for the omnichannel webhook).</summary>
    public required string IntegrationId { get; init; }

    /// <summary>Gets the delivery id, when the record belongs to an attempt.</summary>
    public string? DeliveryId { get; init; }

    /// <summary>Gets the 1-based attempt number, or 0 for records without an attempt.</summary>
    public int Attempt { get; init; }

    /// <summary>Gets when the record was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Gets when the record last changed; retention and ordering use it (DLV-24, DLV-25).</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Gets the record's content with the DLV-20 keys, already redacted (SEC-16).</summary>
    public required JsonObject Document { get; init; }
}

/// <summary>One page of history records (GEN-11).</summary>
/// <param name="Items">The page, newest first.</param>
/// <param name="Total">The total number of records.</param>
public sealed record HistoryPage(IReadOnlyList<HistoryRecord> Items, int Total);
