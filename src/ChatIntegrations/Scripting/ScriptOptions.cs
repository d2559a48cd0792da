using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text;

namespace ChatIntegrations;

using ChatIntegrations.Scripting.Jint;

/// <summary>
/// Script options (the <c>Scripts</c> section): the host switches of IN-73 and SCR-36, the sandbox limits of SCR-40,
/// SCR-44a, SCR-52 and SCR-53, and the instance cache of SCR-2.
/// </summary>
/// <remarks>
/// Every limit has an allowed range; a value outside it is rejected when the host starts (see <see cref="Validate"/>).
/// No limit can be switched off.
/// </remarks>
public sealed class ScriptOptions
{
    /// <summary>Gets or sets a value indicating whether scripts are switched off: incoming integrations with a script
    /// answer 503 <c>error-scripts-disabled</c> (IN-73).</summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool Disabled { get; set; }

    /// <summary>Gets or sets a value indicating whether saves that change a script are refused (SCR-36).</summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool Frozen { get; set; }

    /// <summary>Gets or sets the script time of one hook call, excluding time spent waiting for <c>HTTP</c>
    /// (SCR-40, SCR-41).</summary>
    /// <value>The default is 3 seconds; allowed 50 ms to 30 s.</value>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:00:30", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public TimeSpan TimeLimit { get; set; } = TimeSpan.FromMilliseconds(ScriptDefaults.TimeLimitMs);

