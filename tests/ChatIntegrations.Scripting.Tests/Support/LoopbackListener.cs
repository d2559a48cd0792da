using System.Net;
using System.Net.Sockets;

namespace ChatIntegrations.Scripting.Tests.Support;

/// <summary>Starts an <see cref="HttpListener"/> on a free loopback port, for real receivers in tests.</summary>
internal static class LoopbackListener
{
    public static HttpListener Start(out string prefix)
    {
        for (int attempt = 0; ; attempt++)
        {
            int port;
            using (var probe = new TcpListener(IPAddress.Loopback, 0))
            {
                probe.Start();
                port = ((IPEndPoint)probe.LocalEndpoint).Port;
            }

            prefix = $"http://127.0.0.1:{port}/";
            var listener = new HttpListener();
            listener.Prefixes.Add(prefix);
            try
            {
                listener.Start();
                return listener;
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                listener.Close();
            }
        }
    }
}
