using global::Jint;

namespace ChatIntegrations.Scripting.Jint.Runtime;

/// <summary>
/// The per-call limits that Jint's own constraints cannot express, checked by Jint at its statement checkpoints:
/// script time summed over the engine entries of one call with host I/O excluded (SCR-41), the wall-clock
/// deadline and the caller's cancellation (SCR-41), and the allocation budget summed over entries (SCR-44).
/// </summary>
/// <remarks>Jint's <c>TimeoutInterval</c>, <c>CancellationToken</c> and <c>LimitMemory</c> are fixed when the engine
/// is built and restart with every entry, while a call spans several entries (the hook, then one per completed
/// <c>fetch</c>) and a realm outlives many calls; this constraint reads the <see cref="CallContext"/> of the entry in
/// progress instead.</remarks>
internal sealed class CallConstraint(ScriptRealm realm) : Constraint
{
    /// <summary>Gets a value indicating that Jint may check less often than every statement: the deadline only
    /// moves on, so a late check finds it all the same.</summary>
    public override bool IsAmortizable => true;

    public override void Check() => realm.CurrentOrNull?.CheckTimeAndMemory();

    public override void Reset()
    {
        // The call's accounting lives in its CallContext, which spans entries.
    }
}
