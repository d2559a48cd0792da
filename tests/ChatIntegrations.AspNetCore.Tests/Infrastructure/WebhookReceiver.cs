using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ChatIntegrations.AspNetCore.Tests.Infrastructure;

/// <summary>A real loopback HTTP receiver (Kestrel on 127.0.0.1, port 0) for outgoing deliveries. Every request is
/// queued in a channel; tests await <see cref="NextAsync"/> instead of sleeping.</summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly Channel<ReceivedRequest> _requests = Channel.CreateUnbounded<ReceivedRequest>();
    private readonly WebApplication _app;

    private WebhookReceiver(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>Gets or sets how the receiver answers: status, body and content type. The default is 200 with an empty body.</summary>
    public Func<ReceivedRequest, ReceiverAnswer> Respond { get; set; } = _ => new ReceiverAnswer(200, "");

    /// <summary>Gets the number of requests received and not yet taken.</summary>
    public int Waiting => _requests.Reader.Count;

    public string Url(string path = "/hook") => new Uri(Address, path).ToString();

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        WebhookReceiver? receiver = null;
        app.Map("/{**path}", async (HttpContext ctx) =>
        {
            using var buffer = new MemoryStream();
            await ctx.Request.Body.CopyToAsync(buffer, ctx.RequestAborted);
            var headers = ctx.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            var request = new ReceivedRequest(ctx.Request.Method, ctx.Request.Path + ctx.Request.QueryString, headers, buffer.ToArray());
            var answer = receiver!.Respond(request);
            receiver._requests.Writer.TryWrite(request);
            ctx.Response.StatusCode = answer.Status;
            ctx.Response.ContentType = answer.ContentType;
            await ctx.Response.WriteAsync(answer.Body, ctx.RequestAborted);
        });
        await app.StartAsync();
        receiver = new WebhookReceiver(app, new Uri(app.Urls.First()));
        return receiver;
    }

    /// <summary>Waits for the next request.</summary>
    public async Task<ReceivedRequest> NextAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        try
        {
            return await _requests.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            throw new TimeoutException("the receiver got no request in time");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

internal sealed record ReceiverAnswer(int Status, string Body, string ContentType = "application/json; charset=utf-8");

internal sealed record ReceivedRequest(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string Text => Encoding.UTF8.GetString(Body);

    public JsonObject Json => JsonNode.Parse(Text)!.AsObject();

    public string? Header(string name) => Headers.TryGetValue(name, out var v) ? v : null;
}
