namespace ChatIntegrations.Samples.ConsoleHost.Chat;

/// <summary>The <see cref="IMessageSink"/> of the sample chat: stores every field and prints one line (MSG-1, MSG-2).
/// Like Rocket.Chat, every saved message is reported as a <c>sendMessage</c> event, with the integration's bot marker
/// (MSG-9), so the engine's loop guard (OUT-50, OUT-51) decides which outgoing integrations it may fire.</summary>
public sealed class SampleMessageSink(SampleChat chat, SampleChatEvents events) : IMessageSink
{
    /// <inheritdoc />
    public async ValueTask<SendMessageResult> SendAsync(ChatMessage message, CancellationToken cancellationToken = default)
    {
        var room = chat.FindRoom(message.RoomId);
        if (room is null) return SendMessageResult.Failed("error-invalid-room");
        if (message.ThreadId is not null && !room.HasMessage(message.ThreadId)) return SendMessageResult.Failed("error-invalid-thread"); // IN-49

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
        await events.MessageSavedAsync(room, stored);
        return SendMessageResult.Sent(stored.Id, stored.RoomId, stored.Timestamp);
    }
}
