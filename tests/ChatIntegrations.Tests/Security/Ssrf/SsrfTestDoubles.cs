using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using ChatIntegrations.Security.Ssrf;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace ChatIntegrations.Tests.Security.Ssrf;

/// <summary>A stub DNS: answers with <see cref="Resolve"/> (host, 0-based call number) and counts calls.</summary>
internal sealed class StubDnsResolver : IDnsResolver
{
    private int _calls;

    public Func<string, int, IPAddress[]> Resolve { get; set; } =
        (host, _) => throw new SocketException((int)SocketError.HostNotFound);

    public int Calls => Volatile.Read(ref _calls);

    public ConcurrentQueue<string> Hosts { get; } = new();

    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        Hosts.Enqueue(host);
        int call = Interlocked.Increment(ref _calls) - 1;
        return Task.FromResult(Resolve(host, call));
    }

    public void Answer(params string[] addresses) => Resolve = (_, _) => [.. addresses.Select(IPAddress.Parse)];
}

/// <summary>The real connector, recording every endpoint a socket is opened to.</summary>
internal sealed class CountingSocketConnector : ISocketConnector
{
    private readonly TcpSocketConnector _inner = new();

    public ConcurrentQueue<IPEndPoint> Attempts { get; } = new();

    public ValueTask<Stream> ConnectAsync(IPEndPoint endPoint, CancellationToken cancellationToken)
    {
        Attempts.Enqueue(endPoint);
        return _inner.ConnectAsync(endPoint, cancellationToken);
    }
}

/// <summary>The node's addresses, as a test says.</summary>
internal sealed class StubLocalAddresses : ILocalAddressProvider
{
    public HashSet<IPAddress> Addresses { get; } = [];

    public IReadOnlySet<IPAddress> GetAddresses() => Addresses;
}

/// <summary>The outbound client as a host registers it, with stub DNS, a counting connector and stub node addresses.</summary>
internal sealed class OutboundHarness : IDisposable
{
    public OutboundHarness(Action<SsrfOptions>? configure = null, Action<IServiceCollection>? more = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(new FakeLoggerProvider(Logs)));
        services.AddSingleton<IDnsResolver>(Dns);
        services.AddSingleton<ISocketConnector>(Connector);
        services.AddSingleton<ILocalAddressProvider>(Local);
        services.AddChatIntegrations(o => configure?.Invoke(o.Ssrf));
        more?.Invoke(services);
        Services = services.BuildServiceProvider();
    }

    public StubDnsResolver Dns { get; } = new();

    public CountingSocketConnector Connector { get; } = new();

    public StubLocalAddresses Local { get; } = new();

    public FakeLogCollector Logs { get; } = new();

    public ServiceProvider Services { get; }

    public OutboundHttpClient Client => Services.GetRequiredService<OutboundHttpClient>();

    public Task<OutboundResponse> GetAsync(string url, CancellationToken cancellationToken, OutboundRedirectMode redirect = OutboundRedirectMode.Follow) =>
        Client.SendAsync(new OutboundRequest { Method = "GET", Url = new Uri(url), Redirect = redirect }, cancellationToken);

    public void Dispose() => Services.Dispose();
}

internal sealed record TinyRequest(string Method, string Target, IReadOnlyDictionary<string, string> Headers, string Body);

internal sealed record TinyResponse(int Status, string Body = "", IReadOnlyDictionary<string, string>? Headers = null)
{
    /// <summary>Gets a value indicating whether the connection is reset instead of answered.</summary>
    public bool Reset { get; init; }

    /// <summary>Gets the body as bytes, sent instead of <see cref="Body"/> when set.</summary>
    public byte[]? Bytes { get; init; }

    /// <summary>Gets a value indicating whether the body ends where the connection closes, with no Content-Length.</summary>
    public bool CloseDelimited { get; init; }

    /// <summary>Gets a value indicating whether only the head and half the body are sent, and then nothing more.</summary>
    public bool StallBody { get; init; }

