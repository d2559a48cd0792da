using ChatIntegrations;
using ChatIntegrations.Delivery;
using ChatIntegrations.Diagnostics;
using ChatIntegrations.Outgoing;
using ChatIntegrations.Hosting;
using ChatIntegrations.Scripting.Jint;
using ChatIntegrations.Scripting.Jint.Http;
using ChatIntegrations.Security.Ssrf;
using ChatIntegrations.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers ChatIntegrations (GEN-1).</summary>
public static class ChatIntegrationsServiceCollectionExtensions
{
    /// <summary>The configuration section bound by <see cref="AddChatIntegrations(IServiceCollection, IConfiguration)"/>
    /// callers conventionally pass: <c>ChatIntegrations</c>.</summary>
    public const string SectionName = "ChatIntegrations";

    /// <summary>Adds the integration engine with the default options. Safe to call more than once.</summary>
    /// <param name="services">The service collection.</param>
    /// <returns>A builder to choose the store, sink, directory, authorizer and script host.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    public static IChatIntegrationsBuilder AddChatIntegrations(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(d => d.ServiceType == typeof(ChatIntegrationsMarker))) return new ChatIntegrationsBuilder(services); // GEN-1
        services.AddSingleton<ChatIntegrationsMarker>();
        services.AddOptions<ChatIntegrationsOptions>().ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ChatIntegrationsOptions>, ChatIntegrationsOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddChatIntegrationsOutboundHttp(); // SEC-6..SEC-12
        services.TryAddSingleton<IIntegrationStore, InMemoryIntegrationStore>();
        // The bundled script host: Jint 4 in a sandbox of our own (scripts.md).
        services.TryAddSingleton<IScriptHost>(sp => new JintScriptHost(
            sp.GetRequiredService<IOptions<ChatIntegrationsOptions>>().Value.Scripts,
            new OutboundScriptHttpClient(sp.GetRequiredService<OutboundHttpClient>()),
            sp.GetRequiredService<TimeProvider>(),
            (sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance).CreateLogger(LogCategories.Scripts)));
        services.TryAddSingleton(sp => new global::ChatIntegrations.Diagnostics.Telemetry(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        AddOutgoing(services);
        services.TryAddSingleton(sp => new IntegrationEngine(
            sp.GetRequiredService<IIntegrationStore>(),
            sp.GetService<IChatDirectory>() ?? throw Missing(nameof(IChatDirectory), "AddChatDirectory<T>()"),
            sp.GetService<IMessageSink>() ?? throw Missing(nameof(IMessageSink), "AddMessageSink<T>()"),
            sp.GetRequiredService<IScriptHost>(),
            sp.GetService<IIntegrationAuthorizer>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptionsMonitor<ChatIntegrationsOptions>>(),
            sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance,
            sp.GetRequiredService<global::ChatIntegrations.Diagnostics.Telemetry>(),
            sp.GetRequiredService<OutgoingPublisher>(),
            sp.GetRequiredService<DeliverySignal>(),
            sp.GetRequiredService<OutboundHttpClient>()));
        return new ChatIntegrationsBuilder(services);
    }

    /// <summary>Outgoing webhooks: trigger index, publisher, replies, per-endpoint gates and the dispatcher (GEN-6).</summary>
    private static void AddOutgoing(IServiceCollection services)
    {
        static ILoggerFactory Logs(IServiceProvider sp) => sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;
        services.TryAddSingleton<DeliverySignal>();
        services.TryAddSingleton(sp => new TriggerIndexCache(sp.GetRequiredService<IIntegrationStore>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptionsMonitor<ChatIntegrationsOptions>>(), Logs(sp)));
        services.TryAddSingleton(sp => new OutgoingPublisher(sp.GetRequiredService<IIntegrationStore>(), sp.GetRequiredService<TriggerIndexCache>(),
            sp.GetRequiredService<DeliverySignal>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptionsMonitor<ChatIntegrationsOptions>>(), Logs(sp)));
        services.TryAddSingleton(sp => new ReplyPoster(
            sp.GetService<IChatDirectory>() ?? throw Missing(nameof(IChatDirectory), "AddChatDirectory<T>()"),
            sp.GetService<IMessageSink>() ?? throw Missing(nameof(IMessageSink), "AddMessageSink<T>()"),
            sp.GetRequiredService<IOptionsMonitor<ChatIntegrationsOptions>>(), Logs(sp)));
        services.TryAddSingleton(sp => new EndpointGates(sp.GetRequiredService<IOptionsMonitor<ChatIntegrationsOptions>>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<global::ChatIntegrations.Diagnostics.Telemetry>(), Logs(sp)));
        services.TryAddSingleton(sp => new DeliveryProcessor(sp.GetRequiredService<IIntegrationStore>(), sp.GetRequiredService<IScriptHost>(),
            sp.GetRequiredService<OutboundHttpClient>(), sp.GetRequiredService<ReplyPoster>(), sp.GetRequiredService<EndpointGates>(),
            sp.GetRequiredService<TriggerIndexCache>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptionsMonitor<ChatIntegrationsOptions>>(),
            Logs(sp), sp.GetRequiredService<global::ChatIntegrations.Diagnostics.Telemetry>()));
        services.TryAddSingleton(sp => new DeliveryDispatcher(sp.GetRequiredService<IIntegrationStore>(), new Lazy<DeliveryProcessor>(sp.GetRequiredService<DeliveryProcessor>),
            sp.GetRequiredService<DeliverySignal>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptionsMonitor<ChatIntegrationsOptions>>(), Logs(sp)));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, DeliveryDispatcher>(sp => sp.GetRequiredService<DeliveryDispatcher>()));
    }

