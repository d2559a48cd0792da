namespace ChatIntegrations;

/// <summary>Resolves rooms and users of the host chat and answers may-post checks (IN-41..IN-44).</summary>
/// <remarks>Implementations must support concurrent calls. Exceptions are reported as <c>error-sending-message</c>.</remarks>
public interface IChatDirectory
{
    /// <summary>Finds a room by id, or else by name.</summary>
    /// <param name="idOrName">A room id or name.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The room, or <see langword="null"/>.</returns>
    ValueTask<ChatRoom?> FindRoomAsync(string idOrName, CancellationToken cancellationToken = default);

    /// <summary>Finds a user by id, or else by username when <paramref name="byUsername"/> is set.</summary>
    /// <param name="idOrUsername">A user id or username.</param>
    /// <param name="byUsername">Whether a username match is accepted (IN-43 accepts ids only).</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The user, or <see langword="null"/>.</returns>
    ValueTask<ChatUser?> FindUserAsync(string idOrUsername, bool byUsername = true, CancellationToken cancellationToken = default);

    /// <summary>Gets (or creates) the direct-message room between two users (IN-42).</summary>
    /// <param name="sender">The post-as user.</param>
    /// <param name="other">The other user.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The room, or an error code when the host refuses.</returns>
    ValueTask<DirectoryResult<ChatRoom>> GetDirectRoomAsync(ChatUser sender, ChatUser other, CancellationToken cancellationToken = default);

    /// <summary>Decides whether <paramref name="sender"/> may post into <paramref name="room"/> (IN-44). The host may
    /// join the sender to a public room as part of the check.</summary>
    /// <param name="sender">The post-as user.</param>
    /// <param name="room">The room.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns><see langword="null"/> when allowed, else one of <c>error-invalid-room</c>, <c>room_is_archived</c>,
    /// <c>error-not-allowed</c>, <c>room_is_blocked</c>, <c>error-room-read-only</c>, <c>error-user-muted</c>.</returns>
    ValueTask<string?> CheckMayPostAsync(ChatUser sender, ChatRoom room, CancellationToken cancellationToken = default);
}

/// <summary>A chat room as the directory reports it.</summary>
/// <param name="Id">The room id.</param>
/// <param name="Name">The room name.</param>
/// <param name="Type">The Rocket.Chat room type: <c>c</c> public, <c>p</c> private, <c>d</c> direct.</param>
public sealed record ChatRoom(string Id, string Name, string Type = "c");

/// <summary>A chat user as the directory reports it.</summary>
/// <param name="Id">The user id.</param>
/// <param name="Username">The username.</param>
/// <param name="Name">The display name, or an empty string.</param>
public sealed record ChatUser(string Id, string Username, string Name = "");

/// <summary>A value or an error code from the directory.</summary>
/// <typeparam name="T">The value type.</typeparam>
/// <param name="Value">The value, on success.</param>
/// <param name="Error">The error code, on failure.</param>
public readonly record struct DirectoryResult<T>(T? Value, string? Error) where T : class
{
    /// <summary>Creates a success result.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The result.</returns>
    public static DirectoryResult<T> Ok(T value) => new(value, null);

    /// <summary>Creates a failure result.</summary>
    /// <param name="error">The error code.</param>
    /// <returns>The result.</returns>
    public static DirectoryResult<T> Fail(string error) => new(null, error);
}
