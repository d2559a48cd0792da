using System.Security.Claims;

namespace ChatIntegrations.Hosting;

/// <summary>Allows every operation; registered only by <c>AllowAllOperations()</c> (SEC-20).</summary>
internal sealed class AllowAllAuthorizer : IIntegrationAuthorizer
{
    public ValueTask<bool> AuthorizeAsync(ClaimsPrincipal actor, IntegrationOperation operation, IntegrationResource resource, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(true);
}
