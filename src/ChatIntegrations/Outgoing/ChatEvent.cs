using System.Text.Json.Nodes;

namespace ChatIntegrations;

/// <summary>A chat event that the host reports with <c>IntegrationEngine.PublishAsync</c> (OUT-14).</summary>
/// <remarks>
/// Properties that the host does not know are left <see langword="null"/>; the engine then leaves the matching payload
/// keys out. The engine never changes an event, so one instance may be published from several threads.
/// </remarks>
public sealed record ChatEvent
{
    /// <summary>Gets the event type (OUT-10).</summary>
    public required ChatEventType Type { get; init; }

    /// <summary>Gets the time of the event (<c>ts</c>).</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>Gets the room the event happened in; <see langword="null"/> for <see cref="ChatEventType.UserCreated"/>.</summary>
    public RoomSnapshot? Room { get; init; }

    /// <summary>Gets the acting user: the sender of a message, the user who joined, left, archived or deleted, or for
    /// <see cref="ChatEventType.UserCreated"/> the created user.</summary>
    public UserSnapshot? Actor { get; init; }

    /// <summary>Gets the message of <see cref="ChatEventType.SendMessage"/>, <see cref="ChatEventType.FileUploaded"/>
    /// and <see cref="ChatEventType.MessageDeleted"/> events.</summary>
    /// <remarks>A message with <see cref="MessageSnapshot.EditedAt"/> set is an edit (OUT-47).</remarks>
    public MessageSnapshot? Message { get; init; }

    /// <summary>Gets the owner of the room of a <see cref="ChatEventType.RoomCreated"/> event.</summary>
    public UserSnapshot? Owner { get; init; }
}

/// <summary>The chat events that fire outgoing integrations (OUT-10, OUT-11).</summary>
public enum ChatEventType
{
    /// <summary>A message was saved, new or edited (<c>sendMessage</c>).</summary>
    SendMessage,

    /// <summary>A message with a file was saved (<c>fileUploaded</c>); it also fires <c>sendMessage</c> integrations.</summary>
    FileUploaded,

    /// <summary>A room was archived (<c>roomArchived</c>).</summary>
    RoomArchived,

    /// <summary>A public or private room was created (<c>roomCreated</c>).</summary>
    RoomCreated,

    /// <summary>A user joined a room (<c>roomJoined</c>).</summary>
    RoomJoined,

    /// <summary>A user left a room (<c>roomLeft</c>).</summary>
    RoomLeft,

    /// <summary>A user account was created (<c>userCreated</c>).</summary>
    UserCreated,

    /// <summary>A message was deleted (<c>messageDeleted</c>, OUT-11).</summary>
    MessageDeleted,
}

/// <summary>A room as it was when the event happened (OUT-14, OUT-22).</summary>
/// <param name="Id">The room id (<c>_id</c>).</param>
/// <param name="Type">The room type (<c>t</c>): <c>c</c> public, <c>p</c> private, <c>d</c> direct, <c>l</c> omnichannel.</param>
public sealed record RoomSnapshot(string Id, string Type)
{
    /// <summary>Gets the room name (<c>name</c>); <see langword="null"/> for direct messages.</summary>
    public string? Name { get; init; }

    /// <summary>Gets the display name (<c>fname</c>).</summary>
    public string? DisplayName { get; init; }

    /// <summary>Gets the creation time (<c>ts</c>).</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>Gets the creator (<c>u</c>).</summary>
    public UserReference? Creator { get; init; }

    /// <summary>Gets a value indicating whether the room is archived (<c>archived</c>).</summary>
    public bool? Archived { get; init; }

    /// <summary>Gets a value indicating whether the room is read-only (<c>ro</c>).</summary>
    public bool? ReadOnly { get; init; }

    /// <summary>Gets the topic (<c>topic</c>).</summary>
    public string? Topic { get; init; }

    /// <summary>Gets the member user ids (<c>uids</c>); required for direct rooms, whose selectors match by member (OUT-32).</summary>
    public IReadOnlyList<string>? MemberIds { get; init; }
}

/// <summary>A user as they were when the event happened (OUT-22).</summary>
/// <param name="Id">The user id (<c>_id</c>).</param>
/// <param name="Username">The username.</param>
public sealed record UserSnapshot(string Id, string Username)
{
    /// <summary>Gets the display name (<c>name</c>).</summary>
    public string? Name { get; init; }

    /// <summary>Gets the account type (<c>type</c>), for example <c>user</c> or <c>bot</c>; a <c>bot</c> user makes the
    /// payload's <c>bot</c> flag <see langword="true"/> without suppressing the event (OUT-53).</summary>
    public string? Type { get; init; }

    /// <summary>Gets a value indicating whether the account is active (<c>active</c>).</summary>
    public bool? Active { get; init; }

    /// <summary>Gets the role names (<c>roles</c>).</summary>
    public IReadOnlyList<string>? Roles { get; init; }

    /// <summary>Gets the account creation time (<c>createdAt</c>).</summary>
    public DateTimeOffset? CreatedAt { get; init; }
}

/// <summary>A short user reference, as in a message's or room's <c>u</c> field.</summary>
/// <param name="Id">The user id (<c>_id</c>).</param>
/// <param name="Username">The username.</param>
/// <param name="Name">The display name, when known.</param>
public sealed record UserReference(string Id, string Username, string? Name = null);

/// <summary>A file reference of a message (<c>file</c>, <c>files</c>).</summary>
/// <param name="Id">The file id (<c>_id</c>).</param>
/// <param name="Name">The file name.</param>
/// <param name="Type">The media type, when known.</param>
public sealed record FileReference(string Id, string Name, string? Type = null);

/// <summary>A message as it was saved (OUT-14, OUT-22).</summary>
/// <param name="Id">The message id (<c>_id</c>).</param>
/// <param name="RoomId">The room id (<c>rid</c>).</param>
public sealed record MessageSnapshot(string Id, string RoomId)
{
    /// <summary>Gets the text (<c>msg</c>). The default is an empty string, as for a message with only attachments (OUT-45).</summary>
    public string Text { get; init; } = "";

    /// <summary>Gets the message time (<c>ts</c>).</summary>
    public DateTimeOffset? Timestamp { get; init; }

    /// <summary>Gets the sender (<c>u</c>).</summary>
    public UserReference? Sender { get; init; }

    /// <summary>Gets the display alias (<c>alias</c>).</summary>
    public string? Alias { get; init; }

    /// <summary>Gets the thread root message id (<c>tmid</c>) of a thread reply.</summary>
    public string? ThreadId { get; init; }

    /// <summary>Gets the main file (<c>file</c>).</summary>
    public FileReference? File { get; init; }

    /// <summary>Gets all files (<c>files</c>).</summary>
    public IReadOnlyList<FileReference>? Files { get; init; }

    /// <summary>Gets the attachments (<c>attachments</c>), each a JSON object.</summary>
    public IReadOnlyList<JsonObject>? Attachments { get; init; }

    /// <summary>Gets the edit time (<c>editedAt</c>); set only for an edited message (OUT-47).</summary>
    public DateTimeOffset? EditedAt { get; init; }

    /// <summary>Gets the integration id of the bot marker <c>bot.i</c> that the host stored with the message (MSG-9);
    /// <see langword="null"/> for messages not posted by an integration (OUT-50, OUT-51).</summary>
    public string? BotIntegrationId { get; init; }
}
