using System.Collections.Concurrent;
using ChatIntegrations.Delivery.Retry;
using ChatIntegrations.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;

namespace ChatIntegrations.Delivery;

/// <summary>The per-endpoint (scheme, host, port) circuit breaker and concurrency limit of DLV-19a.</summary>
internal sealed class EndpointGates
{
    private readonly ConcurrentDictionary<string, EndpointGate> _gates = new(StringComparer.OrdinalIgnoreCase);
    private readonly IOptionsMonitor<ChatIntegrationsOptions> _options;
    private readonly TimeProvider _time;
    private readonly Telemetry _telemetry;
    private readonly ILogger _logger;

    public EndpointGates(IOptionsMonitor<ChatIntegrationsOptions> options, TimeProvider time, Telemetry telemetry, ILoggerFactory loggerFactory)
    {
        _options = options;
        _time = time;
        _telemetry = telemetry;
        _logger = loggerFactory.CreateLogger(LogCategories.Delivery);
    }

    public EndpointGate For(Uri url) =>
        _gates.GetOrAdd(url.GetLeftPart(UriPartial.Authority), static (_, state) => new EndpointGate(state.Self, state.Url.IdnHost), (Self: this, Url: url));

    internal sealed class EndpointGate
    {
        private readonly EndpointGates _owner;
        private readonly string _host;
        private readonly CircuitBreakerStateProvider _state = new();
        private long _openUntilTicks;

        public EndpointGate(EndpointGates owner, string host)
        {
            _owner = owner;
            _host = host;
            var dispatcher = owner._options.CurrentValue.Dispatcher;
            Slots = new SemaphoreSlim(dispatcher.MaxConcurrencyPerEndpoint, dispatcher.MaxConcurrencyPerEndpoint);
            var breaker = dispatcher.Breaker;
            var builder = new ResiliencePipelineBuilder<AttemptResult> { TimeProvider = owner._time };
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

            Pipeline = builder.Build();
        }

        /// <summary>Gets the per-endpoint concurrency limit; Polly.Core has no limiter, so this is a semaphore.</summary>
        public SemaphoreSlim Slots { get; }

        public ResiliencePipeline<AttemptResult> Pipeline { get; }

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
