using Microsoft.Extensions.DependencyInjection;

namespace ChatIntegrations;

/// <summary>Configures the services of ChatIntegrations after <c>AddChatIntegrations()</c>.</summary>
public interface IChatIntegrationsBuilder
{
    /// <summary>Gets the service collection.</summary>
    IServiceCollection Services { get; }
}
