using System.Net.Sockets;
using System.Text;

namespace ChatIntegrations.AspNetCore.Tests.Infrastructure;

/// <summary>Hand-written HTTP/1.1 over a socket, for requests HttpClient cannot make (a Content-Length with no body
/// yet, a chunked body that never ends).</summary>
internal static class RawHttp
{
    /// <summary>Sends <paramref name="head"/>, then <paramref name="body"/> (if any), and reads the answer's head and
    /// as much body as arrives until the answer is complete or the server closes.</summary>
    public static async Task<(int Status, string Head, string Body)> ExchangeAsync(Uri server, string head, byte[]? body, CancellationToken ct)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port, ct);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head), ct);
        if (body is not null)
        {
            try { await stream.WriteAsync(body, ct); }
            catch (IOException) { /* the server may stop reading once it has answered */ }
        }

        var received = new MemoryStream();
        var buffer = new byte[8192];
        while (true)
        {
            int n;
            try { n = await stream.ReadAsync(buffer, ct); }
            catch (IOException) { break; }
            if (n == 0) break;
            received.Write(buffer, 0, n);
            var text = Encoding.UTF8.GetString(received.ToArray());
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end < 0) continue;
            var rest = text[(end + 4)..];
            // Our answers are either chunked (ending with a zero chunk) or carry Content-Length.
            if (rest.EndsWith("0\r\n\r\n", StringComparison.Ordinal) || rest.Length > 0 && text.Contains("Content-Length:", StringComparison.OrdinalIgnoreCase)) break;
        }

        var all = Encoding.UTF8.GetString(received.ToArray());
        var split = all.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var headPart = split < 0 ? all : all[..split];
        var status = int.Parse(headPart.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        return (status, headPart, split < 0 ? "" : all[(split + 4)..]);
    }
}
