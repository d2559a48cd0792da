using System.Text.Json.Nodes;

namespace ChatIntegrations;

/// <summary>Posts integration messages into the host's chat (MSG-1, MSG-2).</summary>
/// <remarks>
/// Implementations must support concurrent calls. Return <see cref="SendMessageResult.Failed"/> with a code for
/// expected refusals (IN-54); an exception is reported to the sender as <c>error-sending-message</c> (IN-55).
/// </remarks>
public interface IMessageSink
{
    /// <summary>Posts one message into one room.</summary>
    /// <param name="message">The message, already validated and normalised.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns>The stored message's id and time, or an error code.</returns>
    ValueTask<SendMessageResult> SendAsync(ChatMessage message, CancellationToken cancellationToken = default);
}

/// <summary>The message handed to <see cref="IMessageSink"/> (MSG-1).</summary>
public sealed record ChatMessage
{
    /// <summary>Gets the destination room id.</summary>
    public required string RoomId { get; init; }

    /// <summary>Gets the sender's user id (post-as or impersonated user).</summary>
    public required string SenderId { get; init; }

    /// <summary>Gets the sender's username.</summary>
    public string SenderUsername { get; init; } = "";

    /// <summary>Gets the text (trimmed and Slack-translated).</summary>
    public string Text { get; init; } = "";

    /// <summary>Gets the display alias, if any.</summary>
    public string? Alias { get; init; }

    /// <summary>Gets the avatar URL, if any.</summary>
    public string? Avatar { get; init; }

    /// <summary>Gets the emoji avatar, if any.</summary>
    public string? Emoji { get; init; }

    /// <summary>Gets the attachments (MSG-30), each a JSON object; empty when there are none.</summary>
    public IReadOnlyList<JsonObject> Attachments { get; init; } = [];

    /// <summary>Gets a value indicating whether URL previews are generated (MSG-5).</summary>
    public bool ParseUrls { get; init; }

    /// <summary>Gets a value indicating whether the message may be grouped with the previous one (MSG-6).</summary>
    public bool Groupable { get; init; }

    /// <summary>Gets the thread parent message id, if any (IN-49).</summary>
    public string? ThreadId { get; init; }

    /// <summary>Gets the custom fields passed through unchanged (MSG-8).</summary>
    public JsonObject? CustomFields { get; init; }

    /// <summary>Gets the id of the integration that produced the message: the bot marker <c>bot.i</c> (MSG-3).</summary>
    public required string BotIntegrationId { get; init; }

    /// <summary>Returns the message as the JSON object of MSG-1, empty values removed (MSG-7).</summary>
    /// <returns>A new JSON object.</returns>
    public JsonObject ToJson()
    {
        var o = new JsonObject { ["rid"] = RoomId, ["senderId"] = SenderId };
        if (Text.Length > 0) o["msg"] = Text;
        if (!string.IsNullOrEmpty(Alias)) o["alias"] = Alias;
        if (!string.IsNullOrEmpty(Avatar)) o["avatar"] = Avatar;
        if (!string.IsNullOrEmpty(Emoji)) o["emoji"] = Emoji;
        var atts = new JsonArray();
        foreach (var a in Attachments) atts.Add(a.DeepClone());
        o["attachments"] = atts;
        o["parseUrls"] = ParseUrls;
        o["groupable"] = Groupable;
        if (!string.IsNullOrEmpty(ThreadId)) o["tmid"] = ThreadId;
        if (CustomFields is { Count: > 0 }) o["customFields"] = CustomFields.DeepClone();
        o["bot"] = new JsonObject { ["i"] = BotIntegrationId };
        return o;
    }
}

/// <summary>The result of <see cref="IMessageSink.SendAsync"/> (MSG-2).</summary>
public readonly record struct SendMessageResult
{
    /// <summary>Gets the new message id, on success.</summary>
    public string? MessageId { get; init; }

    /// <summary>Gets the room id, on success.</summary>
    public string? RoomId { get; init; }

    /// <summary>Gets the message time, on success.</summary>
    public DateTimeOffset Timestamp { get; init; }

    /// <summary>Gets the error code, on failure (for example <c>error-message-size-exceeded</c>).</summary>
    public string? Error { get; init; }

    /// <summary>Gets a value indicating whether the message was stored.</summary>
    public bool Succeeded => Error is null;

    /// <summary>Creates a success result.</summary>
    /// <param name="messageId">The new message id.</param>
    /// <param name="roomId">The room id.</param>
    /// <param name="timestamp">The message time.</param>
    /// <returns>The result.</returns>
    public static SendMessageResult Sent(string messageId, string roomId, DateTimeOffset timestamp) =>
        new() { MessageId = messageId, RoomId = roomId, Timestamp = timestamp };

    /// <summary>Creates a failure result.</summary>
    /// <param name="error">The error code.</param>
    /// <returns>The result.</returns>
    public static SendMessageResult Failed(string error) => new() { Error = error };
}
