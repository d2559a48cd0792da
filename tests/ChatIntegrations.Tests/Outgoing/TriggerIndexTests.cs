using ChatIntegrations.Outgoing.Matching;

namespace ChatIntegrations.Tests.Outgoing;

public sealed class TriggerIndexTests
{
    private static readonly DateTimeOffset At = new(2025, 1, 1, 10, 0, 0, TimeSpan.Zero);
    private static int _ids;

    internal static Integration Outgoing(
        string? id = null, string ev = "sendMessage", string[]? channel = null, string[]? words = null, string mode = "prefix",
        bool caseInsensitive = false, bool runOnEdits = true, bool onIntegrationMessages = false, bool enabled = true) => new()
        {
            Id = id ?? $"i{Interlocked.Increment(ref _ids)}",
            Type = IntegrationType.Outgoing,
            Token = "t",
            Event = ev,
            Enabled = enabled,
            Channel = channel ?? ["all_public_channels"],
            TriggerWords = words ?? [],
            TriggerWordMode = mode,
            TriggerWordsCaseInsensitive = caseInsensitive,
            RunOnEdits = runOnEdits,
            TriggerOnIntegrationMessages = onIntegrationMessages,
            Urls = ["https://example.com/hook"],
        };

    internal static RoomSnapshot Room(string id = "R1", string type = "c", params string[] members) =>
        new(id, type) { Name = id.ToLowerInvariant(), MemberIds = members.Length == 0 ? null : members };

    internal static ChatEvent Message(string text, RoomSnapshot? room = null, string sender = "u1", string? bot = null,
        bool edited = false, ChatEventType type = ChatEventType.SendMessage)
    {
        room ??= Room();
        return new ChatEvent
        {
            Type = type,
            Timestamp = At,
            Room = room,
            Actor = new UserSnapshot(sender, sender + "-name"),
            Message = new MessageSnapshot("m1", room.Id)
            {
                Text = text,
                Sender = new UserReference(sender, sender + "-name"),
                BotIntegrationId = bot,
                EditedAt = edited ? At : null,
            },
        };
    }

    private static ChatEvent RoomEvent(ChatEventType type, RoomSnapshot? room = null, string actor = "u1") => new()
    {
        Type = type,
        Timestamp = At,
        Room = type == ChatEventType.UserCreated ? null : room ?? Room(),
        Actor = new UserSnapshot(actor, actor + "-name"),
    };

    private static string[] Fired(IReadOnlyList<TriggerMatch> matches) => [.. matches.Select(m => m.Integration.Id)];

    // --- Worked examples of outgoing.md §5 ---

    [TestCase("!deploy prod", new[] { "!dep", "!deploy" }, "prefix", false, "!dep")]
    [TestCase(" !deploy prod", new[] { "!deploy" }, "prefix", false, null)]
    [TestCase(" !deploy prod", new[] { "!deploy" }, "first-word-exact", false, "!deploy")]
    [TestCase("foobar baz", new[] { "foo" }, "prefix", false, "foo")]
    [TestCase("foobar baz", new[] { "foo" }, "first-word-exact", false, null)]
    [TestCase("foobar baz", new[] { "foo" }, "first-word-prefix", false, "foo")]
    [TestCase("please !deploy", new[] { "!deploy" }, "anywhere", false, "!deploy")]
    [TestCase("DEPLOY now", new[] { "deploy" }, "prefix", true, "deploy")]
    public void Match_WorkedExamples_FireAsSpecified_OUT40_OUT41_OUT43(string text, string[] words, string mode, bool ci, string? expected)
    {
        var index = TriggerIndex.Build([Outgoing(id: "x", words: words, mode: mode, caseInsensitive: ci)]);

        var matches = index.Match(Message(text));

        if (expected is null) matches.Should().BeEmpty();
        else matches.Should().ContainSingle().Which.TriggerWord.Should().Be(expected);
    }

