namespace ChatIntegrations;

/// <summary>
/// A stored, versioned integration definition (GEN-5). Field names follow Rocket.Chat's integration documents so that
/// exported definitions can be imported unchanged (GEN-8).
/// </summary>
/// <remarks>Instances are immutable snapshots; updates produce a new instance with a higher <see cref="Version"/>.</remarks>
public sealed record Integration
{
    /// <summary>Gets the integration id (<c>_id</c>).</summary>
    public required string Id { get; init; }

    /// <summary>Gets the integration type.</summary>
    public required IntegrationType Type { get; init; }

    /// <summary>Gets the display name. The default is an empty string.</summary>
    public string Name { get; init; } = "";

    /// <summary>Gets a value indicating whether the integration is enabled. The default is <see langword="true"/>.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Gets the default destinations (incoming) or channel selectors (outgoing).</summary>
    public IReadOnlyList<string> Channel { get; init; } = [];

    /// <summary>Gets the post-as user's username.</summary>
    public string Username { get; init; } = "";

    /// <summary>Gets the default alias (MSG-20).</summary>
    public string Alias { get; init; } = "";

    /// <summary>Gets the default avatar URL (MSG-20).</summary>
    public string Avatar { get; init; } = "";

    /// <summary>Gets the default emoji avatar (MSG-20).</summary>
    public string Emoji { get; init; } = "";

    /// <summary>Gets a value indicating whether the script runs.</summary>
    public bool ScriptEnabled { get; init; }

    /// <summary>Gets the script source.</summary>
    public string Script { get; init; } = "";

    /// <summary>Gets a value indicating whether a body may choose its own destination (IN-48).</summary>
    public bool OverrideDestinationChannelEnabled { get; init; }

    /// <summary>Gets the secret token (SEC-1).</summary>
    public required string Token { get; init; }

    /// <summary>Gets the per-integration rate limit (IN-60); <see langword="null"/> uses the engine default.</summary>
    public RateLimitSettings? RateLimit { get; init; }

    /// <summary>Gets the per-integration body limit (IN-22); <see langword="null"/> uses the engine limit.</summary>
    public int? MaxBodyBytes { get; init; }

    /// <summary>Gets the outgoing event name, for example <c>sendMessage</c>.</summary>
    public string? Event { get; init; }

    /// <summary>Gets the outgoing target URLs.</summary>
    public IReadOnlyList<string> Urls { get; init; } = [];

    /// <summary>Gets the outgoing trigger words.</summary>
    public IReadOnlyList<string> TriggerWords { get; init; } = [];

    /// <summary>Gets a value indicating whether a trigger word may appear anywhere in the message.</summary>
    public bool TriggerWordAnywhere { get; init; }

    /// <summary>Gets a value indicating whether edited messages fire the integration.</summary>
    public bool RunOnEdits { get; init; } = true;

    /// <summary>Gets a value indicating whether replies are posted as the triggering user.</summary>
    public bool ImpersonateUser { get; init; }

    /// <summary>Gets a value indicating whether failed calls are retried.</summary>
    public bool RetryFailedCalls { get; init; } = true;

    /// <summary>Gets the retry count.</summary>
    public int RetryCount { get; init; } = 6;

    /// <summary>Gets the retry delay algorithm name.</summary>
    public string RetryDelay { get; init; } = "powers-of-ten";

    /// <summary>Gets the target room for replies of event integrations.</summary>
    public string TargetRoom { get; init; } = "";

    /// <summary>Gets the trigger word mode: <c>prefix</c>, <c>anywhere</c>, <c>first-word-exact</c> or
    /// <c>first-word-prefix</c> (OUT-1). The default is <c>prefix</c>.</summary>
    public string TriggerWordMode { get; init; } = "prefix";

    /// <summary>Gets a value indicating whether trigger words match case-insensitively.</summary>
    public bool TriggerWordsCaseInsensitive { get; init; }

    /// <summary>Gets the retry rules, <c>standard</c> or <c>rocketchat</c> (DLV-13).</summary>
    public string RetryRules { get; init; } = "standard";

    /// <summary>Gets a value indicating whether retry delays are jittered (DLV-16).</summary>
    public bool UseJitter { get; init; }

    /// <summary>Gets the per-attempt timeout in milliseconds (DLV-19). The default is 20000.</summary>
    public int TimeoutMs { get; init; } = 20000;

    /// <summary>Gets the payload format, <c>json</c> or <c>slack-form</c> (OUT-62).</summary>
    public string PayloadFormat { get; init; } = "json";

    /// <summary>Gets a value indicating whether messages posted by integrations fire this integration (OUT-50).</summary>
    public bool TriggerOnIntegrationMessages { get; init; }

    /// <summary>Gets a value indicating whether history records are written (DLV-23).</summary>
    public bool RecordHistory { get; init; } = true;

    /// <summary>Gets the response content mode, <c>parsed</c> or <c>raw</c> (SCR-27).</summary>
    public string ResponseContentMode { get; init; } = "parsed";

    /// <summary>Gets the Standard Webhooks signing secrets, oldest first (DLV-40).</summary>
    public IReadOnlyList<string> SigningSecrets { get; init; } = [];

    /// <summary>Gets the version number; it increases on each update (GEN-5).</summary>
    public long Version { get; init; } = 1;

    /// <summary>Gets the creation time.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Gets the last update time.</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Gets the name of the actor that created the integration.</summary>
    public string CreatedBy { get; init; } = "";
}

/// <summary>A fixed-window rate limit (IN-60).</summary>
/// <param name="Enabled">Whether the limit applies.</param>
/// <param name="Permits">Requests allowed per window.</param>
/// <param name="WindowSeconds">Window length in seconds.</param>
public sealed record RateLimitSettings(bool Enabled, int Permits, int WindowSeconds);
