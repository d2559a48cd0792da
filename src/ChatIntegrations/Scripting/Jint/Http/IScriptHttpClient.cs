namespace ChatIntegrations.Scripting.Jint.Http;

/// <summary>Sends the HTTP requests of the script helpers <c>HTTP</c> (SCR-54) and <c>fetch</c> (SCR-53).</summary>
/// <remarks>Implementations are thread-safe, follow redirects themselves when <see cref="ScriptHttpRequest.FollowRedirects"/>
/// is set, read at most <see cref="ScriptHttpRequest.MaxBodyBytes"/>, and report network failures as a
/// <see cref="ScriptHttpResponse"/> with an error code, never as an exception (except cancellation by the caller).</remarks>
internal interface IScriptHttpClient
{
    Task<ScriptHttpResponse> SendAsync(ScriptHttpRequest request, CancellationToken cancellationToken);
}

/// <summary>How a script request treats redirects.</summary>
internal enum ScriptRedirectMode
{
    /// <summary>Follow redirects (at most five hops).</summary>
    Follow,

    /// <summary>Return redirects as they are.</summary>
    Manual,

    /// <summary>Fail on a redirect with <c>EREDIRECT</c>.</summary>
    Error,
}

/// <summary>One outbound script request.</summary>
internal sealed class ScriptHttpRequest
{
    public required string Method { get; init; }

    public required Uri Url { get; init; }

    /// <summary>Gets the request headers; <c>Content-Type</c> among them applies to the body.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    public string? Body { get; init; }

    public TimeSpan Timeout { get; init; } = TimeSpan.FromMilliseconds(ScriptDefaults.HttpDefaultTimeoutMs);

    /// <summary>Gets how redirects are treated (SCR-53 <c>redirect</c>; SCR-54 <c>followRedirects</c>).</summary>
    public ScriptRedirectMode Redirect { get; init; } = ScriptRedirectMode.Follow;

    /// <summary>Gets a value indicating whether redirects are followed (the <c>HTTP</c> view of <see cref="Redirect"/>).</summary>
    public bool FollowRedirects
    {
        get => Redirect == ScriptRedirectMode.Follow;
        init => Redirect = value ? ScriptRedirectMode.Follow : ScriptRedirectMode.Manual;
    }

    /// <summary>Gets the most body bytes read; the realm sets <see cref="ScriptOptions.MaxHttpResponseBytes"/>.</summary>
    public int MaxBodyBytes { get; init; } = ScriptDefaults.MaxHttpResponseBytes;
}

/// <summary>The outcome of a <see cref="ScriptHttpRequest"/>: an answer, or a network failure with an SCR-26 code.</summary>
internal sealed class ScriptHttpResponse
{
    /// <summary>Gets the status code, or <see langword="null"/> when no answer arrived.</summary>
    public int? StatusCode { get; init; }

    /// <summary>Gets the SCR-26 code (<c>ETIMEDOUT</c>, <c>ECONNREFUSED</c>, <c>ECONNRESET</c>, <c>ENOTFOUND</c>,
    /// <c>ETLS</c>, <c>ESSRF</c>, <c>EREDIRECT</c>, <c>ETOOLARGE</c>) of a failure.</summary>
    public string? ErrorCode { get; init; }

    public string? ErrorMessage { get; init; }

    /// <summary>Gets the response headers with lower-case names; repeated headers joined with <c>", "</c>.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    public string Body { get; init; } = string.Empty;

    public string? MediaType { get; init; }

    /// <summary>Gets the URL that gave the answer, after redirects, or <see langword="null"/> when unknown.</summary>
    public Uri? Url { get; init; }

    /// <summary>Gets a value indicating whether at least one redirect was followed.</summary>
    public bool Redirected { get; init; }

    /// <summary>Gets the reason phrase of the status line.</summary>
    public string StatusText { get; init; } = string.Empty;

    /// <summary>Gets a value indicating whether the body was longer than <see cref="ScriptHttpRequest.MaxBodyBytes"/>;
    /// then <see cref="ErrorCode"/> is <c>ETOOLARGE</c>, <see cref="Body"/> is empty and the status and headers are kept
    /// (SCR-53 rejects on reading the body; SCR-54 reports the error).</summary>
    public bool TooLarge { get; init; }

    public static ScriptHttpResponse Failure(string code, string message) => new() { ErrorCode = code, ErrorMessage = message };
}
