using System.Security.Claims;
using System.Text.Json.Nodes;
using ChatIntegrations.Delivery.Signing;
using ChatIntegrations.Diagnostics;
using ChatIntegrations.Omnichannel;

namespace ChatIntegrations;

/// <summary>The omnichannel (live-chat) webhook: publishing (OMNI-4), settings (OMNI-1), test (OMNI-36), history and
/// replay (DLV-24..DLV-27).</summary>
public sealed partial class IntegrationEngine
{
    /// <summary>The id under which the omnichannel webhook's settings, deliveries and history are kept. Pass it to
    /// <see cref="GetHistoryAsync"/>, <see cref="ClearHistoryAsync"/> and <see cref="ReplayAsync"/> to reach the
    /// omnichannel history. It is reserved: no integration can use it.</summary>
    public const string OmnichannelWebhookId = OmnichannelSettings.Id;

    private static IntegrationResource OmnichannelResource => new(OmnichannelWebhookId, IntegrationType.Omnichannel, null);

    /// <summary>Reports a live-chat event (OMNI-4, OMNI-10). When the webhook has a URL and the event's toggle is on
    /// (OMNI-3, OMNI-11, OMNI-12), one delivery is enqueued in the store before this returns (GEN-3, OMNI-34); no HTTP
    /// call runs here.</summary>
    /// <param name="omnichannelEvent">The event, with snapshots of the room, visitor, agent and messages.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>A task that completes once the delivery is enqueued, or once the engine decided not to send. A full
    /// queue is not an error (DLV-38).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="omnichannelEvent"/> is <see langword="null"/>, or lacks
    /// the <see cref="OmnichannelEvent.Room"/> (or, for offline messages, the
    /// <see cref="OmnichannelEvent.OfflineMessage"/>) it needs.</exception>
    /// <exception cref="IntegrationStoreUnavailableException">The store stayed unavailable for
    /// <see cref="StoreOptions.PublishTimeout"/> (GEN-14).</exception>
    public async Task PublishOmnichannelAsync(OmnichannelEvent omnichannelEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(omnichannelEvent);
        await _omnichannel.PublishAsync(omnichannelEvent, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Gets the omnichannel webhook settings (OMNI-1). The secret token is never returned, only
    /// <c>secretTokenSet</c>; signing secrets only as <c>signingSecretCount</c> (GEN-9). Needs
    /// <see cref="IntegrationOperation.ManageOmnichannelWebhook"/>.</summary>
    /// <param name="actor">Who asks.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The GEN-12 answer: <c>{settings}</c>.</returns>
    public Task<AdministrationResult> GetOmnichannelSettingsAsync(ClaimsPrincipal actor, CancellationToken cancellationToken = default) =>
        Guard(actor, async () =>
        {
            if (!await AuthorizeAsync(actor, IntegrationOperation.ManageOmnichannelWebhook, OmnichannelResource, cancellationToken).ConfigureAwait(false)) return Denied();
            var stored = await _store.GetAsync(OmnichannelWebhookId, cancellationToken).ConfigureAwait(false);
            return AdministrationResult.Ok(new JsonObject { ["settings"] = OmnichannelSettings.From(stored).ToJson() });
        });

    /// <summary>Changes the omnichannel webhook settings (OMNI-1): the keys present in <paramref name="changes"/> are
    /// validated and applied, the others keep their values. Keys are <c>url</c>, <c>secretToken</c>, <c>timeoutMs</c>
    /// (1000–60000), the toggles (<c>onStart</c>, <c>onQueued</c>, <c>onTaken</c>, <c>onForward</c>, <c>onClose</c>,
    /// <c>onVisitorMessage</c>, <c>onAgentMessage</c>, <c>onOfflineMessage</c>, <c>onLeadCapture</c>, <c>onEdit</c>,
    /// <c>sendNavigationHistory</c>), <c>retryPolicy</c> (<c>standard</c>, <c>legacy</c>), <c>crmDataMode</c>
    /// (<c>text</c>, <c>legacy-data</c>, <c>json</c>) and <c>signingSecrets</c>; Rocket.Chat's setting ids are accepted
    /// too. An optional <c>expectedVersion</c> guards against concurrent changes. Needs
    /// <see cref="IntegrationOperation.ManageOmnichannelWebhook"/>.</summary>
    /// <param name="actor">Who asks.</param>
    /// <param name="changes">The settings to change.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The GEN-12 answer: <c>{settings}</c> (without the secret), or <c>error-invalid-field</c> with the
    /// <c>field</c> and a <c>message</c>, or <c>error-version-conflict</c>.</returns>
    public Task<AdministrationResult> SaveOmnichannelSettingsAsync(ClaimsPrincipal actor, JsonObject changes, CancellationToken cancellationToken = default) =>
        Guard(actor, async () =>
        {
            ArgumentNullException.ThrowIfNull(changes);
            if (!await AuthorizeAsync(actor, IntegrationOperation.ManageOmnichannelWebhook, OmnichannelResource, cancellationToken).ConfigureAwait(false)) return Denied();
            var stored = await _store.GetAsync(OmnichannelWebhookId, cancellationToken).ConfigureAwait(false);
            if (stored is not null && stored.Type != IntegrationType.Omnichannel) return AdministrationResult.Fail("error-duplicate-id", "_id");
            var current = OmnichannelSettings.From(stored);
            var body = (JsonObject)changes.DeepClone();
            if (body.TryGetPropertyValue("expectedVersion", out var ev))
            {
                body.Remove("expectedVersion");
                if (ev is not null)
                {
                    if (!OmnichannelSettings.TryInteger(ev, out var expected))
                    {
                        return AdministrationResult.Fail("error-invalid-field", "expectedVersion", "expectedVersion must be an integer");
                    }

                    if (expected != current.Version) return AdministrationResult.Fail("error-version-conflict");
                }
            }

            var (next, field, message) = current.Apply(body);
            if (next is null) return AdministrationResult.Fail("error-invalid-field", field, message);
            var record = next.ToIntegration(stored, _time.GetUtcNow(), ActorName(actor));
            var saved = stored is null
                ? await _store.TryAddAsync(record, cancellationToken).ConfigureAwait(false)
                : await _store.TryUpdateAsync(record, stored.Version, cancellationToken).ConfigureAwait(false);
            if (!saved) return AdministrationResult.Fail("error-version-conflict");
            Log.OmnichannelSettingsSaved(_logger, ActorName(actor), record.Version);
            return AdministrationResult.Ok(new JsonObject { ["settings"] = OmnichannelSettings.From(record).ToJson() });
        });

    /// <summary>POSTs a fixed sample <c>LivechatSession</c> payload to the configured URL, synchronously and once, with
    /// the current headers (OMNI-36). Needs <see cref="IntegrationOperation.TestOmnichannelWebhook"/>.</summary>
    /// <param name="actor">Who asks.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The GEN-12 answer: <c>{status:200}</c> on a 200 answer; otherwise
    /// <c>error-invalid-webhook-response</c> with a <c>message</c> (the status or the network error code).</returns>
    public Task<AdministrationResult> TestOmnichannelWebhookAsync(ClaimsPrincipal actor, CancellationToken cancellationToken = default) =>
        Guard(actor, async () =>
        {
            if (!await AuthorizeAsync(actor, IntegrationOperation.TestOmnichannelWebhook, OmnichannelResource, cancellationToken).ConfigureAwait(false)) return Denied();
            var settings = OmnichannelSettings.From(await _store.GetAsync(OmnichannelWebhookId, cancellationToken).ConfigureAwait(false));
            var (ok, status, reason) = await _omnichannel.TestAsync(settings, cancellationToken).ConfigureAwait(false);
            if (ok) return AdministrationResult.Ok(new JsonObject { ["status"] = status });
            Log.OmnichannelTestFailed(_logger, ActorName(actor), reason ?? "unknown");
            return AdministrationResult.Fail("error-invalid-webhook-response", message: reason);
        });

    /// <summary>Sends a recorded omnichannel delivery again as a new delivery, from its original, unredacted payload,
    /// to the current URL, with the current <c>crmData</c> (DLV-27, DLV-28, OMNI-35). Needs
    /// <see cref="IntegrationOperation.ReplayHistory"/>.</summary>
    /// <param name="actor">Who asks.</param>
    /// <param name="historyId">The omnichannel history record id.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The GEN-12 answer: <c>{deliveryId, replayOf}</c>, or <c>error-not-found</c>,
    /// <c>history-data-must-be-defined</c>, <c>integration-disabled</c> (no URL).</returns>
    public Task<AdministrationResult> ReplayOmnichannelAsync(ClaimsPrincipal actor, string historyId, CancellationToken cancellationToken = default) =>
        Guard(actor, () => ReplayOmnichannelCoreAsync(actor, historyId, cancellationToken));

    private async Task<AdministrationResult> ReplayOmnichannelCoreAsync(ClaimsPrincipal actor, string historyId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(historyId);
        if (!await AuthorizeAsync(actor, IntegrationOperation.ReplayHistory, OmnichannelResource, cancellationToken).ConfigureAwait(false)) return Denied();
        var settings = OmnichannelSettings.From(await _store.GetAsync(OmnichannelWebhookId, cancellationToken).ConfigureAwait(false));
        var record = await _store.GetHistoryAsync(OmnichannelWebhookId, historyId, cancellationToken).ConfigureAwait(false);
        if (record is null) return AdministrationResult.Fail("error-not-found");
        if (settings.Url.Length == 0) return AdministrationResult.Fail("integration-disabled");
        var original = record.DeliveryId is { } deliveryId ? await _store.GetDeliveryAsync(deliveryId, cancellationToken).ConfigureAwait(false) : null;
        if (original is null || string.IsNullOrEmpty(original.Payload)) return AdministrationResult.Fail("history-data-must-be-defined");

        var now = _time.GetUtcNow();
        var replay = new DeliveryRecord
        {
            Id = DeliveryIds.New(_time),
            Kind = DeliveryKind.Omnichannel,
            IntegrationId = OmnichannelWebhookId,
            IntegrationVersion = settings.Version,
            Url = settings.Url,
            Payload = original.Payload,
            Event = original.Event,
            State = DeliveryState.Pending,
            NextAttemptAt = now,
            CreatedAt = now,
            UpdatedAt = now,
            ReplayOf = original.Id,
        };
        if (!await _store.EnqueueAsync([replay], _options.CurrentValue.MaxPendingDeliveries, cancellationToken).ConfigureAwait(false))
        {
            return AdministrationResult.Fail("queue-full");
        }

        _signal.Set();
        return AdministrationResult.Ok(new JsonObject { ["deliveryId"] = replay.Id, ["replayOf"] = original.Id });
    }

    private async Task<AdministrationResult> OmnichannelHistoryAsync(ClaimsPrincipal actor, int offset, int count, CancellationToken cancellationToken)
    {
        if (!await AuthorizeAsync(actor, IntegrationOperation.ViewHistory, OmnichannelResource, cancellationToken).ConfigureAwait(false)) return Denied();
        var page = await _store.ListHistoryAsync(OmnichannelWebhookId, offset, count, cancellationToken).ConfigureAwait(false);
        var items = new JsonArray();
        foreach (var h in page.Items) items.Add(h.Document.DeepClone());
        return AdministrationResult.Ok(new JsonObject { ["history"] = items, ["offset"] = offset, ["count"] = page.Items.Count, ["total"] = page.Total });
    }

    private async Task<AdministrationResult> ClearOmnichannelHistoryCoreAsync(ClaimsPrincipal actor, CancellationToken cancellationToken)
    {
        if (!await AuthorizeAsync(actor, IntegrationOperation.ClearHistory, OmnichannelResource, cancellationToken).ConfigureAwait(false)) return Denied();
        var deleted = await _store.ClearHistoryAsync(OmnichannelWebhookId, cancellationToken).ConfigureAwait(false);
        return AdministrationResult.Ok(new JsonObject { ["deleted"] = deleted });
    }

    /// <summary>The omnichannel settings record is not an integration: generic operations never see it (GEN-9: its
    /// secret is never returned).</summary>
    private static Integration? Managed(Integration? integration) => integration is { Type: IntegrationType.Omnichannel } ? null : integration;

    private async Task<bool> HasOmnichannelRecordAsync(IntegrationQuery query, CancellationToken cancellationToken)
    {
        var o = await _store.GetAsync(OmnichannelWebhookId, cancellationToken).ConfigureAwait(false);
        return o is { Type: IntegrationType.Omnichannel }
            && (query.Enabled is null || query.Enabled == o.Enabled)
            && (string.IsNullOrEmpty(query.Name) || o.Name.Contains(query.Name, StringComparison.OrdinalIgnoreCase));
    }
}
