using System.Net;
using System.Security.Claims;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace ChatIntegrations.Tests.TestDoubles;

/// <summary>An engine wired with test doubles through the real DI registration.</summary>
internal sealed class EngineFixture : IDisposable
{
    public static readonly ClaimsPrincipal Admin = new(new ClaimsIdentity([new Claim(ClaimTypes.Name, "admin")], "test"));

    private readonly ServiceProvider _provider;

    public EngineFixture(Action<ChatIntegrationsOptions>? configure = null, bool allowAll = true, IIntegrationAuthorizer? authorizer = null,
        ILoggerProvider? logs = null)
    {
        Chat.Time = Time;
        var services = new ServiceCollection();
        if (logs is not null) services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        services.AddSingleton<TimeProvider>(Time);
        services.AddSingleton<IChatDirectory>(Chat);
        services.AddSingleton<IMessageSink>(Chat);
        services.AddSingleton<IScriptHost>(Scripts);
        var builder = services.AddChatIntegrations(configure ?? (_ => { }));
        if (authorizer is not null) services.AddSingleton(authorizer);
        else if (allowAll) builder.AllowAllOperations();
        _provider = services.BuildServiceProvider();
        Engine = _provider.GetRequiredService<IntegrationEngine>();
    }

    /// <summary>Gets the clock, started where the spec's worked examples are dated (IN-52).</summary>
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2025, 1, 1, 10, 0, 0, TimeSpan.Zero));

    public TestChat Chat { get; } = new();
    public StubScriptHost Scripts { get; } = new();
    public IntegrationEngine Engine { get; }
    public IIntegrationStore Store => _provider.GetRequiredService<IIntegrationStore>();

    public async Task<(string Id, string Token)> CreateIncomingAsync(string json = "{}")
    {
        var doc = JsonNode.Parse(json)!.AsObject();
        doc["type"] ??= "webhook-incoming";
        doc["username"] ??= "rocket.cat";
        doc["channel"] ??= "#general";
        var result = await Engine.CreateAsync(Admin, doc);
        result.Success.Should().BeTrue(result.Body.ToJsonString());
        var i = result.Body["integration"]!;
        return (i["_id"]!.GetValue<string>(), i["token"]!.GetValue<string>());
    }

    public Task<IncomingWebhookResponse> PostAsync(string id, string token, string body, string? contentType = "application/json",
        IPAddress? from = null, Dictionary<string, string>? headers = null, string method = "POST", string query = "")
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var h = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (contentType is not null) h["Content-Type"] = contentType;
        if (headers is not null) foreach (var (k, v) in headers) h[k] = v;
        return Engine.HandleIncomingAsync(new IncomingWebhookRequest
        {
            Method = method,
            Path = $"/hooks/{id}/{Uri.EscapeDataString(token)}",
            QueryString = query,
            Headers = h,
            ContentLength = bytes.Length,
            Body = new MemoryStream(bytes),
            RemoteAddress = from ?? IPAddress.Loopback,
        });
    }

    public void Dispose() => _provider.Dispose();
}
