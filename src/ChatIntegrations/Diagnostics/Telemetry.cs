using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ChatIntegrations.Diagnostics;

/// <summary>The library's one <see cref="Meter"/> and one <see cref="ActivitySource"/>, both named
/// <c>ChatIntegrations</c> (GEN-15).</summary>
internal sealed class Telemetry : IDisposable
{
    public const string Name = "ChatIntegrations";

    public static readonly ActivitySource ActivitySource = new(Name);

    public Telemetry(IMeterFactory? meterFactory = null)
    {
        Meter = meterFactory?.Create(Name) ?? new Meter(Name);
        IncomingRequests = Meter.CreateCounter<long>("chatintegrations.incoming.requests", description: "Incoming webhook requests by status code.");
        ScriptCalls = Meter.CreateCounter<long>("chatintegrations.script.calls", description: "Script hook calls by hook and result.");
        ScriptLimitHits = Meter.CreateCounter<long>("chatintegrations.script.limit_hits", description: "Script limit hits by reason.");
        Deliveries = Meter.CreateCounter<long>("chatintegrations.deliveries", description: "Deliveries reaching a final state, by kind and state.");
        Attempts = Meter.CreateCounter<long>("chatintegrations.attempts", description: "Delivery attempts by kind, outcome, status code and host.");
        AttemptDuration = Meter.CreateHistogram<double>("chatintegrations.attempt.duration", unit: "s", description: "Delivery attempt duration.");
        BreakerTransitions = Meter.CreateCounter<long>("chatintegrations.breaker.transitions", description: "Circuit breaker transitions by host and state.");
    }

    public Meter Meter { get; }

    public Counter<long> IncomingRequests { get; }

    public Counter<long> ScriptCalls { get; }

    public Counter<long> ScriptLimitHits { get; }

    public Counter<long> Deliveries { get; }

    public Counter<long> Attempts { get; }

    public Histogram<double> AttemptDuration { get; }

    public Counter<long> BreakerTransitions { get; }

    public void Dispose() => Meter.Dispose();
}
