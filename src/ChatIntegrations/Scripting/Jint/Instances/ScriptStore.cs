using System.Collections.Concurrent;
using System.Text;

namespace ChatIntegrations.Scripting.Jint.Instances;

/// <summary>The <c>Store</c> of one (integration id, version) on this node (SCR-52): JSON text per key, at most
/// <c>MaxStoreKeys</c> keys and <c>MaxStoreBytes</c> (by default 1000 keys and 1 MiB).</summary>
/// <remarks>Thread-safe. Independent of the script instance, so it survives rebuilds and eviction.</remarks>
internal sealed class ScriptStore
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly int _maxKeys;
    private readonly long _maxBytes;
    private readonly StoreRegistry? _registry;

    public ScriptStore(int maxKeys, long maxBytes, StoreRegistry? registry = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxKeys);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        _maxKeys = maxKeys;
        _maxBytes = maxBytes;
        _registry = registry;
    }

    /// <summary>Gets the UTF-8 bytes held (keys and values).</summary>
    public long Bytes { get; private set; }

    public long LastUsed { get; private set; }

    /// <summary>Stores <paramref name="json"/> under <paramref name="key"/>, or removes the key when it is
    /// <see langword="null"/>.</summary>
    /// <returns><see langword="false"/> when the Store limits would be exceeded; nothing changes then.</returns>
    public bool TrySet(string key, string? json, long now)
    {
        long delta;
        lock (_lock)
        {
            LastUsed = now;
            long old = _values.TryGetValue(key, out var previous) ? Size(key, previous) : 0;
            if (json is null)
            {
                _values.Remove(key);
                delta = -old;
            }
            else
            {
                long size = Size(key, json);
                if (previous is null && _values.Count >= _maxKeys)
                {
                    return false;
                }

                if (Bytes - old + size > _maxBytes)
                {
                    return false;
                }

                _values[key] = json;
                delta = size - old;
            }

            Bytes += delta;
        }

        _registry?.OnSizeChanged(this, delta);
        return true;
    }

    public string? Get(string key, long now)
    {
        lock (_lock)
        {
            LastUsed = now;
            return _values.TryGetValue(key, out var json) ? json : null;
        }
    }

    private static long Size(string key, string json) => Encoding.UTF8.GetByteCount(key) + Encoding.UTF8.GetByteCount(json);
}

/// <summary>All Stores of the node, keyed by (integration id, version), bounded by <c>MaxStoreBytesPerNode</c>
/// (SCR-52): beyond it the least-recently-used Store is discarded. Each Store it creates is bounded by
/// <paramref name="maxKeysPerStore"/> and <paramref name="maxBytesPerStore"/>.</summary>
/// <remarks>Thread-safe.</remarks>
internal sealed class StoreRegistry(long maxBytes, int maxKeysPerStore, long maxBytesPerStore, Action<string, long>? onDiscarded = null)
{
    private readonly ConcurrentDictionary<(string Id, long Version), ScriptStore> _stores = new();
    private long _totalBytes;

    public long TotalBytes => Interlocked.Read(ref _totalBytes);

    public ScriptStore Get(string integrationId, long version)
    {
        var store = _stores.GetOrAdd((integrationId, version), _ => new ScriptStore(maxKeysPerStore, maxBytesPerStore, this));

        // SCR-52: a Store is discarded when the version changes.
        foreach (var key in _stores.Keys)
        {
            if (key.Id == integrationId && key.Version != version && _stores.TryRemove(key, out var old))
            {
                Interlocked.Add(ref _totalBytes, -old.Bytes);
            }
        }

        return store;
    }

    /// <summary>Discards the Stores of a deleted integration.</summary>
    public void Forget(string integrationId)
    {
        foreach (var key in _stores.Keys)
        {
            if (key.Id == integrationId && _stores.TryRemove(key, out var old))
            {
                Interlocked.Add(ref _totalBytes, -old.Bytes);
            }
        }
    }

    internal void OnSizeChanged(ScriptStore store, long delta)
    {
        if (Interlocked.Add(ref _totalBytes, delta) <= maxBytes)
        {
            return;
        }

        // Over the node budget: discard least-recently-used Stores other than the one being written.
        foreach (var (key, victim) in _stores.OrderBy(p => p.Value.LastUsed).ToList())
        {
            if (Interlocked.Read(ref _totalBytes) <= maxBytes)
            {
                break;
            }

            if (!ReferenceEquals(victim, store) && _stores.TryRemove(key, out _))
            {
                Interlocked.Add(ref _totalBytes, -victim.Bytes);
                onDiscarded?.Invoke(key.Id, key.Version);
            }
        }
    }
}
