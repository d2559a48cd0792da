using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ChatIntegrations.Samples.ConsoleHost;
using ChatIntegrations.Samples.ConsoleHost.Chat;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace ChatIntegrations.AspNetCore.Tests.Infrastructure;

/// <summary>The sample host on real Kestrel, 127.0.0.1, port 0.</summary>
internal sealed class SampleServer : IAsyncDisposable
{
    private SampleServer(WebApplication app, Uri address)
    {
        App = app;
        Address = address;
        Client = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = address };
    }

    public WebApplication App { get; }

    public Uri Address { get; }

    public HttpClient Client { get; }

    public SampleChat Chat => App.Services.GetRequiredService<SampleChat>();

    public static Task<SampleServer> StartAsync(Action<WebApplicationBuilder>? configure = null, params string[] args) => StartAsync(configure, null, args);

    public static async Task<SampleServer> StartAsync(Action<WebApplicationBuilder>? configure, Action<WebApplication>? configureApp, params string[] args)
    {
        string[] all = ["--urls", "http://127.0.0.1:0", "--Sample:PrintMessages=false", "--Sample:Store=memory", "--Logging:LogLevel:Default=Warning", .. args];
        var app = SampleHost.Build(all, configure, configureApp);
        await app.StartAsync();
        return new SampleServer(app, new Uri(app.Urls.First()));
    }

    public int MessageCount(string room) => Chat.FindRoom(room)!.Messages.Count;

    public StoredMessage LastMessage(string room) => Chat.FindRoom(room)!.Messages[^1];

    /// <summary>Creates an incoming integration through the admin API; <paramref name="overrides"/> replace defaults.</summary>
    public async Task<(string Id, string Token)> CreateIncomingAsync(JsonObject? overrides = null)
    {
        var doc = new JsonObject
        {
            ["type"] = "webhook-incoming",
            ["name"] = "test-" + Guid.NewGuid().ToString("N")[..8],
            ["channel"] = "#general",
            ["username"] = "rocket.cat",
        };
        foreach (var (k, v) in overrides ?? []) doc[k] = v?.DeepClone();
        var r = await SendAsync(HttpMethod.Post, "/api/integrations", doc.ToJsonString());
        if (r.Status != HttpStatusCode.OK) throw new InvalidOperationException("create failed: " + r.Text);
        return (r.Json!["integration"]!["_id"]!.GetValue<string>(), r.Json!["integration"]!["token"]!.GetValue<string>());
    }

    public Task<Answer> PostJsonAsync(string path, string json) => SendAsync(HttpMethod.Post, path, json);

    public Task<Answer> SendAsync(HttpMethod method, string path, string? body = null, string? contentType = "application/json")
    {
        ByteArrayContent? content = null;
        if (body is not null)
        {
            content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
            if (contentType is not null) content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        return SendAsync(method, path, content);
    }

    public async Task<Answer> SendAsync(HttpMethod method, string path, HttpContent? content)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        using var response = await Client.SendAsync(request);
        return await Answer.ReadAsync(response);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}

internal sealed record Answer(HttpStatusCode Status, string Text, JsonObject? Json, IReadOnlyDictionary<string, string> Headers)
{
    /// <summary>Reads a response: status, text, the body as a JSON object when it is one, and all headers.</summary>
    public static async Task<Answer> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        JsonObject? json = null;
        try { json = text.Length > 0 ? JsonNode.Parse(text) as JsonObject : null; } catch (System.Text.Json.JsonException) { }
        var headers = response.Headers.Concat(response.Content.Headers)
            .ToDictionary(h => h.Key, h => string.Join(", ", h.Value), StringComparer.OrdinalIgnoreCase);
        return new Answer(response.StatusCode, text, json, headers);
    }

    public string? Error => Json?["error"]?.GetValue<string>();
}