    [TestCase("prefix", "Deploy now", false)]
    [TestCase("prefix", "deploy now", true)]
    [TestCase("anywhere", "go Deploy", false)]
    [TestCase("anywhere", "go deploy", true)]
    [TestCase("first-word-exact", "Deploy now", false)]
    [TestCase("first-word-prefix", "Deployment", false)]
    [TestCase("first-word-prefix", "deployment", true)]
    public void Match_CaseSensitiveByDefault_OUT43(string mode, string text, bool fires)
    {
        var index = TriggerIndex.Build([Outgoing(words: ["deploy"], mode: mode)]);

        index.Match(Message(text)).Should().HaveCount(fires ? 1 : 0);
    }

    [TestCase("anywhere", "go DePlOy", "deploy")]
    [TestCase("first-word-exact", "  DEPLOY\tnow", "deploy")]
    [TestCase("first-word-prefix", "DEPLOYMENT", "deploy")]
    [TestCase("prefix", "ÉCOLE x", "école")]
    public void Match_CaseInsensitive_ReportsConfiguredWord_OUT41_OUT43(string mode, string text, string word)
    {
        var index = TriggerIndex.Build([Outgoing(words: [word], mode: mode, caseInsensitive: true)]);

        index.Match(Message(text)).Should().ContainSingle().Which.TriggerWord.Should().Be(word);
    }

    [TestCase("prefix", "!deploy now", "!dep")]
    [TestCase("anywhere", "please !deploy", "!deploy")]
    [TestCase("anywhere", "please !dep", "!dep")]
    [TestCase("first-word-prefix", "!deployment", "!deploy")]
    public void Match_SeveralWordsMatch_FirstConfiguredWins_OUT41(string mode, string text, string expected)
    {
        var words = mode == "first-word-prefix" ? new[] { "nope", "!deploy", "!dep" } : ["nope", expected == "!dep" ? "!dep" : "!deploy", "!d"];
        var index = TriggerIndex.Build([Outgoing(words: words, mode: mode)]);

        index.Match(Message(text)).Should().ContainSingle().Which.TriggerWord.Should().Be(expected);
    }

    [Test]
    public void Match_AnywhereWordLaterInTextButEarlierInList_Wins_OUT41()
    {
        var index = TriggerIndex.Build([Outgoing(words: ["zeta", "alpha"], mode: "anywhere")]);

        index.Match(Message("alpha then zeta")).Should().ContainSingle().Which.TriggerWord.Should().Be("zeta");
    }

    [TestCase("")]
    [TestCase("   ")]
    [TestCase("\u00a0\u2003")]
    public void Match_FirstWordModesWithEmptyFirstToken_NeverFire_OUT40(string text)
    {
        var index = TriggerIndex.Build([Outgoing(words: ["x"], mode: "first-word-exact"), Outgoing(words: ["x"], mode: "first-word-prefix")]);

        index.Match(Message(text)).Should().BeEmpty();
    }

    [Test]
    public void Match_FirstWordSplitsOnUnicodeWhiteSpace_OUT40()
    {
        var index = TriggerIndex.Build([Outgoing(words: ["build"], mode: "first-word-exact")]);

        index.Match(Message("\u3000build\u2003status")).Should().ContainSingle().Which.TriggerWord.Should().Be("build");
        index.Match(Message("build-status")).Should().BeEmpty();
    }

    [Test]
    public void Match_EmptyWordList_FiresOnEveryMessage_OUT42()
    {
        var index = TriggerIndex.Build([Outgoing(id: "all")]);

        index.Match(Message("anything")).Should().ContainSingle().Which.Should().Be(new TriggerMatch(index.Match(Message("x"))[0].Integration, null));
        index.Match(Message("")).Should().ContainSingle();
    }

    [Test]
    public void Match_NoWordMatches_DoesNotFire_OUT44()
    {
        var index = TriggerIndex.Build([Outgoing(words: ["!deploy"]), Outgoing(words: ["build"], mode: "anywhere")]);

        index.Match(Message("hello world")).Should().BeEmpty();
    }

    [Test]
    public void Match_AttachmentOnlyMessage_FiresOnlyWithoutWords_OUT45()
    {
        var index = TriggerIndex.Build([Outgoing(id: "words", words: ["a"], mode: "anywhere"), Outgoing(id: "nowords")]);

        Fired(index.Match(Message(""))).Should().Equal("nowords");
    }

