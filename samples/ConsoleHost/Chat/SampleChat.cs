using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace ChatIntegrations.Samples.ConsoleHost.Chat;

/// <summary>Settings of the sample (configuration section <c>Sample</c>).</summary>
public sealed class SampleOptions
{
    /// <summary>Gets or sets a value indicating whether each stored message is printed as one line. Default true;
    /// turn it off for load tests (<c>--Sample:PrintMessages=false</c>).</summary>
    public bool PrintMessages { get; set; } = true;

    /// <summary>Gets or sets how many messages each room keeps (oldest dropped first), so memory stays flat.</summary>
    public int MaxMessagesPerRoom { get; set; } = 1000;

    /// <summary>Gets or sets a value indicating whether the demo webhook on #general is created at start (or reused,
    /// when the durable store already has it).</summary>
    public bool CreateDemoWebhook { get; set; } = true;

    /// <summary>Gets or sets the integration store: <c>sqlite</c> (default, durable: integrations and pending
    /// deliveries survive a restart) or <c>memory</c>.</summary>
    public string Store { get; set; } = "sqlite";

    /// <summary>Gets or sets the SQLite database file, relative to the working folder.</summary>
    public string DatabasePath { get; set; } = "chat-integrations.db";
}

/// <summary>A user of the sample chat.</summary>
public sealed record SampleUser(string Id, string Username, string Name);

/// <summary>A room of the sample chat. Type <c>c</c> public, <c>p</c> private, <c>d</c> direct.</summary>
public sealed class SampleRoom(string id, string name, string type, IEnumerable<string> members)
{
    private readonly Queue<StoredMessage> _messages = new();
    private readonly HashSet<string> _members = new(members, StringComparer.Ordinal);

    /// <summary>Gets the room id.</summary>
    public string Id { get; } = id;

    /// <summary>Gets the room name.</summary>
    public string Name { get; } = name;

    /// <summary>Gets the room type.</summary>
    public string Type { get; } = type;

    /// <summary>Gets or sets a value indicating whether the room is archived (posting fails with room_is_archived).</summary>
    public bool Archived { get; set; }

    /// <summary>Gets a snapshot of the member user ids.</summary>
    public IReadOnlyList<string> Members { get { lock (_members) return [.. _members]; } }

    /// <summary>Returns whether a user is a member.</summary>
    public bool IsMember(string userId) { lock (_members) return _members.Contains(userId); }

    /// <summary>Adds a member (Rocket.Chat joins public rooms on post).</summary>
    public void Join(string userId) { lock (_members) _members.Add(userId); }

    /// <summary>Removes a member.</summary>
    /// <returns>Whether the user was a member.</returns>
    public bool Leave(string userId) { lock (_members) return _members.Remove(userId); }

    /// <summary>Adds a member unless already one.</summary>
    /// <returns>Whether the user was added (false: already a member).</returns>
    public bool TryJoin(string userId) { lock (_members) return _members.Add(userId); }

    /// <summary>Gets or sets the creation time, when known (rooms created through <c>POST /api/rooms</c>).</summary>
    public DateTimeOffset? CreatedAt { get; set; }

    /// <summary>Gets or sets the creator (owner), when known.</summary>
    public SampleUser? Creator { get; set; }

    /// <summary>Gets a snapshot of the retained messages, oldest first.</summary>
    public IReadOnlyList<StoredMessage> Messages { get { lock (_messages) return [.. _messages]; } }

    internal void Add(StoredMessage message, int keep)
    {
        lock (_messages)
        {
            _messages.Enqueue(message);
            while (_messages.Count > keep) _messages.Dequeue();
        }
    }

    internal bool HasMessage(string id)
    {
        lock (_messages)
        {
            foreach (var m in _messages) if (m.Id == id) return true;
            return false;
        }
    }

    /// <summary>Gets the display form: <c>#name</c> for rooms, <c>@name</c> for direct messages.</summary>
    public string Display => Type == "d" ? "@" + Name : "#" + Name;
}

