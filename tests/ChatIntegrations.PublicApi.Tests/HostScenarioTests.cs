using System.Collections.Concurrent;
using System.Security.Claims;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;

namespace ChatIntegrations.PublicApi.Tests;

/// <summary>Written the way a host would, against the public surface only (no InternalsVisibleTo).</summary>
public sealed class HostScenarioTests
{
    private static readonly ClaimsPrincipal Admin = new(new ClaimsIdentity([new Claim(ClaimTypes.Name, "admin")], "host"));

    [Test]
    public async Task HostWiring_CreateAndPost_MessageReachesHostSink_GEN1_GEN2()
    {
        var chat = new HostChat();
        var services = new ServiceCollection();
        services.AddSingleton(chat);
        services.AddChatIntegrations(o => o.MaxMessageLength = 100)
            .AddChatDirectory<HostChat>()
            .AddMessageSink<HostChat>()
            .AllowAllOperations();
        services.AddSingleton<HostChat>(chat);
        await using var sp = services.BuildServiceProvider();
        var engine = sp.GetRequiredService<IntegrationEngine>();

        var created = await engine.CreateAsync(Admin, new JsonObject
        {
            ["type"] = "webhook-incoming",
            ["name"] = "Deploys",
            ["channel"] = "#general",
            ["username"] = "bot",
        });
        created.Success.Should().BeTrue(created.Body.ToJsonString());
        var id = created.Body["integration"]!["_id"]!.GetValue<string>();
        var token = created.Body["integration"]!["token"]!.GetValue<string>();

        var body = Encoding.UTF8.GetBytes("""{"text":"deployed"}""");
        var answer = await engine.HandleIncomingAsync(new IncomingWebhookRequest
        {
            Method = "POST",
            Path = $"/hooks/{id}/{token}",
            Headers = new Dictionary<string, string> { ["Content-Type"] = "application/json" },
            ContentLength = body.Length,
            Body = new MemoryStream(body),
        });

        answer.StatusCode.Should().Be(200);
        chat.Messages.Should().ContainSingle(m => m.Text == "deployed" && m.RoomId == "R1" && m.BotIntegrationId == id);
    }

    [Test]
    public async Task PublicEntryPoints_NullArguments_Throw()
    {
        var services = new ServiceCollection();
        var chat = new HostChat();
        services.AddChatIntegrations().AllowAllOperations();
        services.AddSingleton<IChatDirectory>(chat);
        services.AddSingleton<IMessageSink>(chat);
        await using var sp = services.BuildServiceProvider();
        var engine = sp.GetRequiredService<IntegrationEngine>();
        await FluentActions.Awaiting(() => engine.HandleIncomingAsync(null!)).Should().ThrowAsync<ArgumentNullException>();
        await FluentActions.Awaiting(() => engine.CreateAsync(Admin, null!)).Should().ThrowAsync<ArgumentNullException>();
        await FluentActions.Awaiting(() => engine.CreateAsync(null!, new JsonObject { ["type"] = "webhook-incoming" })).Should().ThrowAsync<ArgumentNullException>();
        await FluentActions.Awaiting(() => engine.ValidateScriptAsync(Admin, null!, IntegrationType.Incoming)).Should().ThrowAsync<ArgumentNullException>();
        await FluentActions.Awaiting(() => engine.TryScriptAsync(Admin, null!, [])).Should().ThrowAsync<ArgumentNullException>();
        await FluentActions.Awaiting(() => engine.TryScriptAsync(Admin, "id", null!)).Should().ThrowAsync<ArgumentNullException>();
        FluentActions.Invoking(() => ((IServiceCollection)null!).AddChatIntegrations()).Should().Throw<ArgumentNullException>();
    }

    // Issue 15 item 2: a host's own admin UI can offer "try it" through the public engine alone; the sink stays empty.
    [Test]
    public async Task HostWiring_TryScript_AnswersWhatWouldBePostedAndPostsNothing()
    {
        var chat = new HostChat();
        var services = new ServiceCollection();
        services.AddChatIntegrations().AllowAllOperations();
        services.AddSingleton<IChatDirectory>(chat);
        services.AddSingleton<IMessageSink>(chat);
        await using var sp = services.BuildServiceProvider();
        var engine = sp.GetRequiredService<IntegrationEngine>();
        var created = await engine.CreateAsync(Admin, new JsonObject { ["type"] = "webhook-incoming", ["channel"] = "#general", ["username"] = "bot" });
        var id = created.Body["integration"]!["_id"]!.GetValue<string>();

        var tried = await engine.TryScriptAsync(Admin, id, new JsonObject
        {
            ["script"] = "class Script { process_incoming_request({ request }) { console.log('hi'); return { content: { text: 'got ' + request.content.n } }; } }",
            ["body"] = new JsonObject { ["n"] = 7 },
        });

        tried.Success.Should().BeTrue(tried.Body.ToJsonString());
        tried.Body["messages"]![0]!["msg"]!.GetValue<string>().Should().Be("got 7");
        tried.Body["console"]![0]!["message"]!.GetValue<string>().Should().Be("hi");
        chat.Messages.Should().BeEmpty();
    }

