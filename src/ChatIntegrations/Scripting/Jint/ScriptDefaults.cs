namespace ChatIntegrations.Scripting.Jint;

/// <summary>The defaults and allowed ranges of <see cref="ScriptOptions"/> (SCR-40, SCR-44a, SCR-2, SCR-52).</summary>
internal static class ScriptDefaults
{
    public const int TimeLimitMs = 3000, TimeLimitMinMs = 50, TimeLimitMaxMs = 30_000;
    public const int WallClockLimitMs = 30_000, WallClockLimitMinMs = 1000, WallClockLimitMaxMs = 120_000;
    public const int InstantiateTimeLimitMs = 3000;
    public const int MaxStatements = 5_000_000, MaxStatementsMin = 1000, MaxStatementsMax = 100_000_000;
    public const int MaxRecursionDepth = 256, MaxRecursionDepthMin = 16, MaxRecursionDepthMax = 4096;
    public const int ThreadStackBytes = 16 * 1024 * 1024, ThreadStackBytesMin = 4 * 1024 * 1024, ThreadStackBytesMax = 256 * 1024 * 1024;
    public const long MaxAllocatedBytes = 4L * 1024 * 1024 * 1024, MaxAllocatedBytesMin = 256L * 1024 * 1024, MaxAllocatedBytesMax = 32L * 1024 * 1024 * 1024;
    public const int MaxSyntaxDepth = 200, MaxSyntaxDepthMin = 32, MaxSyntaxDepthMax = 1000;
    public const int MaxResultDepth = 64, MaxResultDepthMin = 16, MaxResultDepthMax = 256;
    public const int MaxJsonDepth = 64, MaxJsonDepthMin = 16, MaxJsonDepthMax = 256;
    public const int MaxStringLength = 16_777_216, MaxStringLengthMin = 65_536, MaxStringLengthMax = 134_217_728;
    public const int MaxArrayLength = 1_000_000, MaxArrayLengthMin = 10_000, MaxArrayLengthMax = 16_777_216;
    public const int MaxHttpCalls = 10, MaxHttpCallsMin = 0, MaxHttpCallsMax = 100;
    public const int MaxHttpResponseBytes = 1024 * 1024, MaxHttpResponseBytesMin = 1024, MaxHttpResponseBytesMax = 64 * 1024 * 1024;
    public const int MaxResultBytes = 1024 * 1024, MaxResultBytesMin = 1024, MaxResultBytesMax = 16 * 1024 * 1024;
    public const int MaxSourceBytes = 256 * 1024, MaxSourceBytesMin = 1024, MaxSourceBytesMax = 1024 * 1024;
    public const int MaxCachedInstances = 500, MaxCachedInstancesMin = 1, MaxCachedInstancesMax = 100_000;
    public const long MaxCachedInstanceBytes = 512L * 1024 * 1024, MaxCachedInstanceBytesMin = 16L * 1024 * 1024, MaxCachedInstanceBytesMax = 64L * 1024 * 1024 * 1024;
    public const int MaxStoreKeys = 1000, MaxStoreKeysMin = 10, MaxStoreKeysMax = 100_000;
    public const int MaxStoreBytes = 1024 * 1024, MaxStoreBytesMin = 1024, MaxStoreBytesMax = 64 * 1024 * 1024;
    public const long MaxStoreBytesPerNode = 256L * 1024 * 1024, MaxStoreBytesPerNodeMin = 1024L * 1024, MaxStoreBytesPerNodeMax = 16L * 1024 * 1024 * 1024;
    public const int ScriptThreads = 2, ScriptThreadsMin = 1, ScriptThreadsMax = 64;

    /// <summary>SCR-51: console entries per call.</summary>
    public const int ConsoleMaxEntries = 100;

    /// <summary>SCR-51: characters per console entry before it is cut.</summary>
    public const int ConsoleMaxEntryChars = 4096;

    /// <summary>SCR-51: depth of the JSON of a non-string console argument.</summary>
    public const int ConsoleJsonDepth = 5;

    /// <summary>SCR-54: default timeout of the legacy <c>HTTP</c> helper.</summary>
    public const int HttpDefaultTimeoutMs = 10_000;

    /// <summary>SCR-53: redirect hops followed.</summary>
    public const int HttpMaxRedirects = 5;

    /// <summary>The named <c>HttpClient</c> of outbound script calls.</summary>
    public const string HttpClientName = "ChatIntegrations.Outgoing";

    /// <summary>Stack bytes one nested JavaScript call may need on the script thread (SCR-43): Jint 4 uses about
    /// 1.3 KB per frame (16 MiB hold about 12,500 frames), doubled for calls through native built-ins. The start-up
    /// self-test checks the pair on the real engine; Jint's stack guard ends anything deeper in recursion-limit.</summary>
    public const int EstimatedStackBytesPerCall = 3 * 1024;

    /// <summary>Stack kept free below the deepest call for native code and the .NET runtime.</summary>
    public const int StackReserveBytes = 1024 * 1024;
}
