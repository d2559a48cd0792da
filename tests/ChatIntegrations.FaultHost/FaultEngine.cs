using System.Globalization;
using System.Security.Claims;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ChatIntegrations.FaultHost;

/// <summary>The settings of one engine node, parsed from <c>--key value</c> arguments.</summary>
public sealed class NodeSettings
{
    /// <summary><c>sqlite</c> or <c>pg</c>.</summary>
    public string Store { get; set; } = "sqlite";

    /// <summary>The SQLite file or the PostgreSQL connection string.</summary>
    public string Db { get; set; } = "";

    /// <summary>The PostgreSQL schema.</summary>
    public string Schema { get; set; } = "chat_integrations";

    public string NodeId { get; set; } = "node-1";
    public string Url { get; set; } = "";
    public string? IntegrationId { get; set; }
    public int Publish { get; set; }
    public int PublishParallel { get; set; } = 8;
    public int RetryCount { get; set; } = 6;
    public string RetryDelay { get; set; } = "powers-of-ten";
    public int LeaseSeconds { get; set; } = 30;
    public int PollMs { get; set; } = 20;
    public int Concurrency { get; set; } = 64;
    public int PerEndpoint { get; set; } = 64;
    public int PublishTimeoutMs { get; set; } = 2000;
    public int BusyTimeoutMs { get; set; } = 5000;
    public bool Setup { get; set; }
    public bool NoDispatch { get; set; }
    public LogLevel LogLevel { get; set; } = LogLevel.Warning;

    public static NodeSettings Parse(IReadOnlyList<string> args)
    {
        var s = new NodeSettings();
        for (var i = 0; i < args.Count; i++)
        {
            string Next() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int Int() => int.Parse(Next(), CultureInfo.InvariantCulture);
            switch (args[i])
            {
                case "--store": s.Store = Next(); break;
                case "--db": s.Db = Next(); break;
                case "--schema": s.Schema = Next(); break;
                case "--node": s.NodeId = Next(); break;
                case "--url": s.Url = Next(); break;
                case "--integration": s.IntegrationId = Next(); break;
                case "--publish": s.Publish = Int(); break;
                case "--publish-parallel": s.PublishParallel = Int(); break;
                case "--retry-count": s.RetryCount = Int(); break;
                case "--retry-delay": s.RetryDelay = Next(); break;
                case "--lease": s.LeaseSeconds = Int(); break;
                case "--poll-ms": s.PollMs = Int(); break;
                case "--concurrency": s.Concurrency = Int(); break;
                case "--per-endpoint": s.PerEndpoint = Int(); break;
                case "--publish-timeout-ms": s.PublishTimeoutMs = Int(); break;
                case "--busy-timeout-ms": s.BusyTimeoutMs = Int(); break;
                case "--log": s.LogLevel = Enum.Parse<LogLevel>(Next(), ignoreCase: true); break;
                case "--setup": s.Setup = true; break;
                case "--no-dispatch": s.NoDispatch = true; break;
                case "--measure": break; // handled by Program
                default: throw new ArgumentException($"unknown argument {args[i]}");
            }
        }

        return s;
    }

    /// <summary>The arguments that reproduce these settings (for child processes).</summary>
    public List<string> ToArgs()
    {
        var a = new List<string>
        {
            "--store", Store, "--db", Db, "--schema", Schema, "--node", NodeId, "--url", Url,
            "--publish", Inv(Publish), "--publish-parallel", Inv(PublishParallel), "--retry-count", Inv(RetryCount),
            "--retry-delay", RetryDelay, "--lease", Inv(LeaseSeconds), "--poll-ms", Inv(PollMs), "--concurrency", Inv(Concurrency),
            "--per-endpoint", Inv(PerEndpoint), "--publish-timeout-ms", Inv(PublishTimeoutMs), "--busy-timeout-ms", Inv(BusyTimeoutMs),
            "--log", LogLevel.ToString(),
        };
        if (IntegrationId is not null) a.AddRange(["--integration", IntegrationId]);
        if (Setup) a.Add("--setup");
        if (NoDispatch) a.Add("--no-dispatch");
        return a;
    }

