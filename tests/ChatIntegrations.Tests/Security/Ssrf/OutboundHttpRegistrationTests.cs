using System.Net;
using ChatIntegrations.Security.Ssrf;
using ChatIntegrations.Tests.TestDoubles;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ChatIntegrations.Tests.Security.Ssrf;

public sealed class OutboundHttpRegistrationTests
{
    private static SocketsHttpHandler SocketsHandlerOf(IServiceProvider services)
    {
        var chain = HandlerChain(services);
        chain.Should().Contain(x => x is SsrfGuardHandler);
        return ((DelegatingHandler)chain[^1]).InnerHandler.Should().BeOfType<SocketsHttpHandler>().Subject;
    }

    private static List<HttpMessageHandler> HandlerChain(IServiceProvider services)
    {
        HttpMessageHandler? handler = services.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler(SsrfDefaults.HttpClientName);
        var chain = new List<HttpMessageHandler>();
        while (handler is DelegatingHandler delegating)
        {
            chain.Add(delegating);
            handler = delegating.InnerHandler;
        }

        return chain;
    }

    [Test]
    public void AddChatIntegrations_OutgoingClient_HasGuardNoProxyNoAutoRedirect_SEC9()
    {
        var services = new ServiceCollection();
        services.AddChatIntegrations();
        using var sp = services.BuildServiceProvider();

        var sockets = SocketsHandlerOf(sp);

        sockets.ConnectCallback.Should().NotBeNull();
        sockets.UseProxy.Should().BeFalse();
        // DLV-19, DLV-19a: Microsoft.Extensions.Http.Resilience's handler, then the whole-attempt handler, then the guard.
        // (The factory's own LifetimeTrackingHttpMessageHandler wraps them all.)
        HandlerChain(sp).Select(h => h.GetType().Name).SkipWhile(n => n == "LifetimeTrackingHttpMessageHandler")
            .Should().Equal("ResilienceHandler", "OutboundAttemptHandler", "SsrfGuardHandler");
        sockets.AllowAutoRedirect.Should().BeFalse();
        sockets.UseCookies.Should().BeFalse();
        sp.GetRequiredService<OutboundHttpClient>().Should().NotBeNull();
    }

    [Test]
    public void AddChatIntegrations_ProxyConfigured_UsesOnlyThatProxy_SEC9()
    {
        var services = new ServiceCollection();
        services.AddChatIntegrations(o => o.Ssrf.Proxy = new Uri("http://proxy.example.test:3128"));
        using var sp = services.BuildServiceProvider();

        var sockets = SocketsHandlerOf(sp);

        sockets.UseProxy.Should().BeTrue();
        sockets.Proxy!.GetProxy(new Uri("https://hooks.example.test/")).Should().Be(new Uri("http://proxy.example.test:3128"));
    }

    [Test]
    public void AddChatIntegrations_OutgoingClient_HasInfiniteTimeoutAndNoHttp3_SEC9_DLV19()
    {
        var services = new ServiceCollection();
        services.AddChatIntegrations();
        using var sp = services.BuildServiceProvider();

        var client = sp.GetRequiredService<IHttpClientFactory>().CreateClient(SsrfDefaults.HttpClientName);

        client.Timeout.Should().Be(Timeout.InfiniteTimeSpan);
        client.DefaultRequestVersion.Should().Be(HttpVersion.Version11);
        client.DefaultVersionPolicy.Should().Be(HttpVersionPolicy.RequestVersionOrLower);
    }

    [Test]
    public void AddChatIntegrations_CalledTwice_RegistersOutboundHttpOnce_GEN1()
    {
        var services = new ServiceCollection();
        services.AddChatIntegrations();
        int count = services.Count;
        services.AddChatIntegrationsOutboundHttp();
        services.Count.Should().Be(count);
    }

    [Test]
    public void SsrfOptions_Defaults_AreDocumentedValues_SEC6()
    {
        var options = new SsrfOptions();
        options.Enabled.Should().BeTrue();
        options.AllowList.Should().BeEmpty();
        options.AllowedPorts.Should().BeEmpty();
        options.Proxy.Should().BeNull();
        options.MaxRedirects.Should().Be(5);
    }

