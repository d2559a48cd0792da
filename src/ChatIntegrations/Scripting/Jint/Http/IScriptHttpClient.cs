namespace ChatIntegrations.Scripting.Jint.Http;

/// <summary>Sends the HTTP requests of script helpers (<c>HTTP</c>, later <c>fetch</c>).</summary>
/// <remarks>Implementations are thread-safe, follow redirects themselves when <see cref="ScriptHttpRequest.FollowRedirects"/>
/// is set, read at most <see cref="ScriptHttpRequest.MaxBodyBytes"/>, and report network failures as a
/// <see cref="ScriptHttpResponse"/> with an error code, never as an exception (except cancellation by the caller).</remarks>
internal interface IScriptHttpClient
{
    Task<ScriptHttpResponse> SendAsync(ScriptHttpRequest request, CancellationToken cancellationToken);
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

    public bool FollowRedirects { get; init; } = true;

    public int MaxBodyBytes { get; init; } = ScriptDefaults.HttpMaxBodyBytes;
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

    public static ScriptHttpResponse Failure(string code, string message) => new() { ErrorCode = code, ErrorMessage = message };
}
