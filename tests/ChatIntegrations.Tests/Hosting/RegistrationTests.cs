using ChatIntegrations.Tests.TestDoubles;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChatIntegrations.Tests.Hosting;

public sealed class RegistrationTests
{
    [Test]
    public void AddChatIntegrations_CalledTwice_RegistersOnce_GEN1()
    {
        var services = new ServiceCollection();
        services.AddChatIntegrations();
        var count = services.Count;
        services.AddChatIntegrations();
        services.Count.Should().Be(count);
    }

    [Test]
    public void AddChatIntegrations_FromConfiguration_BindsOptions()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["MaxIncomingBodyBytes"] = "2048",
            ["RateLimit:Permits"] = "5",
        }).Build();
        var services = new ServiceCollection();
        services.AddChatIntegrations(config);
        using var sp = services.BuildServiceProvider();
        var o = sp.GetRequiredService<IOptions<ChatIntegrationsOptions>>().Value;
        o.MaxIncomingBodyBytes.Should().Be(2048);
        o.RateLimit.Permits.Should().Be(5);
    }

    [Test]
    public void AddChatIntegrations_InvalidOptions_FailWithReadableMessage()
    {
        var services = new ServiceCollection();
        services.AddChatIntegrations(o =>
        {
            o.MaxJsonDepth = 1;
            o.RateLimit.Permits = 0;
        });
        using var sp = services.BuildServiceProvider();
        var act = () => sp.GetRequiredService<IOptions<ChatIntegrationsOptions>>().Value;
        act.Should().Throw<OptionsValidationException>().Which.Message.Should().Contain("MaxJsonDepth").And.Contain("Permits");
    }

    [Test]
    public void Engine_WithoutSinkOrDirectory_ExplainsWhatIsMissing()
    {
        var services = new ServiceCollection();
        services.AddChatIntegrations();
        using var sp = services.BuildServiceProvider();
        var act = () => sp.GetRequiredService<IntegrationEngine>();
        act.Should().Throw<InvalidOperationException>().WithMessage("*IChatDirectory*AddChatDirectory*");
    }

    [Test]
    public void Builder_ChoosesParts()
    {
        var services = new ServiceCollection();
        services.AddChatIntegrations().AddChatDirectory<TestChat>().AddMessageSink<TestChat>().UseScriptHost<StubScriptHost>().AllowAllOperations();
        using var sp = services.BuildServiceProvider();
        sp.GetRequiredService<IScriptHost>().Should().BeOfType<StubScriptHost>();
        sp.GetRequiredService<IntegrationEngine>().Should().NotBeNull();
    }
}
