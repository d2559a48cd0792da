namespace ChatIntegrations.Outgoing.Matching;

/// <summary>
/// Collects the hits of one <see cref="TriggerIndex.Match"/> call: applies the per-event rules (OUT-47, OUT-50,
/// OUT-51), keeps one result per integration (OUT-13) with its first configured matching word (OUT-41), and
/// allocates nothing until a hit is accepted.
/// </summary>
internal struct MatchAccumulator
{
    private readonly TriggerIndex.Entry[] _entries;
    private readonly bool _isEdit;
    private readonly string? _botMarker;
    private long[]? _hits; // (entry ordinal << 32) | (word index + 1), so that sorting groups by entry, first word first
    private int _count;

    public MatchAccumulator(TriggerIndex.Entry[] entries, bool isEdit, string? botMarker)
    {
        _entries = entries;
        _isEdit = isEdit;
        _botMarker = botMarker;
        _hits = null;
        _count = 0;
    }

    public readonly bool IsEmpty => _count == 0;

    public void Add(TriggerHit hit)
    {
        var entry = _entries[hit.Entry];
        if (entry.IsMessageListener)
        {
            // OUT-50: integration messages fire only opted-in integrations; OUT-51: never the integration itself.
            if (_botMarker is not null && (!entry.TriggerOnIntegrationMessages || string.Equals(_botMarker, entry.Integration.Id, StringComparison.Ordinal))) return;

            // OUT-47: edits fire sendMessage integrations only with runOnEdits.
            if (_isEdit && entry.Event == ChatEventType.SendMessage && !entry.Integration.RunOnEdits) return;
        }

        _hits ??= new long[16];
        if (_count == _hits.Length) Array.Resize(ref _hits, _count * 2);
        _hits[_count++] = ((long)hit.Entry << 32) | (uint)(hit.Word + 1);
    }

    public readonly IReadOnlyList<TriggerMatch> ToResult()
    {
        if (_hits is null) return Array.Empty<TriggerMatch>();
        var hits = _hits.AsSpan(0, _count);
        hits.Sort();
        var distinct = 0;
        for (var i = 0; i < hits.Length; i++)
        {
            if (i == 0 || (hits[i] >> 32) != (hits[i - 1] >> 32)) distinct++;
        }

        var result = new TriggerMatch[distinct];
        var n = 0;
        for (var i = 0; i < hits.Length; i++)
        {
            // OUT-13: one result per integration; OUT-41: the first hit of a group has the lowest word index.
            if (i > 0 && (hits[i] >> 32) == (hits[i - 1] >> 32)) continue;
            var entry = _entries[(int)(hits[i] >> 32)];
            var word = (int)(hits[i] & 0xFFFF_FFFF) - 1;
            result[n++] = new TriggerMatch(entry.Integration, word < 0 ? null : entry.Words[word]);
        }

        return result;
    }
}
