using System.Security.Claims;
using System.Text.Json.Nodes;
using ChatIntegrations.Administration;
using ChatIntegrations.Delivery;
using ChatIntegrations.Delivery.Signing;
using ChatIntegrations.Diagnostics;
using ChatIntegrations.Incoming;
using ChatIntegrations.Omnichannel;
using ChatIntegrations.Outgoing;
using ChatIntegrations.Security;
using ChatIntegrations.Security.Ssrf;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatIntegrations;

/// <summary>
/// The single public entry point of the library (GEN-2): incoming webhook requests, chat events and administration.
/// </summary>
/// <remarks>The engine is thread-safe and is registered as a singleton by <c>AddChatIntegrations()</c>.</remarks>
public sealed partial class IntegrationEngine
{
    private readonly IIntegrationStore _store;
    private readonly IChatDirectory _directory;
    private readonly IScriptHost _scripts;
    private readonly IIntegrationAuthorizer? _authorizer;
    private readonly TimeProvider _time;
    private readonly IOptionsMonitor<ChatIntegrationsOptions> _options;
    private readonly ILogger _logger;
    private readonly IncomingPipeline _incoming;
    private readonly OutgoingPublisher _outgoing;
    private readonly DeliverySignal _signal;
    private readonly OmnichannelPublisher _omnichannel;
    private readonly Telemetry _telemetry;

    internal IntegrationEngine(
        IIntegrationStore store,
        IChatDirectory directory,
        IMessageSink sink,
        IScriptHost scripts,
        IIntegrationAuthorizer? authorizer,
        TimeProvider time,
        IOptionsMonitor<ChatIntegrationsOptions> options,
        ILoggerFactory loggerFactory,
        Telemetry telemetry,
        OutgoingPublisher outgoing,
        DeliverySignal signal,
        OutboundHttpClient http)
    {
        _outgoing = outgoing;
        _signal = signal;
        _telemetry = telemetry;
        _store = store;
        _directory = directory;
        _scripts = scripts;
        _authorizer = authorizer;
        _time = time;
        _options = options;
        _logger = loggerFactory.CreateLogger(LogCategories.Engine);
        _incoming = new IncomingPipeline(store, directory, sink, scripts, time, options, loggerFactory, telemetry);
        _omnichannel = new OmnichannelPublisher(store, signal, http, time, options, _logger);
    }

    /// <summary>Handles one incoming webhook request (incoming.md, IN-9).</summary>
    /// <param name="request">What the host's HTTP server received.</param>
    /// <param name="cancellationToken">A token that cancels the request.</param>
    /// <returns>The status, headers and JSON body to send back unchanged.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is <see langword="null"/>.</exception>
    public Task<IncomingWebhookResponse> HandleIncomingAsync(IncomingWebhookRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return _incoming.HandleAsync(request, cancellationToken);
    }

