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

    /// <summary>Gets or sets the most attachments one message may carry; more answer <c>error-too-many-attachments</c>
    /// (MSG-12).</summary>
    /// <value>The default is 100. Allowed: 1 to 1000.</value>
    [Range(1, 1000)]
    public int MaxAttachments { get; set; } = Defaults.MaxAttachments;

    /// <summary>Gets or sets the most fields one attachment keeps; further fields are dropped with a warning (MSG-12).</summary>
    /// <value>The default is 50. Allowed: 1 to 1000.</value>
    [Range(1, 1000)]
    public int MaxFieldsPerAttachment { get; set; } = Defaults.MaxFieldsPerAttachment;

    /// <summary>Gets or sets the most URLs one outgoing integration may list (OUT-1).</summary>
    /// <value>The default is 10. Allowed: 1 to 100.</value>
    [Range(1, 100)]
    public int MaxUrlsPerIntegration { get; set; } = Defaults.MaxUrlsPerIntegration;

    /// <summary>Gets or sets the most trigger words one outgoing integration may list (OUT-3).</summary>
    /// <value>The default is 50. Allowed: 1 to 1000.</value>
    [Range(1, 1000)]
    public int MaxTriggerWords { get; set; } = Defaults.MaxTriggerWords;

    /// <summary>Gets or sets the longest trigger word, in UTF-16 code units (OUT-3).</summary>
    /// <value>The default is 64. Allowed: 1 to 1024.</value>
    [Range(1, 1024)]
    public int MaxTriggerWordLength { get; set; } = Defaults.MaxTriggerWordLength;

    /// <summary>Gets or sets the most bytes of a receiver's answer that are read; a longer answer is cut there, its
    /// status alone decides the outcome, and it is not a reply (OUT-71).</summary>
    /// <value>The default is 1,048,576 (1 MiB). Allowed: 1 KiB to 64 MiB.</value>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxResponseBodyBytes { get; set; } = Defaults.ResponseBodyBytes;

    /// <summary>Gets or sets the most characters of a receiver's answer kept in a history record (DLV-20).</summary>
    /// <value>The default is 65,536 (64 Ki). Allowed: 1 Ki to 16 Mi.</value>
    [Range(1024, 16 * 1024 * 1024)]
    public int MaxHistoryBodyLength { get; set; } = Defaults.HistoryBodyLength;

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

    /// <summary>Gets the delivery dispatcher options (DLV-5, DLV-18, DLV-19a, DLV-30..DLV-32).</summary>
    public DispatcherOptions Dispatcher { get; } = new();

    /// <summary>Gets the store options used by the engine (GEN-14).</summary>
    public StoreOptions Store { get; } = new();

    /// <summary>Gets or sets this node's stable id, the owner of its delivery leases (DLV-39). Nodes sharing a store
    /// need distinct ids.</summary>
    /// <value>The default is the machine name.</value>
    public string NodeId { get; set; } = Environment.MachineName;

    /// <summary>Gets or sets the most unfinished deliveries the queue holds; beyond it new deliveries are recorded as
    /// <c>queue-full</c> and dropped (DLV-38).</summary>
    /// <value>The default is 100,000. Allowed: 1 to 100,000,000.</value>
    [Range(1, 100_000_000)]
    public int MaxPendingDeliveries { get; set; } = Defaults.MaxPendingDeliveries;

    /// <summary>Gets or sets the largest <c>Retry-After</c> honoured (DLV-15).</summary>
    /// <value>The default is 1 hour. Allowed: 0 to 1 day.</value>
    public TimeSpan MaxRetryAfter { get; set; } = Defaults.MaxRetryAfter;

    /// <summary>Gets or sets the largest single retry delay (DLV-17).</summary>
    /// <value>The default is 24 hours. Allowed: 1 second to 30 days.</value>
    public TimeSpan MaxRetryDelay { get; set; } = Defaults.MaxRetryDelay;

    /// <summary>Gets or sets how many firings of one integration in one room on bot-marked messages a 60 s window
    /// allows before further firings are dropped as <c>loop-suspected</c> (OUT-52).</summary>
    /// <value>The default is 30. Allowed: 1 to 100,000.</value>
    [Range(1, 100_000)]
    public int LoopBreakerThreshold { get; set; } = Defaults.LoopBreakerThreshold;

    /// <summary>Gets or sets how long history records and finished deliveries are kept after their last change (DLV-25).</summary>
    /// <value>The default is 30 days. Allowed: 1 to 365 days.</value>
    public TimeSpan HistoryRetention { get; set; } = Defaults.HistoryRetention;

    /// <summary>Gets or sets the <c>User-Agent</c> of outgoing deliveries (OUT-61).</summary>
    /// <value>The default is <c>ChatIntegrations/&lt;version&gt;</c>.</value>
    public string UserAgent { get; set; } = Defaults.UserAgent;

    /// <summary>Gets or sets a value indicating whether payload snapshots keep <c>emails</c> keys (OUT-22).</summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool IncludeUserEmails { get; set; }

    /// <summary>Gets or sets the <c>siteUrl</c> sent in message payloads (OUT-23).</summary>
    /// <value>The default is an empty string, which leaves <c>siteUrl</c> out.</value>
    public string SiteUrl { get; set; } = "";

    /// <summary>Gets or sets the <c>team_id</c> of <c>slack-form</c> payloads (OUT-62).</summary>
    /// <value>The default is an empty string.</value>
    public string TeamId { get; set; } = "";

    /// <summary>Gets or sets the <c>team_domain</c> of <c>slack-form</c> payloads (OUT-62).</summary>
    /// <value>The default is an empty string.</value>
    public string TeamDomain { get; set; } = "";

    /// <summary>Gets or sets a value indicating whether a receiver's reply may set <c>username</c>, <c>icon_url</c>
    /// and <c>icon_emoji</c> (OUT-75).</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool AllowReplyIdentityOverride { get; set; } = true;

    /// <summary>Gets or sets how often the trigger index is rebuilt from the store, so that changes made by other
    /// nodes take effect (changes made through this engine take effect at once).</summary>
    /// <value>The default is 5 seconds. Allowed: 100 ms to 1 hour.</value>
    public TimeSpan TriggerIndexRefreshInterval { get; set; } = Defaults.TriggerIndexRefreshInterval;

    /// <summary>Gets or sets the most messages an omnichannel payload carries: the newest are kept, and
    /// <c>messagesTruncated:true</c> marks a cut (OMNI-13).</summary>
    /// <value>The default is 1000. Allowed: 1 to 100000.</value>
    public int MaxOmnichannelMessages { get; set; } = Defaults.MaxOmnichannelMessages;
}

