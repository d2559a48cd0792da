using System.Collections.Concurrent;

namespace ChatIntegrations.Storage;

/// <summary>An <see cref="IIntegrationStore"/> that keeps everything in memory. For tests and demos: nothing survives
/// a restart.</summary>
/// <remarks>Thread-safe.</remarks>
public sealed class InMemoryIntegrationStore : IIntegrationStore
{
    private readonly ConcurrentDictionary<string, Integration> _items = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public ValueTask<Integration?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        return ValueTask.FromResult(_items.TryGetValue(id, out var i) ? i : null);
    }

    /// <inheritdoc />
    public ValueTask<bool> TryAddAsync(Integration integration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(integration);
        return ValueTask.FromResult(_items.TryAdd(integration.Id, integration));
    }

    /// <inheritdoc />
    public ValueTask<bool> TryUpdateAsync(Integration integration, long expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(integration);
        while (_items.TryGetValue(integration.Id, out var current))
        {
            if (current.Version != expectedVersion) return ValueTask.FromResult(false);
            if (_items.TryUpdate(integration.Id, integration, current)) return ValueTask.FromResult(true);
        }

        return ValueTask.FromResult(false);
    }

    /// <inheritdoc />
    public ValueTask<bool> DeleteAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        return ValueTask.FromResult(_items.TryRemove(id, out _));
    }

    /// <inheritdoc />
    public ValueTask<IntegrationPage> ListAsync(IntegrationQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var matches = _items.Values
            .Where(i => query.Type is null || i.Type == query.Type)
            .Where(i => query.Enabled is null || i.Enabled == query.Enabled)
            .Where(i => string.IsNullOrEmpty(query.Name) || i.Name.Contains(query.Name, StringComparison.OrdinalIgnoreCase))
            .OrderByDescending(i => i.UpdatedAt)
            .ThenBy(i => i.Id, StringComparer.Ordinal)
            .ToList();
        var page = matches.Skip(query.Offset).Take(query.Count).ToList();
        return ValueTask.FromResult(new IntegrationPage(page, matches.Count));
    }
}
