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
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(string.Join(" ", errors));
    }
}
