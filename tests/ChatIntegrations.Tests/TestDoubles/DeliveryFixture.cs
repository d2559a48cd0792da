using System.Text.Json.Nodes;
using ChatIntegrations.Delivery;
using ChatIntegrations.Tests.Security.Ssrf;
using Microsoft.Extensions.DependencyInjection;

namespace ChatIntegrations.Tests.TestDoubles;

/// <summary>An engine with the real dispatcher, the real default script host and the real guarded HTTP client, a
/// manual clock, and loopback receivers allowed through the SSRF allow list.</summary>
internal sealed class DeliveryFixture : IAsyncDisposable
{
    private readonly ServiceProvider _provider;
    private readonly List<TinyHttpServer> _servers = [];
    private bool _started;

    public DeliveryFixture(Action<ChatIntegrationsOptions>? configure = null, IIntegrationStore? store = null, IScriptHost? scripts = null,
        Action<IServiceCollection>? more = null)
    {
        Chat.Time = Time;
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Time);
        services.AddSingleton<IChatDirectory>(Chat);
        services.AddSingleton<IMessageSink>(Chat);
        if (store is not null) services.AddSingleton(store);
        if (scripts is not null) services.AddSingleton(scripts); // e.g. a StubScriptHost that answers Busy (SCR-3)
        services.AddChatIntegrations(o =>
        {
            o.Ssrf.AllowList.Add("127.0.0.0/8");
            o.NodeId = "node-a";
            o.SiteUrl = "https://chat.example.com";
            configure?.Invoke(o);
        }).AllowAllOperations();
        more?.Invoke(services);
        _provider = services.BuildServiceProvider();
        Engine = _provider.GetRequiredService<IntegrationEngine>();
        Dispatcher = _provider.GetRequiredService<DeliveryDispatcher>();
    }

    public TrackingTimeProvider Time { get; } = new();

    public TestChat Chat { get; } = new();

    public IntegrationEngine Engine { get; }

    public DeliveryDispatcher Dispatcher { get; }

    public IIntegrationStore Store => _provider.GetRequiredService<IIntegrationStore>();

    public T Get<T>() where T : notnull => _provider.GetRequiredService<T>();

    public TinyHttpServer Receiver(Func<TinyRequest, TinyResponse?>? handler = null)
    {
        var server = new TinyHttpServer();
        if (handler is not null) server.Handler = handler;
        _servers.Add(server);
        return server;
    }

    public async Task StartAsync()
    {
        _started = true;
        await Dispatcher.StartAsync(CancellationToken.None);
    }

    public async Task<Integration> CreateOutgoingAsync(string url, string json = "{}")
    {
        var doc = JsonNode.Parse(json)!.AsObject();
        doc["type"] = "webhook-outgoing";
        doc["username"] ??= "rocket.cat";
        doc["urls"] ??= new JsonArray(url);
        doc["channel"] ??= "#general";
        var result = await Engine.CreateAsync(EngineFixture.Admin, doc);
        result.Success.Should().BeTrue(result.Body.ToJsonString());
        return (await Store.GetAsync(result.Body["integration"]!["_id"]!.GetValue<string>()))!;
    }

    public static ChatEvent Message(string text, string roomId = "R_GENERAL", string roomName = "general", string messageId = "m77",
        string? botIntegrationId = null, string? threadId = null, string userId = "u-alice", string username = "alice") => new()
    {
        Type = ChatEventType.SendMessage,
        Timestamp = new DateTimeOffset(2025, 1, 1, 10, 0, 0, TimeSpan.Zero),
        Room = new RoomSnapshot(roomId, "c") { Name = roomName },
        Actor = new UserSnapshot(userId, username),
        Message = new MessageSnapshot(messageId, roomId)
        {
            Text = text,
            Timestamp = new DateTimeOffset(2025, 1, 1, 10, 0, 0, TimeSpan.Zero),
            Sender = new UserReference(userId, username),
            BotIntegrationId = botIntegrationId,
            ThreadId = threadId,
        },
    };

    /// <summary>Waits (on real time, bounded by the test's [CancelAfter]) until <paramref name="condition"/> holds.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, CancellationToken cancellationToken)
    {
        while (!await condition())
        {
            await Task.Delay(5, cancellationToken);
        }
    }

    /// <summary>Waits (on real time, bounded by the test's [CancelAfter]) until <paramref name="probe"/> returns a value.</summary>
    public static async Task<T> WaitUntilFoundAsync<T>(Func<Task<T?>> probe, CancellationToken cancellationToken) where T : struct
    {
        while (true)
        {
            if (await probe() is { } found) return found;
            await Task.Delay(5, cancellationToken);
        }
    }

    /// <summary>Waits until the delivery is in one of <paramref name="states"/> and no attempt is in flight.</summary>
    public async Task<DeliveryRecord> WaitForStateAsync(string deliveryId, CancellationToken cancellationToken, params DeliveryState[] states)
    {
        DeliveryRecord? d = null;
        await WaitUntilAsync(async () =>
        {
            d = await Store.GetDeliveryAsync(deliveryId, cancellationToken);
            return d is not null && states.Contains(d.State) && Dispatcher.InFlight == 0;
        }, cancellationToken);
        return d!;
    }

    /// <summary>All deliveries of an integration, found through history-independent store access (in-memory store only).</summary>
    public async Task<IReadOnlyList<HistoryRecord>> HistoryAsync(string integrationId)
    {
        var page = await Store.ListHistoryAsync(integrationId, 0, 100);
        return page.Items;
    }

    public async ValueTask DisposeAsync()
    {
        if (_started) await Dispatcher.StopAsync(CancellationToken.None);
        foreach (var s in _servers) await s.DisposeAsync();
        await _provider.DisposeAsync();
    }
}
