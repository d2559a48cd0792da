using Microsoft.Extensions.Options;

namespace ChatIntegrations.Hosting;

/// <summary>Cross-field checks of <see cref="ChatIntegrationsOptions"/>, reported together at startup.</summary>
internal sealed class ChatIntegrationsOptionsValidator : IValidateOptions<ChatIntegrationsOptions>
{
    public ValidateOptionsResult Validate(string? name, ChatIntegrationsOptions options)
    {
        var errors = new List<string>();
        if (options.RateLimit.Permits is < 1 or > 1_000_000) errors.Add("ChatIntegrations:RateLimit:Permits must be between 1 and 1000000.");
        if (options.RateLimit.WindowSeconds is < 1 or > 86_400) errors.Add("ChatIntegrations:RateLimit:WindowSeconds must be between 1 and 86400.");
        if (options.TokenThrottle.MaxFailures is < 1 or > 100_000) errors.Add("ChatIntegrations:TokenThrottle:MaxFailures must be between 1 and 100000.");
        if (options.TokenThrottle.Window < TimeSpan.FromSeconds(1) || options.TokenThrottle.Window > TimeSpan.FromDays(1))
        {
            errors.Add("ChatIntegrations:TokenThrottle:Window must be between 00:00:01 and 1.00:00:00.");
        }

        if (options.Scripts.Validate() is { } scripts) errors.Add(scripts);
        ValidateDelivery(options, errors);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(string.Join(" ", errors));
    }

    private static void ValidateDelivery(ChatIntegrationsOptions o, List<string> errors)
    {
        static void Range(List<string> errors, string name, TimeSpan value, TimeSpan min, TimeSpan max)
        {
            if (value < min || value > max) errors.Add($"ChatIntegrations:{name} must be between {min:c} and {max:c}.");
        }

        var d = o.Dispatcher;
        if (string.IsNullOrWhiteSpace(o.NodeId)) errors.Add("ChatIntegrations:NodeId must not be empty.");
        if (o.MaxPendingDeliveries is < 1 or > 100_000_000) errors.Add("ChatIntegrations:MaxPendingDeliveries must be between 1 and 100000000.");
        if (o.LoopBreakerThreshold is < 1 or > 100_000) errors.Add("ChatIntegrations:LoopBreakerThreshold must be between 1 and 100000.");
        if (o.MaxOmnichannelMessages is < 1 or > 100_000) errors.Add("ChatIntegrations:MaxOmnichannelMessages must be between 1 and 100000.");
        if (d.MaxConcurrency is < 1 or > 1024) errors.Add("ChatIntegrations:Dispatcher:MaxConcurrency must be between 1 and 1024.");
        if (d.MaxConcurrencyPerEndpoint is < 1 or > 1024) errors.Add("ChatIntegrations:Dispatcher:MaxConcurrencyPerEndpoint must be between 1 and 1024.");
        if (d.Breaker.FailureRatio is <= 0 or > 1) errors.Add("ChatIntegrations:Dispatcher:Breaker:FailureRatio must be above 0 and at most 1.");
        if (d.Breaker.MinimumThroughput is < 2 or > 100_000) errors.Add("ChatIntegrations:Dispatcher:Breaker:MinimumThroughput must be between 2 and 100000.");
        Range(errors, "MaxRetryAfter", o.MaxRetryAfter, TimeSpan.Zero, TimeSpan.FromDays(1));
        Range(errors, "MaxRetryDelay", o.MaxRetryDelay, TimeSpan.FromSeconds(1), TimeSpan.FromDays(30));
        Range(errors, "HistoryRetention", o.HistoryRetention, TimeSpan.FromDays(1), TimeSpan.FromDays(365)); // DLV-25
        Range(errors, "TriggerIndexRefreshInterval", o.TriggerIndexRefreshInterval, TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1));
        Range(errors, "Dispatcher:PollInterval", d.PollInterval, TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(1));
        Range(errors, "Dispatcher:LeaseDuration", d.LeaseDuration, TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(30)); // DLV-32
        Range(errors, "Dispatcher:ShutdownGracePeriod", d.ShutdownGracePeriod, TimeSpan.Zero, TimeSpan.FromMinutes(10));
        Range(errors, "Dispatcher:Breaker:SamplingDuration", d.Breaker.SamplingDuration, TimeSpan.FromMilliseconds(500), TimeSpan.FromDays(1));
        Range(errors, "Dispatcher:Breaker:BreakDuration", d.Breaker.BreakDuration, TimeSpan.FromMilliseconds(500), TimeSpan.FromDays(1));
        Range(errors, "Store:PublishTimeout", o.Store.PublishTimeout, TimeSpan.Zero, TimeSpan.FromMinutes(5));
        if (string.IsNullOrWhiteSpace(o.UserAgent)) errors.Add("ChatIntegrations:UserAgent must not be empty.");
    }
}
