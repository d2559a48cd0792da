using Microsoft.Extensions.Options;

namespace ChatIntegrations.Security.Ssrf;

/// <summary>Startup validation of <see cref="SsrfOptions"/>, with one readable message per bad entry.</summary>
internal sealed class SsrfOptionsValidator : IValidateOptions<ChatIntegrationsOptions>
{
    private const string Prefix = "ChatIntegrations:Ssrf";

    public ValidateOptionsResult Validate(string? name, ChatIntegrationsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var ssrf = options.Ssrf;
        var errors = new List<string>();
        for (int i = 0; i < ssrf.AllowList.Count; i++)
        {
            var reason = SsrfPolicy.TryParseEntry(ssrf.AllowList[i], out _, out _, out _);
            if (reason is not null) errors.Add($"{Prefix}:AllowList:{i} '{ssrf.AllowList[i]}' {reason}.");
        }

        for (int i = 0; i < ssrf.AllowedPorts.Count; i++)
        {
            if (ssrf.AllowedPorts[i] is < 1 or > 65535) errors.Add($"{Prefix}:AllowedPorts:{i} must be between 1 and 65535 (was {ssrf.AllowedPorts[i]}).");
        }

        if (ssrf.MaxRedirects is < 0 or > SsrfDefaults.MaxRedirectsLimit)
        {
            errors.Add($"{Prefix}:MaxRedirects must be between 0 and {SsrfDefaults.MaxRedirectsLimit}.");
        }

        if (ssrf.Proxy is { } proxy && (!proxy.IsAbsoluteUri || proxy.Scheme is not ("http" or "https" or "socks5")))
        {
            errors.Add($"{Prefix}:Proxy must be an absolute http, https or socks5 URL.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(string.Join(" ", errors));
    }
}
