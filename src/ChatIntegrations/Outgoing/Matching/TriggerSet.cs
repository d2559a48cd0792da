namespace ChatIntegrations.Outgoing.Matching;

/// <summary>The trigger word modes of OUT-40.</summary>
internal enum TriggerWordMode
{
    Prefix,
    Anywhere,
    FirstWordExact,
    FirstWordPrefix,
}

/// <summary>
/// The trigger words of the integrations that listen on one match key, organised so that one lookup costs what the
/// message costs, not what the number of words or integrations costs (OUT-40..OUT-45).
/// </summary>
internal sealed class TriggerSet
{
    private readonly int[] _alwaysHumanOnly;          // OUT-42: integrations without words that skip integration messages (OUT-50)
    private readonly int[] _always;                   // OUT-42: the other integrations without words
    private readonly CharTrie? _prefix;               // prefix, case-sensitive
    private readonly CharTrie? _prefixFolded;         // prefix, case-insensitive
    private readonly CharTrie? _firstWordPrefix;
    private readonly CharTrie? _firstWordPrefixFolded;
    private readonly CharTrie? _anywhere;             // Aho–Corasick
    private readonly CharTrie? _anywhereFolded;
    private readonly Dictionary<string, TriggerHit[]>.AlternateLookup<ReadOnlySpan<char>>? _firstWord;
    private readonly Dictionary<string, TriggerHit[]>.AlternateLookup<ReadOnlySpan<char>>? _firstWordFolded;

    private TriggerSet(Builder b)
    {
        _alwaysHumanOnly = [.. b.AlwaysHumanOnly];
        _always = [.. b.Always];
        _prefix = Trie(b.Prefix, false, false);
        _prefixFolded = Trie(b.PrefixFolded, true, false);
        _firstWordPrefix = Trie(b.FirstWordPrefix, false, false);
        _firstWordPrefixFolded = Trie(b.FirstWordPrefixFolded, true, false);
        _anywhere = Trie(b.Anywhere, false, true);
        _anywhereFolded = Trie(b.AnywhereFolded, true, true);
        _firstWord = Lookup(b.FirstWord, StringComparer.Ordinal);
        _firstWordFolded = Lookup(b.FirstWordFolded, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Reports every (integration, word) pair that fires for <paramref name="text"/>; the accumulator drops
    /// the word hits of integrations that skip a bot-marked message (OUT-50).</summary>
    public void Match(string text, bool botMessage, ref MatchAccumulator accumulator)
    {
        if (!botMessage)
        {
            foreach (var entry in _alwaysHumanOnly) accumulator.Add(new TriggerHit(entry, -1));
        }

        foreach (var entry in _always) accumulator.Add(new TriggerHit(entry, -1));

        // OUT-45: an empty text (attachments only) fires only integrations without words.
        if (text.Length == 0) return;

        _prefix?.MatchPrefixes(text, ref accumulator);
        _prefixFolded?.MatchPrefixes(text, ref accumulator);
        _anywhere?.Scan(text, ref accumulator);
        _anywhereFolded?.Scan(text, ref accumulator);

        if (_firstWord is null && _firstWordFolded is null && _firstWordPrefix is null && _firstWordPrefixFolded is null) return;

        // OUT-40: skip leading white space, then the first token ends at the next white space.
        var span = text.AsSpan();
        var start = 0;
        while (start < span.Length && char.IsWhiteSpace(span[start])) start++;
        var end = start;
        while (end < span.Length && !char.IsWhiteSpace(span[end])) end++;
        if (end == start) return;
        var token = span[start..end];

        if (_firstWord is { } exact && exact.TryGetValue(token, out var hits)) Add(hits, ref accumulator);
        if (_firstWordFolded is { } folded && folded.TryGetValue(token, out hits)) Add(hits, ref accumulator);
        _firstWordPrefix?.MatchPrefixes(token, ref accumulator);
        _firstWordPrefixFolded?.MatchPrefixes(token, ref accumulator);
    }

    private static void Add(TriggerHit[] hits, ref MatchAccumulator accumulator)
    {
        foreach (var hit in hits) accumulator.Add(hit);
    }

    private static CharTrie? Trie(List<(string, TriggerHit)> words, bool fold, bool automaton) =>
        words.Count == 0 ? null : CharTrie.Build(words, fold, automaton);

    private static Dictionary<string, TriggerHit[]>.AlternateLookup<ReadOnlySpan<char>>? Lookup(List<(string Word, TriggerHit Hit)> words, StringComparer comparer)
    {
        if (words.Count == 0) return null;
        var dictionary = words.GroupBy(w => w.Word, comparer).ToDictionary(g => g.Key, g => g.Select(w => w.Hit).ToArray(), comparer);
        return dictionary.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Collects the integrations of one match key before the set is frozen.</summary>
    internal sealed class Builder
    {
        internal readonly List<int> Always = [], AlwaysHumanOnly = [];
        internal readonly List<(string, TriggerHit)> Prefix = [], PrefixFolded = [];
        internal readonly List<(string, TriggerHit)> FirstWordPrefix = [], FirstWordPrefixFolded = [];
        internal readonly List<(string, TriggerHit)> Anywhere = [], AnywhereFolded = [];
        internal readonly List<(string Word, TriggerHit Hit)> FirstWord = [], FirstWordFolded = [];

        /// <summary>Adds one integration, given by its ordinal and its compiled trigger settings.</summary>
        public void Add(int entry, IReadOnlyList<string> words, TriggerWordMode mode, bool caseInsensitive, bool humanOnly)
        {
            if (words.Count == 0)
            {
                (humanOnly ? AlwaysHumanOnly : Always).Add(entry);
                return;
            }

            var target = (mode, caseInsensitive) switch
            {
                (TriggerWordMode.Anywhere, false) => Anywhere,
                (TriggerWordMode.Anywhere, true) => AnywhereFolded,
                (TriggerWordMode.FirstWordExact, false) => FirstWord,
                (TriggerWordMode.FirstWordExact, true) => FirstWordFolded,
                (TriggerWordMode.FirstWordPrefix, false) => FirstWordPrefix,
                (TriggerWordMode.FirstWordPrefix, true) => FirstWordPrefixFolded,
                (_, false) => Prefix,
                (_, true) => PrefixFolded,
            };
            for (var i = 0; i < words.Count; i++) target.Add((words[i], new TriggerHit(entry, i)));
        }

        public TriggerSet Build() => new(this);
    }
}
