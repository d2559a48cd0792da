using System.Collections.Concurrent;
using ChatIntegrations.Delivery.History;
using ChatIntegrations.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatIntegrations.Delivery;

/// <summary>The delivery dispatcher (GEN-6): recovers its own leases on start (DLV-39), claims due deliveries up to
/// <c>Dispatcher.MaxConcurrency</c> (DLV-5, DLV-31), sleeps on the injected clock until the next due time, the poll
/// interval or an in-process signal (DLV-18), backs off while the store is down (GEN-14), purges old history hourly
/// (DLV-25), and stops gracefully (DLV-30).</summary>
internal sealed class DeliveryDispatcher : IHostedService, IAsyncDisposable
{
    private readonly IIntegrationStore _store;
    private readonly Lazy<DeliveryProcessor> _processor;
    private readonly DeliverySignal _signal;
    private readonly TimeProvider _time;
    private readonly IOptionsMonitor<ChatIntegrationsOptions> _options;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, Task> _inFlight = new(StringComparer.Ordinal);
    private CancellationTokenSource? _stopClaiming;
    private CancellationTokenSource? _abort;
    private Task? _loop;
    private DateTimeOffset _nextPurge = DateTimeOffset.MinValue;

    // The processor is resolved at the first claim, so that a host can start before it registers its sink and
    // directory (they are needed only to deliver).
    public DeliveryDispatcher(IIntegrationStore store, Lazy<DeliveryProcessor> processor, DeliverySignal signal, TimeProvider time,
        IOptionsMonitor<ChatIntegrationsOptions> options, ILoggerFactory loggerFactory)
    {
        _store = store;
        _processor = processor;
        _signal = signal;
        _time = time;
        _options = options;
        _logger = loggerFactory.CreateLogger(LogCategories.Delivery);
    }

