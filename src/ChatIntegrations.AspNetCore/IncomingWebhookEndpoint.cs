using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace ChatIntegrations.AspNetCore;

/// <summary>Relays every request under the hooks base path to <see cref="IntegrationEngine.HandleIncomingAsync"/>.</summary>
internal sealed class IncomingWebhookEndpoint(IntegrationEngine engine, string hooksBasePath, Func<HttpContext, IPAddress?> clientAddress)
{
    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var pathBase = request.PathBase.HasValue ? request.PathBase.ToUriComponent() : "";
        var incoming = new IncomingWebhookRequest
        {
            Method = request.Method,
            Path = RawPath(context),
            BasePath = pathBase + hooksBasePath,
            QueryString = request.QueryString.Value ?? "",
            Headers = CopyHeaders(request.Headers),
            ContentLength = request.ContentLength,
            Body = request.Body,
            RemoteAddress = clientAddress(context), // SEC-5: the host decides which address counts
        };

        var answer = await engine.HandleIncomingAsync(incoming, context.RequestAborted).ConfigureAwait(false);
        var response = context.Response;
        response.StatusCode = answer.StatusCode;
        foreach (var (name, value) in answer.Headers) response.Headers.Append(name, value);
        await JsonAnswer.WriteAsync(response, answer.Body).ConfigureAwait(false);
    }

    /// <summary>IN-3: the path exactly as sent, still percent-encoded, so that <c>%2F</c> inside a token survives.
    /// <see cref="HttpRequest.Path"/> is already decoded, so the raw request target is preferred.</summary>
    private static string RawPath(HttpContext context)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (!string.IsNullOrEmpty(raw) && raw[0] == '/')
        {
            var q = raw.IndexOf('?', StringComparison.Ordinal);
            return q < 0 ? raw : raw[..q];
        }

        // Absolute-form targets (proxies) and servers without a raw target: rebuild an escaped path.
        return context.Request.PathBase.ToUriComponent() + context.Request.Path.ToUriComponent();
    }

    private static Dictionary<string, string> CopyHeaders(IHeaderDictionary headers)
    {
        var copy = new Dictionary<string, string>(headers.Count, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in headers)
        {
            copy[name] = values.Count == 1 ? values[0] ?? "" : string.Join(", ", values.ToArray());
        }

        return copy;
    }
}
