using System.Text;
using ChatIntegrations.Security.Ssrf;

namespace ChatIntegrations.Scripting.Jint.Http;

/// <summary>The default <see cref="IScriptHttpClient"/>: the engine's SSRF-guarded <see cref="OutboundHttpClient"/>
/// (SEC-6, SEC-9, SEC-10), so script calls pass the same connect-time checks and redirect rules as deliveries.</summary>
/// <remarks>Thread-safe.</remarks>
internal sealed class OutboundScriptHttpClient(OutboundHttpClient client) : IScriptHttpClient
{
    public async Task<ScriptHttpResponse> SendAsync(ScriptHttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        string? contentType = null;
        var headers = new List<KeyValuePair<string, string>>(request.Headers.Count);
        foreach (var pair in request.Headers)
        {
            if (pair.Key.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)) contentType = pair.Value;
            else headers.Add(pair);
        }

        var hasBody = request.Body is not null && request.Method is not ("GET" or "HEAD");
        try
        {
            var response = await client.SendAsync(new OutboundRequest
            {
                Method = request.Method,
                Url = request.Url,
                Headers = headers,
                Body = hasBody ? Encoding.UTF8.GetBytes(request.Body!) : null,
                ContentType = hasBody ? contentType ?? "text/plain; charset=utf-8" : null,
                Timeout = request.Timeout,
                Redirect = request.Redirect switch
                {
                    ScriptRedirectMode.Follow => OutboundRedirectMode.Follow,
                    ScriptRedirectMode.Error => OutboundRedirectMode.Error,
                    _ => OutboundRedirectMode.Manual,
                },
                MaxBodyBytes = request.MaxBodyBytes,
            }, cancellationToken).ConfigureAwait(false);

            if (response.Truncated)
            {
                // SCR-54 reports ETOOLARGE; SCR-53 keeps status and headers and rejects when the body is read.
                return new ScriptHttpResponse
                {
                    StatusCode = response.StatusCode,
                    StatusText = response.ReasonPhrase,
                    Headers = response.Headers,
                    MediaType = response.MediaType,
                    Url = response.Url,
                    Redirected = response.Redirected,
                    TooLarge = true,
                    ErrorCode = OutboundErrorCodes.TooLarge,
                    ErrorMessage = $"response body larger than {request.MaxBodyBytes} bytes",
                };
            }

            return new ScriptHttpResponse
            {
                StatusCode = response.StatusCode,
                Headers = response.Headers,
                Body = response.BodyText,
                MediaType = response.MediaType,
                StatusText = response.ReasonPhrase,
                Url = response.Url,
                Redirected = response.Redirected,
            };
        }
        catch (OutboundRequestException ex)
        {
            return ScriptHttpResponse.Failure(ex.Code, ex.Message);
        }
    }
}