/// <summary>A stored chat message: every field the sink received, plus <c>_id</c> and <c>ts</c>.</summary>
public sealed record StoredMessage
{
    /// <summary>Gets the message id.</summary>
    public required string Id { get; init; }
    /// <summary>Gets the room id.</summary>
    public required string RoomId { get; init; }
    /// <summary>Gets the time.</summary>
    public required DateTimeOffset Timestamp { get; init; }
    /// <summary>Gets the sender id.</summary>
    public required string SenderId { get; init; }
    /// <summary>Gets the sender username.</summary>
    public required string SenderUsername { get; init; }
    /// <summary>Gets the text.</summary>
    public string Text { get; init; } = "";
    /// <summary>Gets the alias.</summary>
    public string? Alias { get; init; }
    /// <summary>Gets the avatar URL.</summary>
    public string? Avatar { get; init; }
    /// <summary>Gets the emoji avatar.</summary>
    public string? Emoji { get; init; }
    /// <summary>Gets the attachments.</summary>
    public IReadOnlyList<JsonObject> Attachments { get; init; } = [];
    /// <summary>Gets the parseUrls flag.</summary>
    public bool ParseUrls { get; init; } = true;
    /// <summary>Gets the groupable flag.</summary>
    public bool Groupable { get; init; }
    /// <summary>Gets the thread id.</summary>
    public string? ThreadId { get; init; }
    /// <summary>Gets the custom fields.</summary>
    public JsonObject? CustomFields { get; init; }
    /// <summary>Gets the integration id of the bot marker, or null for a human message.</summary>
    public string? BotIntegrationId { get; init; }

    /// <summary>Returns the Rocket.Chat-like JSON of the message.</summary>
    public JsonObject ToJson()
    {
        var o = new JsonObject
        {
            ["_id"] = Id,
            ["rid"] = RoomId,
            ["ts"] = Timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture),
            ["u"] = new JsonObject { ["_id"] = SenderId, ["username"] = SenderUsername },
            ["msg"] = Text,
        };
        if (Alias is not null) o["alias"] = Alias;
        if (Avatar is not null) o["avatar"] = Avatar;
        if (Emoji is not null) o["emoji"] = Emoji;
        var atts = new JsonArray();
        foreach (var a in Attachments) atts.Add(a.DeepClone());
        o["attachments"] = atts;
        o["parseUrls"] = ParseUrls;
        o["groupable"] = Groupable;
        if (ThreadId is not null) o["tmid"] = ThreadId;
        if (CustomFields is not null) o["customFields"] = CustomFields.DeepClone();
        if (BotIntegrationId is not null) o["bot"] = new JsonObject { ["i"] = BotIntegrationId };
        return o;
    }
}

/// <summary>The whole in-memory chat: users, rooms, memberships and messages. Thread-safe.</summary>
public sealed class SampleChat
{
    private const string IdAlphabet = "23456789ABCDEFGHJKLMNPQRSTWXYZabcdefghijkmnopqrstuvwxyz";
    private readonly ConcurrentDictionary<string, SampleUser> _usersById = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SampleUser> _usersByName = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SampleRoom> _roomsById = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SampleRoom> _roomsByName = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly IOptionsMonitor<SampleOptions> _options;
    private readonly TextWriter _out;

    /// <summary>Initializes a new instance of the <see cref="SampleChat"/> class with the demo users and rooms.</summary>
    public SampleChat(TimeProvider time, IOptionsMonitor<SampleOptions> options, TextWriter? output = null)
    {
        _time = time;
        _options = options;
        _out = output ?? Console.Out;
        foreach (var u in new[] { new SampleUser("u-admin", "admin", "Administrator"), new SampleUser("rocket.cat", "rocket.cat", "Rocket.Cat"), new SampleUser("u-alice", "alice", "Alice"), new SampleUser("u-bob", "bob", "Bob") })
        {
            _usersById[u.Id] = u;
            _usersByName[u.Username] = u;
        }

        // Rocket.Chat's #general really has the id GENERAL.
        AddRoom(new SampleRoom("GENERAL", "general", "c", ["u-admin", "u-alice", "u-bob"]));
        AddRoom(new SampleRoom("r-random", "random", "c", ["u-admin", "u-alice", "u-bob"]));
        AddRoom(new SampleRoom("r-notifications", "notifications", "c", ["u-admin"]));
        AddRoom(new SampleRoom("r-ops", "ops", "p", ["u-admin", "u-alice", "u-bob"])); // rocket.cat is not a member
    }

    /// <summary>Gets all users.</summary>
    public IEnumerable<SampleUser> Users => _usersById.Values;

