using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatIntegrations.Security.Ssrf;

/// <summary>Logs SEC-12's warning while the guard is disabled: at most once per hour, measured with
/// <see cref="TimeProvider"/>. Thread-safe.</summary>
internal sealed class SsrfDisabledWarning(IOptionsMonitor<ChatIntegrationsOptions> options, TimeProvider timeProvider, ILogger<SsrfDisabledWarning> logger)
{
    // A timer due in exactly one hour may fire a hair early; it must still warn.
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(1);
    private readonly Lock _gate = new();
    private long? _lastWarning;

    /// <summary>Logs the warning when the guard is disabled and the last warning is an hour old (or there was none).</summary>
    /// <returns><see langword="true"/> when it logged.</returns>
    public bool WarnIfDue()
    {
        if (options.CurrentValue.Ssrf.Enabled) return false;
        lock (_gate)
        {
            if (_lastWarning is { } last && timeProvider.GetElapsedTime(last) < SsrfDefaults.DisabledWarningInterval - Slack) return false;
            _lastWarning = timeProvider.GetTimestamp();
        }

        SsrfLog.GuardDisabled(logger);
        return true;
    }
}

/// <summary>Warns at startup and every hour while the SSRF guard is disabled (SEC-12). The outbound handler also asks
/// <see cref="SsrfDisabledWarning"/> on every connection, so a host without the generic host still gets the warning.</summary>
internal sealed class SsrfDisabledWarningService(SsrfDisabledWarning warning, TimeProvider timeProvider) : IHostedService, IDisposable
{
    private ITimer? _timer;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        warning.WarnIfDue();
        _timer = timeProvider.CreateTimer(static state => ((SsrfDisabledWarning)state!).WarnIfDue(), warning,
            SsrfDefaults.DisabledWarningInterval, SsrfDefaults.DisabledWarningInterval);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _timer?.Dispose();
        _timer = null;
        return Task.CompletedTask;
    }

    public void Dispose() => _timer?.Dispose();
}