/// <summary>Options of the delivery dispatcher (delivery.md).</summary>
public sealed class DispatcherOptions
{
    /// <summary>Gets or sets the most deliveries attempted at once on this node (DLV-5).</summary>
    /// <value>The default is 32. Allowed: 1 to 1024.</value>
    [Range(1, 1024)]
    public int MaxConcurrency { get; set; } = Defaults.DispatcherMaxConcurrency;

    /// <summary>Gets or sets the most attempts at once to one endpoint (scheme, host, port) (DLV-19a).</summary>
    /// <value>The default is 8. Allowed: 1 to 1024.</value>
    [Range(1, 1024)]
    public int MaxConcurrencyPerEndpoint { get; set; } = Defaults.DispatcherMaxConcurrencyPerEndpoint;

    /// <summary>Gets or sets how often the queue is polled for due deliveries (DLV-18).</summary>
    /// <value>The default is 50 ms. Allowed: 1 ms to 1 minute.</value>
    public TimeSpan PollInterval { get; set; } = Defaults.DispatcherPollInterval;

    /// <summary>Gets or sets the lease length; leases are renewed every third of it (DLV-31, DLV-32).</summary>
    /// <value>The default is 2 minutes. Allowed: 30 seconds to 30 minutes.</value>
    public TimeSpan LeaseDuration { get; set; } = Defaults.DispatcherLeaseDuration;

    /// <summary>Gets or sets how long in-flight attempts may finish after <c>StopAsync</c> (DLV-30).</summary>
    /// <value>The default is 10 seconds. Allowed: 0 to 10 minutes.</value>
    public TimeSpan ShutdownGracePeriod { get; set; } = Defaults.DispatcherShutdownGracePeriod;