    /// <summary>Gets all rooms.</summary>
    public IEnumerable<SampleRoom> Rooms => _roomsById.Values;

    /// <summary>Finds a room by id, else by name.</summary>
    public SampleRoom? FindRoom(string idOrName) =>
        _roomsById.TryGetValue(idOrName, out var r) ? r : _roomsByName.TryGetValue(idOrName, out r) ? r : null;

    /// <summary>Finds a user by id, else (when allowed) by username.</summary>
    public SampleUser? FindUser(string idOrUsername, bool byUsername = true) =>
        _usersById.TryGetValue(idOrUsername, out var u) ? u : byUsername && _usersByName.TryGetValue(idOrUsername, out u) ? u : null;

    /// <summary>Gets or creates the direct-message room of two users, id <c>dm-{a}-{b}</c> with sorted usernames.</summary>
    public SampleRoom GetOrCreateDirectRoom(SampleUser a, SampleUser b)
    {
        var names = new[] { a.Username, b.Username };
        Array.Sort(names, StringComparer.Ordinal);
        var id = $"dm-{names[0]}-{names[1]}";
        return _roomsById.GetOrAdd(id, static (key, users) => new SampleRoom(key, key, "d", [users.a.Id, users.b.Id]), (a, b));
    }

    /// <summary>Checks whether a user may post into a room, joining public rooms like Rocket.Chat.</summary>
    /// <returns>Null when allowed, else an IN-44 code.</returns>
    public string? CheckMayPost(SampleUser user, SampleRoom room)
    {
        if (room.Archived) return "room_is_archived";
        if (room.IsMember(user.Id)) return null;
        if (room.Type == "c")
        {
            room.Join(user.Id);
            return null;
        }

        return "error-not-allowed";
    }

    /// <summary>Stores a message (assigning <c>_id</c> and <c>ts</c>) and prints it when enabled.</summary>
    public StoredMessage Post(SampleRoom room, StoredMessage draft)
    {
        var message = draft with { Id = RandomNumberGenerator.GetString(IdAlphabet, 17), Timestamp = _time.GetUtcNow() };
        var options = _options.CurrentValue;
        room.Add(message, Math.Max(1, options.MaxMessagesPerRoom));
        if (options.PrintMessages) _out.WriteLine(Describe(room, message));
        return message;
    }

    /// <summary>Creates a user with a new random id (<c>POST /api/users</c>).</summary>
    /// <returns>The user, or null when the username is taken.</returns>
    public SampleUser? TryCreateUser(string username, string name)
    {
        var user = new SampleUser(RandomNumberGenerator.GetString(IdAlphabet, 17), username, name);
        if (!_usersByName.TryAdd(username, user)) return null;
        _usersById[user.Id] = user;
        return user;
    }

    /// <summary>Creates a public (<c>c</c>) or private (<c>p</c>) room owned by <paramref name="owner"/>, who becomes
    /// its first member (<c>POST /api/rooms</c>).</summary>
    /// <returns>The room, or null when the name is taken.</returns>
    public SampleRoom? TryCreateRoom(string name, string type, SampleUser owner)
    {
        var room = new SampleRoom(RandomNumberGenerator.GetString(IdAlphabet, 17), name, type, [owner.Id]) { CreatedAt = _time.GetUtcNow(), Creator = owner };
        if (!_roomsByName.TryAdd(name, room)) return null;
        _roomsById[room.Id] = room;
        return room;
    }

    /// <summary>One readable line, e.g. <c>[#general] rocket.cat (as CI) : text  +2 attachments</c>.</summary>
    public static string Describe(SampleRoom room, StoredMessage m)
    {
        var line = $"[{room.Display}] {m.SenderUsername}";
        if (!string.IsNullOrEmpty(m.Alias)) line += $" (as {m.Alias})";
        if (m.BotIntegrationId is not null) line += " [bot]";
        line += " : " + m.Text.ReplaceLineEndings(" ⏎ ");
        if (m.Attachments.Count > 0) line += $"  +{m.Attachments.Count} attachment{(m.Attachments.Count == 1 ? "" : "s")}";
        if (m.ThreadId is not null) line += $"  (thread {m.ThreadId})";
        return line;
    }

    private void AddRoom(SampleRoom room)
    {
        _roomsById[room.Id] = room;
        _roomsByName[room.Name] = room;
    }
}