    private static string Inv(int v) => v.ToString(CultureInfo.InvariantCulture);

    public NodeSettings Clone() => (NodeSettings)MemberwiseClone();
}

/// <summary>Builds one engine node on the generic host.</summary>
public static class FaultEngine
{
    public static readonly ClaimsPrincipal Admin = new(new ClaimsIdentity([new Claim(ClaimTypes.Name, "fault-admin")], "fault"));

    public static IHost Build(NodeSettings s, Action<ChatIntegrationsOptions>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(s.LogLevel);
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace); // stdout carries the protocol
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(15));
        builder.Services.AddSingleton<MinimalChat>();
        builder.Services.AddSingleton<IChatDirectory>(sp => sp.GetRequiredService<MinimalChat>());
        builder.Services.AddSingleton<IMessageSink>(sp => sp.GetRequiredService<MinimalChat>());
        var ci = builder.Services.AddChatIntegrations(o =>
        {
            o.NodeId = s.NodeId;
            o.Ssrf.AllowList.Add("127.0.0.0/8");
            o.Dispatcher.LeaseDuration = TimeSpan.FromSeconds(s.LeaseSeconds);
            o.Dispatcher.PollInterval = TimeSpan.FromMilliseconds(s.PollMs);
            o.Dispatcher.MaxConcurrency = s.Concurrency;
            o.Dispatcher.MaxConcurrencyPerEndpoint = s.PerEndpoint;
            o.Dispatcher.ShutdownGracePeriod = TimeSpan.FromSeconds(2);
            o.Dispatcher.Breaker.Enabled = false; // the tests force 503s on purpose
            o.Store.PublishTimeout = TimeSpan.FromMilliseconds(s.PublishTimeoutMs);
            o.RateLimit.Enabled = false;
            configure?.Invoke(o);
        }).AllowAllOperations();
        if (s.Store == "pg")
        {
            ci.UsePostgreSqlStore(o =>
            {
                o.ConnectionString = s.Db;
                o.Schema = s.Schema;
            });
        }
        else
        {
            ci.UseSqliteStore(o =>
            {
                o.DataSource = s.Db;
                o.BusyTimeout = TimeSpan.FromMilliseconds(s.BusyTimeoutMs);
            });
        }

        return builder.Build();
    }

    /// <summary>Creates the outgoing integration that fires on every message in #general.</summary>
    public static async Task<string> CreateOutgoingAsync(IntegrationEngine engine, NodeSettings s, CancellationToken cancellationToken = default)
    {
        var doc = new JsonObject
        {
            ["type"] = "webhook-outgoing",
            ["name"] = "fault-hook-" + Guid.NewGuid().ToString("N")[..8],
            ["event"] = "sendMessage",
            ["enabled"] = true,
            ["username"] = "rocket.cat",
            ["channel"] = "#general",
            ["urls"] = new JsonArray(s.Url),
            ["retryFailedCalls"] = true,
            ["retryCount"] = s.RetryCount,
            ["retryDelay"] = s.RetryDelay,
        };
        var result = await engine.CreateAsync(Admin, doc, cancellationToken).ConfigureAwait(false);
        if (!result.Success) throw new InvalidOperationException("cannot create the outgoing integration: " + result.Body.ToJsonString());
        return result.Body["integration"]!["_id"]!.GetValue<string>();
    }

    /// <summary>Creates an incoming integration posting into #general; returns its id and token.</summary>
    public static async Task<(string Id, string Token)> CreateIncomingAsync(IntegrationEngine engine, CancellationToken cancellationToken = default)
    {
        var doc = new JsonObject
        {
            ["type"] = "webhook-incoming",
            ["name"] = "fault-in-" + Guid.NewGuid().ToString("N")[..8],
            ["enabled"] = true,
            ["username"] = "rocket.cat",
            ["channel"] = "#general",
        };
        var result = await engine.CreateAsync(Admin, doc, cancellationToken).ConfigureAwait(false);
        if (!result.Success) throw new InvalidOperationException("cannot create the incoming integration: " + result.Body.ToJsonString());
        var i = result.Body["integration"]!;
        return (i["_id"]!.GetValue<string>(), i["token"]!.GetValue<string>());
    }

    /// <summary>A message in #general; <paramref name="n"/> makes the message id unique.</summary>
    public static ChatEvent Message(string node, int n) => new()
    {
        Type = ChatEventType.SendMessage,
        Timestamp = new DateTimeOffset(2026, 1, 1, 10, 0, 0, TimeSpan.Zero),
        Room = new RoomSnapshot(MinimalChat.RoomId, "c") { Name = "general" },
        Actor = new UserSnapshot("u-alice", "alice"),
        Message = new MessageSnapshot($"{node}-m{n}", MinimalChat.RoomId)
        {
            Text = $"event {n} from {node}",
            Timestamp = new DateTimeOffset(2026, 1, 1, 10, 0, 0, TimeSpan.Zero),
            Sender = new UserReference("u-alice", "alice"),
        },
    };

    /// <summary>Publishes <paramref name="count"/> events, <paramref name="parallel"/> at a time; returns how many
    /// publish calls returned (each one's deliveries are durably stored, DLV-2).</summary>
    public static async Task<int> PublishAsync(IntegrationEngine engine, string node, int count, int parallel, Action<int>? acknowledged = null,
        CancellationToken cancellationToken = default)
    {
        var next = -1;
        var done = 0;
        var workers = Enumerable.Range(0, Math.Max(1, parallel)).Select(_ => Task.Run(async () =>
        {
            int n;
            while ((n = Interlocked.Increment(ref next)) < count)
            {
                await engine.PublishAsync(Message(node, n), cancellationToken).ConfigureAwait(false);
                Interlocked.Increment(ref done);
                acknowledged?.Invoke(n);
            }
        }, cancellationToken)).ToArray();
        await Task.WhenAll(workers).ConfigureAwait(false);
        return done;
    }
}

