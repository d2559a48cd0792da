using System.Collections.Concurrent;
using ChatIntegrations.Diagnostics;
using ChatIntegrations.Security.Ssrf;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;

namespace ChatIntegrations.Delivery;

/// <summary>The per-endpoint (scheme, host, port) circuit breaker and concurrency limit of DLV-19a.</summary>
/// <remarks>
/// <para>The breaker is Polly's, in the pipeline that Microsoft.Extensions.Http.Resilience's resilience handler of the
/// <c>ChatIntegrations.Outgoing</c> client selects per endpoint (<see cref="OutboundHttpClient.PipelineKeyOf"/>);
/// <see cref="AddBreaker"/> configures it when the handler builds that pipeline. Because the handler below it
/// (<see cref="OutboundAttemptHandler"/>) makes one execution of the whole attempt (every redirect hop and the body
/// read, under DLV-19's timeout), the breaker samples attempts, not hops, and counts an attempt as the delivery's own
/// rules class it (DLV-13: <c>rocketchat</c> rules look at the body; OMNI-31..OMNI-33), through the
/// <see cref="OutboundBreaker"/> the attempt carries. Sampling, minimum throughput, break duration and the single
/// half-open trial are Polly's <c>CircuitBreakerStrategyOptions</c> as <c>Dispatcher.Breaker</c> configures them, not
/// the package's standard handler defaults (ratio 0.1, 100 requests, 5 s break).</para>
/// <para>The gate follows the breaker's events so that the dispatcher can see an open breaker before it starts an
/// attempt (no attempt counted, no history record).</para>
/// <para>The concurrency limit is a semaphore taken for the whole attempt before the breaker, so that an attempt
/// that waited can read its integration again (DLV-6); Polly.Core has no concurrency limiter of its own.</para>
/// </remarks>
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

    /// <summary>The endpoint key of <paramref name="url"/>: scheme, host and port.</summary>
    public static string EndpointOf(Uri url) => url.GetLeftPart(UriPartial.Authority);

    public EndpointGate For(Uri url) => For(EndpointOf(url));

    private EndpointGate For(string endpoint) =>
        _gates.GetOrAdd(endpoint, static (key, self) => new EndpointGate(self, key), this);

    /// <summary>Adds the breaker of <paramref name="endpoint"/> to the pipeline the resilience handler builds for it.</summary>
    public void AddBreaker(ResiliencePipelineBuilder<HttpResponseMessage> builder, string endpoint) => For(endpoint).AddBreaker(builder);

    internal sealed class EndpointGate
    {
        private readonly EndpointGates _owner;
        private readonly string _host;
        private long _openUntilTicks;

        public EndpointGate(EndpointGates owner, string endpoint)
        {
            _owner = owner;
            Endpoint = endpoint;
            _host = Uri.TryCreate(endpoint, UriKind.Absolute, out var url) ? url.IdnHost : "";
            var dispatcher = owner._options.CurrentValue.Dispatcher;
            Slots = new SemaphoreSlim(dispatcher.MaxConcurrencyPerEndpoint, dispatcher.MaxConcurrencyPerEndpoint);
        }

        /// <summary>Gets the endpoint (scheme, host and port): the key of its pipeline in the resilience handler.</summary>
        public string Endpoint { get; }

        /// <summary>Gets the per-endpoint concurrency limit (DLV-5, DLV-19a), a semaphore: see the remarks of <see cref="EndpointGates"/>.</summary>
        public SemaphoreSlim Slots { get; }

        public void AddBreaker(ResiliencePipelineBuilder<HttpResponseMessage> builder)
        {
            var breaker = _owner._options.CurrentValue.Dispatcher.Breaker;
            if (!breaker.Enabled) return;
            builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                FailureRatio = breaker.FailureRatio,
                MinimumThroughput = breaker.MinimumThroughput,
                SamplingDuration = breaker.SamplingDuration,
                BreakDuration = breaker.BreakDuration,
                ShouldHandle = static args => ValueTask.FromResult(OutboundHttpClient.BreakerOf(args.Context) is { } attempt
                    && attempt.CountsAsFailure((args.Outcome.Result as OutboundResponseMessage)?.Response, args.Outcome.Exception)),
                OnOpened = args =>
                {
                    Interlocked.Exchange(ref _openUntilTicks, (_owner._time.GetUtcNow() + args.BreakDuration).UtcTicks);
                    Transition("open");
                    return default;
                },
                OnHalfOpened = _ =>
                {
                    Interlocked.Exchange(ref _openUntilTicks, 0);
                    Transition("half-open");
                    return default;
                },
                OnClosed = _ =>
                {
                    Interlocked.Exchange(ref _openUntilTicks, 0);
                    Transition("closed");
                    return default;
                },
            });
        }
        /// <summary>When the breaker is open, the half-open time; else <see langword="null"/>.</summary>
        /// <remarks>Kept from the breaker's own events rather than a state provider: the registry may build an
        /// endpoint's pipeline more than once when the first attempts race, and keeps only one; only the kept one
        /// ever raises events.</remarks>
        public DateTimeOffset? OpenUntil(DateTimeOffset now)
        {
            var ticks = Interlocked.Read(ref _openUntilTicks);
            if (ticks == 0) return null;
            var until = new DateTimeOffset(ticks, TimeSpan.Zero);
            return until > now ? until : null;
        }

        private void Transition(string state)
        {
            Log.BreakerTransition(_owner._logger, _host, state);
            _owner._telemetry.BreakerTransitions.Add(1, new KeyValuePair<string, object?>("host", _host), new KeyValuePair<string, object?>("state", state));
        }
    }
}
