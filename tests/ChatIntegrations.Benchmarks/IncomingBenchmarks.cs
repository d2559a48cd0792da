using System.Net;
using System.Security.Claims;
using System.Text;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using ChatIntegrations;
using Microsoft.Extensions.DependencyInjection;

namespace ChatIntegrations.Benchmarks;

/// <summary>The in-process incoming path: HandleIncomingAsync from request to sink, no HTTP server (issue 2 item 9).</summary>
[MemoryDiagnoser]
public class IncomingBenchmarks
{
    private static readonly byte[] SmallBody = Encoding.UTF8.GetBytes("""{"text":"Build 42 passed","username":"CI","icon_emoji":":white_check_mark:"}""");
    private static readonly byte[] SlackBody = Encoding.UTF8.GetBytes("""
        {"text":"<!here> deploy of <https://ci.example/r/42|run 42> failed","username":"CI",
         "attachments":[{"color":"danger","title":"api","title_link":"https://ci.example/r/42",
           "fields":[{"title":"Duration","value":93,"short":"true"},{"title":"Commit","value":"a1b2c3d","short":true}],"msg":" see logs "}]}
        """);

    private readonly Dictionary<string, string> _headers = new(StringComparer.OrdinalIgnoreCase) { ["Content-Type"] = "application/json" };
    private IntegrationEngine _engine = null!;
    private string _path = "";

    [GlobalSetup]
    public void Setup()
    {
        var services = new ServiceCollection();
        var chat = new NullChat();
        services.AddSingleton<IChatDirectory>(chat);
        services.AddSingleton<IMessageSink>(chat);
        services.AddChatIntegrations().AllowAllOperations();
        _engine = services.BuildServiceProvider().GetRequiredService<IntegrationEngine>();
        var actor = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "bench")], "bench"));
        var created = _engine.CreateAsync(actor, JsonNode.Parse("""
            {"type":"webhook-incoming","channel":"#general","username":"rocket.cat","rateLimit":{"enabled":false}}
            """)!.AsObject()).GetAwaiter().GetResult();
        var i = created.Body["integration"]!;
        _path = $"/hooks/{i["_id"]}/{i["token"]}";
    }

    [Benchmark(Baseline = true)]
    public Task<IncomingWebhookResponse> SmallJson() => Post(SmallBody);

    [Benchmark]
    public Task<IncomingWebhookResponse> SlackStyleWithAttachment() => Post(SlackBody);

    private Task<IncomingWebhookResponse> Post(byte[] body) => _engine.HandleIncomingAsync(new IncomingWebhookRequest
    {
        Method = "POST",
        Path = _path,
        Headers = _headers,
        ContentLength = body.Length,
        Body = new MemoryStream(body, writable: false),
        RemoteAddress = IPAddress.Loopback,
    });

    private sealed class NullChat : IChatDirectory, IMessageSink
    {
        private static readonly ChatRoom General = new("R_GENERAL", "general");
        private static readonly ChatUser Bot = new("u-bot", "rocket.cat");

        public ValueTask<ChatRoom?> FindRoomAsync(string idOrName, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult<ChatRoom?>(idOrName is "general" or "R_GENERAL" ? General : null);

        public ValueTask<ChatUser?> FindUserAsync(string idOrUsername, bool byUsername = true, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult<ChatUser?>(idOrUsername is "rocket.cat" or "u-bot" ? Bot : null);

        public ValueTask<DirectoryResult<ChatRoom>> GetDirectRoomAsync(ChatUser sender, ChatUser other, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(DirectoryResult<ChatRoom>.Fail("error-not-allowed"));

        public ValueTask<string?> CheckMayPostAsync(ChatUser sender, ChatRoom room, CancellationToken cancellationToken = default) => ValueTask.FromResult<string?>(null);

        public ValueTask<SendMessageResult> SendAsync(ChatMessage message, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(SendMessageResult.Sent("m1", message.RoomId, default));
    }
}