/// <summary>The smallest chat directory and sink: one public room, two users, messages counted and dropped.</summary>
public sealed class MinimalChat : IChatDirectory, IMessageSink
{
    public const string RoomId = "R_GENERAL";
    private static readonly ChatRoom General = new(RoomId, "general");
    private static readonly ChatUser Bot = new("u-bot", "rocket.cat", "Rocket Cat");
    private static readonly ChatUser Alice = new("u-alice", "alice", "Alice");
    private long _sent;

    public long Sent => Interlocked.Read(ref _sent);

    public ValueTask<ChatRoom?> FindRoomAsync(string idOrName, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<ChatRoom?>(idOrName is RoomId or "general" ? General : null);

    public ValueTask<ChatUser?> FindUserAsync(string idOrUsername, bool byUsername = true, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(idOrUsername switch
        {
            "u-bot" => Bot,
            "rocket.cat" when byUsername => Bot,
            "u-alice" => Alice,
            "alice" when byUsername => Alice,
            _ => (ChatUser?)null,
        });

    public ValueTask<DirectoryResult<ChatRoom>> GetDirectRoomAsync(ChatUser sender, ChatUser other, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(DirectoryResult<ChatRoom>.Ok(new ChatRoom("DM_" + sender.Id + "_" + other.Id, "dm", "d")));

    public ValueTask<string?> CheckMayPostAsync(ChatUser sender, ChatRoom room, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<string?>(null);

    public ValueTask<SendMessageResult> SendAsync(ChatMessage message, CancellationToken cancellationToken = default)
    {
        var n = Interlocked.Increment(ref _sent);
        return ValueTask.FromResult(SendMessageResult.Sent("fm" + n.ToString(CultureInfo.InvariantCulture), message.RoomId, TimeProvider.System.GetUtcNow()));
    }
}
