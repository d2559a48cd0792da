using System.Net.Http;
using System.Net.Sockets;
using System.Security.Authentication;

namespace ChatIntegrations.Security.Ssrf;

/// <summary>Maps socket, TLS and HTTP failures to the codes of <see cref="OutboundErrorCodes"/> (SCR-26).</summary>
internal static class OutboundFailures
{
    /// <summary>Returns the code of a failed connect.</summary>
    public static string CodeOf(SocketError error) => error switch
    {
        SocketError.ConnectionRefused or SocketError.HostUnreachable or SocketError.NetworkUnreachable
            or SocketError.HostDown or SocketError.NetworkDown or SocketError.AddressNotAvailable => OutboundErrorCodes.ConnectionRefused,
        SocketError.TimedOut => OutboundErrorCodes.TimedOut,
        SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => OutboundErrorCodes.NotFound,
        _ => OutboundErrorCodes.ConnectionReset,
    };

    /// <summary>Turns a failure of <see cref="HttpClient.SendAsync(HttpRequestMessage, CancellationToken)"/> or of the
    /// body read into an <see cref="OutboundRequestException"/>; keeps one that the guard threw (it arrives wrapped in
    /// an <see cref="HttpRequestException"/> when thrown from the connect callback).</summary>
    public static OutboundRequestException Classify(Exception exception, string host)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is OutboundRequestException known) return known;
        }

        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is AuthenticationException) return new(OutboundErrorCodes.Tls, $"TLS handshake with {host} failed: {e.Message}", exception);
        }

        if (exception is HttpRequestException http)
        {
            switch (http.HttpRequestError)
            {
                case HttpRequestError.NameResolutionError:
                    return new(OutboundErrorCodes.NotFound, $"getaddrinfo ENOTFOUND {host}", exception);
                case HttpRequestError.SecureConnectionError:
                    return new(OutboundErrorCodes.Tls, $"TLS handshake with {host} failed", exception);
                case HttpRequestError.ConnectionError when FindSocketError(exception) is { } socketError:
                    var code = CodeOf(socketError);
                    return new(code, $"connect {code} {host}", exception);
                case HttpRequestError.ConnectionError:
                    return new(OutboundErrorCodes.ConnectionRefused, $"connect ECONNREFUSED {host}", exception);
            }
        }

        if (FindSocketError(exception) is SocketError.TimedOut)
        {
            return new(OutboundErrorCodes.TimedOut, $"request to {host} timed out", exception);
        }

        return new(OutboundErrorCodes.ConnectionReset, $"connection to {host} was reset or closed early", exception);
    }

    private static SocketError? FindSocketError(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is SocketException socket) return socket.SocketErrorCode;
        }

        return null;
    }
}