    public static TinyResponse Redirect(int status, string location) => new(status, "", new Dictionary<string, string> { ["Location"] = location });
}

/// <summary>A tiny HTTP/1.1 responder on a real loopback socket: one request per connection, answers from
/// <see cref="Handler"/> (<see langword="null"/> = never answer), then closes.</summary>
internal sealed class TinyHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _connections;

    public TinyHttpServer(IPAddress? address = null)
    {
        Address = address ?? IPAddress.Loopback;
        _listener = new TcpListener(Address, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _loop = AcceptLoopAsync();
    }

    public IPAddress Address { get; }

    public int Port { get; }

    public Func<TinyRequest, TinyResponse?> Handler { get; set; } = _ => new TinyResponse(200, "ok");

    public ConcurrentQueue<TinyRequest> Requests { get; } = new();

    /// <summary>Gets or sets bytes written as soon as a connection is accepted, before reading anything, after which
    /// the connection closes (e.g. a plain HTTP answer to a TLS client hello).</summary>
    public byte[]? Greeting { get; set; }

    public int Connections => Volatile.Read(ref _connections);

    public string Url(string path = "/") => $"http://{Address}:{Port}{path}";

    /// <summary>Returns a port on which nothing listens.</summary>
    public static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            Interlocked.Increment(ref _connections);
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                if (Greeting is { } greeting)
                {
                    await stream.WriteAsync(greeting, _stop.Token);
                    return;
                }

                var request = await ReadRequestAsync(stream, _stop.Token);
                if (request is null) return;
                Requests.Enqueue(request);
                var response = Handler(request);
                if (response is null)
                {
                    await Task.Delay(Timeout.Infinite, _stop.Token);
                    return;
                }

                if (response.Reset)
                {
                    client.Client.LingerState = new LingerOption(true, 0);
                    return;
                }

                var body = response.Bytes ?? Encoding.UTF8.GetBytes(response.Body);
                var head = new StringBuilder($"HTTP/1.1 {response.Status} Status{response.Status}\r\n");
                foreach (var (name, value) in response.Headers ?? new Dictionary<string, string>())
                {
                    head.Append(name).Append(": ").Append(value).Append("\r\n");
                }

                if (!response.CloseDelimited) head.Append("Content-Length: ").Append(body.Length).Append("\r\n");
                head.Append("Connection: close\r\n\r\n");
                await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), _stop.Token);
                if (response.StallBody)
                {
                    await stream.WriteAsync(body.AsMemory(0, body.Length / 2), _stop.Token);
                    await stream.FlushAsync(_stop.Token);
                    await Task.Delay(Timeout.Infinite, _stop.Token);
                    return;
                }

                await stream.WriteAsync(body, _stop.Token);
                await stream.FlushAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
            {
            }
        }
    }

    private static async Task<TinyRequest?> ReadRequestAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var buffer = new List<byte>();
        var one = new byte[1];
        while (true)
        {
            if (await stream.ReadAsync(one, cancellationToken) == 0) return null;
            buffer.Add(one[0]);
            int n = buffer.Count;
            if (n >= 4 && buffer[n - 4] == '\r' && buffer[n - 3] == '\n' && buffer[n - 2] == '\r' && buffer[n - 1] == '\n') break;
            if (n > 64 * 1024) return null;
        }

        var lines = Encoding.ASCII.GetString([.. buffer]).Split("\r\n");
        var first = lines[0].Split(' ');
        if (first.Length < 3) return null;
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0) headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }

        var body = "";
        if (headers.TryGetValue("Content-Length", out var lengthText) && int.TryParse(lengthText, out int length) && length > 0)
        {
            var bytes = new byte[length];
            await stream.ReadExactlyAsync(bytes, cancellationToken);
            body = Encoding.UTF8.GetString(bytes);
        }

        return new TinyRequest(first[0], first[1], headers, body);
    }
}