    /// <summary>Adds the integration engine and configures its options. Safe to call more than once.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Configures the options.</param>
    /// <returns>A builder to choose the store, sink, directory, authorizer and script host.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static IChatIntegrationsBuilder AddChatIntegrations(this IServiceCollection services, Action<ChatIntegrationsOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var builder = services.AddChatIntegrations();
        services.Configure(configure);
        return builder;
    }

    /// <summary>Adds the integration engine and binds its options from a configuration section (conventionally
    /// <c>ChatIntegrations</c>). Safe to call more than once.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The configuration section to bind.</param>
    /// <returns>A builder to choose the store, sink, directory, authorizer and script host.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static IChatIntegrationsBuilder AddChatIntegrations(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var builder = services.AddChatIntegrations();
        services.Configure<ChatIntegrationsOptions>(configuration);
        return builder;
    }

    private static InvalidOperationException Missing(string service, string how) =>
        new($"ChatIntegrations needs an {service}: register one with builder.{how} or services.AddSingleton<{service}, …>().");

    private sealed class ChatIntegrationsMarker;

    private sealed class ChatIntegrationsBuilder(IServiceCollection services) : IChatIntegrationsBuilder
    {
        public IServiceCollection Services { get; } = services;
    }
}

/// <summary>Builder extensions for choosing the parts of ChatIntegrations.</summary>
public static class ChatIntegrationsBuilderExtensions
{
    /// <summary>Uses <typeparamref name="T"/> as the message sink (replacing any earlier choice).</summary>
    /// <typeparam name="T">The sink type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IChatIntegrationsBuilder AddMessageSink<T>(this IChatIntegrationsBuilder builder) where T : class, IMessageSink
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton<T>();
        builder.Services.Replace(ServiceDescriptor.Singleton<IMessageSink>(sp => sp.GetRequiredService<T>()));
        return builder;
    }

    /// <summary>Uses <typeparamref name="T"/> as the chat directory (replacing any earlier choice).</summary>
    /// <typeparam name="T">The directory type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IChatIntegrationsBuilder AddChatDirectory<T>(this IChatIntegrationsBuilder builder) where T : class, IChatDirectory
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton<T>();
        builder.Services.Replace(ServiceDescriptor.Singleton<IChatDirectory>(sp => sp.GetRequiredService<T>()));
        return builder;
    }

    /// <summary>Uses <typeparamref name="T"/> as the authorizer (replacing any earlier choice).</summary>
    /// <typeparam name="T">The authorizer type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IChatIntegrationsBuilder AddAuthorizer<T>(this IChatIntegrationsBuilder builder) where T : class, IIntegrationAuthorizer
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton<T>();
        builder.Services.Replace(ServiceDescriptor.Singleton<IIntegrationAuthorizer>(sp => sp.GetRequiredService<T>()));
        return builder;
    }

    /// <summary>Allows every administration operation to every actor. Without an authorizer, every operation is
    /// denied (SEC-20); use this only for demos and hosts that authorise at the route level.</summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IChatIntegrationsBuilder AllowAllOperations(this IChatIntegrationsBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.Replace(ServiceDescriptor.Singleton<IIntegrationAuthorizer, AllowAllAuthorizer>());
        return builder;
    }

    /// <summary>Uses <typeparamref name="T"/> as the integration store (replacing the in-memory default).</summary>
    /// <typeparam name="T">The store type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IChatIntegrationsBuilder UseStore<T>(this IChatIntegrationsBuilder builder) where T : class, IIntegrationStore
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton<T>();
        builder.Services.Replace(ServiceDescriptor.Singleton<IIntegrationStore>(sp => sp.GetRequiredService<T>()));
        return builder;
    }

    /// <summary>Uses <typeparamref name="T"/> as the script host (replacing the default).</summary>
    /// <typeparam name="T">The script host type.</typeparam>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IChatIntegrationsBuilder UseScriptHost<T>(this IChatIntegrationsBuilder builder) where T : class, IScriptHost
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton<T>();
        builder.Services.Replace(ServiceDescriptor.Singleton<IScriptHost>(sp => sp.GetRequiredService<T>()));
        return builder;
    }
}
