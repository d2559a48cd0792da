using System.Net;
using ChatIntegrations;
using ChatIntegrations.Delivery;
using ChatIntegrations.Diagnostics;
using ChatIntegrations.Security.Ssrf;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Telemetry;
using Polly.Timeout;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the guarded outbound HTTP client (SEC-6..SEC-12).</summary>
internal static class OutboundHttpServiceCollectionExtensions
{
    /// <summary>Adds the named client <c>ChatIntegrations.Outgoing</c> with the SSRF guard, <see cref="OutboundHttpClient"/>,
    /// the SSRF options validator and SEC-12's warning. Safe to call more than once.</summary>
    public static IServiceCollection AddChatIntegrationsOutboundHttp(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IDnsResolver, SystemDnsResolver>();
        services.TryAddSingleton<ILocalAddressProvider, NetworkInterfaceAddressProvider>();
        services.TryAddSingleton<ISocketConnector, TcpSocketConnector>();
        services.TryAddSingleton<SsrfDisabledWarning>();
        services.TryAddSingleton<SsrfConnectGuard>();
        services.TryAddSingleton<OutboundHttpClient>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ChatIntegrationsOptions>, SsrfOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, SsrfDisabledWarningService>());
        if (services.Any(d => d.ServiceType == typeof(OutboundHttpMarker))) return services;

        services.AddSingleton<OutboundHttpMarker>();
        services.AddResilienceEnricher(); // the pipelines' telemetry, enriched, in the host's logs and the Polly meter
        var client = services.AddHttpClient(SsrfDefaults.HttpClientName)
            .ConfigureHttpClient(static client =>
            {
                client.Timeout = Timeout.InfiniteTimeSpan; // DLV-19: the timeout is a Polly.Core strategy of the resilience handler
                client.DefaultRequestVersion = HttpVersion.Version11;
                client.DefaultVersionPolicy = HttpVersionPolicy.RequestVersionOrLower; // SEC-9: never HTTP/3
            })
            .ConfigurePrimaryHttpMessageHandler(CreatePrimaryHandler)
            .RemoveAllLoggers(); // SEC-4: the factory's loggers would write URLs, which may carry tokens

        // DLV-19, DLV-19a: Microsoft.Extensions.Http.Resilience's handler, one pipeline per delivery endpoint (breaker
        // around timeout) and one timeout-only pipeline for everything else; under it, the handler that makes the whole
        // attempt (redirect hops and body read) one execution of that pipeline.
        client.AddResilienceHandler(OutboundHttpClient.PipelineName, ConfigurePipeline)
            .SelectPipelineBy(static _ => OutboundHttpClient.PipelineKeyOf);
        client.AddHttpMessageHandler(static sp => new OutboundAttemptHandler(
            sp.GetRequiredService<IOptionsMonitor<ChatIntegrationsOptions>>(), sp.GetRequiredService<ILogger<OutboundHttpClient>>()));
        return services;
    }

    private static void ConfigurePipeline(ResiliencePipelineBuilder<HttpResponseMessage> builder, ResilienceHandlerContext context)
    {
        var services = context.ServiceProvider;
        ResiliencePipelines.Configure(builder, services.GetRequiredService<TimeProvider>(), services.GetRequiredService<IOptions<TelemetryOptions>>());
        if (context.InstanceName.Length > 0) services.GetService<EndpointGates>()?.AddBreaker(builder, context.InstanceName);
        builder.AddTimeout(new TimeoutStrategyOptions
        {
            TimeoutGenerator = static args => new ValueTask<TimeSpan>(OutboundHttpClient.TimeoutOf(args.Context)),
        });
    }

    private static HttpMessageHandler CreatePrimaryHandler(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptionsMonitor<ChatIntegrationsOptions>>();
        var guard = services.GetRequiredService<SsrfConnectGuard>();
        var proxy = options.CurrentValue.Ssrf.Proxy;
        var sockets = new SocketsHttpHandler
        {
            AllowAutoRedirect = false, // SEC-9, SEC-10: the engine follows redirects so that every hop is checked
            UseProxy = proxy is not null, // SEC-9: HTTP_PROXY / HTTPS_PROXY are ignored
            Proxy = proxy is null ? null : new WebProxy(proxy),
            UseCookies = false, // no cookie jar shared between integrations
            AutomaticDecompression = DecompressionMethods.All,
            PooledConnectionLifetime = SsrfDefaults.PooledConnectionLifetime,
            ConnectCallback = (context, cancellationToken) => guard.ConnectAsync(context, proxy, cancellationToken), // SEC-9
        };
        return new SsrfGuardHandler(sockets, options, services.GetRequiredService<ILocalAddressProvider>(),
            services.GetRequiredService<SsrfDisabledWarning>(), services.GetRequiredService<ILogger<SsrfGuardHandler>>());
    }

    private sealed class OutboundHttpMarker;
}
