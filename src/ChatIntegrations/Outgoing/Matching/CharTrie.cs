namespace ChatIntegrations.Outgoing.Matching;

/// <summary>One trigger word occurrence: the integration (by ordinal in the index) and the word's configured position.</summary>
internal readonly record struct TriggerHit(int Entry, int Word);

/// <summary>
/// An immutable character trie over trigger words, flattened into arrays, with optional Aho–Corasick links. Walking it
/// costs O(characters read + hits reported) whatever the number of words stored (OUT-40).
/// </summary>
/// <remarks>With <c>foldCase</c>, words and text are compared through <see cref="char.ToUpperInvariant"/>, the simple
/// case mapping of ordinal case-insensitive comparison (OUT-43).</remarks>
internal sealed class CharTrie
{
    private readonly bool _foldCase;
    private readonly int[] _edgeStart;   // node -> first edge; length nodes + 1
    private readonly char[] _edgeChar;   // sorted per node
    private readonly int[] _edgeTarget;
    private readonly int[] _outStart;    // node -> first output; length nodes + 1
    private readonly TriggerHit[] _outputs;
    private readonly int[]? _fail;       // Aho–Corasick failure link
    private readonly int[]? _dictLink;   // nearest node on the failure chain that has outputs, or -1
    private readonly int[] _rootAscii;   // root transitions for ASCII: most characters of a scan fail at the root

    private CharTrie(bool foldCase, int[] edgeStart, char[] edgeChar, int[] edgeTarget, int[] outStart, TriggerHit[] outputs, int[]? fail, int[]? dictLink)
    {
        _foldCase = foldCase;
        _edgeStart = edgeStart;
        _edgeChar = edgeChar;
        _edgeTarget = edgeTarget;
        _outStart = outStart;
        _outputs = outputs;
        _fail = fail;
        _dictLink = dictLink;
        _rootAscii = new int[128];
        for (var c = 0; c < 128; c++) _rootAscii[c] = Search(0, (char)c);
    }

    public int NodeCount => _edgeStart.Length - 1;

    /// <summary>Builds a trie; <paramref name="automaton"/> adds the links that <see cref="Scan"/> needs.</summary>
    public static CharTrie Build(IEnumerable<(string Word, TriggerHit Hit)> words, bool foldCase, bool automaton)
    {
        var children = new List<Dictionary<char, int>?> { null };
        var outputs = new List<List<TriggerHit>?> { null };
        foreach (var (word, hit) in words)
        {
            var node = 0;
            foreach (var raw in word)
            {
                var c = foldCase ? char.ToUpperInvariant(raw) : raw;
                var map = children[node] ??= [];
                if (!map.TryGetValue(c, out var next))
                {
                    next = children.Count;
                    map[c] = next;
                    children.Add(null);
                    outputs.Add(null);
                }

                node = next;
            }

            (outputs[node] ??= []).Add(hit);
        }

        var count = children.Count;
        var edgeStart = new int[count + 1];
        var outStart = new int[count + 1];
        var edgeChars = new List<char>();
        var edgeTargets = new List<int>();
        var flatOutputs = new List<TriggerHit>();
        for (var n = 0; n < count; n++)
        {
            edgeStart[n] = edgeChars.Count;
            if (children[n] is { } map)
            {
                foreach (var pair in map.OrderBy(p => p.Key))
                {
                    edgeChars.Add(pair.Key);
                    edgeTargets.Add(pair.Value);
                }
            }

            outStart[n] = flatOutputs.Count;
            if (outputs[n] is { } outs) flatOutputs.AddRange(outs);
        }

        edgeStart[count] = edgeChars.Count;
        outStart[count] = flatOutputs.Count;

        int[]? fail = null, dictLink = null;
        if (automaton)
        {
            fail = new int[count];
            dictLink = new int[count];
            dictLink[0] = -1;
            var queue = new Queue<int>();
            for (var e = edgeStart[0]; e < edgeStart[1]; e++)
            {
                var child = edgeTargets[e];
                fail[child] = 0;
                dictLink[child] = -1;
                queue.Enqueue(child);
            }

            while (queue.TryDequeue(out var node))
            {
                for (var e = edgeStart[node]; e < edgeStart[node + 1]; e++)
                {
                    var child = edgeTargets[e];
                    var c = edgeChars[e];
                    var f = fail[node];
                    int target;
                    while ((target = Find(edgeStart, edgeChars, edgeTargets, f, c)) < 0 && f != 0) f = fail[f];
                    fail[child] = target >= 0 && target != child ? target : 0;
                    var fc = fail[child];
                    dictLink[child] = outStart[fc + 1] > outStart[fc] ? fc : dictLink[fc];
                    queue.Enqueue(child);
                }
            }
        }

        return new CharTrie(foldCase, edgeStart, [.. edgeChars], [.. edgeTargets], outStart, [.. flatOutputs], fail, dictLink);
    }

    /// <summary>Reports every word that <paramref name="text"/> starts with (prefix and first-word-prefix modes).</summary>
    public void MatchPrefixes(ReadOnlySpan<char> text, ref MatchAccumulator accumulator)
    {
        var node = 0;
        foreach (var raw in text)
        {
            node = Step(node, _foldCase ? char.ToUpperInvariant(raw) : raw);
            if (node < 0) return;
            Emit(node, ref accumulator);
        }
    }

    /// <summary>Reports every word that occurs anywhere in <paramref name="text"/> (Aho–Corasick scan).</summary>
    public void Scan(ReadOnlySpan<char> text, ref MatchAccumulator accumulator)
    {
        var fail = _fail ?? throw new InvalidOperationException("The trie was built without automaton links.");
        var dictLink = _dictLink!;
        var node = 0;
        foreach (var raw in text)
        {
            var c = _foldCase ? char.ToUpperInvariant(raw) : raw;
            int next;
            while ((next = Step(node, c)) < 0 && node != 0) node = fail[node];
            node = next < 0 ? 0 : next;
            for (var n = node; n > 0; n = dictLink[n]) Emit(n, ref accumulator);
        }
    }

    private void Emit(int node, ref MatchAccumulator accumulator)
    {
        for (var o = _outStart[node]; o < _outStart[node + 1]; o++) accumulator.Add(_outputs[o]);
    }

    private int Step(int node, char c) => node == 0 && c < 128 ? _rootAscii[c] : Search(node, c);

    private int Search(int node, char c)
    {
        var lo = _edgeStart[node];
        var hi = _edgeStart[node + 1] - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var m = _edgeChar[mid];
            if (m == c) return _edgeTarget[mid];
            if (m < c) lo = mid + 1;
            else hi = mid - 1;
        }

        return -1;
    }

    private static int Find(int[] edgeStart, List<char> edgeChars, List<int> edgeTargets, int node, char c)
    {
        for (var e = edgeStart[node]; e < edgeStart[node + 1]; e++)
        {
            if (edgeChars[e] == c) return edgeTargets[e];
        }

        return -1;
    }
}