    [Test]
    public async Task PendingDeliveries_EventQueuedBeforeAnyDispatch_ListedAndListHasEmptyFigures_DLV2_DLV4()
    {
        // Issue 15: a host reads the pending view and the list figures through the public surface only.
        var chat = new HostChat();
        var services = new ServiceCollection();
        services.AddSingleton(chat);
        services.AddChatIntegrations().AddChatDirectory<HostChat>().AddMessageSink<HostChat>().AllowAllOperations();
        await using var sp = services.BuildServiceProvider();
        var engine = sp.GetRequiredService<IntegrationEngine>();
        var created = await engine.CreateAsync(Admin, new JsonObject
        {
            ["type"] = "webhook-outgoing",
            ["name"] = "Notify",
            ["channel"] = "#general",
            ["username"] = "bot",
            ["urls"] = new JsonArray("https://receiver.example/hook"),
        });
        created.Success.Should().BeTrue(created.Body.ToJsonString());
        var id = created.Body["integration"]!["_id"]!.GetValue<string>();

        // No dispatcher runs here (no hosted services started), so the delivery stays queued (DLV-2).
        await engine.PublishAsync(new ChatEvent
        {
            Type = ChatEventType.SendMessage,
            Timestamp = DateTimeOffset.UnixEpoch,
            Room = new RoomSnapshot("R1", "c") { Name = "general" },
            Actor = new UserSnapshot("U2", "alice"),
            Message = new MessageSnapshot("m1", "R1") { Text = "hello", Timestamp = DateTimeOffset.UnixEpoch, Sender = new UserReference("U2", "alice") },
        });

        var pending = await engine.GetPendingDeliveriesAsync(Admin, id);
        pending.Success.Should().BeTrue(pending.Body.ToJsonString());
        var d = pending.Body["deliveries"]!.AsArray().Should().ContainSingle().Subject!;
        d["state"]!.GetValue<string>().Should().Be("pending");
        d["attempts"]!.GetValue<int>().Should().Be(0);
        var page = await sp.GetRequiredService<IIntegrationStore>().ListPendingDeliveriesAsync(id, 0, 10);
        page.Items.Should().ContainSingle().Which.Id.Should().Be(d["_id"]!.GetValue<string>());

        var list = await engine.ListAsync(Admin, new IntegrationQuery());
        var row = list.Body["integrations"]!.AsArray().Single()!;
        row.AsObject().Should().ContainKey("lastDelivery").WhoseValue.Should().BeNull("no attempt is recorded yet");
        row["failuresLastHour"]!.GetValue<int>().Should().Be(0);
    }

    private sealed class HostChat : IChatDirectory, IMessageSink
    {
        public ConcurrentBag<ChatMessage> Messages { get; } = [];

        public ValueTask<ChatRoom?> FindRoomAsync(string idOrName, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult<ChatRoom?>(idOrName is "general" or "R1" ? new ChatRoom("R1", "general") : null);

        public ValueTask<ChatUser?> FindUserAsync(string idOrUsername, bool byUsername = true, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult<ChatUser?>(idOrUsername is "bot" or "U1" ? new ChatUser("U1", "bot") : null);

        public ValueTask<DirectoryResult<ChatRoom>> GetDirectRoomAsync(ChatUser sender, ChatUser other, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(DirectoryResult<ChatRoom>.Fail("error-not-allowed"));

        public ValueTask<string?> CheckMayPostAsync(ChatUser sender, ChatRoom room, CancellationToken cancellationToken = default) => ValueTask.FromResult<string?>(null);

        public ValueTask<SendMessageResult> SendAsync(ChatMessage message, CancellationToken cancellationToken = default)
        {
            Messages.Add(message);
            return ValueTask.FromResult(SendMessageResult.Sent(Guid.NewGuid().ToString("N"), message.RoomId, DateTimeOffset.UnixEpoch));
        }
    }
}
