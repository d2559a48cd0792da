namespace ChatIntegrations.Outgoing.Matching;

/// <summary>One integration that fires for a published event, with the configured trigger word that matched (OUT-41),
/// or <see langword="null"/> when the integration has no words or its event uses none.</summary>
internal readonly record struct TriggerMatch(Integration Integration, string? TriggerWord);

/// <summary>
/// An immutable index of the enabled outgoing integrations, by event and match key (OUT-10, OUT-30..OUT-34), with the
/// trigger words of each key in tries, first-word dictionaries and Aho–Corasick automata (OUT-40..OUT-45).
/// </summary>
/// <remarks>
/// <para><see cref="Match"/> costs what the event's room keys and the message cost, plus the hits; it does not grow with
/// the number of words or integrations, and it allocates nothing when nothing fires.</para>
/// <para>The index is a snapshot: build a new one when integrations change and swap the reference. Instances are safe
/// for concurrent <see cref="Match"/> calls.</para>
/// </remarks>
internal sealed class TriggerIndex
{
    private const string AllPublicChannels = "all_public_channels";
    private const string AllPrivateGroups = "all_private_groups";
    private const string AllDirectMessages = "all_direct_messages";

    private readonly Entry[] _entries;
    private readonly EventIndex?[] _events;

    private TriggerIndex(Entry[] entries, EventIndex?[] events)
    {
        _entries = entries;
        _events = events;
    }

    /// <summary>Gets an index without integrations.</summary>
    public static TriggerIndex Empty { get; } = Build([]);

    /// <summary>Gets the number of integrations in the index.</summary>
    public int Count => _entries.Length;

    /// <summary>Builds an index of the enabled outgoing integrations among <paramref name="integrations"/>; results keep
    /// their order.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="integrations"/> is <see langword="null"/>.</exception>
    public static TriggerIndex Build(IEnumerable<Integration> integrations)
    {
        ArgumentNullException.ThrowIfNull(integrations);
        var entries = new List<Entry>();
        var builders = new EventIndex.Builder?[EventCount];
        var keys = new HashSet<(Scope, string)>();
        foreach (var integration in integrations)
        {
            if (integration is not { Type: IntegrationType.Outgoing, Enabled: true }) continue;
            if (!TryParseEvent(integration.Event, out var ev)) continue;

            // OUT-10: only sendMessage uses trigger words; blank entries are ignored as if removed on save (OUT-3).
            IReadOnlyList<string> words = ev == ChatEventType.SendMessage
                ? integration.TriggerWords.Where(w => !string.IsNullOrWhiteSpace(w)).ToArray()
                : [];
            var entry = new Entry(integration, ev, words);
            var ordinal = entries.Count;
            entries.Add(entry);

            var builder = builders[(int)ev] ??= new EventIndex.Builder();
            var mode = ParseMode(integration.TriggerWordMode);
            if (!HasChannelFilter(ev))
            {
                // OUT-12: events without a channel filter ignore `channel`.
                builder.Bucket(Scope.Unfiltered, "").Add(entry, ordinal, mode);
                continue;
            }

            keys.Clear();
            foreach (var raw in integration.Channel)
            {
                if (string.IsNullOrWhiteSpace(raw)) continue;
                keys.Add(ParseSelector(raw.Trim()));
            }

            // OUT-34: no selector means all public channels.
            if (keys.Count == 0) keys.Add((Scope.Public, ""));

            // OUT-13: each key once per integration; the accumulator removes duplicates across keys.
            foreach (var (scope, key) in keys) builder.Bucket(scope, key).Add(entry, ordinal, mode);
        }

        var events = new EventIndex?[EventCount];
        for (var i = 0; i < EventCount; i++) events[i] = builders[i]?.Build();
        return new TriggerIndex([.. entries], events);
    }

