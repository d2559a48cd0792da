using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChatIntegrations.FaultHost;

/// <summary>A Kestrel webhook receiver on 127.0.0.1 that records the <c>webhook-id</c> of every request (DLV-7) and
/// answers what <see cref="Policy"/> says (200 when unset).</summary>
public sealed class LoopbackReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private long _requests;
    private long _firstOkTicks;
    private long _lastOkTicks;

    private LoopbackReceiver(WebApplication app) => _app = app;

    /// <summary>Gets the URL deliveries are sent to.</summary>
    public string Url { get; private set; } = "";

    /// <summary>Gets, per delivery id, how many requests were answered 2xx.</summary>
    public ConcurrentDictionary<string, int> Delivered { get; } = new(StringComparer.Ordinal);

    /// <summary>Gets, per delivery id, how many requests arrived (any answer).</summary>
    public ConcurrentDictionary<string, int> Seen { get; } = new(StringComparer.Ordinal);

    /// <summary>Gets the number of requests received.</summary>
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Gets or sets the answer policy: the status code for a request with the given <c>webhook-id</c>; it may
    /// wait (to hold attempts in flight), honouring the token (the request's abort token).</summary>
    public Func<string, CancellationToken, ValueTask<int>>? Policy { get; set; }

    /// <summary>Gets the time between the first and the last 2xx answer.</summary>
    public TimeSpan OkWindow => TimeSpan.FromTicks(Math.Max(0, Interlocked.Read(ref _lastOkTicks) - Interlocked.Read(ref _firstOkTicks)));

    public static async Task<LoopbackReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o =>
        {
            o.Listen(IPAddress.Loopback, 0);
            o.Limits.MaxConcurrentConnections = null;
        });
        var app = builder.Build();
        var receiver = new LoopbackReceiver(app);
        app.Run(receiver.HandleAsync);
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.Url = address.TrimEnd('/') + "/hook";
        return receiver;
    }

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref _requests);
        var id = context.Request.Headers["webhook-id"].ToString();
        Seen.AddOrUpdate(id, 1, static (_, n) => n + 1);
        var status = 200;
        if (Policy is { } policy)
        {
            try
            {
                status = await policy(id, context.RequestAborted).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return; // the sender went away (killed)
            }
        }

        context.Response.StatusCode = status;
        context.Response.ContentLength = 0;
        if (status is >= 200 and < 300)
        {
            var now = Environment.TickCount64 * TimeSpan.TicksPerMillisecond;
            Interlocked.CompareExchange(ref _firstOkTicks, now, 0);
            Interlocked.Exchange(ref _lastOkTicks, now);
            Delivered.AddOrUpdate(id, 1, static (_, n) => n + 1);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
