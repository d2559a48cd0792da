namespace ChatIntegrations.Samples.ConsoleHost.Chat;

/// <summary>The <see cref="IMessageSink"/> of the sample chat: stores every field and prints one line (MSG-1, MSG-2).</summary>
public sealed class SampleMessageSink(SampleChat chat) : IMessageSink
{
    /// <inheritdoc />
    public ValueTask<SendMessageResult> SendAsync(ChatMessage message, CancellationToken cancellationToken = default)
    {
        var room = chat.FindRoom(message.RoomId);
        if (room is null) return ValueTask.FromResult(SendMessageResult.Failed("error-invalid-room"));
        if (message.ThreadId is not null && !room.HasMessage(message.ThreadId)) return ValueTask.FromResult(SendMessageResult.Failed("error-invalid-thread")); // IN-49

        var stored = chat.Post(room, new StoredMessage
        {
            Id = "",
            RoomId = room.Id,
            Timestamp = default,
            SenderId = message.SenderId,
            SenderUsername = message.SenderUsername.Length > 0 ? message.SenderUsername : chat.FindUser(message.SenderId, byUsername: false)?.Username ?? message.SenderId,
            Text = message.Text,
            Alias = message.Alias,
            Avatar = message.Avatar,
            Emoji = message.Emoji,
            Attachments = message.Attachments,
            ParseUrls = message.ParseUrls,
            Groupable = message.Groupable,
            ThreadId = message.ThreadId,
            CustomFields = message.CustomFields,
            BotIntegrationId = message.BotIntegrationId,
        });
        return ValueTask.FromResult(SendMessageResult.Sent(stored.Id, stored.RoomId, stored.Timestamp));
    }
}
