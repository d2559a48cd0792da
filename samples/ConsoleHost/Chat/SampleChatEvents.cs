namespace ChatIntegrations.Samples.ConsoleHost.Chat;

/// <summary>Reports what happens in the sample chat to <see cref="IntegrationEngine.PublishAsync"/> (OUT-10, OUT-14),
/// with room, user and message snapshots built from the in-memory chat.</summary>
/// <remarks>
/// The engine is resolved on first use: the engine depends on the message sink, and the sink publishes the messages
/// that integrations post (Rocket.Chat fires outgoing integrations for every saved message; the engine's loop guard
/// OUT-50 keeps bot messages from firing integrations that did not opt in). A publish that fails because the store is
/// unavailable is logged, not thrown: the chat change has already happened.
/// </remarks>
public sealed class SampleChatEvents(IServiceProvider services, SampleChat chat, TimeProvider time, ILogger<SampleChatEvents> logger)
{
    private IntegrationEngine? _engine;

    private IntegrationEngine Engine => _engine ??= services.GetRequiredService<IntegrationEngine>();

    /// <summary>A message was saved (<c>sendMessage</c>); messages from integrations carry their bot marker (MSG-9).</summary>
    public Task MessageSavedAsync(SampleRoom room, StoredMessage message) => PublishAsync(new ChatEvent
    {
        Type = ChatEventType.SendMessage,
        Timestamp = message.Timestamp,
        Room = Snapshot(room),
        Actor = chat.FindUser(message.SenderId, byUsername: false) is { } sender ? Snapshot(sender) : new UserSnapshot(message.SenderId, message.SenderUsername),
        Message = Snapshot(message),
    });

    /// <summary>A public or private room was created (<c>roomCreated</c>).</summary>
    public Task RoomCreatedAsync(SampleRoom room, SampleUser owner) => PublishAsync(new ChatEvent
    {
        Type = ChatEventType.RoomCreated,
        Timestamp = room.CreatedAt ?? time.GetUtcNow(),
        Room = Snapshot(room),
        Actor = Snapshot(owner),
        Owner = Snapshot(owner),
    });

    /// <summary>A user joined a room (<c>roomJoined</c>).</summary>
    public Task RoomJoinedAsync(SampleRoom room, SampleUser user) => RoomEventAsync(ChatEventType.RoomJoined, room, user);

    /// <summary>A user left a room (<c>roomLeft</c>).</summary>
    public Task RoomLeftAsync(SampleRoom room, SampleUser user) => RoomEventAsync(ChatEventType.RoomLeft, room, user);

    /// <summary>A user archived a room (<c>roomArchived</c>).</summary>
    public Task RoomArchivedAsync(SampleRoom room, SampleUser user) => RoomEventAsync(ChatEventType.RoomArchived, room, user);

    /// <summary>A user account was created (<c>userCreated</c>); the created user is the actor (OUT-14).</summary>
    public Task UserCreatedAsync(SampleUser user, DateTimeOffset createdAt) => PublishAsync(new ChatEvent
    {
        Type = ChatEventType.UserCreated,
        Timestamp = createdAt,
        Actor = Snapshot(user) with { CreatedAt = createdAt },
    });

    private Task RoomEventAsync(ChatEventType type, SampleRoom room, SampleUser user) => PublishAsync(new ChatEvent
    {
        Type = type,
        Timestamp = time.GetUtcNow(),
        Room = Snapshot(room),
        Actor = Snapshot(user),
    });

    private async Task PublishAsync(ChatEvent chatEvent)
    {
        try
        {
            // Not the request's token: once the chat has changed, its event should be reported even if the client left.
            await Engine.PublishAsync(chatEvent, CancellationToken.None);
        }
        catch (IntegrationStoreUnavailableException ex)
        {
            logger.LogWarning(ex, "Could not report the chat event {Event}: the integration store is unavailable", chatEvent.Type);
        }
    }

    /// <summary>The room as it is now (OUT-22); direct rooms carry their member ids and no name (OUT-32).</summary>
    public static RoomSnapshot Snapshot(SampleRoom room) => new(room.Id, room.Type)
    {
        Name = room.Type == "d" ? null : room.Name,
        DisplayName = room.Type == "d" ? null : room.Name,
        CreatedAt = room.CreatedAt,
        Creator = room.Creator is { } c ? new UserReference(c.Id, c.Username, c.Name) : null,
        Archived = room.Archived,
        ReadOnly = false,
        MemberIds = room.Type == "d" ? room.Members : null,
    };

    /// <summary>The user as it is now (OUT-22). <c>rocket.cat</c> is a bot account, as in Rocket.Chat.</summary>
    public static UserSnapshot Snapshot(SampleUser user) => new(user.Id, user.Username)
    {
        Name = user.Name,
        Type = user.Id == "rocket.cat" ? "bot" : "user",
        Active = true,
        Roles = user.Id switch { "u-admin" => ["admin", "user"], "rocket.cat" => ["bot"], _ => ["user"] },
    };

    /// <summary>The message as it was saved, with the bot marker of an integration message (MSG-9, OUT-50).</summary>
    public static MessageSnapshot Snapshot(StoredMessage message) => new(message.Id, message.RoomId)
    {
        Text = message.Text,
        Timestamp = message.Timestamp,
        Sender = new UserReference(message.SenderId, message.SenderUsername),
        Alias = message.Alias,
        ThreadId = message.ThreadId,
        Attachments = message.Attachments.Count > 0 ? message.Attachments : null,
        BotIntegrationId = message.BotIntegrationId,
    };
}
