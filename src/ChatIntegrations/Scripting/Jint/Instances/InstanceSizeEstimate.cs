using ChatIntegrations.Scripting.Jint.Compilation;

namespace ChatIntegrations.Scripting.Jint.Instances;

/// <summary>
/// The estimated retained bytes of one loaded instance, the measure of <c>Scripts.MaxCachedInstanceBytes</c> (SCR-2):
/// a calibrated constant for the realm (Jint's built-ins, our globals and bounded built-ins, the runtime prelude's
/// objects) plus a calibrated cost per AST node of the script's compiled form (the program itself, which the realm
/// keeps reachable, and the function objects and scopes its top-level code and constructor create).
/// </summary>
/// <remarks>
/// Bytes allocated while instantiating (the previous measure) were 3–10× the retained size, so the byte cap evicted
/// far too early; a <see cref="GC.GetTotalMemory(bool)"/> delta per instantiation is too noisy and too costly. The
/// constants were calibrated on Jint 2.10.4 (.NET 10, 64-bit) by
/// <c>JintScriptHostMemoryTests</c>, which loads many instances through the host, prints retained bytes per instance
/// next to this estimate, and fails when the two are more than a factor of two apart. What the script itself
/// allocates and keeps (e.g. a large array built by the constructor) is not seen; the estimate covers the code, not
/// the data a script chooses to hold, which <c>Scripts.MaxAllocatedBytes</c> bounds per call.
/// </remarks>
internal static class InstanceSizeEstimate
{
    /// <summary>Retained bytes of a realm with the prelude run and a minimal script (measured: about 460 KiB).</summary>
    public const long RealmBytes = 460 * 1024;

    /// <summary>Retained bytes per node of the compacted AST, the objects the script creates from it included.</summary>
    public const long BytesPerNode = 88;

    public static long Of(CompiledScript compiled) => RealmBytes + (BytesPerNode * compiled.Nodes);
}
