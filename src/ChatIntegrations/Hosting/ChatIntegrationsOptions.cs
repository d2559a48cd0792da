using System.ComponentModel.DataAnnotations;

namespace ChatIntegrations;

/// <summary>Options of the integration engine. Bound from the <c>ChatIntegrations</c> configuration section by
/// <c>AddChatIntegrations(IConfiguration)</c> and validated at startup.</summary>
public sealed class ChatIntegrationsOptions
{
    /// <summary>Gets or sets the largest accepted incoming body in bytes (IN-20).</summary>
    /// <value>The default is 1,048,576 (1 MiB). Allowed: 1 KiB to 64 MiB.</value>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxIncomingBodyBytes { get; set; } = Defaults.MaxIncomingBodyBytes;

    /// <summary>Gets or sets the deepest accepted JSON nesting (IN-18).</summary>
    /// <value>The default is 64. Allowed: 8 to 256.</value>
    [Range(8, 256)]
    public int MaxJsonDepth { get; set; } = Defaults.MaxJsonDepth;

    /// <summary>Gets or sets the most destinations one request may name (IN-40).</summary>
    /// <value>The default is 20. Allowed: 1 to 100.</value>
    [Range(1, 100)]
    public int MaxDestinations { get; set; } = Defaults.MaxDestinations;

    /// <summary>Gets or sets the longest message text in UTF-16 code units (MSG-10).</summary>
    /// <value>The default is 5000. Allowed: 1 to 1,000,000.</value>
    [Range(1, 1_000_000)]
    public int MaxMessageLength { get; set; } = Defaults.MaxMessageLength;

    /// <summary>Gets or sets a value indicating whether Slack markup is translated (MSG-40).</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool SlackCompatibility { get; set; } = true;

    /// <summary>Gets or sets a value indicating whether a script may choose the sender with a <c>user</c> key (SCR-11).</summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool AllowScriptUserOverride { get; set; }

    /// <summary>Gets or sets a value indicating whether incoming requests with scripts write history records (IN-74).</summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool RecordIncomingHistory { get; set; }

    /// <summary>Gets the default per-integration rate limit (IN-60).</summary>
    public RateLimitOptions RateLimit { get; } = new();

    /// <summary>Gets the throttle for failed token checks per client address (SEC-5).</summary>
    public TokenThrottleOptions TokenThrottle { get; } = new();

    /// <summary>Gets the script switches and sandbox limits (IN-73, SCR-36, SCR-40).</summary>
    public ScriptOptions Scripts { get; } = new();

    /// <summary>Gets the SSRF guard options for every outbound request (SEC-6..SEC-13).</summary>
    public SsrfOptions Ssrf { get; } = new();
}

/// <summary>The default fixed-window rate limit of incoming integrations (IN-60).</summary>
public sealed class RateLimitOptions
{
    /// <summary>Gets or sets a value indicating whether integrations without their own setting are limited.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool Enabled { get; set; } = true;

    /// <summary>Gets or sets the requests allowed per window.</summary>
    /// <value>The default is 60. Allowed: 1 to 1,000,000.</value>
    [Range(1, 1_000_000)]
    public int Permits { get; set; } = Defaults.RateLimitPermits;

    /// <summary>Gets or sets the window length in seconds.</summary>
    /// <value>The default is 60. Allowed: 1 to 86,400.</value>
    [Range(1, 86_400)]
    public int WindowSeconds { get; set; } = Defaults.RateLimitWindowSeconds;
}

/// <summary>The throttle of failed token checks per client address (SEC-5).</summary>
public sealed class TokenThrottleOptions
{
    /// <summary>Gets or sets how many failures a window allows before answers become 429.</summary>
    /// <value>The default is 30. Allowed: 1 to 100,000.</value>
    [Range(1, 100_000)]
    public int MaxFailures { get; set; } = Defaults.TokenThrottleFailures;

    /// <summary>Gets or sets the window length.</summary>
    /// <value>The default is 10 minutes. Allowed: 1 second to 1 day.</value>
    public TimeSpan Window { get; set; } = Defaults.TokenThrottleWindow;
}

/// <summary>Default values, in one place.</summary>
internal static class Defaults
{
    public const int MaxIncomingBodyBytes = 1024 * 1024;
    public const int MaxJsonDepth = 64;
    public const int MaxDestinations = 20;
    public const int MaxMessageLength = 5000;
    public const int RateLimitPermits = 60;
    public const int RateLimitWindowSeconds = 60;
    public const int TokenThrottleFailures = 30;
    public static readonly TimeSpan TokenThrottleWindow = TimeSpan.FromMinutes(10);
    public const int MaxAttachments = 100;
    public const int MaxFieldsPerAttachment = 50;
    public const int MaxAttachmentBytes = 64 * 1024;
    public const int MaxCustomFieldsBytes = 16 * 1024;
    public const int MaxNameLength = 100;
}
