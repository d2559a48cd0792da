using ChatIntegrations.Scripting.Jint.Compilation;

namespace ChatIntegrations.Scripting.Jint.Instances;

/// <summary>
/// The estimated retained bytes of one loaded instance, the measure of <c>Scripts.MaxCachedInstanceBytes</c> (SCR-2):
/// a calibrated constant for the realm (a Jint 4 engine with its built-ins and our globals) plus a calibrated cost per
/// AST node of the script's prepared form and the function objects and scopes its top-level code creates.
/// </summary>
/// <remarks>
/// Calibrated on Jint 4.18 (.NET 10, 64-bit) by <c>JintScriptHostMemoryTests</c>, which loads many instances through
/// the host, prints retained bytes per instance next to this estimate, and fails when the two are more than a factor
/// of two apart: about 76 KiB for a 5-line script and 404 KiB for a 200-line one when every integration has its own
/// source. Integrations with the same source share one prepared AST, so the estimate is then conservative. What the
/// script itself allocates and keeps is not seen; <c>Scripts.MaxAllocatedBytes</c> bounds that per call.
/// </remarks>
internal static class InstanceSizeEstimate
{
    /// <summary>Retained bytes of a realm with a minimal script (measured: about 72 KiB).</summary>
    public const long RealmBytes = 72 * 1024;

    /// <summary>Retained bytes per AST node of the prepared script, the objects the script creates from it included.</summary>
    public const long BytesPerNode = 144;

    public static long Of(CompiledScript compiled) => RealmBytes + (BytesPerNode * compiled.Nodes);
}
