using System.Globalization;
using ChatIntegrations.Incoming;

namespace ChatIntegrations.Administration;

/// <summary>The message sink of a dry run ("try it"): it keeps the messages that would have been posted and posts
/// nothing. Each message succeeds, as a sink that accepts it would answer, with a made-up id.</summary>
internal sealed class TrialMessageSink(TimeProvider time) : IMessageSink
{
    private readonly List<ChatMessage> _messages = [];
    private readonly Lock _lock = new();

    /// <summary>Gets the messages that would have been posted, in order.</summary>
    public IReadOnlyList<ChatMessage> Messages
    {
        get
        {
            lock (_lock)
            {
                return [.. _messages];
            }
        }
    }

    public ValueTask<SendMessageResult> SendAsync(ChatMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        cancellationToken.ThrowIfCancellationRequested();
        int n;
        lock (_lock)
        {
            _messages.Add(message);
            n = _messages.Count;
        }

        return ValueTask.FromResult(SendMessageResult.Sent("dry-run-" + n.ToString(CultureInfo.InvariantCulture), message.RoomId, time.GetUtcNow()));
    }
}

/// <summary>What the incoming pipeline records in a dry run instead of history and metrics (IN-74).</summary>
internal sealed class IncomingTrialRecorder
{
    /// <summary>Gets the mapping warnings (MSG-33) and the script-result warnings, in order.</summary>
    public List<string> Warnings { get; } = [];

    /// <summary>Gets the script call's result, once the script ran.</summary>
    public ScriptCallResult? Result { get; private set; }

    /// <summary>Gets the console entries, with the MSG-11 warning when the message was empty.</summary>
    public IReadOnlyList<ScriptLogEntry> Logs { get; private set; } = [];

    /// <summary>Gets the SCR-47 reason of a failed call, when it failed.</summary>
    public string? Reason { get; private set; }

    internal void Record(ScriptCallResult result, IReadOnlyList<ScriptLogEntry> logs, ScriptStepOutcome outcome)
    {
        Result = result;
        Logs = logs;
        Reason = outcome.Reason;
    }
}
