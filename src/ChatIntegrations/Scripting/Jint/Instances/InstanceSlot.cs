using ChatIntegrations.Scripting.Jint.Compilation;
using ChatIntegrations.Scripting.Jint.Http;
using ChatIntegrations.Scripting.Jint.Runtime;
using Jint.Native.Object;

namespace ChatIntegrations.Scripting.Jint.Instances;

/// <summary>The cached <c>Script</c> instance of one (integration id, version) (SCR-2) and the gate that keeps its
/// calls from overlapping (SCR-3).</summary>
/// <remarks>The realm and instance are touched only while <see cref="Gate"/> is held, on a script thread.</remarks>
internal sealed class InstanceSlot(string integrationId, long version, string source, ScriptStore store)
{
    public string IntegrationId { get; } = integrationId;

    public long Version { get; } = version;

    public string Source { get; } = source;

    public ScriptStore Store { get; } = store;

    public SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>Gets the HTTP client of this slot's realms when it is not the host's (the dry-run client of a trial).</summary>
    public IScriptHttpClient? Http { get; init; }

    /// <summary>Gets a value indicating whether the slot belongs to a trial: it is not cached, and its compiled form is
    /// not remembered for the integration id (the trial's source is unsaved).</summary>
    public bool Transient { get; init; }

    public CompiledScript? Compiled { get; set; }

    public ScriptRealm? Realm { get; private set; }

    public ObjectInstance? Instance { get; private set; }

    /// <summary>Gets the estimated bytes of the loaded instance (SCR-2).</summary>
    public long EstimatedBytes { get; private set; }

    public long LastUsed { get; set; }

    /// <summary>Gets or sets the hook call suspended on I/O (SCR-62), held with <see cref="Gate"/>.</summary>
    public object? Pending { get; set; }

    public void SetInstance(ScriptRealm realm, ObjectInstance instance, long estimatedBytes)
    {
        Realm = realm;
        Instance = instance;
        EstimatedBytes = estimatedBytes;
    }

    /// <summary>Drops the realm so the next call rebuilds it (SCR-2: after a limit hit or eviction).</summary>
    public void Reset()
    {
        Realm = null;
        Instance = null;
        EstimatedBytes = 0;
    }
}