    /// <summary>Finds the integrations that fire for <paramref name="chatEvent"/>, each once (OUT-13), in index order.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="chatEvent"/> is <see langword="null"/>.</exception>
    public IReadOnlyList<TriggerMatch> Match(ChatEvent chatEvent)
    {
        ArgumentNullException.ThrowIfNull(chatEvent);
        var message = chatEvent.Message;
        var accumulator = new MatchAccumulator(_entries, message?.EditedAt is not null, message?.BotIntegrationId);
        switch (chatEvent.Type)
        {
            case ChatEventType.SendMessage:
                MatchFiltered(ChatEventType.SendMessage, chatEvent, ref accumulator);
                break;
            case ChatEventType.FileUploaded:
                // OUT-10: a file message fires fileUploaded and sendMessage integrations.
                MatchFiltered(ChatEventType.FileUploaded, chatEvent, ref accumulator);
                MatchFiltered(ChatEventType.SendMessage, chatEvent, ref accumulator);
                break;
            case ChatEventType.MessageDeleted or ChatEventType.RoomJoined or ChatEventType.RoomLeft:
                MatchFiltered(chatEvent.Type, chatEvent, ref accumulator);
                break;
            case ChatEventType.RoomArchived or ChatEventType.RoomCreated or ChatEventType.UserCreated:
                _events[(int)chatEvent.Type]?.Unfiltered?.Match("", botMessage: false, ref accumulator);
                break;
        }

        return accumulator.ToResult();
    }

    /// <summary>Maps the stored event name (OUT-10, OUT-11) to its type; an empty name means <c>sendMessage</c>.</summary>
    internal static bool TryParseEvent(string? name, out ChatEventType type)
    {
        switch (name)
        {
            case null or "" or "sendMessage": type = ChatEventType.SendMessage; return true;
            case "fileUploaded": type = ChatEventType.FileUploaded; return true;
            case "roomArchived": type = ChatEventType.RoomArchived; return true;
            case "roomCreated": type = ChatEventType.RoomCreated; return true;
            case "roomJoined": type = ChatEventType.RoomJoined; return true;
            case "roomLeft": type = ChatEventType.RoomLeft; return true;
            case "userCreated": type = ChatEventType.UserCreated; return true;
            case "messageDeleted": type = ChatEventType.MessageDeleted; return true;
            default: type = default; return false;
        }
    }

    /// <summary>Whether the event type uses the channel filter (OUT-10, OUT-11).</summary>
    internal static bool HasChannelFilter(ChatEventType type) =>
        type is not (ChatEventType.RoomArchived or ChatEventType.RoomCreated or ChatEventType.UserCreated);

    /// <summary>Maps <c>triggerWordMode</c>; unknown values (rejected on save) fall back to <c>prefix</c>.</summary>
    internal static TriggerWordMode ParseMode(string? mode) => mode switch
    {
        "anywhere" => TriggerWordMode.Anywhere,
        "first-word-exact" => TriggerWordMode.FirstWordExact,
        "first-word-prefix" => TriggerWordMode.FirstWordPrefix,
        _ => TriggerWordMode.Prefix,
    };

    private void MatchFiltered(ChatEventType type, ChatEvent chatEvent, ref MatchAccumulator accumulator)
    {
        if (_events[(int)type] is not { } index || chatEvent.Room is not { } room) return;
        var text = chatEvent.Message?.Text ?? "";
        var botMessage = chatEvent.Message?.BotIntegrationId is not null && type is ChatEventType.SendMessage or ChatEventType.FileUploaded;

        // OUT-32: the room's match keys.
        switch (room.Type)
        {
            case "c":
                index.Public?.Match(text, botMessage, ref accumulator);
                if (index.Rooms.TryGetValue(room.Id, out var bucket)) bucket.Match(text, botMessage, ref accumulator);
                break;
            case "p":
                index.Private?.Match(text, botMessage, ref accumulator);
                if (index.Rooms.TryGetValue(room.Id, out bucket)) bucket.Match(text, botMessage, ref accumulator);
                break;
            case "d":
                index.Direct?.Match(text, botMessage, ref accumulator);
                if (index.Users.Count == 0 || room.MemberIds is not { } members) break;

                // OUT-33: every member except the acting user.
                var actor = chatEvent.Actor?.Id ?? chatEvent.Message?.Sender?.Id;
                for (var i = 0; i < members.Count; i++)
                {
                    var member = members[i];
                    if (string.Equals(member, actor, StringComparison.Ordinal)) continue;
                    if (index.Users.TryGetValue(member, out bucket)) bucket.Match(text, botMessage, ref accumulator);
                }

                break;
            default:
                // `l` (omnichannel) and unknown types: the room id only.
                if (index.Rooms.TryGetValue(room.Id, out bucket)) bucket.Match(text, botMessage, ref accumulator);
                break;
        }
    }

