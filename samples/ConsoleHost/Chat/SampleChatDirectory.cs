namespace ChatIntegrations.Samples.ConsoleHost.Chat;

/// <summary>The <see cref="IChatDirectory"/> of the sample chat (IN-41..IN-44).</summary>
public sealed class SampleChatDirectory(SampleChat chat) : IChatDirectory
{
    /// <inheritdoc />
    public ValueTask<ChatRoom?> FindRoomAsync(string idOrName, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(chat.FindRoom(idOrName) is { } r ? new ChatRoom(r.Id, r.Name, r.Type) : null);

    /// <inheritdoc />
    public ValueTask<ChatUser?> FindUserAsync(string idOrUsername, bool byUsername = true, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(chat.FindUser(idOrUsername, byUsername) is { } u ? new ChatUser(u.Id, u.Username, u.Name) : null);

    /// <inheritdoc />
    public ValueTask<DirectoryResult<ChatRoom>> GetDirectRoomAsync(ChatUser sender, ChatUser other, CancellationToken cancellationToken = default)
    {
        var a = chat.FindUser(sender.Id, byUsername: false);
        var b = chat.FindUser(other.Id, byUsername: false);
        if (a is null || b is null) return ValueTask.FromResult(DirectoryResult<ChatRoom>.Fail("error-invalid-user"));
        var room = chat.GetOrCreateDirectRoom(a, b);
        return ValueTask.FromResult(DirectoryResult<ChatRoom>.Ok(new ChatRoom(room.Id, room.Name, room.Type)));
    }

    /// <inheritdoc />
    public ValueTask<string?> CheckMayPostAsync(ChatUser sender, ChatRoom room, CancellationToken cancellationToken = default)
    {
        var user = chat.FindUser(sender.Id, byUsername: false);
        var r = chat.FindRoom(room.Id);
        if (user is null || r is null) return ValueTask.FromResult<string?>("error-invalid-room");
        return ValueTask.FromResult(chat.CheckMayPost(user, r));
    }
}
