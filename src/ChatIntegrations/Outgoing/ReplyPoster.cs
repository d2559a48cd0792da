using System.Text.Json;
using System.Text.Json.Nodes;
using ChatIntegrations.Diagnostics;
using ChatIntegrations.Incoming;
using ChatIntegrations.Messages;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatIntegrations.Outgoing;

/// <summary>Where a reply goes and whom it answers, read from a delivery's stored payload (never re-read from the
/// chat, DLV-1).</summary>
/// <param name="RoomId">The event's room (<c>channel_id</c>).</param>
/// <param name="MessageId">The triggering message (<c>message_id</c>).</param>
/// <param name="ThreadId">The triggering message's thread root (<c>tmid</c>), when it is a thread reply.</param>
/// <param name="ActorId">The acting user (<c>user_id</c>), for impersonation (OUT-48).</param>
internal readonly record struct ReplyContext(string? RoomId, string? MessageId, string? ThreadId, string? ActorId)
{
    public static ReplyContext Of(JsonObject payload)
    {
        static string? S(JsonObject o, string key) => o[key] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
        return new(S(payload, "channel_id"), S(payload, "message_id"), S(payload, "tmid"), S(payload, "user_id"));
    }
}

/// <summary>The outcome of posting a reply.</summary>
/// <param name="Error">The first error code, or <see langword="null"/> when every room got the message.</param>
/// <param name="Sent">The posted messages, as <c>{channel, message}</c> entries for history (DLV-20).</param>
internal sealed record ReplyResult(string? Error, IReadOnlyList<(string Channel, JsonObject Message)> Sent)
{
    public bool Succeeded => Error is null && Sent.Count > 0;
}

/// <summary>Posts receiver and script replies into the chat (OUT-71..OUT-77, SCR-21, SCR-28).</summary>
internal sealed class ReplyPoster
{
    private static readonly string[] IdentityKeys = ["username", "alias", "icon_url", "avatar", "icon_emoji", "emoji"];

    private readonly IChatDirectory _directory;
    private readonly IMessageSink _sink;
    private readonly IOptionsMonitor<ChatIntegrationsOptions> _options;
    private readonly ILogger _logger;

    private readonly ICollection<string>? _warnings;

    /// <param name="directory">The chat directory.</param>
    /// <param name="sink">Where replies are posted.</param>
    /// <param name="options">The options.</param>
    /// <param name="loggerFactory">The logger factory.</param>
    /// <param name="warnings">Where a dry run ("try it") collects the mapping warnings (MSG-33); <see langword="null"/>
    /// for real traffic.</param>
    public ReplyPoster(IChatDirectory directory, IMessageSink sink, IOptionsMonitor<ChatIntegrationsOptions> options, ILoggerFactory loggerFactory,
        ICollection<string>? warnings = null)
    {
        _warnings = warnings;
        _directory = directory;
        _sink = sink;
        _options = options;
        _logger = loggerFactory.CreateLogger(LogCategories.Delivery);
    }

    /// <summary>OUT-71, OUT-76: whether a parsed answer asks for a reply: a non-empty <c>text</c> or a non-empty
    /// <c>attachments</c> array, and no <c>response_not_required:true</c>.</summary>
    public static bool IsReply(JsonNode? body)
    {
        if (body is not JsonObject o) return false;
        if (o["response_not_required"] is JsonValue nr && nr.GetValueKind() == JsonValueKind.True) return false;
        var hasText = o["text"] is JsonValue t && t.GetValueKind() == JsonValueKind.String && t.GetValue<string>().Length > 0;
        return hasText || o["attachments"] is JsonArray { Count: > 0 };
    }

    /// <summary>Posts <paramref name="content"/> as a reply of <paramref name="integration"/>.</summary>
    public async Task<ReplyResult> PostAsync(Integration integration, JsonObject content, ReplyContext context, CancellationToken cancellationToken)
    {
        var options = _options.CurrentValue;
        var sender = await FindSenderAsync(integration, context, cancellationToken).ConfigureAwait(false);
        if (sender is null) return new("error-invalid-user", []);

        var body = (JsonObject)content.DeepClone();
        if (!options.AllowReplyIdentityOverride)
        {
            foreach (var key in IdentityKeys) body.Remove(key); // OUT-75
        }

        var (draft, error) = MessageBuilder.Read(body, integration, MessageLimits.From(options));
        if (error is not null) return new(error.Error, []);
        var d = draft!;
        foreach (var w in d.Warnings)
        {
            Log.ReplyWarning(_logger, integration.Id, w); // MSG-33: a dropped key is named, never its value
            _warnings?.Add(w);
        }

        // OUT-74: a comment goes into the triggering message's thread; an explicit tmid wins.
        if (d.ThreadId is null && context.MessageId is not null
            && body["response_type"] is JsonValue rt && rt.GetValueKind() == JsonValueKind.String && rt.GetValue<string>() == "comment")
        {
            d.ThreadId = context.ThreadId ?? context.MessageId;
        }

        if (options.SlackCompatibility) await MessageTranslator.TranslateAsync(d, _directory, cancellationToken).ConfigureAwait(false); // OUT-76
        if (d.Text.Length > options.MaxMessageLength) return new("error-message-size-exceeded", []);
        if (d.Text.Length == 0 && d.Attachments.Count == 0) return new("error-empty-message", []);

        // OUT-72: the reply's channel, else targetRoom, else the event's room; the override guard does not apply.
        IReadOnlyList<string> entries = d.Destinations
            ?? (integration.TargetRoom.Length > 0 ? [integration.TargetRoom] : context.RoomId is { } room ? [room] : []);
        if (entries.Count == 0) return new("error-invalid-room", []);

        var resolver = new DestinationResolver(_directory, sender);
        var sent = new List<(string, JsonObject)>();
        var rooms = new HashSet<string>(StringComparer.Ordinal);
        string? firstError = null;
        foreach (var entry in entries)
        {
            var (target, resolveError) = await resolver.ResolveAsync(entry, cancellationToken).ConfigureAwait(false);
            var failure = target is null ? resolveError : await _directory.CheckMayPostAsync(sender, target, cancellationToken).ConfigureAwait(false);
            if (failure is not null)
            {
                firstError ??= failure;
                continue;
            }

            if (!rooms.Add(target!.Id)) continue;
            var message = d.ToMessage(target.Id, sender, integration.Id); // OUT-73: carries this integration's bot marker
            SendMessageResult result;
            try
            {
                result = await _sink.SendAsync(message, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                result = SendMessageResult.Failed("error-sending-message"); // a failing sink never stops the delivery
            }

            if (!result.Succeeded)
            {
                firstError ??= result.Error;
                continue;
            }

            var json = message.ToJson();
            json["_id"] = result.MessageId;
            json["ts"] = OutgoingPayload.FormatDate(result.Timestamp);
            sent.Add((entry, json));
        }

        return new(firstError, sent);
    }

    /// <summary>OUT-48, OUT-73: the impersonated acting user, looked up by id, else the post-as user.</summary>
    private async Task<ChatUser?> FindSenderAsync(Integration integration, ReplyContext context, CancellationToken cancellationToken)
    {
        if (integration.ImpersonateUser && context.ActorId is { } actorId)
        {
            var actor = await _directory.FindUserAsync(actorId, byUsername: false, cancellationToken).ConfigureAwait(false);
            if (actor is not null) return actor;
        }

        return await _directory.FindUserAsync(integration.Username, byUsername: true, cancellationToken).ConfigureAwait(false);
    }
}
