using ChatIntegrations.Scripting.Jint.Http;

namespace ChatIntegrations.Scripting;

/// <summary>A script host that can run a script as a dry run, for the dashboard's "try it" panel
/// (<see cref="IntegrationEngine.TryScriptAsync"/>).</summary>
/// <remarks>A host without this capability cannot be tried: a trial must guarantee that no HTTP request leaves the
/// process and that no cached instance or <c>Store</c> of real traffic is touched.</remarks>
internal interface IScriptTrialHost
{
    /// <summary>Starts a dry run of <paramref name="source"/> for the integration <paramref name="integrationId"/>.</summary>
    IScriptTrial StartTrial(string integrationId, string source);
}

/// <summary>One dry run: an <see cref="IScriptHost"/> whose calls all run <em>the trial's source</em> in one private
/// instance, under the host's limits (SCR-40..SCR-47), with an empty throwaway <c>Store</c>; <c>HTTP</c> and
/// <c>fetch</c> are not performed and answer as <see cref="DryRunScriptHttpClient"/> describes.</summary>
internal interface IScriptTrial : IScriptHost
{
    /// <summary>Gets the requests the script tried to send, in order.</summary>
    IReadOnlyList<ScriptHttpRequest> BlockedRequests { get; }
}
