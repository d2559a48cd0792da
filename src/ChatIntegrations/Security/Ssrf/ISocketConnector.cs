using System.Net;
using System.Net.Sockets;

namespace ChatIntegrations.Security.Ssrf;

/// <summary>Opens the TCP connection to an address the guard has vetted (SEC-9). Replaceable so that tests can count
/// and record the sockets opened.</summary>
/// <remarks>Implementations must be thread-safe; a failure throws <see cref="SocketException"/>.</remarks>
internal interface ISocketConnector
{
    /// <summary>Connects to <paramref name="endPoint"/> and returns the connected stream (which owns the socket).</summary>
    ValueTask<Stream> ConnectAsync(IPEndPoint endPoint, CancellationToken cancellationToken);
}

/// <summary>The default connector: a TCP socket with Nagle off.</summary>
internal sealed class TcpSocketConnector : ISocketConnector
{
    public async ValueTask<Stream> ConnectAsync(IPEndPoint endPoint, CancellationToken cancellationToken)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endPoint, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
