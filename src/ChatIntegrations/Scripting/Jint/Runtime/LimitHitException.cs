namespace ChatIntegrations.Scripting.Jint.Runtime;

/// <summary>Ends an engine entry because a sandbox limit was hit (SCR-47).</summary>
/// <remarks>It is a CLR exception, not a <c>JavaScriptException</c>, so script <c>try</c>/<c>catch</c> and
/// <c>finally</c> cannot intercept it: Jint only turns <c>JavaScriptException</c> into a JavaScript throw.</remarks>
internal sealed class LimitHitException : Exception
{
    public LimitHitException(string reason, string detail)
        : base(detail)
    {
        Reason = reason;
    }

    public LimitHitException()
        : this(ScriptReasons.Exception, "limit hit")
    {
    }

    public LimitHitException(string message)
        : this(ScriptReasons.Exception, message)
    {
    }

    public LimitHitException(string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = ScriptReasons.Exception;
    }

    /// <summary>Gets the SCR-47 reason.</summary>
    public string Reason { get; }
}

/// <summary>The SCR-47 reasons.</summary>
internal static class ScriptReasons
{
    public const string Timeout = "timeout";
    public const string StatementLimit = "statement-limit";
    public const string RecursionLimit = "recursion-limit";
    public const string MemoryLimit = "memory-limit";
    public const string InvalidResult = "invalid-result";
    public const string Exception = "exception";
}
