namespace ChatIntegrations.Security.Ssrf;

/// <summary>How <see cref="OutboundHttpClient"/> treats a redirect (301, 302, 303, 307, 308 with a
/// <c>Location</c>).</summary>
internal enum OutboundRedirectMode
{
    /// <summary>Follow every redirect, up to the hop limit (fetch <c>follow</c>, HTTP <c>followRedirects:true</c>).
    /// 303, and 301/302 on POST, continue as GET without a body; 307/308 keep the method and body.</summary>
    Follow,

    /// <summary>Follow only 307 and 308; return other redirects as they are (outgoing deliveries, DLV-13, where those
    /// are a final failure).</summary>
    FollowMethodPreserving,

    /// <summary>Return redirects as they are (fetch <c>manual</c>, HTTP <c>followRedirects:false</c>).</summary>
    Manual,

    /// <summary>Fail any redirect with <c>EREDIRECT</c> (fetch <c>error</c>).</summary>
    Error,
}

/// <summary>One outbound request for <see cref="OutboundHttpClient.SendAsync(OutboundRequest, CancellationToken)"/>.</summary>
internal sealed class OutboundRequest
{
    /// <summary>Gets the method, e.g. <c>POST</c>.</summary>
    public required string Method { get; init; }

    /// <summary>Gets the absolute http or https URL.</summary>
    public required Uri Url { get; init; }

    /// <summary>Gets the headers, in order; <c>Content-*</c> headers go to the body. <c>Host</c>,
    /// <c>Content-Length</c>, <c>Transfer-Encoding</c> and <c>Connection</c> are computed by the client and ignored.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    /// <summary>Gets the body, or <see langword="null"/> for none. Sent as given, whatever the method.</summary>
    public ReadOnlyMemory<byte>? Body { get; init; }

    /// <summary>Gets the body's content type when no <c>Content-Type</c> header is given.</summary>
    public string? ContentType { get; init; }

    /// <summary>Gets the time the whole call may take: connecting, every redirect hop, sending and reading the body.</summary>
    /// <value>The default is 20 seconds (DLV-19).</value>
    public TimeSpan Timeout { get; init; } = SsrfDefaults.Timeout;

    /// <summary>Gets how redirects are treated.</summary>
    /// <value>The default is <see cref="OutboundRedirectMode.Follow"/>.</value>
    public OutboundRedirectMode Redirect { get; init; } = OutboundRedirectMode.Follow;

    /// <summary>Gets the most redirects to follow, or <see langword="null"/> for <see cref="SsrfOptions.MaxRedirects"/>.</summary>
    public int? MaxRedirects { get; init; }

    /// <summary>Gets the most body bytes read; a longer body is cut and reported as
    /// <see cref="OutboundResponse.Truncated"/>.</summary>
    /// <value>The default is 1 MiB (OUT-71, SCR-53, SCR-54).</value>
    public int MaxBodyBytes { get; init; } = SsrfDefaults.MaxBodyBytes;
}
