using System.Collections.Concurrent;

namespace ChatIntegrations.Tests.TestDoubles;

/// <summary>An in-memory chat for tests: a directory and a collecting sink with delegate hooks.</summary>
internal sealed class TestChat : IChatDirectory, IMessageSink
{
    private int _next;

    public Dictionary<string, ChatRoom> Rooms { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, ChatUser> Users { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, HashSet<string>> Members { get; } = new(StringComparer.Ordinal);
    public HashSet<string> Archived { get; } = new(StringComparer.Ordinal);
    public ConcurrentQueue<ChatMessage> Sent { get; } = new();
    public Func<ChatMessage, SendMessageResult?>? OnSend { get; set; }
    public TimeProvider Time { get; set; } = TimeProvider.System;

    public TestChat()
    {
        AddUser("u-bot", "rocket.cat", "Rocket Cat");
        AddUser("u-alice", "alice", "Alice");
        AddUser("u-bob", "bob");
        AddRoom("R_GENERAL", "general");
        AddRoom("R_ALERTS", "alerts");
        AddRoom("R_OPS", "ops");
        AddRoom("R_FINANCE", "finance");
        AddRoom("R_SECRET", "secret", "p");
    }

    public void AddUser(string id, string username, string name = "") => Users[id] = new ChatUser(id, username, name);

    public void AddRoom(string id, string name, string type = "c") => Rooms[id] = new ChatRoom(id, name, type);

    public ValueTask<ChatRoom?> FindRoomAsync(string idOrName, CancellationToken cancellationToken = default)
    {
        if (Rooms.TryGetValue(idOrName, out var r)) return ValueTask.FromResult<ChatRoom?>(r);
        return ValueTask.FromResult(Rooms.Values.FirstOrDefault(x => x.Name == idOrName));
    }

    public ValueTask<ChatUser?> FindUserAsync(string idOrUsername, bool byUsername = true, CancellationToken cancellationToken = default)
    {
        if (Users.TryGetValue(idOrUsername, out var u)) return ValueTask.FromResult<ChatUser?>(u);
        return ValueTask.FromResult(byUsername ? Users.Values.FirstOrDefault(x => x.Username == idOrUsername) : null);
    }

    public ValueTask<DirectoryResult<ChatRoom>> GetDirectRoomAsync(ChatUser sender, ChatUser other, CancellationToken cancellationToken = default)
    {
        var id = "DM_" + string.Join("_", new[] { sender.Id, other.Id }.Order(StringComparer.Ordinal));
        if (!Rooms.TryGetValue(id, out var room)) Rooms[id] = room = new ChatRoom(id, id, "d");
        return ValueTask.FromResult(DirectoryResult<ChatRoom>.Ok(room));
    }

    public ValueTask<string?> CheckMayPostAsync(ChatUser sender, ChatRoom room, CancellationToken cancellationToken = default)
    {
        if (Archived.Contains(room.Id)) return ValueTask.FromResult<string?>("room_is_archived");
        if (room.Type == "p" && !(Members.TryGetValue(room.Id, out var m) && m.Contains(sender.Id))) return ValueTask.FromResult<string?>("error-not-allowed");
        return ValueTask.FromResult<string?>(null);
    }

    public ValueTask<SendMessageResult> SendAsync(ChatMessage message, CancellationToken cancellationToken = default)
    {
        if (OnSend?.Invoke(message) is { } custom) return ValueTask.FromResult(custom);
        Sent.Enqueue(message);
        var id = "m" + Interlocked.Increment(ref _next);
        return ValueTask.FromResult(SendMessageResult.Sent(id, message.RoomId, Time.GetUtcNow()));
    }
}
