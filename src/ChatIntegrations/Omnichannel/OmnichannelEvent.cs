using System.Text.Json.Nodes;

namespace ChatIntegrations;

/// <summary>The live-chat events of OMNI-10. The wire name (<c>type</c> of the payload) is given on each member.</summary>
public enum OmnichannelEventType
{
    /// <summary><c>LivechatSessionStart</c>: a visitor's chat room is opened (toggle <c>onStart</c>).</summary>
    SessionStart,
    /// <summary><c>LivechatSessionQueued</c>: the chat enters the queue (toggle <c>onQueued</c>).</summary>
    SessionQueued,
    /// <summary><c>LivechatSessionTaken</c>: an agent takes the chat (toggle <c>onTaken</c>).</summary>
    SessionTaken,
    /// <summary><c>LivechatSessionForwarded</c>: the chat moves to another agent or department (toggle <c>onForward</c>).</summary>
    SessionForwarded,
    /// <summary><c>LivechatSession</c>: the chat is closed (toggle <c>onClose</c>).</summary>
    SessionClosed,
    /// <summary><c>Message</c>: a visitor or agent message is saved (toggles <c>onVisitorMessage</c>, <c>onAgentMessage</c>;
    /// OMNI-12). <see cref="OmnichannelEvent.Messages"/> holds only the new message.</summary>
    Message,
    /// <summary><c>LivechatEdit</c>: a <b>closed</b> room's info is edited (toggle <c>onEdit</c>; OMNI-11). Ignored for
    /// rooms without <see cref="OmnichannelRoom.ClosedAt"/>.</summary>
    RoomEdited,
    /// <summary><c>LeadCapture</c>: visitor contact data was captured from a message (toggle <c>onLeadCapture</c>;
    /// OMNI-25). Carries the updated visitor and no messages.</summary>
    LeadCapture,
    /// <summary><c>LivechatOfflineMessage</c>: the offline form was submitted (toggle <c>onOfflineMessage</c>; OMNI-24).
    /// Uses <see cref="OmnichannelEvent.OfflineMessage"/> only.</summary>
    OfflineMessage,
}

/// <summary>
/// A live-chat event reported by the host with <see cref="IntegrationEngine.PublishOmnichannelAsync"/> (OMNI-4). The
/// host hands over snapshots of the room, the visitor, the agent and the messages; the engine filters and sorts the
/// messages (OMNI-13), derives the visitor's <c>os</c> and <c>browser</c> from <see cref="OmnichannelVisitor.UserAgent"/>
/// (OMNI-21) and adds the room's stored <c>crmData</c> when each attempt is built (OMNI-35).
/// </summary>
/// <remarks>Values the host does not know are left <see langword="null"/> and are left out of the payload.</remarks>
public sealed record OmnichannelEvent
{
    /// <summary>Gets the event type (OMNI-10).</summary>
    public required OmnichannelEventType Type { get; init; }

    /// <summary>Gets the live-chat room. Required for every type except <see cref="OmnichannelEventType.OfflineMessage"/>.</summary>
    public OmnichannelRoom? Room { get; init; }

    /// <summary>Gets the visitor. Required for every type except <see cref="OmnichannelEventType.OfflineMessage"/>.</summary>
    public OmnichannelVisitor? Visitor { get; init; }

    /// <summary>Gets the assigned agent, when there is one.</summary>
    public OmnichannelAgent? Agent { get; init; }

    /// <summary>Gets the messages: all the room's messages for session events and
    /// <see cref="OmnichannelEventType.RoomEdited"/>, only the new one for <see cref="OmnichannelEventType.Message"/>,
    /// ignored for <see cref="OmnichannelEventType.LeadCapture"/>. Any order; the engine sorts by timestamp.</summary>
    public IReadOnlyList<OmnichannelMessage> Messages { get; init; } = [];

    /// <summary>Gets the offline form, for <see cref="OmnichannelEventType.OfflineMessage"/> only.</summary>
    public OmnichannelOfflineMessage? OfflineMessage { get; init; }
}

/// <summary>A live-chat room snapshot (Rocket.Chat's <c>rocketchat_room</c> of type <c>l</c>).</summary>
/// <param name="Id">The room id (<c>_id</c>).</param>
public sealed record OmnichannelRoom(string Id)
{
    /// <summary>Gets the display name (<c>fname</c> or <c>label</c>); sent as <c>label</c>.</summary>
    public string? Label { get; init; }

    /// <summary>Gets the topic.</summary>
    public string? Topic { get; init; }

    /// <summary>Gets when the room was created (<c>ts</c>); sent as <c>createdAt</c>.</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>Gets when the last message was sent (<c>lm</c>); sent as <c>lastMessageAt</c>.</summary>
    public DateTimeOffset? LastMessageAt { get; init; }

    /// <summary>Gets the tags.</summary>
    public IReadOnlyList<string>? Tags { get; init; }

    /// <summary>Gets the room custom data (<c>livechatData</c>); sent as <c>customFields</c>.</summary>
    public JsonObject? CustomFields { get; init; }

    /// <summary>Gets the department id.</summary>
    public string? DepartmentId { get; init; }

    /// <summary>Gets the agent serving the room.</summary>
    public OmnichannelServedBy? ServedBy { get; init; }

    /// <summary>Gets when the room was closed; a room with a value is closed (OMNI-11).</summary>
    public DateTimeOffset? ClosedAt { get; init; }

    /// <summary>Gets who closed the room.</summary>
    public OmnichannelUserReference? ClosedBy { get; init; }

    /// <summary>Gets who closed the room: <c>user</c> or <c>visitor</c>.</summary>
    public string? Closer { get; init; }

