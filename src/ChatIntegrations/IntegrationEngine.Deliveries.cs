using System.Security.Claims;
using System.Text.Json.Nodes;
using ChatIntegrations.Outgoing;

namespace ChatIntegrations;

// The dashboard's delivery overview (issue 15): pending and scheduled deliveries, and per-integration figures in the
// list answer. Both read what history already shows (DLV-20, SEC-16) and the queue's bookkeeping; never a payload, a
// prepared request, a URL, a lease token or an integration secret.
public sealed partial class IntegrationEngine
{
    /// <summary>The window of <c>failuresLastHour</c> in the list answer.</summary>
    private static readonly TimeSpan FailureWindow = TimeSpan.FromHours(1);

    /// <summary>Lists an integration's unfinished deliveries: queued, scheduled for a retry, or leased and in flight,
    /// earliest next attempt first (DLV-4, DLV-14, GEN-11). Needs <see cref="IntegrationOperation.ViewHistory"/>, as
    /// the history does.</summary>
    /// <param name="actor">Who asks.</param>
    /// <param name="integrationId">The integration id, or <see cref="OmnichannelWebhookId"/>.</param>
    /// <param name="offset">Deliveries to skip (≥ 0). The default is 0.</param>
    /// <param name="count">Page size (1–100). The default is 25.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The GEN-12 answer: <c>{deliveries, offset, count, total}</c>. Each delivery has <c>_id</c>,
    /// <c>kind</c>, <c>event</c>, <c>triggerWord</c>, <c>state</c> (<c>pending</c> or <c>leased</c>),
    /// <c>attempts</c>, <c>nextAttemptAt</c>, <c>_createdAt</c>, <c>_updatedAt</c>, for a leased one
    /// <c>leaseOwner</c> and <c>leaseExpiresAt</c>, and, when a failed attempt was recorded, <c>lastError</c> and
    /// <c>lastErrorAt</c> (from the redacted history record). Payloads and URLs are not part of it.</returns>
    /// <remarks>A delivery leaves the list once it is finished (succeeded, failed for good, or cancelled).</remarks>
    public Task<AdministrationResult> GetPendingDeliveriesAsync(ClaimsPrincipal actor, string integrationId, int offset = 0, int count = 25,
        CancellationToken cancellationToken = default) =>
        Guard(actor, async () =>
        {
            ArgumentNullException.ThrowIfNull(integrationId);
            if (offset < 0) return AdministrationResult.Fail("error-invalid-field", "offset", "offset must be >= 0");
            if (count is < 1 or > 100) return AdministrationResult.Fail("error-invalid-field", "count", "count must be 1 to 100");
            if (integrationId == OmnichannelWebhookId)
            {
                if (!await AuthorizeAsync(actor, IntegrationOperation.ViewHistory, OmnichannelResource, cancellationToken).ConfigureAwait(false)) return Denied();
            }
            else
            {
                var current = Managed(await _store.GetAsync(integrationId, cancellationToken).ConfigureAwait(false));
                if (current is null) return AdministrationResult.Fail("error-not-found");
                if (!await AuthorizeAsync(actor, IntegrationOperation.ViewHistory, current, cancellationToken).ConfigureAwait(false)) return Denied();
            }

            var page = await _store.ListPendingDeliveriesAsync(integrationId, offset, count, cancellationToken).ConfigureAwait(false);
            var items = new JsonArray();
            foreach (var d in page.Items) items.Add(WritePending(d));
            return AdministrationResult.Ok(new JsonObject { ["deliveries"] = items, ["offset"] = offset, ["count"] = page.Items.Count, ["total"] = page.Total });
        });

    /// <summary>Adds <c>lastDelivery</c> (<c>{outcome, at, step}</c> or <see langword="null"/>) and
    /// <c>failuresLastHour</c> to the outgoing integrations of a list page whose history <paramref name="actor"/> may
    /// view, with one store call for the page. Other rows get neither key.</summary>
    private async Task AddDeliveryStatsAsync(ClaimsPrincipal actor, List<(Integration Integration, JsonObject Document)> rows, CancellationToken cancellationToken)
    {
        var shown = new List<(Integration Integration, JsonObject Document)>();
        foreach (var row in rows)
        {
            if (row.Integration.Type != IntegrationType.Outgoing) continue; // only outgoing integrations have deliveries
            // The figures come from history (DLV-24): ViewHistory per row, asked quietly, since a list without them is
            // an ordinary answer, not a denied operation.
            if (await AuthorizeAsync(actor, IntegrationOperation.ViewHistory, row.Integration, cancellationToken, logDenial: false).ConfigureAwait(false)) shown.Add(row);
        }

        if (shown.Count == 0) return;
        var since = _time.GetUtcNow() - FailureWindow;
        var stats = await _store.GetDeliveryStatsAsync(shown.Select(r => r.Integration.Id).ToList(), since, cancellationToken).ConfigureAwait(false);
        foreach (var (integration, doc) in shown)
        {
            stats.TryGetValue(integration.Id, out var s);
            doc["lastDelivery"] = s?.LastOutcome is { } outcome
                ? new JsonObject
                {
                    ["outcome"] = outcome == DeliveryOutcome.Succeeded ? "success" : "failure",
                    ["at"] = s.LastOutcomeAt is { } at ? OutgoingPayload.FormatDate(at) : null,
                    ["step"] = s.LastStep,
                }
                : null;
            doc["failuresLastHour"] = s?.FailuresSince ?? 0;
        }
    }

    private static JsonObject WritePending(PendingDelivery d)
    {
        var doc = new JsonObject
        {
            ["_id"] = d.Id,
            ["kind"] = d.Kind == DeliveryKind.Omnichannel ? "omnichannel" : "outgoing",
            ["event"] = d.Event,
            ["triggerWord"] = d.TriggerWord,
            ["state"] = d.State == DeliveryState.Leased ? "leased" : "pending",
            ["attempts"] = d.Attempts,
            ["nextAttemptAt"] = OutgoingPayload.FormatDate(d.NextAttemptAt),
            ["_createdAt"] = OutgoingPayload.FormatDate(d.CreatedAt),
            ["_updatedAt"] = OutgoingPayload.FormatDate(d.UpdatedAt),
        };
        if (d.State == DeliveryState.Leased)
        {
            doc["leaseOwner"] = d.LeaseOwner;
            doc["leaseExpiresAt"] = d.LeaseExpiresAt is { } expires ? OutgoingPayload.FormatDate(expires) : null;
        }

        if (d.LastError is not null)
        {
            doc["lastError"] = d.LastError;
            doc["lastErrorAt"] = d.LastErrorAt is { } at ? OutgoingPayload.FormatDate(at) : null;
        }

        return doc;
    }
}