    [Test]
    public void Build_BlankWordsIgnored_ListOfBlanksFiresOnEverything_OUT3_OUT42()
    {
        var index = TriggerIndex.Build([Outgoing(words: ["", "  "])]);

        index.Match(Message("hi")).Should().ContainSingle().Which.TriggerWord.Should().BeNull();
    }

    // --- Selectors (OUT-30..OUT-34) ---

    [TestCase("c", new[] { "all_public_channels" }, true)]
    [TestCase("c", new[] { "ALL_Public_Channels" }, true)]
    [TestCase("c", new[] { "#R1" }, true)]
    [TestCase("c", new[] { "R1" }, true)]
    [TestCase("c", new[] { "#R2" }, false)]
    [TestCase("c", new[] { "all_private_groups" }, false)]
    [TestCase("p", new[] { "all_private_groups" }, true)]
    [TestCase("p", new[] { "#R1" }, true)]
    [TestCase("p", new[] { "all_public_channels" }, false)]
    [TestCase("l", new[] { "#R1" }, true)]
    [TestCase("l", new[] { "all_private_groups" }, false)]
    [TestCase("l", new[] { "all_public_channels" }, false)]
    [TestCase("x", new[] { "#R1" }, true)]
    [TestCase("x", new[] { "all_public_channels", "all_private_groups", "all_direct_messages" }, false)]
    [TestCase("d", new[] { "#R1" }, false)]
    [TestCase("d", new[] { "all_direct_messages" }, true)]
    [TestCase("d", new[] { "all_public_channels", "all_private_groups" }, false)]
    public void Match_RoomTypeKeys_FollowTable_OUT30_OUT32(string roomType, string[] selectors, bool fires)
    {
        var index = TriggerIndex.Build([Outgoing(channel: selectors)]);

        index.Match(Message("hi", Room("R1", roomType, "u1", "u2"))).Should().HaveCount(fires ? 1 : 0);
    }

    [Test]
    public void Match_AllKeywordsCombined_FireEverywhereButOmnichannel_OUT30()
    {
        var index = TriggerIndex.Build([Outgoing(channel: ["all_public_channels", "all_private_groups", "all_direct_messages"])]);

        foreach (var type in new[] { "c", "p", "d" }) index.Match(Message("hi", Room("R1", type, "u1", "u2"))).Should().ContainSingle(type);
        index.Match(Message("hi", Room("R1", "l"))).Should().BeEmpty();
    }

    [Test]
    public void Match_UserSelector_FiresForDmsToTheUserNeverForTheirOwn_OUT32_OUT33()
    {
        var index = TriggerIndex.Build([Outgoing(id: "alice-hook", channel: ["@u_alice"])]);
        var dm = Room("D1", "d", "u_alice", "u_bob");

        Fired(index.Match(Message("hi alice", dm, sender: "u_bob"))).Should().Equal("alice-hook");
        index.Match(Message("hi bob", dm, sender: "u_alice")).Should().BeEmpty();
        index.Match(Message("hi", Room("R1", "c", "u_alice", "u_bob"), sender: "u_bob")).Should().BeEmpty();
    }

    [Test]
    public void Match_GroupDmWithTwoSelectedMembers_FiresOnce_OUT13_OUT32()
    {
        var index = TriggerIndex.Build([Outgoing(id: "both", channel: ["@u_a", "@u_b", "all_direct_messages"])]);

        Fired(index.Match(Message("hi", Room("D1", "d", "u_a", "u_b", "u_c"), sender: "u_c"))).Should().Equal("both");
        Fired(index.Match(Message("hi", Room("D1", "d", "u_a", "u_b", "u_c"), sender: "u_a"))).Should().Equal("both");
    }

    [Test]
    public void Match_DmWithoutMemberIds_MatchesOnlyKeyword_OUT32()
    {
        var index = TriggerIndex.Build([Outgoing(id: "u", channel: ["@u2"]), Outgoing(id: "k", channel: ["all_direct_messages"])]);

        Fired(index.Match(Message("hi", new RoomSnapshot("D1", "d")))).Should().Equal("k");
    }