    /// <summary>Gets the per-endpoint circuit breaker options (DLV-19a).</summary>
    public BreakerOptions Breaker { get; } = new();
}

/// <summary>The per-endpoint circuit breaker (DLV-19a), a Polly.Core circuit breaker.</summary>
public sealed class BreakerOptions
{
    /// <summary>Gets or sets a value indicating whether the breaker is used.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool Enabled { get; set; } = true;

    /// <summary>Gets or sets the share of retryable failures that opens the breaker.</summary>
    /// <value>The default is 0.5. Allowed: above 0 up to 1.</value>
    public double FailureRatio { get; set; } = Defaults.BreakerFailureRatio;

    /// <summary>Gets or sets the fewest attempts in the sampling window before the breaker may open.</summary>
    /// <value>The default is 20. Allowed: 2 to 100,000.</value>
    [Range(2, 100_000)]
    public int MinimumThroughput { get; set; } = Defaults.BreakerMinimumThroughput;

    /// <summary>Gets or sets the sampling window.</summary>
    /// <value>The default is 30 seconds. Allowed: 500 ms to 1 day.</value>
    public TimeSpan SamplingDuration { get; set; } = Defaults.BreakerSamplingDuration;

    /// <summary>Gets or sets how long the breaker stays open before one trial attempt (half-open).</summary>
    /// <value>The default is 30 seconds. Allowed: 500 ms to 1 day.</value>
    public TimeSpan BreakDuration { get; set; } = Defaults.BreakerBreakDuration;
}

/// <summary>How the engine uses the store (GEN-14).</summary>
public sealed class StoreOptions
{
    /// <summary>Gets or sets how long <c>PublishAsync</c> retries an enqueue while the store is unavailable before it
    /// throws <see cref="IntegrationStoreUnavailableException"/> (GEN-14).</summary>
    /// <value>The default is 2 seconds. Allowed: 0 to 5 minutes.</value>
    public TimeSpan PublishTimeout { get; set; } = Defaults.StorePublishTimeout;
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
    public const int MaxUrlsPerIntegration = 10;
    public const int MaxTriggerWords = 50;
    public const int MaxTriggerWordLength = 64;
    public const int MaxAttachmentBytes = 256 * 1024; // MSG-30: room for a few 64 KiB image data URIs (MSG-33)
    public const int MaxCustomFieldsBytes = 16 * 1024;
    public const int MaxNameLength = 100;
    public const int MaxPendingDeliveries = 100_000;
    public const int MaxOmnichannelMessages = 1000;
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromHours(1);
    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromHours(24);
    public const int LoopBreakerThreshold = 30;
    public static readonly TimeSpan HistoryRetention = TimeSpan.FromDays(30);
    public static readonly string UserAgent = "ChatIntegrations/" + (typeof(Defaults).Assembly.GetName().Version?.ToString(3) ?? "1.0.0");
    public static readonly TimeSpan TriggerIndexRefreshInterval = TimeSpan.FromSeconds(5);
    public const int DispatcherMaxConcurrency = 32;
    public const int DispatcherMaxConcurrencyPerEndpoint = 8;
    public static readonly TimeSpan DispatcherPollInterval = TimeSpan.FromMilliseconds(50);
    public static readonly TimeSpan DispatcherLeaseDuration = TimeSpan.FromMinutes(2);
    public static readonly TimeSpan DispatcherShutdownGracePeriod = TimeSpan.FromSeconds(10);
    public const double BreakerFailureRatio = 0.5;
    public const int BreakerMinimumThroughput = 20;
    public static readonly TimeSpan BreakerSamplingDuration = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan BreakerBreakDuration = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan StorePublishTimeout = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan HistoryPurgeInterval = TimeSpan.FromHours(1);
    public static readonly TimeSpan ScriptsDisabledPostpone = TimeSpan.FromSeconds(60);
    public const int HistoryBodyLength = 64 * 1024;
    public const int ResponseBodyBytes = 1024 * 1024;
}