    /// <summary>Gets or sets the wall-clock limit of one call, including I/O and the wait for the instance (SCR-3).</summary>
    /// <value>The default is 30 seconds; allowed 1 s to 120 s.</value>
    [Range(typeof(TimeSpan), "00:00:01", "00:02:00", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public TimeSpan WallClockLimit { get; set; } = TimeSpan.FromMilliseconds(ScriptDefaults.WallClockLimitMs);

    /// <summary>Gets or sets the time limit of an instantiation (top-level code and constructor).</summary>
    /// <value>The default is 3 seconds; allowed 50 ms to 30 s.</value>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:00:30", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public TimeSpan InstantiateTimeLimit { get; set; } = TimeSpan.FromMilliseconds(ScriptDefaults.InstantiateTimeLimitMs);

    /// <summary>Gets or sets the number of statements one call may execute.</summary>
    /// <value>The default is 5,000,000; allowed 1,000 to 100,000,000.</value>
    [Range(ScriptDefaults.MaxStatementsMin, ScriptDefaults.MaxStatementsMax)]
    public int MaxStatements { get; set; } = ScriptDefaults.MaxStatements;

    /// <summary>Gets or sets the call depth (SCR-43).</summary>
    /// <value>The default is 256; allowed 16 to 4096, and it must fit in <see cref="ThreadStackBytes"/>.</value>
    [Range(ScriptDefaults.MaxRecursionDepthMin, ScriptDefaults.MaxRecursionDepthMax)]
    public int MaxRecursionDepth { get; set; } = ScriptDefaults.MaxRecursionDepth;

    /// <summary>Gets or sets the stack size of the script threads (SCR-43).</summary>
    /// <value>The default is 16 MiB; allowed 4 MiB to 256 MiB.</value>
    [Range(ScriptDefaults.ThreadStackBytesMin, ScriptDefaults.ThreadStackBytesMax)]
    public int ThreadStackBytes { get; set; } = ScriptDefaults.ThreadStackBytes;

    /// <summary>Gets or sets the managed bytes one call may allocate on the script thread (SCR-44).</summary>
    /// <value>The default is 4 GiB; allowed 256 MiB to 32 GiB.</value>
    [Range(ScriptDefaults.MaxAllocatedBytesMin, ScriptDefaults.MaxAllocatedBytesMax)]
    public long MaxAllocatedBytes { get; set; } = ScriptDefaults.MaxAllocatedBytes;

    /// <summary>Gets or sets the nesting depth of the script source (SCR-44a), counted per function as Jint 4 counts
    /// it (Jint itself refuses more than 256 levels); a deeper script is refused at save with its position.</summary>
    /// <value>The default is 200; allowed 32 to 1000.</value>
    [Range(ScriptDefaults.MaxSyntaxDepthMin, ScriptDefaults.MaxSyntaxDepthMax)]
    public int MaxSyntaxDepth { get; set; } = ScriptDefaults.MaxSyntaxDepth;

    /// <summary>Gets or sets the nesting depth of <c>JSON.stringify</c> and of results (SCR-44a, SCR-71).</summary>
    /// <value>The default is 64; allowed 16 to 256.</value>
    [Range(ScriptDefaults.MaxResultDepthMin, ScriptDefaults.MaxResultDepthMax)]
    public int MaxResultDepth { get; set; } = ScriptDefaults.MaxResultDepth;

    /// <summary>Gets or sets the nesting depth <c>JSON.parse</c> accepts (SCR-44a, IN-18).</summary>
    /// <value>The default is 64; allowed 16 to 256.</value>
    [Range(ScriptDefaults.MaxJsonDepthMin, ScriptDefaults.MaxJsonDepthMax)]
    public int MaxJsonDepth { get; set; } = ScriptDefaults.MaxJsonDepth;

    /// <summary>Gets or sets the length, in UTF-16 code units, of any string a built-in produces (SCR-44a).</summary>
    /// <value>The default is 16,777,216; allowed 65,536 to 134,217,728.</value>
    [Range(ScriptDefaults.MaxStringLengthMin, ScriptDefaults.MaxStringLengthMax)]
    public int MaxStringLength { get; set; } = ScriptDefaults.MaxStringLength;

    /// <summary>Gets or sets the length of any array a built-in creates or grows (SCR-44a).</summary>
    /// <value>The default is 1,000,000; allowed 10,000 to 16,777,216.</value>
    [Range(ScriptDefaults.MaxArrayLengthMin, ScriptDefaults.MaxArrayLengthMax)]
    public int MaxArrayLength { get; set; } = ScriptDefaults.MaxArrayLength;

    /// <summary>Gets or sets the number of <c>HTTP</c> (and later <c>fetch</c>) calls per hook call (SCR-46).</summary>
    /// <value>The default is 10; allowed 0 (no calls) to 100.</value>
    [Range(ScriptDefaults.MaxHttpCallsMin, ScriptDefaults.MaxHttpCallsMax)]
    public int MaxHttpCalls { get; set; } = ScriptDefaults.MaxHttpCalls;

    /// <summary>Gets or sets the response body bytes <c>fetch</c> (SCR-53) and <c>HTTP</c> (SCR-54) read: with a longer
    /// body, <c>text()</c> and <c>json()</c> reject with <c>TypeError("response too large")</c> and <c>HTTP</c> returns an
    /// <c>ETOOLARGE</c> error.</summary>
    /// <value>The default is 1 MiB; allowed 1 KiB to 64 MiB.</value>
    [Range(ScriptDefaults.MaxHttpResponseBytesMin, ScriptDefaults.MaxHttpResponseBytesMax)]
    public int MaxHttpResponseBytes { get; set; } = ScriptDefaults.MaxHttpResponseBytes;

    /// <summary>Gets or sets the size of a result serialised as JSON (SCR-45).</summary>
    /// <value>The default is 1 MiB; allowed 1 KiB to 16 MiB.</value>
    [Range(ScriptDefaults.MaxResultBytesMin, ScriptDefaults.MaxResultBytesMax)]
    public int MaxResultBytes { get; set; } = ScriptDefaults.MaxResultBytes;

    /// <summary>Gets or sets the size of a script source in UTF-8 bytes.</summary>
    /// <value>The default is 256 KiB; allowed 1 KiB to 1 MiB.</value>
    [Range(ScriptDefaults.MaxSourceBytesMin, ScriptDefaults.MaxSourceBytesMax)]
    public int MaxSourceBytes { get; set; } = ScriptDefaults.MaxSourceBytes;

    /// <summary>Gets or sets the number of script instances kept per node (SCR-2).</summary>
    /// <value>The default is 500; allowed 1 to 100,000.</value>
    [Range(ScriptDefaults.MaxCachedInstancesMin, ScriptDefaults.MaxCachedInstancesMax)]
    public int MaxCachedInstances { get; set; } = ScriptDefaults.MaxCachedInstances;

    /// <summary>Gets or sets the estimated retained bytes of all cached instances together (SCR-2): per instance, a
    /// calibrated realm size plus a cost per AST node of the script, not the bytes allocated while instantiating.</summary>
    /// <value>The default is 512 MiB; allowed 16 MiB to 64 GiB.</value>
    [Range(ScriptDefaults.MaxCachedInstanceBytesMin, ScriptDefaults.MaxCachedInstanceBytesMax)]
    public long MaxCachedInstanceBytes { get; set; } = ScriptDefaults.MaxCachedInstanceBytes;

    /// <summary>Gets or sets the number of keys one <c>Store</c> may hold; beyond it <c>Store.set</c> throws
    /// <c>Error("Store limit exceeded")</c> (SCR-52).</summary>
    /// <value>The default is 1000; allowed 10 to 100,000.</value>
    [Range(ScriptDefaults.MaxStoreKeysMin, ScriptDefaults.MaxStoreKeysMax)]
    public int MaxStoreKeys { get; set; } = ScriptDefaults.MaxStoreKeys;

    /// <summary>Gets or sets the bytes one <c>Store</c> may hold (keys and JSON values, UTF-8); beyond them
    /// <c>Store.set</c> throws <c>Error("Store limit exceeded")</c> (SCR-52).</summary>
    /// <value>The default is 1 MiB; allowed 1 KiB to 64 MiB, and at most <see cref="MaxStoreBytesPerNode"/>.</value>
    [Range(ScriptDefaults.MaxStoreBytesMin, ScriptDefaults.MaxStoreBytesMax)]
    public int MaxStoreBytes { get; set; } = ScriptDefaults.MaxStoreBytes;

    /// <summary>Gets or sets the bytes of all <c>Store</c>s of the node together (SCR-52).</summary>
    /// <value>The default is 256 MiB; allowed 1 MiB to 16 GiB.</value>
    [Range(ScriptDefaults.MaxStoreBytesPerNodeMin, ScriptDefaults.MaxStoreBytesPerNodeMax)]
    public long MaxStoreBytesPerNode { get; set; } = ScriptDefaults.MaxStoreBytesPerNode;

    /// <summary>Gets or sets the number of dedicated script threads (SCR-43).</summary>
    /// <value>The default is 2; allowed 1 to 64.</value>
    [Range(ScriptDefaults.ScriptThreadsMin, ScriptDefaults.ScriptThreadsMax)]
    public int ScriptThreads { get; set; } = ScriptDefaults.ScriptThreads;

    /// <summary>Validates every option and the cross-field rules.</summary>
    /// <returns>One readable message listing every problem, or <see langword="null"/> when the options are valid.</returns>
    public string? Validate()
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(this, new ValidationContext(this), results, validateAllProperties: true);
        var problems = results.Select(r => r.ErrorMessage ?? "invalid value").ToList();

        // SCR-43: MaxRecursionDepth must fit in the script thread stack.
        long needed = ((long)MaxRecursionDepth * ScriptDefaults.EstimatedStackBytesPerCall) + ScriptDefaults.StackReserveBytes;
        if (ThreadStackBytes >= ScriptDefaults.ThreadStackBytesMin && needed > ThreadStackBytes)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture,
                $"MaxRecursionDepth {MaxRecursionDepth} needs about {needed} bytes of stack, more than ThreadStackBytes {ThreadStackBytes}; raise ThreadStackBytes or lower MaxRecursionDepth."));
        }

        // SCR-52: one Store must fit in the budget of all Stores of the node.
        if (MaxStoreBytes >= ScriptDefaults.MaxStoreBytesMin && MaxStoreBytesPerNode >= ScriptDefaults.MaxStoreBytesPerNodeMin && MaxStoreBytes > MaxStoreBytesPerNode)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture,
                $"MaxStoreBytes {MaxStoreBytes} is more than MaxStoreBytesPerNode {MaxStoreBytesPerNode}; raise MaxStoreBytesPerNode or lower MaxStoreBytes."));
        }

        if (problems.Count == 0)
        {
            return null;
        }

        var text = new StringBuilder("Invalid script host options: ");
        text.AppendJoin("; ", problems);
        return text.ToString();
    }
}
