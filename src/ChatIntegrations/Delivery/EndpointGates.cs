using System.Collections.Concurrent;
using ChatIntegrations.Delivery.Retry;
using ChatIntegrations.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Registry;
using Polly.Telemetry;

namespace ChatIntegrations.Delivery;

/// <summary>The per-endpoint (scheme, host, port) circuit breaker and concurrency limit of DLV-19a.</summary>
/// <remarks>
/// <para>The breaker is Polly's, built in the library's pipeline registry (Polly.Extensions with
/// Microsoft.Extensions.Resilience, <see cref="ResiliencePipelines"/>) so that its events reach the host's logs and
/// metrics. It wraps the whole attempt (every redirect hop and the body read, under DLV-19's timeout) and counts the
/// attempt's class under the integration's own rules (DLV-13: <c>rocketchat</c> rules look at the body), which is why
/// it is not an <c>AddResilienceHandler</c> pipeline of Microsoft.Extensions.Http.Resilience: a handler sees one hop
/// up to the response headers, without the body, the rules or the attempt's timeout. Sampling, minimum throughput,
/// break duration and the single half-open trial are Polly's <c>CircuitBreakerStrategyOptions</c> as
/// <c>Dispatcher.Breaker</c> configures them, not the standard HTTP handler's defaults (ratio 0.1, 100 requests, 5 s
/// break).</para>
/// <para>The concurrency limit is a semaphore taken for the whole attempt before the breaker, so that an attempt
/// that waited can read its integration again (DLV-6); a rate limiter inside a handler would hold a slot per hop
/// only.</para>
/// </remarks>
internal sealed class EndpointGates
{
    private readonly ConcurrentDictionary<string, Lazy<EndpointGate>> _gates = new(StringComparer.OrdinalIgnoreCase);
    private readonly IOptionsMonitor<ChatIntegrationsOptions> _options;
    private readonly TimeProvider _time;
    private readonly Telemetry _telemetry;
    private readonly ILogger _logger;
    private readonly ResiliencePipelineRegistry<PipelineKey> _registry;
    private readonly IOptions<TelemetryOptions> _resilienceTelemetry;

    public EndpointGates(IOptionsMonitor<ChatIntegrationsOptions> options, TimeProvider time, Telemetry telemetry, ILoggerFactory loggerFactory,
        ResiliencePipelineRegistry<PipelineKey> registry, IOptions<TelemetryOptions> resilienceTelemetry)
    {
        _options = options;
        _time = time;
        _telemetry = telemetry;
        _logger = loggerFactory.CreateLogger(LogCategories.Delivery);
        _registry = registry;
        _resilienceTelemetry = resilienceTelemetry;
    }

    // Lazy: the registry keeps the first pipeline built for a key, so exactly one gate may build it.
    public EndpointGate For(Uri url) =>
        _gates.GetOrAdd(url.GetLeftPart(UriPartial.Authority),
            static (endpoint, state) => new Lazy<EndpointGate>(() => new EndpointGate(state.Self, endpoint, state.Url.IdnHost)), (Self: this, Url: url)).Value;

    internal sealed class EndpointGate
    {
        private readonly EndpointGates _owner;
        private readonly string _host;
        private readonly CircuitBreakerStateProvider _state = new();
        private long _openUntilTicks;

        public EndpointGate(EndpointGates owner, string endpoint, string host)
        {
            _owner = owner;
            _host = host;
            var dispatcher = owner._options.CurrentValue.Dispatcher;
            Slots = new SemaphoreSlim(dispatcher.MaxConcurrencyPerEndpoint, dispatcher.MaxConcurrencyPerEndpoint);
            var breaker = dispatcher.Breaker;
            Pipeline = owner._registry.GetOrAddPipeline<AttemptResult>(new PipelineKey(PipelineKey.EndpointBreaker, endpoint, host),
                (builder, _) => Configure(builder, breaker));
        }

        /// <summary>Gets the per-endpoint concurrency limit (DLV-5, DLV-19a), a semaphore: see the remarks of <see cref="EndpointGates"/>.</summary>
        public SemaphoreSlim Slots { get; }

        public ResiliencePipeline<AttemptResult> Pipeline { get; }

        private void Configure(ResiliencePipelineBuilder<AttemptResult> builder, BreakerOptions breaker)
        {
            ResiliencePipelines.Configure(builder, _owner._time, _owner._resilienceTelemetry);
            if (breaker.Enabled)
            {
                builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions<AttemptResult>
                {
                    FailureRatio = breaker.FailureRatio,
                    MinimumThroughput = breaker.MinimumThroughput,
                    SamplingDuration = breaker.SamplingDuration,
                    BreakDuration = breaker.BreakDuration,
                    StateProvider = _state,
                    ShouldHandle = static args => ValueTask.FromResult(args.Outcome.Result?.Classification.Class == OutcomeClass.Retryable),
                    OnOpened = args =>
                    {
                        Interlocked.Exchange(ref _openUntilTicks, (_owner._time.GetUtcNow() + args.BreakDuration).UtcTicks);
                        Transition("open");
                        return default;
                    },
                    OnHalfOpened = _ =>
                    {
                        Transition("half-open");
                        return default;
                    },
                    OnClosed = _ =>
                    {
                        Transition("closed");
                        return default;
                    },
                });
            }
        }

        /// <summary>When the breaker is open, the half-open time; else <see langword="null"/>.</summary>
        public DateTimeOffset? OpenUntil(DateTimeOffset now)
        {
            if (_state.CircuitState is not (CircuitState.Open or CircuitState.Isolated)) return null;
            var until = new DateTimeOffset(Interlocked.Read(ref _openUntilTicks), TimeSpan.Zero);
            return until > now ? until : null;
        }

        private void Transition(string state)
        {
            Log.BreakerTransition(_owner._logger, _host, state);
            _owner._telemetry.BreakerTransitions.Add(1, new KeyValuePair<string, object?>("host", _host), new KeyValuePair<string, object?>("state", state));
        }
    }
}
