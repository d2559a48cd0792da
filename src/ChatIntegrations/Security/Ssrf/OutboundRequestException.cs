namespace ChatIntegrations.Security.Ssrf;

/// <summary>An outbound request that got no usable answer, with a Node-style <see cref="Code"/> (SCR-26):
/// <c>ESSRF</c>, <c>ETIMEDOUT</c>, <c>ECONNREFUSED</c>, <c>ECONNRESET</c>, <c>ENOTFOUND</c>, <c>ETLS</c>,
/// <c>EREDIRECT</c> or <c>ETOOLARGE</c> (see <see cref="OutboundErrorCodes"/>).</summary>
/// <remarks>The message names the host at most, never the path or query (which may carry tokens, SEC-4).</remarks>
internal sealed class OutboundRequestException : Exception
{
    public OutboundRequestException(string code, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Code = code;
    }

    /// <summary>Gets the failure code, one of <see cref="OutboundErrorCodes"/>.</summary>
    public string Code { get; }

    /// <summary>Gets a value indicating whether the SSRF guard blocked the request (a final failure, DLV-13).</summary>
    public bool IsBlocked => Code == OutboundErrorCodes.Ssrf;
}
