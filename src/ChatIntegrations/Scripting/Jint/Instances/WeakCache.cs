namespace ChatIntegrations.Scripting.Jint.Instances;

/// <summary>Values by key, held weakly: an entry lives while something else references its value.</summary>
internal sealed class WeakCache<T>
    where T : class
{
    private readonly Dictionary<string, WeakReference<T>> _entries = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private int _addsSincePrune;

    public bool TryGet(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out T? value)
    {
        lock (_lock)
        {
            value = null;
            return _entries.TryGetValue(key, out var weak) && weak.TryGetTarget(out value);
        }
    }

    public void Add(string key, T value)
    {
        lock (_lock)
        {
            _entries[key] = new WeakReference<T>(value);
            if (++_addsSincePrune >= 256)
            {
                _addsSincePrune = 0;
                foreach (var dead in _entries.Where(e => !e.Value.TryGetTarget(out _)).Select(e => e.Key).ToList())
                {
                    _entries.Remove(dead);
                }
            }
        }
    }
}