    [Test]
    public void AddChatIntegrations_FromConfiguration_BindsSsrfOptions_SEC11()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Ssrf:Enabled"] = "true",
            ["Ssrf:AllowList:0"] = "10.1.0.0/16",
            ["Ssrf:AllowList:1"] = "*.corp.example",
            ["Ssrf:AllowedPorts:0"] = "443",
            ["Ssrf:Proxy"] = "http://proxy.example.test:3128",
            ["Ssrf:MaxRedirects"] = "3",
        }).Build();
        var services = new ServiceCollection();
        services.AddChatIntegrations(config);
        using var sp = services.BuildServiceProvider();

        var ssrf = sp.GetRequiredService<IOptions<ChatIntegrationsOptions>>().Value.Ssrf;

        ssrf.AllowList.Should().Equal("10.1.0.0/16", "*.corp.example");
        ssrf.AllowedPorts.Should().Equal(443);
        ssrf.Proxy.Should().Be(new Uri("http://proxy.example.test:3128"));
        ssrf.MaxRedirects.Should().Be(3);
    }

    [Test]
    public void Validate_BadEntries_FailWithReadableMessage_SEC11()
    {
        var services = new ServiceCollection();
        services.AddChatIntegrations(o =>
        {
            o.Ssrf.AllowList.Add("10.0.0.0/33");
            o.Ssrf.AllowList.Add("10.0.0.1/8");
            o.Ssrf.AllowList.Add("not a host!");
            o.Ssrf.AllowList.Add("hooks.internal");
            o.Ssrf.AllowedPorts.Add(70000);
            o.Ssrf.MaxRedirects = 100;
            o.Ssrf.Proxy = new Uri("ftp://proxy.example.test");
        });
        using var sp = services.BuildServiceProvider();

        var act = () => sp.GetRequiredService<IOptions<ChatIntegrationsOptions>>().Value;

        var message = act.Should().Throw<OptionsValidationException>().Which.Message;
        message.Should().Contain("ChatIntegrations:Ssrf:AllowList:0 '10.0.0.0/33' is not a valid CIDR block")
            .And.Contain("AllowList:1 '10.0.0.1/8'")
            .And.Contain("AllowList:2 'not a host!'")
            .And.NotContain("hooks.internal")
            .And.Contain("AllowedPorts:0")
            .And.Contain("MaxRedirects")
            .And.Contain("Proxy");
    }

    [Test]
    public void Validate_GoodEntries_Pass_SEC11()
    {
        var options = new ChatIntegrationsOptions();
        foreach (var entry in new[] { "10.0.0.0/8", "fd00::/8", "127.0.0.2", "::1", "hooks.internal", "*.corp.example", "localhost" })
        {
            options.Ssrf.AllowList.Add(entry);
        }

        new SsrfOptionsValidator().Validate(null, options).Succeeded.Should().BeTrue();
    }

    [Test]
    public void WarnIfDue_GuardDisabled_WarnsOncePerHour_SEC12()
    {
        var time = new FakeTimeProvider();
        var logger = new FakeLogger<SsrfDisabledWarning>();
        var options = new ChatIntegrationsOptions();
        options.Ssrf.Enabled = false;
        var warning = new SsrfDisabledWarning(new StaticMonitor(options), time, logger);

        warning.WarnIfDue().Should().BeTrue();
        warning.WarnIfDue().Should().BeFalse();
        time.Advance(TimeSpan.FromMinutes(59));
        warning.WarnIfDue().Should().BeFalse();
        time.Advance(TimeSpan.FromMinutes(1));
        warning.WarnIfDue().Should().BeTrue();

        logger.Collector.GetSnapshot().Where(e => e.Id.Id == 4001).Should().HaveCount(2).And.OnlyContain(e => e.Level == LogLevel.Warning);
    }

    [Test]
    public void WarnIfDue_GuardEnabled_NeverWarns_SEC12()
    {
        var options = new ChatIntegrationsOptions();
        using var factory = LoggerFactory.Create(_ => { });
        new SsrfDisabledWarning(new StaticMonitor(options), new FakeTimeProvider(), factory.CreateLogger<SsrfDisabledWarning>())
            .WarnIfDue().Should().BeFalse();
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task HostedService_GuardDisabled_WarnsAtStartup_SEC12(CancellationToken cancellationToken)
    {
        var logs = new FakeLogCollector();
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(new FakeLoggerProvider(logs)));
        services.AddChatIntegrations(o => o.Ssrf.Enabled = false);
        await using var sp = services.BuildServiceProvider();

        foreach (var hosted in sp.GetServices<IHostedService>()) await hosted.StartAsync(cancellationToken);
        foreach (var hosted in sp.GetServices<IHostedService>()) await hosted.StopAsync(cancellationToken);

        logs.GetSnapshot().Should().ContainSingle(e => e.Id.Id == 4001);
    }

    private sealed class StaticMonitor(ChatIntegrationsOptions value) : IOptionsMonitor<ChatIntegrationsOptions>
    {
        public ChatIntegrationsOptions CurrentValue => value;

        public ChatIntegrationsOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<ChatIntegrationsOptions, string?> listener) => null;
    }
}
