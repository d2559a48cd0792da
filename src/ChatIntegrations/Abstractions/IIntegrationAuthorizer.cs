using System.Security.Claims;

namespace ChatIntegrations;

/// <summary>Answers "may this actor do this operation on this resource" for administration (SEC-20, SEC-21).</summary>
/// <remarks>Implementations must support concurrent calls. No authorizer means every operation is denied, unless the
/// host opts in with <c>AllowAllOperations()</c>.</remarks>
public interface IIntegrationAuthorizer
{
    /// <summary>Decides one operation.</summary>
    /// <param name="actor">Who asks.</param>
    /// <param name="operation">What they want to do.</param>
    /// <param name="resource">On what.</param>
    /// <param name="cancellationToken">A token that cancels the call.</param>
    /// <returns><see langword="true"/> when allowed.</returns>
    ValueTask<bool> AuthorizeAsync(ClaimsPrincipal actor, IntegrationOperation operation, IntegrationResource resource, CancellationToken cancellationToken = default);
}

/// <summary>The administrative operations of SEC-21.</summary>
public enum IntegrationOperation
{
    /// <summary>Create an integration.</summary>
    CreateIntegration,
    /// <summary>Update an integration.</summary>
    UpdateIntegration,
    /// <summary>Delete an integration.</summary>
    DeleteIntegration,
    /// <summary>Regenerate a token or manage signing secrets.</summary>
    RegenerateToken,
    /// <summary>Get, list or export without secrets.</summary>
    ViewIntegration,
    /// <summary>Import a document.</summary>
    ImportIntegration,
    /// <summary>Export with secrets.</summary>
    ExportSecrets,
    /// <summary>Save an outgoing integration with impersonation.</summary>
    Impersonate,
    /// <summary>Post as a user; the resource carries <see cref="IntegrationResource.User"/>.</summary>
    PostAs,
    /// <summary>Listen on a channel selector.</summary>
    ListenOn,
    /// <summary>View history.</summary>
    ViewHistory,
    /// <summary>Replay history.</summary>
    ReplayHistory,
    /// <summary>Clear history.</summary>
    ClearHistory,
    /// <summary>Manage the omnichannel webhook.</summary>
    ManageOmnichannelWebhook,
    /// <summary>Test the omnichannel webhook.</summary>
    TestOmnichannelWebhook,
}

/// <summary>The resource of an authorization question.</summary>
/// <param name="IntegrationId">The integration id, when there is one.</param>
/// <param name="Type">The integration type, when known.</param>
/// <param name="CreatedBy">Who created the integration, for "own" rules.</param>
/// <param name="User">The user of a <see cref="IntegrationOperation.PostAs"/> question.</param>
/// <param name="Selector">The selector of a <see cref="IntegrationOperation.ListenOn"/> question.</param>
public readonly record struct IntegrationResource(string? IntegrationId, IntegrationType? Type, string? CreatedBy, string? User = null, string? Selector = null);
