using System.Text;

namespace ChatIntegrations.Security.Ssrf;

/// <summary>The answer of <see cref="OutboundHttpClient.SendAsync(OutboundRequest, CancellationToken)"/>: any HTTP status, with the body read up to the
/// caller's limit.</summary>
internal sealed class OutboundResponse
{
    private string? _text;

    /// <summary>Gets the status code.</summary>
    public required int StatusCode { get; init; }

    /// <summary>Gets the reason phrase, or an empty string.</summary>
    public string ReasonPhrase { get; init; } = "";

    /// <summary>Gets the response and content headers, with lower-case names; repeated headers are joined with
    /// <c>", "</c>.</summary>
    public required IReadOnlyDictionary<string, string> Headers { get; init; }

    /// <summary>Gets the body bytes read (at most <see cref="OutboundRequest.MaxBodyBytes"/>).</summary>
    public required ReadOnlyMemory<byte> Body { get; init; }

    /// <summary>Gets a value indicating whether the body was longer than the limit and was cut. Deliveries keep the cut
    /// body (OUT-71); <c>HTTP</c> answers <c>ETOOLARGE</c> (SCR-54); fetch rejects (SCR-53): see
    /// <see cref="ThrowIfTruncated"/>.</summary>
    public bool Truncated { get; init; }

    /// <summary>Gets the media type of the body, e.g. <c>application/json</c>, or <see langword="null"/>.</summary>
    public string? MediaType { get; init; }

    /// <summary>Gets the charset named by <c>Content-Type</c>, or <see langword="null"/>.</summary>
    public string? CharSet { get; init; }

    /// <summary>Gets the URL that gave this answer, after redirects.</summary>
    public required Uri Url { get; init; }

    /// <summary>Gets a value indicating whether at least one redirect was followed.</summary>
    public bool Redirected { get; init; }

    /// <summary>Gets the body decoded with its charset (UTF-8 when none or unknown).</summary>
    public string BodyText => _text ??= Decode();

    /// <summary>Throws <c>ETOOLARGE</c> when the body was cut.</summary>
    /// <exception cref="OutboundRequestException">The body was longer than the limit.</exception>
    public void ThrowIfTruncated()
    {
        if (Truncated)
        {
            throw new OutboundRequestException(OutboundErrorCodes.TooLarge, $"response body larger than {Body.Length} bytes");
        }
    }

    private string Decode()
    {
        var encoding = Encoding.UTF8;
        if (!string.IsNullOrWhiteSpace(CharSet))
        {
            try
            {
                encoding = Encoding.GetEncoding(CharSet.Trim().Trim('"'));
            }
            catch (ArgumentException)
            {
                encoding = Encoding.UTF8;
            }
        }

        return encoding.GetString(Body.Span);
    }
}