    /// <summary>Reports a chat event (OUT-10, OUT-14). Matching outgoing integrations get one delivery per URL,
    /// enqueued in the store before this returns (GEN-3, DLV-2); no HTTP call or script runs here.</summary>
    /// <param name="chatEvent">The event.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>A task that completes once the deliveries are enqueued. A full queue is not an error (DLV-38).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="chatEvent"/> is <see langword="null"/>.</exception>
    /// <exception cref="IntegrationStoreUnavailableException">The store stayed unavailable for
    /// <see cref="StoreOptions.PublishTimeout"/> (GEN-14).</exception>
    public async Task PublishAsync(ChatEvent chatEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(chatEvent);
        await _outgoing.PublishAsync(chatEvent, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Lists an integration's delivery history, newest first (DLV-24, GEN-11). Needs
    /// <see cref="IntegrationOperation.ViewHistory"/>.</summary>
    /// <param name="actor">Who asks.</param>
    /// <param name="integrationId">The integration id.</param>
    /// <param name="offset">Records to skip (≥ 0). The default is 0.</param>
    /// <param name="count">Page size (1–100). The default is 25.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The GEN-12 answer: <c>{history, offset, count, total}</c>.</returns>
    public Task<AdministrationResult> GetHistoryAsync(ClaimsPrincipal actor, string integrationId, int offset = 0, int count = 25,
        CancellationToken cancellationToken = default) =>
        Guard(actor, async () =>
        {
            ArgumentNullException.ThrowIfNull(integrationId);
            if (offset < 0) return AdministrationResult.Fail("error-invalid-field", "offset", "offset must be >= 0");
            if (count is < 1 or > 100) return AdministrationResult.Fail("error-invalid-field", "count", "count must be 1 to 100");
            if (integrationId == OmnichannelWebhookId) return await OmnichannelHistoryAsync(actor, offset, count, cancellationToken).ConfigureAwait(false);
            var current = Managed(await _store.GetAsync(integrationId, cancellationToken).ConfigureAwait(false));
            if (current is null) return AdministrationResult.Fail("error-not-found");
            if (!await AuthorizeAsync(actor, IntegrationOperation.ViewHistory, current, cancellationToken).ConfigureAwait(false)) return Denied();
            var page = await _store.ListHistoryAsync(integrationId, offset, count, cancellationToken).ConfigureAwait(false);
            var items = new JsonArray();
            foreach (var h in page.Items) items.Add(h.Document.DeepClone());
            return AdministrationResult.Ok(new JsonObject { ["history"] = items, ["offset"] = offset, ["count"] = page.Items.Count, ["total"] = page.Total });
        });

    /// <summary>Deletes all history records of an integration (DLV-26). Needs <see cref="IntegrationOperation.ClearHistory"/>.</summary>
    /// <param name="actor">Who asks.</param>
    /// <param name="integrationId">The integration id.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The GEN-12 answer: <c>{deleted}</c>.</returns>
    public Task<AdministrationResult> ClearHistoryAsync(ClaimsPrincipal actor, string integrationId, CancellationToken cancellationToken = default) =>
        Guard(actor, async () =>
        {
            ArgumentNullException.ThrowIfNull(integrationId);
            if (integrationId == OmnichannelWebhookId) return await ClearOmnichannelHistoryCoreAsync(actor, cancellationToken).ConfigureAwait(false);
            var current = Managed(await _store.GetAsync(integrationId, cancellationToken).ConfigureAwait(false));
            if (current is null) return AdministrationResult.Fail("error-not-found");
            if (!await AuthorizeAsync(actor, IntegrationOperation.ClearHistory, current, cancellationToken).ConfigureAwait(false)) return Denied();
            var deleted = await _store.ClearHistoryAsync(integrationId, cancellationToken).ConfigureAwait(false);
            return AdministrationResult.Ok(new JsonObject { ["deleted"] = deleted });
        });

    /// <summary>Sends a recorded delivery again as a new delivery, from its original payload and URL, with the current
    /// token and prepare script (DLV-27, DLV-28). Needs <see cref="IntegrationOperation.ReplayHistory"/>.</summary>
    /// <param name="actor">Who asks.</param>
    /// <param name="integrationId">The integration id.</param>
    /// <param name="historyId">The history record id.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The GEN-12 answer: <c>{deliveryId, replayOf}</c>, or <c>integration-type-must-be-outgoing</c>,
    /// <c>history-data-must-be-defined</c>, <c>integration-disabled</c>.</returns>
    public Task<AdministrationResult> ReplayAsync(ClaimsPrincipal actor, string integrationId, string historyId, CancellationToken cancellationToken = default) =>
        Guard(actor, async () =>
        {
            ArgumentNullException.ThrowIfNull(integrationId);
            ArgumentNullException.ThrowIfNull(historyId);
            if (integrationId == OmnichannelWebhookId) return await ReplayOmnichannelCoreAsync(actor, historyId, cancellationToken).ConfigureAwait(false);
            var current = Managed(await _store.GetAsync(integrationId, cancellationToken).ConfigureAwait(false));
            if (current is null) return AdministrationResult.Fail("error-not-found");
            if (!await AuthorizeAsync(actor, IntegrationOperation.ReplayHistory, current, cancellationToken).ConfigureAwait(false)) return Denied();
            if (current.Type != IntegrationType.Outgoing) return AdministrationResult.Fail("integration-type-must-be-outgoing");
            if (!current.Enabled) return AdministrationResult.Fail("integration-disabled");
            var record = await _store.GetHistoryAsync(integrationId, historyId, cancellationToken).ConfigureAwait(false);
            if (record is null) return AdministrationResult.Fail("error-not-found");
            var original = record.DeliveryId is { } deliveryId ? await _store.GetDeliveryAsync(deliveryId, cancellationToken).ConfigureAwait(false) : null;
            if (original is null || string.IsNullOrEmpty(original.Payload)) return AdministrationResult.Fail("history-data-must-be-defined");

            // DLV-27: a new delivery from the original, unredacted payload; the token and prepare script are current.
            var now = _time.GetUtcNow();
            var replay = new DeliveryRecord
            {
                Id = DeliveryIds.New(_time),
                Kind = DeliveryKind.Outgoing,
                IntegrationId = current.Id,
                IntegrationVersion = current.Version,
                Url = original.Url,
                Payload = original.Payload,
                Event = original.Event,
                TriggerWord = original.TriggerWord,
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
        });

    /// <summary>Generates a new Standard Webhooks signing secret (32 random bytes) and stores it as the newest
    /// (GEN-9, DLV-40). The secret is returned only here. Needs <see cref="IntegrationOperation.UpdateIntegration"/>.</summary>
    /// <param name="actor">Who asks.</param>
    /// <param name="integrationId">The integration id.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The GEN-12 answer: <c>{_id, secret, signingSecretCount, version}</c>, or <c>error-too-many-secrets</c>.</returns>
    public Task<AdministrationResult> AddSigningSecretAsync(ClaimsPrincipal actor, string integrationId, CancellationToken cancellationToken = default) =>
        Guard(actor, async () =>
        {
            ArgumentNullException.ThrowIfNull(integrationId);
            var current = Managed(await _store.GetAsync(integrationId, cancellationToken).ConfigureAwait(false));
            if (current is null) return AdministrationResult.Fail("error-not-found");
            if (!await AuthorizeAsync(actor, IntegrationOperation.UpdateIntegration, current, cancellationToken).ConfigureAwait(false)) return Denied();
            if (current.Type != IntegrationType.Outgoing) return AdministrationResult.Fail("integration-type-must-be-outgoing");
            if (current.SigningSecrets.Count >= 2) return AdministrationResult.Fail("error-too-many-secrets");
            var secret = SigningSecrets.Generate();
            var next = current with { SigningSecrets = [.. current.SigningSecrets, secret], Version = current.Version + 1, UpdatedAt = _time.GetUtcNow() };
            if (!await _store.TryUpdateAsync(next, current.Version, cancellationToken).ConfigureAwait(false)) return AdministrationResult.Fail("error-version-conflict");
            Log.IntegrationChanged(_logger, integrationId, next.Type, "signing secret added", ActorName(actor));
            await _outgoing.Index.InvalidateAsync(cancellationToken).ConfigureAwait(false);
            return AdministrationResult.Ok(new JsonObject
            {
                ["_id"] = integrationId, ["secret"] = secret, ["signingSecretCount"] = next.SigningSecrets.Count, ["version"] = next.Version,
            });
        });

    /// <summary>Removes the <c>oldest</c> or the <c>newest</c> signing secret (GEN-9, DLV-40). Needs
    /// <see cref="IntegrationOperation.UpdateIntegration"/>.</summary>
    /// <param name="actor">Who asks.</param>
    /// <param name="integrationId">The integration id.</param>
    /// <param name="which"><c>oldest</c> or <c>newest</c>.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The GEN-12 answer: <c>{_id, signingSecretCount, version}</c>.</returns>
    public Task<AdministrationResult> RemoveSigningSecretAsync(ClaimsPrincipal actor, string integrationId, string which, CancellationToken cancellationToken = default) =>
        Guard(actor, async () =>
        {
            ArgumentNullException.ThrowIfNull(integrationId);
            if (which is not ("oldest" or "newest")) return AdministrationResult.Fail("error-invalid-field", "which", "which must be oldest or newest");
            var current = Managed(await _store.GetAsync(integrationId, cancellationToken).ConfigureAwait(false));
            if (current is null) return AdministrationResult.Fail("error-not-found");
            if (!await AuthorizeAsync(actor, IntegrationOperation.UpdateIntegration, current, cancellationToken).ConfigureAwait(false)) return Denied();
            if (current.SigningSecrets.Count == 0) return AdministrationResult.Fail("error-not-found", "signingSecrets");
            var remaining = which == "oldest" ? current.SigningSecrets.Skip(1).ToArray() : current.SigningSecrets.Take(current.SigningSecrets.Count - 1).ToArray();
            var next = current with { SigningSecrets = remaining, Version = current.Version + 1, UpdatedAt = _time.GetUtcNow() };
            if (!await _store.TryUpdateAsync(next, current.Version, cancellationToken).ConfigureAwait(false)) return AdministrationResult.Fail("error-version-conflict");
            Log.IntegrationChanged(_logger, integrationId, next.Type, "signing secret removed", ActorName(actor));
            await _outgoing.Index.InvalidateAsync(cancellationToken).ConfigureAwait(false);
            return AdministrationResult.Ok(new JsonObject { ["_id"] = integrationId, ["signingSecretCount"] = next.SigningSecrets.Count, ["version"] = next.Version });
        });

    /// <summary>Creates an integration from a Rocket.Chat-style document (GEN-9). The answer carries
    /// <c>integration</c> with its <c>_id</c> and <c>token</c>.</summary>
    /// <param name="actor">Who asks.</param>
    /// <param name="document">The integration document (<c>type</c> <c>webhook-incoming</c> or <c>webhook-outgoing</c>).</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The GEN-12 answer.</returns>
    public Task<AdministrationResult> CreateAsync(ClaimsPrincipal actor, JsonObject document, CancellationToken cancellationToken = default) =>
        Guard(actor, () => AddAsync(actor, document, import: false, cancellationToken));

    /// <summary>Imports a Rocket.Chat integration document, keeping its <c>_id</c> and <c>token</c> (GEN-8).</summary>
    /// <param name="actor">Who asks.</param>
    /// <param name="document">The exported Rocket.Chat document or <c>integrations.create</c> body.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The GEN-12 answer, with <c>integration</c> and <c>defaulted</c>.</returns>
    public Task<AdministrationResult> ImportAsync(ClaimsPrincipal actor, JsonObject document, CancellationToken cancellationToken = default) =>
        Guard(actor, () => AddAsync(actor, document, import: true, cancellationToken));

    /// <summary>Updates an integration with the keys of <paramref name="changes"/> (GEN-9).</summary>
    /// <param name="actor">Who asks.</param>
    /// <param name="id">The integration id.</param>
    /// <param name="changes">The keys to change, with Rocket.Chat's names.</param>
    /// <param name="expectedVersion">When given, the update fails with <c>error-version-conflict</c> unless the stored
    /// version equals it.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The GEN-12 answer, with <c>integration</c>.</returns>
    public Task<AdministrationResult> UpdateAsync(ClaimsPrincipal actor, string id, JsonObject changes, long? expectedVersion = null, CancellationToken cancellationToken = default) =>
        Guard(actor, async () =>
        {
            ArgumentNullException.ThrowIfNull(changes);
            var current = Managed(await _store.GetAsync(id, cancellationToken).ConfigureAwait(false));
            if (current is null) return AdministrationResult.Fail("error-not-found");
            if (!await AuthorizeAsync(actor, IntegrationOperation.UpdateIntegration, current, cancellationToken).ConfigureAwait(false)) return Denied();
            if (expectedVersion is { } ev && ev != current.Version) return AdministrationResult.Fail("error-version-conflict");
            if (changes["type"] is JsonValue tv && IntegrationDocument.ParseType(tv.ToString()) != current.Type)
            {
                return AdministrationResult.Fail("error-invalid-field", "type", "the type of an integration cannot change");
            }

            var (draft, fieldError, _) = IntegrationDocument.Read(changes, current);
            if (fieldError is not null) return AdministrationResult.Fail(fieldError.Error, fieldError.Field, fieldError.Message);
            var next = draft!;

            // IN-1: an incoming token changes only by regenerate; OUT-1: an outgoing token may be set.
            if (current.Type == IntegrationType.Outgoing && changes["token"] is JsonValue tok && tok.ToString() is { Length: > 0 } t) next = next with { Token = t };
            if (ScriptChanged(current, next) && _options.CurrentValue.Scripts.Frozen) return AdministrationResult.Fail("integration-scripts-disabled");
            var (valid, error) = await ValidateAsync(actor, next, cancellationToken).ConfigureAwait(false);
            if (error is not null) return error;
            next = valid! with { Version = current.Version + 1, UpdatedAt = _time.GetUtcNow() };
            if (!await _store.TryUpdateAsync(next, current.Version, cancellationToken).ConfigureAwait(false)) return AdministrationResult.Fail("error-version-conflict");
            Log.IntegrationChanged(_logger, id, next.Type, "updated", ActorName(actor));
            await _outgoing.Index.InvalidateAsync(cancellationToken).ConfigureAwait(false);
            return AdministrationResult.Ok(new JsonObject { ["integration"] = IntegrationDocument.Write(next, includeToken: true) });
        });

    /// <summary>Deletes an integration (GEN-9).</summary>
    /// <param name="actor">Who asks.</param>
    /// <param name="id">The integration id.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The GEN-12 answer.</returns>
    public Task<AdministrationResult> DeleteAsync(ClaimsPrincipal actor, string id, CancellationToken cancellationToken = default) =>
        Guard(actor, async () =>
        {
            var current = Managed(await _store.GetAsync(id, cancellationToken).ConfigureAwait(false));
            if (current is null) return AdministrationResult.Fail("error-not-found");
            if (!await AuthorizeAsync(actor, IntegrationOperation.DeleteIntegration, current, cancellationToken).ConfigureAwait(false)) return Denied();
            if (!await _store.DeleteAsync(id, cancellationToken).ConfigureAwait(false)) return AdministrationResult.Fail("error-not-found");
            Log.IntegrationChanged(_logger, id, current.Type, "deleted", ActorName(actor));
            await _outgoing.Index.InvalidateAsync(cancellationToken).ConfigureAwait(false);
            return AdministrationResult.Ok(new JsonObject { ["_id"] = id });
        });

    /// <summary>Gets one integration, token included (GEN-9).</summary>
    /// <param name="actor">Who asks.</param>
    /// <param name="id">The integration id.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The GEN-12 answer, with <c>integration</c>.</returns>
    public Task<AdministrationResult> GetAsync(ClaimsPrincipal actor, string id, CancellationToken cancellationToken = default) =>
        Guard(actor, async () =>
        {
            var current = Managed(await _store.GetAsync(id, cancellationToken).ConfigureAwait(false));
            if (current is null) return AdministrationResult.Fail("error-not-found");
            if (!await AuthorizeAsync(actor, IntegrationOperation.ViewIntegration, current, cancellationToken).ConfigureAwait(false)) return Denied();
            return AdministrationResult.Ok(new JsonObject { ["integration"] = IntegrationDocument.Write(current, includeToken: true) });
        });

    /// <summary>Lists integrations with filters and paging (GEN-11). Tokens are omitted.</summary>
    /// <param name="actor">Who asks.</param>
    /// <param name="query">Filters and paging.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The GEN-12 answer: <c>{integrations, offset, count, total}</c>.</returns>
    /// <remarks>Each outgoing integration whose history the actor may view
    /// (<see cref="IntegrationOperation.ViewHistory"/>) also has <c>lastDelivery</c>, the outcome of its latest finished
    /// delivery attempt as <c>{outcome: "success"|"failure", at, step}</c> (<see langword="null"/> when none is
    /// recorded), and <c>failuresLastHour</c>, its failed attempts in the hour before the engine's current time. Both
    /// come from history (DLV-20); an integration that records no history (DLV-23) shows none.</remarks>
    public Task<AdministrationResult> ListAsync(ClaimsPrincipal actor, IntegrationQuery query, CancellationToken cancellationToken = default) =>
        Guard(actor, async () =>
        {
            ArgumentNullException.ThrowIfNull(query);
            if (query.Offset < 0) return AdministrationResult.Fail("error-invalid-field", "offset", "offset must be >= 0");
            if (query.Count is < 1 or > 100) return AdministrationResult.Fail("error-invalid-field", "count", "count must be 1 to 100");
            if (!await AuthorizeAsync(actor, IntegrationOperation.ViewIntegration, null, cancellationToken).ConfigureAwait(false)) return Denied();
            var page = await _store.ListAsync(query, cancellationToken).ConfigureAwait(false);
            var items = new JsonArray();
            var rows = new List<(Integration, JsonObject)>(page.Items.Count);
            var hidden = 0;
            foreach (var i in page.Items)
            {
                if (i.Type == IntegrationType.Omnichannel) { hidden++; continue; } // the omnichannel settings record (OMNI-1) is not an integration
                var doc = IntegrationDocument.Write(i, includeToken: false);
                rows.Add((i, doc));
                items.Add(doc);
            }

            await AddDeliveryStatsAsync(actor, rows, cancellationToken).ConfigureAwait(false);

            var total = page.Total - (query.Type is null && await HasOmnichannelRecordAsync(query, cancellationToken).ConfigureAwait(false) ? 1 : 0);
            return AdministrationResult.Ok(new JsonObject { ["integrations"] = items, ["offset"] = query.Offset, ["count"] = page.Items.Count - hidden, ["total"] = total });
        });

    /// <summary>Exports an integration in the shape import accepts (GEN-8).</summary>
    /// <param name="actor">Who asks.</param>
    /// <param name="id">The integration id.</param>
    /// <param name="includeSecrets">Whether <c>token</c> and signing secrets are included; needs <see cref="IntegrationOperation.ExportSecrets"/>.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The GEN-12 answer, with <c>integration</c>.</returns>
    public Task<AdministrationResult> ExportAsync(ClaimsPrincipal actor, string id, bool includeSecrets = false, CancellationToken cancellationToken = default) =>
        Guard(actor, async () =>
        {
            var current = Managed(await _store.GetAsync(id, cancellationToken).ConfigureAwait(false));
            if (current is null) return AdministrationResult.Fail("error-not-found");
            if (!await AuthorizeAsync(actor, IntegrationOperation.ViewIntegration, current, cancellationToken).ConfigureAwait(false)) return Denied();
            if (includeSecrets && !await AuthorizeAsync(actor, IntegrationOperation.ExportSecrets, current, cancellationToken).ConfigureAwait(false)) return Denied();
            var doc = IntegrationDocument.Write(current, includeToken: includeSecrets, includeSecrets: includeSecrets);
            doc.Remove("version");
            doc.Remove("signingSecretCount");
            return AdministrationResult.Ok(new JsonObject { ["integration"] = doc });
        });

    /// <summary>Replaces an integration's token with a new one (GEN-10); the old one fails at once.</summary>
    /// <param name="actor">Who asks.</param>
    /// <param name="id">The integration id.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The GEN-12 answer: <c>{_id, token, version}</c>.</returns>
    public Task<AdministrationResult> RegenerateTokenAsync(ClaimsPrincipal actor, string id, CancellationToken cancellationToken = default) =>
        Guard(actor, async () =>
        {
            var current = Managed(await _store.GetAsync(id, cancellationToken).ConfigureAwait(false));
            if (current is null) return AdministrationResult.Fail("error-not-found");
            if (!await AuthorizeAsync(actor, IntegrationOperation.RegenerateToken, current, cancellationToken).ConfigureAwait(false)) return Denied();
            var next = current with { Token = Tokens.NewToken(), Version = current.Version + 1, UpdatedAt = _time.GetUtcNow() };
            if (!await _store.TryUpdateAsync(next, current.Version, cancellationToken).ConfigureAwait(false)) return AdministrationResult.Fail("error-version-conflict");
            Log.IntegrationChanged(_logger, id, next.Type, "token regenerated", ActorName(actor));
            await _outgoing.Index.InvalidateAsync(cancellationToken).ConfigureAwait(false);
            return AdministrationResult.Ok(new JsonObject { ["_id"] = id, ["token"] = next.Token, ["version"] = next.Version });
        });

    /// <summary>Checks a script without saving anything (SCR-35). Authorised as
    /// <see cref="IntegrationOperation.CreateIntegration"/> for the given type (SEC-20).</summary>
    /// <param name="actor">Who asks.</param>
    /// <param name="source">The script source.</param>
    /// <param name="integrationType">The integration type it is meant for.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The GEN-12 answer: success, or <c>error-invalid-script</c> with <c>diagnostics</c>.</returns>
    public Task<AdministrationResult> ValidateScriptAsync(ClaimsPrincipal actor, string source, IntegrationType integrationType, CancellationToken cancellationToken = default) =>
        Guard(actor, async () =>
        {
            ArgumentNullException.ThrowIfNull(source);
            var resource = new IntegrationResource(null, integrationType, ActorName(actor));
            if (!await AuthorizeAsync(actor, IntegrationOperation.CreateIntegration, resource, cancellationToken).ConfigureAwait(false)) return Denied();
            var check = await _scripts.ValidateAsync(source, integrationType, cancellationToken).ConfigureAwait(false);
            return check.IsValid ? AdministrationResult.Ok(new JsonObject { ["diagnostics"] = new JsonArray() }) : IntegrationValidator.InvalidScript(check);
        });

    private async Task<AdministrationResult> AddAsync(ClaimsPrincipal actor, JsonObject document, bool import, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        var typeNode = document["type"];
        var type = IntegrationDocument.ParseType(typeNode is JsonValue tv && tv.GetValueKind() == System.Text.Json.JsonValueKind.String ? tv.GetValue<string>() : null);
        if (type is null) return AdministrationResult.Fail("error-invalid-field", "type", "type must be webhook-incoming or webhook-outgoing");
        var resource = new IntegrationResource(null, type, ActorName(actor));
        if (!await AuthorizeAsync(actor, IntegrationOperation.CreateIntegration, resource, cancellationToken).ConfigureAwait(false)) return Denied();
        if (import && !await AuthorizeAsync(actor, IntegrationOperation.ImportIntegration, resource, cancellationToken).ConfigureAwait(false)) return Denied();

        var now = _time.GetUtcNow();
        var id = Tokens.NewId();
        var token = Tokens.NewToken();
        if (import)
        {
            foreach (var key in document.Select(p => p.Key).Where(IntegrationDocument.IgnoredKeys.Contains)) Log.ImportIgnoredKey(_logger, key);
            if (document["_id"] is JsonValue idv)
            {
                id = idv.ToString();
                if (!Tokens.IsValidId(id)) return AdministrationResult.Fail("error-invalid-field", "_id", "_id must be 1–64 characters of [A-Za-z0-9_-] and not a reserved word");
            }
        }

        // OUT-1: the admin may set an outgoing token on create; GEN-8: import keeps a supplied token.
        if (document["token"] is JsonValue tokv && tokv.ToString() is { Length: > 0 } supplied && (import || type == IntegrationType.Outgoing)) token = supplied;

        var baseline = new Integration { Id = id, Type = type.Value, Token = token, CreatedAt = now, UpdatedAt = now, CreatedBy = ActorName(actor) };
        if (type == IntegrationType.Outgoing) baseline = baseline with { Event = "sendMessage" };
        var (draft, fieldError, defaulted) = IntegrationDocument.Read(document, baseline);
        if (fieldError is not null) return AdministrationResult.Fail(fieldError.Error, fieldError.Field, fieldError.Message);
        if (draft!.ScriptEnabled && !string.IsNullOrWhiteSpace(draft.Script) && _options.CurrentValue.Scripts.Frozen) return AdministrationResult.Fail("integration-scripts-disabled");
        var (valid, error) = await ValidateAsync(actor, draft, cancellationToken).ConfigureAwait(false);
        if (error is not null) return error;
        if (!await _store.TryAddAsync(valid!, cancellationToken).ConfigureAwait(false)) return AdministrationResult.Fail("error-duplicate-id", "_id");
        Log.IntegrationChanged(_logger, valid!.Id, valid.Type, import ? "imported" : "created", ActorName(actor));
        await _outgoing.Index.InvalidateAsync(cancellationToken).ConfigureAwait(false);
        var result = new JsonObject { ["integration"] = IntegrationDocument.Write(valid, includeToken: true) };
        if (import)
        {
            var d = new JsonArray();
            foreach (var k in defaulted) d.Add(k);
            result["defaulted"] = d;
        }

        return AdministrationResult.Ok(result);
    }

    private async Task<(Integration?, AdministrationResult?)> ValidateAsync(ClaimsPrincipal actor, Integration draft, CancellationToken cancellationToken)
    {
        var validator = new IntegrationValidator(_directory, _scripts, _options.CurrentValue);
        var (valid, error) = await validator.ValidateAsync(draft, cancellationToken).ConfigureAwait(false);
        if (error is not null) return (null, error);

        // SEC-21: the post-as user and impersonation are permissions of their own.
        var resource = new IntegrationResource(valid!.Id, valid.Type, valid.CreatedBy, User: valid.Username);
        if (!await AuthorizeAsync(actor, IntegrationOperation.PostAs, resource, cancellationToken).ConfigureAwait(false)) return (null, Denied());
        if (valid.Type == IntegrationType.Outgoing && valid.ImpersonateUser &&
            !await AuthorizeAsync(actor, IntegrationOperation.Impersonate, resource, cancellationToken).ConfigureAwait(false))
        {
            return (null, Denied());
        }

        return (valid, null);
    }

    private static bool ScriptChanged(Integration a, Integration b) => a.ScriptEnabled != b.ScriptEnabled || !string.Equals(a.Script, b.Script, StringComparison.Ordinal);

    private Task<bool> AuthorizeAsync(ClaimsPrincipal actor, IntegrationOperation operation, Integration? target, CancellationToken cancellationToken) =>
        AuthorizeAsync(actor, operation, target is null ? default : new IntegrationResource(target.Id, target.Type, target.CreatedBy), cancellationToken);

    private Task<bool> AuthorizeAsync(ClaimsPrincipal actor, IntegrationOperation operation, Integration target, CancellationToken cancellationToken, bool logDenial) =>
        AuthorizeAsync(actor, operation, new IntegrationResource(target.Id, target.Type, target.CreatedBy), cancellationToken, logDenial);

    private async Task<bool> AuthorizeAsync(ClaimsPrincipal actor, IntegrationOperation operation, IntegrationResource resource, CancellationToken cancellationToken, bool logDenial = true)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (_authorizer is null)
        {
            if (logDenial) Log.OperationDenied(_logger, operation, ActorName(actor)); // SEC-20: deny by default
            return false;
        }

        bool allowed;
        try
        {
            allowed = await _authorizer.AuthorizeAsync(actor, operation, resource, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.AuthorizerFailed(_logger, ex, operation);
            allowed = false;
        }

        if (!allowed && logDenial) Log.OperationDenied(_logger, operation, ActorName(actor));
        return allowed;
    }

    private static AdministrationResult Denied() => AdministrationResult.Fail("not_authorized");

    private static string ActorName(ClaimsPrincipal actor) => actor.Identity?.Name ?? "anonymous";

    private async Task<AdministrationResult> Guard(ClaimsPrincipal actor, Func<Task<AdministrationResult>> operation)
    {
        ArgumentNullException.ThrowIfNull(actor);
        try
        {
            return await operation().ConfigureAwait(false);
        }
        catch (IntegrationStoreUnavailableException ex)
        {
            Log.StoreUnavailable(_logger, ex);
            return AdministrationResult.Fail("error-store-unavailable"); // GEN-14
        }
    }
}