    /// <summary>Gets the number of attempts in flight (for tests and diagnostics).</summary>
    public int InFlight => _inFlight.Count;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_loop is not null) return;
        _stopClaiming = new CancellationTokenSource();
        _abort = new CancellationTokenSource();
        var released = 0;
        try
        {
            released = await RecoverAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IntegrationStoreUnavailableException ex)
        {
            Log.StoreUnavailable(_logger, ex); // the loop retries recovery with back-off (GEN-14)
            released = -1;
        }

        Log.DispatcherStarted(_logger, _options.CurrentValue.NodeId, Math.Max(released, 0));
        _loop = Task.Run(() => RunAsync(recovered: released >= 0, _stopClaiming.Token), CancellationToken.None);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_loop is null || _stopClaiming is null || _abort is null) return;
        await _stopClaiming.CancelAsync().ConfigureAwait(false); // DLV-30: stop claiming
        _signal.Set();
        await _loop.ConfigureAwait(false);

        // In-flight attempts may finish within the grace period; then they are cancelled.
        var pending = Task.WhenAll(_inFlight.Values.ToArray());
        var grace = _options.CurrentValue.Dispatcher.ShutdownGracePeriod;
        if (!pending.IsCompleted)
        {
            using var graceCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var delay = Task.Delay(grace, _time, graceCts.Token);
            await Task.WhenAny(pending, delay).ConfigureAwait(false);
            await graceCts.CancelAsync().ConfigureAwait(false);
        }

        await _abort.CancelAsync().ConfigureAwait(false);
        await pending.ConfigureAwait(false);
        _loop = null;
        Log.DispatcherStopped(_logger, _options.CurrentValue.NodeId);
    }

    public async ValueTask DisposeAsync()
    {
        if (_loop is not null) await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _stopClaiming?.Dispose();
        _abort?.Dispose();
    }

    /// <summary>DLV-39: return this node's leased deliveries to pending, with a <c>cancelled-by-restart</c> record for
    /// the interrupted attempt.</summary>
    private async Task<int> RecoverAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var released = await _store.ReleaseLeasesAsync(_options.CurrentValue.NodeId, now, cancellationToken).ConfigureAwait(false);
        foreach (var d in released)
        {
            var integration = await _store.GetAsync(d.IntegrationId, cancellationToken).ConfigureAwait(false);
            if (integration is not { RecordHistory: true }) continue;
            // Records are written once, when an attempt ends (DLV-20), so the interrupted attempt has none yet.
            var type = d.Kind == DeliveryKind.Omnichannel ? Omnichannel.OmnichannelPublisher.HistoryType : "outgoing-webhook";
            var history = AttemptHistory.ForAttempt(integration, d, d.Attempts + 1, now, type).Step("cancelled-by-restart", now);
            await _store.SaveHistoryAsync(history.ToRecord(integration, finished: true, now), cancellationToken).ConfigureAwait(false);
        }

        return released.Count;
    }

    private async Task RunAsync(bool recovered, CancellationToken stop)
    {
        var backoff = TimeSpan.Zero;
        while (!stop.IsCancellationRequested)
        {
            var options = _options.CurrentValue;
            try
            {
                if (backoff > TimeSpan.Zero) await Task.Delay(backoff, _time, stop).ConfigureAwait(false);
                if (!recovered)
                {
                    await RecoverAsync(stop).ConfigureAwait(false);
                    recovered = true;
                }

                await PurgeIfDueAsync(options, stop).ConfigureAwait(false);
                var free = options.Dispatcher.MaxConcurrency - _inFlight.Count;
                var claimed = 0;
                var now = _time.GetUtcNow();
                if (free > 0)
                {
                    var due = await _store.ClaimDueAsync(options.NodeId, now, options.Dispatcher.LeaseDuration, free, stop).ConfigureAwait(false);
                    claimed = due.Count;
                    Dictionary<string, SharedIntegrationRead>? reads = null;
                    foreach (var d in due)
                    {
                        // DLV-6: the outgoing deliveries of one integration claimed together share one re-read.
                        SharedIntegrationRead? read = null;
                        if (d.Kind == DeliveryKind.Outgoing)
                        {
                            reads ??= new Dictionary<string, SharedIntegrationRead>(StringComparer.Ordinal);
                            if (!reads.TryGetValue(d.IntegrationId, out read))
                            {
                                reads.Add(d.IntegrationId, read = new SharedIntegrationRead(_store, d.IntegrationId, _abort!.Token));
                            }
                        }

                        Start(d, read);
                    }
                }

                backoff = TimeSpan.Zero;
                if (claimed > 0 && claimed == free) continue; // there may be more due; claim again when a slot frees

                // Wake at the next due time or after one poll interval, both counted from the claim's reading of the
                // clock: whatever fell due after that reading is due by then.
                var wake = now + options.Dispatcher.PollInterval;
                if (free > 0 && claimed < free)
                {
                    var next = await _store.GetNextDueAsync(stop).ConfigureAwait(false);
                    if (next is { } at && at < wake) wake = at;
                }

                await _signal.WaitAsync(wake, _time, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (IntegrationStoreUnavailableException ex)
            {
                // GEN-14: 1 s, doubling, at most 30 s.
                backoff = backoff == TimeSpan.Zero ? TimeSpan.FromSeconds(1) : TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
                Log.DispatcherBackoff(_logger, ex, backoff);
            }
            catch (Exception ex)
            {
                Log.DispatcherFailed(_logger, ex);
                backoff = TimeSpan.FromSeconds(1);
            }
        }
    }

    private void Start(DeliveryRecord delivery, SharedIntegrationRead? integration)
    {
        var abort = _abort!.Token;
        var registered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var task = Task.Run(async () =>
        {
            await registered.Task.ConfigureAwait(false);
            try
            {
                await _processor.Value.ProcessAsync(delivery, abort, integration).ConfigureAwait(false);
            }
            finally
            {
                _inFlight.TryRemove(delivery.Id, out _);
                _signal.Set(); // a slot is free
            }
        }, CancellationToken.None);
        _inFlight.TryAdd(delivery.Id, task);
        registered.SetResult();
    }

    /// <summary>DLV-25: at least hourly, delete history and finished deliveries older than <c>HistoryRetention</c>.</summary>
    private async Task PurgeIfDueAsync(ChatIntegrationsOptions options, CancellationToken stop)
    {
        var now = _time.GetUtcNow();
        if (now < _nextPurge) return;
        var before = now - options.HistoryRetention;
        var removed = await _store.PurgeAsync(before, stop).ConfigureAwait(false);
        _nextPurge = now + Defaults.HistoryPurgeInterval;
        if (removed > 0) Log.HistoryPurged(_logger, removed, before);
    }
}
