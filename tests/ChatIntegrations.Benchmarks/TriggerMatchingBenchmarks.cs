using BenchmarkDotNet.Attributes;
using ChatIntegrations.Outgoing.Matching;

namespace ChatIntegrations.Benchmarks;

/// <summary>
/// Matching one message against 10,000 outgoing integrations over 1,000 rooms (mixed selectors, modes and trigger
/// words): the <see cref="TriggerIndex"/> against a linear scan that applies OUT-30..OUT-51 to every integration.
/// </summary>
[MemoryDiagnoser]
public class TriggerMatchingBenchmarks
{
    private static readonly string[] Modes = ["prefix", "anywhere", "first-word-exact", "first-word-prefix"];

    private List<Integration> _integrations = null!;
    private TriggerIndex _index = null!;
    private ChatEvent _event = null!;

    /// <summary><c>hit</c>: a public-room message that fires a few integrations; <c>miss</c>: one that fires none.</summary>
    [Params("hit", "miss")]
    public string Message { get; set; } = "hit";

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _integrations = new List<Integration>(10_000);
        for (var i = 0; i < 10_000; i++)
        {
            var room = random.Next(1_000);
            string[] channel = (i % 100) switch
            {
                0 => ["all_public_channels"],
                1 => ["all_private_groups"],
                2 => ["all_direct_messages"],
                < 10 => [$"@U{random.Next(5_000)}"],
                < 20 => [$"#R{room}", $"#R{(room + 1) % 1_000}"],
                < 25 => [$"R{room}"],
                _ => [$"#R{room}"],
            };

            // Mostly distinct commands, some shared words, and a few integrations without words.
            string[] words = (i % 50) switch
            {
                0 => [],
                < 10 => [$"!cmd{i}", "!deploy"],
                < 20 => [$"word{i}", $"alt{i}", $"other{i}"],
                _ => [$"!cmd{i}"],
            };

            _integrations.Add(new Integration
            {
                Id = $"int{i}",
                Type = IntegrationType.Outgoing,
                Token = "t",
                Event = i % 20 == 19 ? "roomJoined" : "sendMessage",
                Channel = channel,
                TriggerWords = words,
                TriggerWordMode = Modes[i % 4],
                TriggerWordsCaseInsensitive = i % 3 == 0,
                TriggerOnIntegrationMessages = i % 7 == 0,
                Urls = ["https://example.com/hook"],
            });
        }

        _index = TriggerIndex.Build(_integrations);
        var text = Message == "hit" ? "!deploy prod now, please" : "hello everyone, nothing to see here";
        var roomSnapshot = new RoomSnapshot("R500", "p") { Name = "r500" };
        _event = new ChatEvent
        {
            Type = ChatEventType.SendMessage,
            Timestamp = DateTimeOffset.UnixEpoch,
            Room = roomSnapshot,
            Actor = new UserSnapshot("U1", "alice"),
            Message = new MessageSnapshot("m1", roomSnapshot.Id) { Text = text, Sender = new UserReference("U1", "alice") },
        };

        var indexed = _index.Match(_event);
        var linear = LinearMatcher.Match(_integrations, _event);
        if (!indexed.SequenceEqual(linear)) throw new InvalidOperationException("The index and the linear scan disagree.");
        if ((Message == "hit") != (indexed.Count > 0)) throw new InvalidOperationException($"Unexpected match count {indexed.Count}.");
    }

    [Benchmark(Baseline = true)]
    public int Linear() => LinearMatcher.Match(_integrations, _event).Count;

    [Benchmark]
    public int Index() => _index.Match(_event).Count;
}

/// <summary>The naive matcher: every integration, every selector, every word, for every event.</summary>
internal static class LinearMatcher
{
    public static IReadOnlyList<TriggerMatch> Match(List<Integration> integrations, ChatEvent e)
    {
        List<TriggerMatch>? result = null;
        var room = e.Room!;
        var message = e.Message!;
        var marker = message.BotIntegrationId;
        var actor = e.Actor?.Id;
        foreach (var i in integrations)
        {
            if (i.Type != IntegrationType.Outgoing || !i.Enabled || (i.Event is not (null or "" or "sendMessage"))) continue;
            if (marker is not null && (!i.TriggerOnIntegrationMessages || marker == i.Id)) continue;
            if (message.EditedAt is not null && !i.RunOnEdits) continue;
            if (!SelectorsMatch(i.Channel, room, actor)) continue;
            if (i.TriggerWords.Count == 0)
            {
                (result ??= []).Add(new TriggerMatch(i, null));
                continue;
            }

            var word = FirstWord(i, message.Text);
            if (word is not null) (result ??= []).Add(new TriggerMatch(i, word));
        }

        return result ?? (IReadOnlyList<TriggerMatch>)[];
    }

    private static bool SelectorsMatch(IReadOnlyList<string> channel, RoomSnapshot room, string? actor)
    {
        if (channel.Count == 0) return room.Type == "c";
        foreach (var raw in channel)
        {
            var s = raw.Trim();
            if (s.Equals("all_public_channels", StringComparison.OrdinalIgnoreCase)) { if (room.Type == "c") return true; continue; }
            if (s.Equals("all_private_groups", StringComparison.OrdinalIgnoreCase)) { if (room.Type == "p") return true; continue; }
            if (s.Equals("all_direct_messages", StringComparison.OrdinalIgnoreCase)) { if (room.Type == "d") return true; continue; }
            if (s.StartsWith('@'))
            {
                if (room.Type != "d" || room.MemberIds is null) continue;
                var user = s.AsSpan(1);
                foreach (var member in room.MemberIds)
                {
                    if (member != actor && user.SequenceEqual(member)) return true;
                }

                continue;
            }

            var id = s.StartsWith('#') ? s.AsSpan(1) : s.AsSpan();
            if (room.Type != "d" && id.SequenceEqual(room.Id)) return true;
        }

        return false;
    }

    private static string? FirstWord(Integration i, string text)
    {
        var cmp = i.TriggerWordsCaseInsensitive ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        var span = text.AsSpan().TrimStart();
        var end = 0;
        while (end < span.Length && !char.IsWhiteSpace(span[end])) end++;
        var first = span[..end];
        foreach (var w in i.TriggerWords)
        {
            if (string.IsNullOrWhiteSpace(w)) continue;
            var hit = i.TriggerWordMode switch
            {
                "anywhere" => text.Contains(w, cmp),
                "first-word-exact" => first.Length > 0 && first.Equals(w, cmp),
                "first-word-prefix" => first.Length > 0 && first.StartsWith(w, cmp),
                _ => text.StartsWith(w, cmp),
            };
            if (hit) return w;
        }

        return null;
    }
}