    /// <summary>OUT-30: keywords (any case), <c>#roomId</c>, <c>@userId</c>, or a bare room id. Names are resolved to ids
    /// on save (OUT-31), so the index compares ids only.</summary>
    private static (Scope, string) ParseSelector(string selector)
    {
        if (selector.Equals(AllPublicChannels, StringComparison.OrdinalIgnoreCase)) return (Scope.Public, "");
        if (selector.Equals(AllPrivateGroups, StringComparison.OrdinalIgnoreCase)) return (Scope.Private, "");
        if (selector.Equals(AllDirectMessages, StringComparison.OrdinalIgnoreCase)) return (Scope.Direct, "");
        return selector[0] switch
        {
            '#' => (Scope.Room, selector[1..]),
            '@' => (Scope.User, selector[1..]),
            _ => (Scope.Room, selector),
        };
    }

    private static readonly int EventCount = Enum.GetValues<ChatEventType>().Length;

    private enum Scope { Unfiltered, Public, Private, Direct, Room, User }

    /// <summary>One indexed integration.</summary>
    internal sealed class Entry(Integration integration, ChatEventType ev, IReadOnlyList<string> words)
    {
        public Integration Integration { get; } = integration;

        public ChatEventType Event { get; } = ev;

        public IReadOnlyList<string> Words { get; } = words;

        public bool TriggerOnIntegrationMessages { get; } = integration.TriggerOnIntegrationMessages;

        /// <summary>Whether the loop rules of OUT-50/OUT-51 apply.</summary>
        public bool IsMessageListener { get; } = ev is ChatEventType.SendMessage or ChatEventType.FileUploaded;
    }

    /// <summary>The integrations of one match key. Those without words that skip integration messages are kept apart,
    /// so that a bot-marked message does not visit them (OUT-50); word hits are filtered by the accumulator.</summary>
    private sealed class Bucket(TriggerSet set)
    {
        public void Match(string text, bool botMessage, ref MatchAccumulator accumulator) => set.Match(text, botMessage, ref accumulator);

        public sealed class Builder
        {
            private readonly TriggerSet.Builder _set = new();

            public void Add(Entry entry, int ordinal, TriggerWordMode mode) =>
                _set.Add(ordinal, entry.Words, mode, entry.Integration.TriggerWordsCaseInsensitive, entry.IsMessageListener && !entry.TriggerOnIntegrationMessages);

            public Bucket Build() => new(_set.Build());
        }
    }

    private sealed class EventIndex
    {
        public required Dictionary<string, Bucket> Rooms { get; init; }
        public required Dictionary<string, Bucket> Users { get; init; }
        public Bucket? Public { get; init; }
        public Bucket? Private { get; init; }
        public Bucket? Direct { get; init; }
        public Bucket? Unfiltered { get; init; }

        public sealed class Builder
        {
            private readonly Dictionary<(Scope, string), Bucket.Builder> _buckets = [];

            public Bucket.Builder Bucket(Scope scope, string key)
            {
                if (!_buckets.TryGetValue((scope, key), out var bucket)) _buckets[(scope, key)] = bucket = new Bucket.Builder();
                return bucket;
            }

            public EventIndex Build()
            {
                var built = _buckets.ToDictionary(p => p.Key, p => p.Value.Build());
                return new EventIndex
                {
                    Rooms = built.Where(p => p.Key.Item1 == Scope.Room).ToDictionary(p => p.Key.Item2, p => p.Value, StringComparer.Ordinal),
                    Users = built.Where(p => p.Key.Item1 == Scope.User).ToDictionary(p => p.Key.Item2, p => p.Value, StringComparer.Ordinal),
                    Public = built.GetValueOrDefault((Scope.Public, "")),
                    Private = built.GetValueOrDefault((Scope.Private, "")),
                    Direct = built.GetValueOrDefault((Scope.Direct, "")),
                    Unfiltered = built.GetValueOrDefault((Scope.Unfiltered, "")),
                };
            }
        }
    }
}
