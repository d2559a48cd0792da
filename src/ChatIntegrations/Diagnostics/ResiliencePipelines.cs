using ChatIntegrations.Security.Ssrf;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Telemetry;

namespace ChatIntegrations.Diagnostics;

/// <summary>Configures the library's Polly pipelines (the resilience handler's, built by Microsoft.Extensions.Http.Resilience
/// through Polly.Extensions), so that their events reach the host's logging (category <c>Polly</c>) and the
/// <c>Polly</c> meter, enriched by Microsoft.Extensions.Resilience, like any other pipeline of the host, on the
/// library's clock.</summary>
/// <remarks>SEC-4: the pipelines' telemetry carries the pipeline name, the endpoint (scheme, host and port, never a
/// path) as the instance, and the event; results
/// are written as a status code or failure kind only (<see cref="FormatResult"/>), never as a URL, header or body.
/// Exception messages of the outbound client name host and port only.</remarks>
internal static class ResiliencePipelines
{
    /// <summary>Gives <paramref name="builder"/> the library's clock and the host's telemetry options, with a result
    /// formatter that writes nothing but a status code or failure kind.</summary>
    public static void Configure(ResiliencePipelineBuilderBase builder, TimeProvider time, IOptions<TelemetryOptions> telemetry)
    {
        builder.TimeProvider = time;
        builder.ConfigureTelemetry(new TelemetryOptions(telemetry.Value) { ResultFormatter = FormatResult });
    }

    /// <summary>SEC-4: a status code, or the failure's error code (<c>ECONNREFUSED</c>, …); nothing else.</summary>
    internal static object? FormatResult(ResilienceContext context, object? result) => result switch
    {
        OutboundResponseMessage r => r.Response.StatusCode,
        HttpResponseMessage r => (int)r.StatusCode,
        _ => null,
    };
}