    [Test]
    public void Match_EmptyChannelList_MeansAllPublicChannels_OUT34()
    {
        var index = TriggerIndex.Build([Outgoing(channel: [])]);

        index.Match(Message("hi", Room("R1", "c"))).Should().ContainSingle();
        index.Match(Message("hi", Room("R1", "p"))).Should().BeEmpty();
    }

    [Test]
    public void Match_SeveralSelectorsMatch_FiresOnceWithFirstWord_OUT13()
    {
        var index = TriggerIndex.Build([Outgoing(id: "multi", channel: ["all_public_channels", "#R1", "R1", "#R1"], words: ["!b", "!a"], mode: "anywhere")]);

        var matches = index.Match(Message("!a !b", Room("R1")));

        matches.Should().ContainSingle().Which.TriggerWord.Should().Be("!b");
    }

    [Test]
    public void Match_ResultsKeepBuildOrder_OUT13()
    {
        var index = TriggerIndex.Build([Outgoing(id: "a", channel: ["#R1"]), Outgoing(id: "b"), Outgoing(id: "c", channel: ["R1"]), Outgoing(id: "d", channel: ["#R9"])]);

        Fired(index.Match(Message("hi", Room("R1")))).Should().Equal("a", "b", "c");
    }

    [Test]
    public void Build_SkipsDisabledAndNonOutgoing_GEN5()
    {
        var incoming = Outgoing(id: "in") with { Type = IntegrationType.Incoming };
        var index = TriggerIndex.Build([Outgoing(id: "off", enabled: false), incoming, Outgoing(id: "on"), Outgoing(id: "bad", ev: "nonsense")]);

        index.Count.Should().Be(1);
        Fired(index.Match(Message("hi"))).Should().Equal("on");
    }

    // --- Events (OUT-10..OUT-12) ---

    [Test]
    public void Match_FileUploaded_FiresFileAndSendMessageIntegrations_OUT10()
    {
        var index = TriggerIndex.Build(
        [
            Outgoing(id: "file", ev: "fileUploaded", words: ["ignored"]),
            Outgoing(id: "send-hit", words: ["look"]),
            Outgoing(id: "send-miss", words: ["nope"]),
        ]);

        var matches = index.Match(Message("look at this", type: ChatEventType.FileUploaded));

        Fired(matches).Should().Equal("file", "send-hit");
        matches[0].TriggerWord.Should().BeNull();
        matches[1].TriggerWord.Should().Be("look");
    }

    [Test]
    public void Match_SendMessage_NeverFiresFileUploadedIntegrations_OUT10()
    {
        var index = TriggerIndex.Build([Outgoing(id: "file", ev: "fileUploaded")]);

        index.Match(Message("hi")).Should().BeEmpty();
    }

    [TestCase(ChatEventType.RoomJoined, "roomJoined")]
    [TestCase(ChatEventType.RoomLeft, "roomLeft")]
    [TestCase(ChatEventType.MessageDeleted, "messageDeleted")]
    public void Match_ChannelFilteredEvents_UseSelectorsNotWords_OUT10_OUT11(ChatEventType type, string name)
    {
        var index = TriggerIndex.Build([Outgoing(id: "r1", ev: name, channel: ["#R1"]), Outgoing(id: "r2", ev: name, channel: ["#R2"])]);

        var ev = type == ChatEventType.MessageDeleted ? Message("", Room("R1"), type: type) : RoomEvent(type, Room("R1"));
        Fired(index.Match(ev)).Should().Equal("r1");
    }

    [TestCase(ChatEventType.RoomArchived, "roomArchived")]
    [TestCase(ChatEventType.RoomCreated, "roomCreated")]
    [TestCase(ChatEventType.UserCreated, "userCreated")]
    public void Match_UnfilteredEvents_IgnoreChannel_OUT12(ChatEventType type, string name)
    {
        var index = TriggerIndex.Build([Outgoing(id: "a", ev: name, channel: ["#elsewhere"]), Outgoing(id: "b", ev: name, channel: ["all_direct_messages"]), Outgoing(id: "send")]);

        Fired(index.Match(RoomEvent(type, Room("R1", "p")))).Should().Equal("a", "b");
    }