    /// <summary>Gets the department before a forward.</summary>
    public string? OldDepartmentId { get; init; }

    /// <summary>Gets the agent before a forward.</summary>
    public OmnichannelServedBy? OldServedBy { get; init; }
}

/// <summary>The agent serving a room (<c>servedBy</c>, <c>oldServedBy</c>): <c>{_id, username, ts}</c>.</summary>
/// <param name="Id">The agent's user id.</param>
/// <param name="Username">The agent's username.</param>
/// <param name="Since">When the agent started serving (<c>ts</c>).</param>
public sealed record OmnichannelServedBy(string Id, string Username, DateTimeOffset? Since = null);

/// <summary>A user reference <c>{_id, username}</c>.</summary>
/// <param name="Id">The user id.</param>
/// <param name="Username">The username.</param>
public sealed record OmnichannelUserReference(string Id, string Username);

/// <summary>A live-chat visitor snapshot (Rocket.Chat's <c>rocketchat_livechat_visitor</c>).</summary>
/// <param name="Id">The visitor id (<c>_id</c>).</param>
public sealed record OmnichannelVisitor(string Id)
{
    /// <summary>Gets the visitor token.</summary>
    public string? Token { get; init; }

    /// <summary>Gets the name.</summary>
    public string? Name { get; init; }

    /// <summary>Gets the username, for example <c>guest-17</c>.</summary>
    public string? Username { get; init; }

    /// <summary>Gets the department id.</summary>
    public string? Department { get; init; }

    /// <summary>Gets the IP address.</summary>
    public string? Ip { get; init; }

    /// <summary>Gets the browser's User-Agent; the engine derives <c>os</c> and <c>browser</c> from it (OMNI-21).</summary>
    public string? UserAgent { get; init; }

    /// <summary>Gets the visitor custom data (<c>livechatData</c>); sent as <c>customFields</c>.</summary>
    public JsonObject? CustomFields { get; init; }

    /// <summary>Gets the e-mail addresses (<c>visitorEmails</c>); sent as <c>email: [{address}]</c>.</summary>
    public IReadOnlyList<string>? Emails { get; init; }

    /// <summary>Gets the phone numbers (<c>phone</c>); sent as <c>phone: [{phoneNumber}]</c>.</summary>
    public IReadOnlyList<string>? Phones { get; init; }
}

/// <summary>The assigned agent.</summary>
/// <param name="Id">The agent's user id.</param>
/// <param name="Username">The agent's username.</param>
public sealed record OmnichannelAgent(string Id, string Username)
{
    /// <summary>Gets the display name.</summary>
    public string? Name { get; init; }

    /// <summary>Gets the e-mail addresses; the first is sent as <c>email</c>.</summary>
    public IReadOnlyList<string>? Emails { get; init; }

    /// <summary>Gets the custom fields.</summary>
    public JsonObject? CustomFields { get; init; }
}

/// <summary>A message of a live-chat room.</summary>
/// <param name="Id">The message id (<c>_id</c>).</param>
/// <param name="Sender">The sender (<c>u</c>): the visitor or an agent.</param>
/// <param name="Timestamp">When it was sent (<c>ts</c>).</param>
public sealed record OmnichannelMessage(string Id, OmnichannelUserReference Sender, DateTimeOffset Timestamp)
{
    /// <summary>Gets the system message type (<c>t</c>); <see langword="null"/> for a plain message. System messages are
    /// skipped, except the closing message; <c>livechat_navigation_history</c> is a navigation message (OMNI-13).</summary>
    public string? Type { get; init; }

    /// <summary>Gets the text (<c>msg</c>).</summary>
    public string? Text { get; init; }

    /// <summary>Gets the room id (<c>rid</c>); the room's id when <see langword="null"/>.</summary>
    public string? RoomId { get; init; }

    /// <summary>Gets when the message last changed (<c>_updatedAt</c>); <see cref="Timestamp"/> when <see langword="null"/>.</summary>
    public DateTimeOffset? UpdatedAt { get; init; }

    /// <summary>Gets when the message was edited.</summary>
    public DateTimeOffset? EditedAt { get; init; }

    /// <summary>Gets the navigation data of a navigation message (<c>navigation</c>).</summary>
    public JsonObject? Navigation { get; init; }

    /// <summary>Gets a value indicating whether this is the closing message (<c>closingMessage</c>).</summary>
    public bool ClosingMessage { get; init; }

    /// <summary>Gets the attached file.</summary>
    public OmnichannelFile? File { get; init; }

    /// <summary>Gets the attachments, as Rocket.Chat attachment objects.</summary>
    public JsonArray? Attachments { get; init; }

    /// <summary>Gets the visitor token. A message that carries it was sent by the visitor (OMNI-12); any other message
    /// is an agent message and gets <c>agentId</c> (OMNI-22).</summary>
    public string? VisitorToken { get; init; }
}

/// <summary>A file attached to a message: <c>{_id, name, type, url}</c>.</summary>
/// <param name="Id">The file id.</param>
/// <param name="Name">The file name.</param>
/// <param name="Type">The media type.</param>
/// <param name="Url">The download URL.</param>
public sealed record OmnichannelFile(string Id, string? Name = null, string? Type = null, string? Url = null);

/// <summary>The offline form (OMNI-24).</summary>
/// <param name="Name">The visitor's name.</param>
/// <param name="Email">The visitor's e-mail address.</param>
/// <param name="Message">The message.</param>
public sealed record OmnichannelOfflineMessage(string Name, string Email, string Message)
{
    /// <summary>Gets when the form was sent; the engine's current time when <see langword="null"/>.</summary>
    public DateTimeOffset? SentAt { get; init; }
}
