using ChatIntegrations.Storage;

namespace ChatIntegrations.Storage.Tests;

/// <summary>The store contract on the bundled in-memory store.</summary>
[TestFixture]
public sealed class InMemoryIntegrationStoreTests : IntegrationStoreContractTests
{
    protected override Task<IIntegrationStore> CreateStoreAsync() => Task.FromResult<IIntegrationStore>(new InMemoryIntegrationStore());
}
