using ChatIntegrations.Delivery;
using ChatIntegrations.Delivery.Retry;
using ChatIntegrations.Security.Ssrf;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Registry;
using Polly.Telemetry;

namespace ChatIntegrations.Diagnostics;

/// <summary>Identifies one of the library's Polly pipelines in its own <see cref="ResiliencePipelineRegistry{TKey}"/>.</summary>
/// <param name="Name">The pipeline name written in telemetry.</param>
/// <param name="Endpoint">What tells pipelines apart (scheme, host and port for the per-endpoint ones); never written.</param>
/// <param name="Host">The instance name written in telemetry: the endpoint's host only (SEC-4, GEN-15).</param>
internal readonly record struct PipelineKey(string Name, string Endpoint, string Host)
{
    /// <summary>The per-call timeout of the outbound client (DLV-19).</summary>
    public const string OutboundTimeout = "ChatIntegrations.Outbound";

    /// <summary>The per-endpoint circuit breaker of deliveries (DLV-19a).</summary>
    public const string EndpointBreaker = "ChatIntegrations.Endpoint";
}

/// <summary>Registers and configures the library's Polly pipelines through Polly.Extensions and
/// Microsoft.Extensions.Resilience, so that their events reach the host's logging (category <c>Polly</c>) and the
/// <c>Polly</c> meter, enriched with exception summaries, like any other pipeline of the host.</summary>
/// <remarks>SEC-4: the pipelines' telemetry carries the pipeline name, the endpoint's host and the event; results
/// are written as a status code or failure kind only (<see cref="FormatResult"/>), never as a URL, header or body.
/// Exception messages of the outbound client name host and port only.</remarks>
internal static class ResiliencePipelines
{
    /// <summary>Adds the registry keyed by <see cref="PipelineKey"/> and the resilience enricher. Call once.</summary>
    public static void Add(IServiceCollection services)
    {
        services.AddResilienceEnricher();
        services.AddResiliencePipelineRegistry<PipelineKey>(static o =>
        {
            o.BuilderNameFormatter = static key => key.Name;
            o.InstanceNameFormatter = static key => key.Host;
        });
    }

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
        AttemptResult r => r.Outcome.StatusCode is { } status ? status : OutcomeClassifier.ErrorCode(r.Outcome.Failure),
        OutboundResponse r => r.StatusCode,
        _ => null,
    };
}
