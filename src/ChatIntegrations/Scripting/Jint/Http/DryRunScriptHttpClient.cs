namespace ChatIntegrations.Scripting.Jint.Http;

/// <summary>The script HTTP client of a dry run: it records each request and sends nothing. Every request fails as a
/// network failure with the code <see cref="Code"/>, so <c>HTTP</c> returns
/// <c>{error:{message:"not performed in a dry run", code:"EDRYRUN"}}</c> (the SCR-54 error shape) and <c>fetch</c>
/// rejects with <c>TypeError: fetch failed: not performed in a dry run</c> whose <c>cause.code</c> is <c>EDRYRUN</c>
/// (SCR-53): the same paths a script already handles for a refused connection.</summary>
internal sealed class DryRunScriptHttpClient : IScriptHttpClient
{
    /// <summary>The error code a dry run's requests fail with.</summary>
    public const string Code = "EDRYRUN";

    /// <summary>The error message a dry run's requests fail with.</summary>
    public const string Message = "not performed in a dry run";

    private readonly List<ScriptHttpRequest> _requests = [];
    private readonly Lock _lock = new();

    /// <summary>Gets a snapshot of the recorded requests, in order.</summary>
    public IReadOnlyList<ScriptHttpRequest> Requests
    {
        get
        {
            lock (_lock)
            {
                return [.. _requests];
            }
        }
    }

    public Task<ScriptHttpResponse> SendAsync(ScriptHttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            _requests.Add(request);
        }

        return Task.FromResult(ScriptHttpResponse.Failure(Code, Message));
    }
}
