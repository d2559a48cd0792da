using ChatIntegrations.Diagnostics;
using ChatIntegrations.Outgoing.Matching;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatIntegrations.Outgoing;

/// <summary>Keeps the current <see cref="TriggerIndex"/>: rebuilt from the store at first use, after every change made
/// through this engine, and every <c>TriggerIndexRefreshInterval</c> so that changes made by other nodes take effect.</summary>
/// <remarks>Thread-safe. Readers never wait for a periodic rebuild; they use the previous index meanwhile.</remarks>
internal sealed class TriggerIndexCache
{
    private readonly IIntegrationStore _store;
    private readonly TimeProvider _time;
    private readonly IOptionsMonitor<ChatIntegrationsOptions> _options;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _rebuild = new(1, 1);
    private volatile TriggerIndex? _index;
    private long _builtAt;
    private int _refreshing;

    public TriggerIndexCache(IIntegrationStore store, TimeProvider time, IOptionsMonitor<ChatIntegrationsOptions> options, ILoggerFactory loggerFactory)
    {
        _store = store;
        _time = time;
        _options = options;
        _logger = loggerFactory.CreateLogger(LogCategories.Engine);
    }

    /// <summary>Gets the current index, building it first if there is none yet.</summary>
    public async ValueTask<TriggerIndex> GetAsync(CancellationToken cancellationToken)
    {
        var index = _index;
        if (index is null) return await RebuildAsync(cancellationToken).ConfigureAwait(false);
        if (_time.GetElapsedTime(Interlocked.Read(ref _builtAt)) >= _options.CurrentValue.TriggerIndexRefreshInterval
            && Interlocked.CompareExchange(ref _refreshing, 1, 0) == 0)
        {
            _ = RefreshInBackgroundAsync();
        }

        return index;
    }

    /// <summary>Rebuilds the index now from the store's enabled outgoing integrations.</summary>
    public async ValueTask<TriggerIndex> RebuildAsync(CancellationToken cancellationToken)
    {
        await _rebuild.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var started = _time.GetTimestamp();
            var all = new List<Integration>();
            const int PageSize = 100;
            for (var offset = 0; ; offset += PageSize)
            {
                var page = await _store.ListAsync(new IntegrationQuery { Type = IntegrationType.Outgoing, Enabled = true, Offset = offset, Count = PageSize },
                    cancellationToken).ConfigureAwait(false);
                all.AddRange(page.Items);
                if (page.Items.Count < PageSize || offset + PageSize >= page.Total) break;
            }

            // A stable order: oldest first, so that one publish enqueues in creation order.
            all.Sort((a, b) => a.CreatedAt != b.CreatedAt ? a.CreatedAt.CompareTo(b.CreatedAt) : string.CompareOrdinal(a.Id, b.Id));
            var index = TriggerIndex.Build(all);
            _index = index;
            Interlocked.Exchange(ref _builtAt, started);
            return index;
        }
        finally
        {
            _rebuild.Release();
        }
    }

    /// <summary>Rebuilds after a change made through this engine; a failure keeps the old index until the next refresh.</summary>
    public async Task InvalidateAsync(CancellationToken cancellationToken)
    {
        try
        {
            await RebuildAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IntegrationStoreUnavailableException ex)
        {
            Interlocked.Exchange(ref _builtAt, long.MinValue / 2); // refresh at next use
            Log.IndexRebuildFailed(_logger, ex);
        }
    }

    private async Task RefreshInBackgroundAsync()
    {
        try
        {
            await RebuildAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IntegrationStoreUnavailableException or InvalidOperationException)
        {
            Log.IndexRebuildFailed(_logger, ex);
        }
        finally
        {
            Volatile.Write(ref _refreshing, 0);
        }
    }
}
