namespace ChatIntegrations;

/// <summary>An unfinished delivery (pending, scheduled for a retry, or leased and in flight) as an overview shows it:
/// no payload, no prepared request and no lease token.</summary>
public sealed record PendingDelivery
{
    /// <summary>Gets the delivery id.</summary>
    public required string Id { get; init; }

    /// <summary>Gets the delivery kind.</summary>
    public required DeliveryKind Kind { get; init; }

    /// <summary>Gets the integration id (<c>omnichannel</c> for the omnichannel webhook).</summary>
    public required string IntegrationId { get; init; }

    /// <summary>Gets the event name.</summary>
    public string? Event { get; init; }

    /// <summary>Gets the trigger word that fired.</summary>
    public string? TriggerWord { get; init; }

    /// <summary>Gets the state: <see cref="DeliveryState.Pending"/> or <see cref="DeliveryState.Leased"/>.</summary>
    public DeliveryState State { get; init; }

    /// <summary>Gets the number of attempts made.</summary>
    public int Attempts { get; init; }

    /// <summary>Gets when the delivery is due: the next attempt of a pending delivery, or the time a leased one fell
    /// due.</summary>
    public DateTimeOffset NextAttemptAt { get; init; }

    /// <summary>Gets when the delivery was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Gets when the delivery last changed.</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Gets the node holding the lease of a leased delivery.</summary>
    public string? LeaseOwner { get; init; }

    /// <summary>Gets when the lease of a leased delivery expires.</summary>
    public DateTimeOffset? LeaseExpiresAt { get; init; }

    /// <summary>Gets the error of the delivery's latest failed attempt, from its history record (<c>errorReason</c>,
    /// else <c>step</c>; already redacted, SEC-16), or <see langword="null"/> when no failed attempt was recorded.</summary>
    public string? LastError { get; init; }

    /// <summary>Gets when the record of <see cref="LastError"/> was last updated.</summary>
    public DateTimeOffset? LastErrorAt { get; init; }
}

/// <summary>One page of unfinished deliveries (GEN-11).</summary>
/// <param name="Items">The page, earliest <see cref="PendingDelivery.NextAttemptAt"/> first.</param>
/// <param name="Total">The total number of unfinished deliveries of the integration.</param>
public sealed record PendingDeliveryPage(IReadOnlyList<PendingDelivery> Items, int Total);

/// <summary>The outcome of a finished delivery attempt, as its history record tells it (DLV-22).</summary>
public enum DeliveryOutcome
{
    /// <summary>The attempt succeeded (<c>error</c> is <see langword="false"/>).</summary>
    Succeeded,
    /// <summary>The attempt failed (<c>error</c> is <see langword="true"/>), whether a retry follows or not.</summary>
    Failed,
}

/// <summary>Delivery figures of one integration, from its history records of delivery attempts.</summary>
/// <param name="IntegrationId">The integration id.</param>
/// <param name="LastOutcome">The outcome of the latest finished attempt, or <see langword="null"/> when none is
/// recorded. Attempts cut short by a shutdown or restart (DLV-30, DLV-39) are not outcomes.</param>
/// <param name="LastOutcomeAt">When the record of <paramref name="LastOutcome"/> was last updated.</param>
/// <param name="LastStep">The last step of that record (DLV-21), such as <c>going-to-retry-1</c>.</param>
/// <param name="FailuresSince">The number of failed attempts whose records were updated at or after the requested
/// instant.</param>
public sealed record DeliveryStats(string IntegrationId, DeliveryOutcome? LastOutcome, DateTimeOffset? LastOutcomeAt, string? LastStep, int FailuresSince);