    [Test]
    public void Match_EventWithoutRoom_FiresNothingFiltered_OUT14()
    {
        var index = TriggerIndex.Build([Outgoing()]);

        index.Match(new ChatEvent { Type = ChatEventType.SendMessage, Timestamp = At }).Should().BeEmpty();
    }

    // --- Edits (OUT-47) ---

    [Test]
    public void Match_Edit_FiresOnlyWithRunOnEdits_AgainstEditedText_OUT47()
    {
        var index = TriggerIndex.Build([Outgoing(id: "edits", words: ["!go"]), Outgoing(id: "noedits", words: ["!go"], runOnEdits: false)]);

        Fired(index.Match(Message("!go", edited: true))).Should().Equal("edits");
        index.Match(Message("no longer", edited: true)).Should().BeEmpty();
        Fired(index.Match(Message("!go"))).Should().Equal("edits", "noedits");
    }

    // --- Loop prevention (OUT-50, OUT-51, OUT-53) ---

    [Test]
    public void Match_IntegrationMessage_FiresOnlyOptedIn_OUT50()
    {
        var index = TriggerIndex.Build(
        [
            Outgoing(id: "plain"),
            Outgoing(id: "relay", onIntegrationMessages: true),
            Outgoing(id: "file", ev: "fileUploaded"),
            Outgoing(id: "file-relay", ev: "fileUploaded", onIntegrationMessages: true),
        ]);

        Fired(index.Match(Message("reply", bot: "other"))).Should().Equal("relay");
        Fired(index.Match(Message("reply", bot: "other", type: ChatEventType.FileUploaded))).Should().Equal("relay", "file-relay");
    }

    [Test]
    public void Match_MessageMarkedWithOwnId_NeverFiresItself_OUT51()
    {
        var index = TriggerIndex.Build([Outgoing(id: "self", onIntegrationMessages: true), Outgoing(id: "other", onIntegrationMessages: true)]);

        Fired(index.Match(Message("echo", bot: "self"))).Should().Equal("other");
    }

    [Test]
    public void Match_BotUserWithoutMarker_FiresNormally_OUT53()
    {
        var index = TriggerIndex.Build([Outgoing(id: "plain", words: ["status"])]);
        var ev = Message("status?", sender: "botuser") with { Actor = new UserSnapshot("botuser", "ci-bot") { Type = "bot" } };

        Fired(index.Match(ev)).Should().Equal("plain");
    }

    [Test]
    public void Match_MessageDeletedOfIntegrationMessage_NotSubjectToLoopRules_OUT11()
    {
        var index = TriggerIndex.Build([Outgoing(id: "del", ev: "messageDeleted")]);

        Fired(index.Match(Message("", bot: "x", type: ChatEventType.MessageDeleted))).Should().Equal("del");
    }

    // --- Structure ---

    [Test]
    public void Match_NothingFires_AllocatesNothing_OUT44()
    {
        var integrations = Enumerable.Range(0, 500).Select(i => Outgoing(
            channel: [i % 3 == 0 ? "all_public_channels" : $"#R{i % 50}", $"@U{i % 20}"],
            words: [$"!cmd{i}", $"word{i}"],
            mode: (i % 4) switch { 0 => "prefix", 1 => "anywhere", 2 => "first-word-exact", _ => "first-word-prefix" },
            caseInsensitive: i % 2 == 0)).ToList();
        var index = TriggerIndex.Build(integrations);
        var miss = Message("hello there, nothing to see !cm wor", Room("R7"));
        var dm = Message("hello", Room("D1", "d", "U1", "U2", "U3"), sender: "U1");
        var bot = Message("!cmd3 word3", Room("R3"), bot: "someone");
        index.Match(miss).Should().BeEmpty();
        index.Match(dm).Should().BeEmpty();
        index.Match(bot).Should().BeEmpty();

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            index.Match(miss);
            index.Match(dm);
            index.Match(bot);
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
    }

