namespace ChatIntegrations.Incoming;

/// <summary>Resolves destination entries to rooms (IN-41..IN-43, IN-48), caching within one request.</summary>
internal sealed class DestinationResolver
{
    private readonly IChatDirectory _directory;
    private readonly ChatUser _sender;
    private readonly Dictionary<string, (ChatRoom? Room, string? Error)> _cache = new(StringComparer.Ordinal);

    public DestinationResolver(IChatDirectory directory, ChatUser sender)
    {
        _directory = directory;
        _sender = sender;
    }

    public async ValueTask<(ChatRoom? Room, string? Error)> ResolveAsync(string entry, CancellationToken cancellationToken)
    {
        if (_cache.TryGetValue(entry, out var cached)) return cached;
        var result = await ResolveCoreAsync(entry, cancellationToken).ConfigureAwait(false);
        _cache[entry] = result;
        return result;
    }

    private async ValueTask<(ChatRoom?, string?)> ResolveCoreAsync(string entry, CancellationToken cancellationToken)
    {
        const string Invalid = "invalid-channel";
        if (entry.Length > 1 && entry[0] == '#')
        {
            var room = await _directory.FindRoomAsync(entry[1..], cancellationToken).ConfigureAwait(false);
            return room is null ? (null, Invalid) : (room, null);
        }

        if (entry.Length > 1 && entry[0] == '@')
        {
            var name = entry[1..];
            var user = await _directory.FindUserAsync(name, byUsername: true, cancellationToken).ConfigureAwait(false);
            if (user is not null)
            {
                var dm = await _directory.GetDirectRoomAsync(_sender, user, cancellationToken).ConfigureAwait(false);
                return (dm.Value, dm.Value is null ? dm.Error ?? Invalid : null);
            }

            var byId = await _directory.FindRoomAsync(name, cancellationToken).ConfigureAwait(false);
            return byId is null || byId.Id != name ? (null, Invalid) : (byId, null);
        }

        var r = await _directory.FindRoomAsync(entry, cancellationToken).ConfigureAwait(false);
        if (r is not null) return (r, null);

        // IN-43: then a user id (never a username) giving a DM.
        var u = await _directory.FindUserAsync(entry, byUsername: false, cancellationToken).ConfigureAwait(false);
        if (u is not null)
        {
            var dm = await _directory.GetDirectRoomAsync(_sender, u, cancellationToken).ConfigureAwait(false);
            return (dm.Value, dm.Value is null ? dm.Error ?? Invalid : null);
        }

        return (null, Invalid);
    }

    /// <summary>IN-48: every body entry resolves to a room that one of the integration's own entries resolves to.</summary>
    public async ValueTask<bool> AllWithinAsync(IReadOnlyList<string> bodyEntries, IReadOnlyList<string> ownEntries, CancellationToken cancellationToken)
    {
        var own = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in ownEntries)
        {
            var (room, _) = await ResolveAsync(e, cancellationToken).ConfigureAwait(false);
            if (room is not null) own.Add(room.Id);
        }

        foreach (var e in bodyEntries)
        {
            var (room, _) = await ResolveAsync(e, cancellationToken).ConfigureAwait(false);
            if (room is null || !own.Contains(room.Id)) return false;
        }

        return true;
    }
}