    [Test, Repeat(3)]
    public void Match_RandomIntegrations_AgreesWithNaiveMatcher_OUT13_OUT32_OUT40_OUT41()
    {
        var random = new Random(TestContext.CurrentContext.CurrentRepeatCount * 7919 + 17);
        string[] vocabulary = ["a", "ab", "abc", "b", "ba", "!x", "É", "é", "go", "Go", "bca", "cab"];
        string[] modes = ["prefix", "anywhere", "first-word-exact", "first-word-prefix"];
        string[] selectors = ["all_public_channels", "all_private_groups", "all_direct_messages", "#R1", "#R2", "R1", "@U1", "@U2", "@U3"];
        var integrations = Enumerable.Range(0, 300).Select(i => Outgoing(
            id: $"n{i}",
            channel: [.. Enumerable.Range(0, random.Next(0, 3)).Select(_ => selectors[random.Next(selectors.Length)])],
            words: [.. Enumerable.Range(0, random.Next(0, 4)).Select(_ => vocabulary[random.Next(vocabulary.Length)])],
            mode: modes[random.Next(modes.Length)],
            caseInsensitive: random.Next(2) == 0,
            runOnEdits: random.Next(4) != 0,
            onIntegrationMessages: random.Next(3) == 0)).ToList();
        var index = TriggerIndex.Build(integrations);
        RoomSnapshot[] rooms = [Room("R1", "c"), Room("R2", "p"), Room("R3", "c"), Room("D1", "d", "U1", "U2", "U3"), Room("L1", "l")];

        for (var n = 0; n < 400; n++)
        {
            var text = string.Join(random.Next(2) == 0 ? " " : "", Enumerable.Range(0, random.Next(0, 4)).Select(_ => vocabulary[random.Next(vocabulary.Length)]));
            if (random.Next(5) == 0) text = " " + text;
            var ev = Message(text, rooms[random.Next(rooms.Length)], sender: $"U{random.Next(1, 4)}",
                bot: random.Next(4) == 0 ? $"n{random.Next(300)}" : null, edited: random.Next(4) == 0);

            var expected = integrations.Select(i => NaiveMatcher.Match(i, ev)).Where(m => m is not null).Select(m => m!.Value).ToList();
            index.Match(ev).Should().Equal(expected, $"text '{text}' in {ev.Room!.Id}");
        }
    }
}

/// <summary>The rules of OUT-30..OUT-53 written literally, one integration at a time: the oracle for the index.</summary>
internal static class NaiveMatcher
{
    public static TriggerMatch? Match(Integration i, ChatEvent e)
    {
        if (e.Message?.BotIntegrationId is { } marker && (!i.TriggerOnIntegrationMessages || marker == i.Id)) return null;
        if (e.Message?.EditedAt is not null && !i.RunOnEdits) return null;
        var room = e.Room!;
        var selectors = i.Channel.Count == 0 ? ["all_public_channels"] : i.Channel.Select(c => c.StartsWith("all_", StringComparison.OrdinalIgnoreCase) ? c.ToLowerInvariant() : c.StartsWith('#') || c.StartsWith('@') ? c : "#" + c).ToList();
        var keys = room.Type switch
        {
            "c" => ["all_public_channels", "#" + room.Id],
            "p" => ["all_private_groups", "#" + room.Id],
            "d" => new[] { "all_direct_messages" }.Concat((room.MemberIds ?? []).Where(u => u != e.Actor?.Id).Select(u => "@" + u)).ToArray(),
            _ => new[] { "#" + room.Id },
        };
        if (!selectors.Intersect(keys).Any()) return null;
        if (i.TriggerWords.Count == 0) return new TriggerMatch(i, null);
        var t = e.Message!.Text;
        var cmp = i.TriggerWordsCaseInsensitive ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        var first = t.TrimStart().Split((char[]?)null, StringSplitOptions.None)[0];
        foreach (var w in i.TriggerWords)
        {
            var hit = i.TriggerWordMode switch
            {
                "anywhere" => t.Contains(w, cmp),
                "first-word-exact" => first.Length > 0 && first.Equals(w, cmp),
                "first-word-prefix" => first.Length > 0 && first.StartsWith(w, cmp),
                _ => t.StartsWith(w, cmp),
            };
            if (hit) return new TriggerMatch(i, w);
        }

        return null;
    }
}
