using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChatIntegrations.Samples.ConsoleHost.Chat;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace ChatIntegrations.Samples.ConsoleHost;

/// <summary>Builds the sample host: an in-memory chat with ChatIntegrations mapped on <c>/hooks</c> and
/// <c>/api/integrations</c>. Tests call <see cref="Build"/> with <c>--urls http://127.0.0.1:0</c>.</summary>
public static class SampleHost
{
    /// <summary>The default listening address.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>Builds the web application.</summary>
    /// <param name="args">Command-line arguments (<c>--urls</c>, <c>--Sample:PrintMessages=false</c>, …).</param>
    /// <param name="configure">An optional hook to change services or logging before the app is built.</param>
    /// <param name="configureApp">An optional hook to add middleware before the routes are mapped.</param>
    /// <returns>The application, not yet started.</returns>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null, Action<WebApplication>? configureApp = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["http_ports"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        // SEC-4: framework request logs print the raw path; rewrite /hooks/{id}/{token} to /hooks/{id}/***.
        builder.Logging.AddChatIntegrationsTokenRedaction("/hooks");

        builder.Services.Configure<SampleOptions>(builder.Configuration.GetSection("Sample"));
        builder.Services.AddSingleton<SampleChat>();
        builder.Services.AddSingleton<SampleChatEvents>(); // chat changes → IntegrationEngine.PublishAsync (outgoing webhooks)
        builder.Services.AddSingleton<DemoWebhook>();
        builder.Services.AddHostedService<DemoWebhookSeeder>();
        var integrations = builder.Services
            .AddChatIntegrations(builder.Configuration.GetSection("ChatIntegrations"))
            .AddChatDirectory<SampleChatDirectory>()
            .AddMessageSink<SampleMessageSink>()
            .AllowAllOperations(); // a demo: every caller may administer integrations

        // The embedded default: a SQLite file in the working folder, so integrations and pending deliveries survive
        // a restart. --Sample:Store=memory keeps everything in memory (tests).
        var sample = builder.Configuration.GetSection("Sample").Get<SampleOptions>() ?? new SampleOptions();
        if (!string.Equals(sample.Store, "memory", StringComparison.OrdinalIgnoreCase))
        {
            integrations.UseSqliteStore(Path.GetFullPath(sample.DatabasePath));
        }

        configure?.Invoke(builder);

        var app = builder.Build();
        configureApp?.Invoke(app);
        app.MapChatIntegrations();
        // Issue 15: the dashboard, open to everyone like the rest of this demo (AllowAllOperations above). A real host
        // adds .RequireAuthorization("admins") and a real IIntegrationAuthorizer.
        app.MapChatIntegrationsDashboard("/admin/integrations", dashboard =>
            dashboard.Notice = "Demo: this sample host lets everyone see and change every integration. A real host maps the dashboard with .RequireAuthorization() and an IIntegrationAuthorizer.");
        MapChatApi(app);
        ChatEventsApi.Map(app); // POST /api/rooms, /api/rooms/{name}/join|leave|archive, /api/users
        LiveChatApi.Map(app); // POST /api/livechat/sessions[/{id}/take|messages|close], /api/livechat/offline (omnichannel)
        return app;
    }

    private static void MapChatApi(WebApplication app)
    {
        app.MapGet("/", () => Results.Text(
            "ChatIntegrations sample host. Rooms: GET /api/rooms, messages: GET /api/rooms/{name}/messages, " +
            "post: POST /api/rooms/{name}/messages {\"user\":\"alice\",\"text\":\"hi\"}, " +
            "create: POST /api/rooms {\"name\":\"dev\",\"type\":\"c\",\"user\":\"alice\"}, POST /api/users {\"username\":\"carol\"}, " +
            "membership: POST /api/rooms/{name}/join|leave {\"user\":\"bob\"}, POST /api/rooms/{name}/archive, " +
            "integrations: /api/integrations, dashboard (open to everyone, a demo): /admin/integrations, webhooks: /hooks/{id}/{token}\n"));

        app.MapGet("/api/rooms", (SampleChat chat) =>
        {
            var rooms = new JsonArray();
            foreach (var r in chat.Rooms.OrderBy(r => r.Name, StringComparer.Ordinal))
            {
                rooms.Add(new JsonObject { ["_id"] = r.Id, ["name"] = r.Name, ["t"] = r.Type, ["archived"] = r.Archived, ["messages"] = r.Messages.Count });
            }

            return Json(200, new JsonObject { ["success"] = true, ["rooms"] = rooms });
        });

        app.MapGet("/api/rooms/{name}/messages", (string name, SampleChat chat) =>
        {
            var room = chat.FindRoom(name);
            if (room is null) return Json(404, Error("error-room-not-found"));
            var messages = new JsonArray();
            foreach (var m in room.Messages) messages.Add(m.ToJson());
            return Json(200, new JsonObject { ["success"] = true, ["room"] = new JsonObject { ["_id"] = room.Id, ["name"] = room.Name, ["t"] = room.Type }, ["messages"] = messages });
        });

        app.MapPost("/api/rooms/{name}/messages", async (string name, HttpRequest request, SampleChat chat) =>
        {
            JsonNode? body;
            try
            {
                body = await JsonNode.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
            }
            catch (JsonException)
            {
                return Json(400, Error("error-invalid-json"));
            }

            if (body is not JsonObject o) return Json(400, Error("error-invalid-body"));
            var username = o["user"] is JsonValue uv && uv.TryGetValue(out string? un) ? un : null;
            var text = (o["text"] is JsonValue tv && tv.TryGetValue(out string? t) ? t : null)?.Trim();
            var user = username is null ? null : chat.FindUser(username);
            if (user is null) return Json(400, Error("error-invalid-user"));
            var room = chat.FindRoom(name);
            if (room is null) return Json(400, Error("error-invalid-room"));
            if (string.IsNullOrEmpty(text)) return Json(400, Error("error-empty-message"));
            if (chat.CheckMayPost(user, room) is { } refusal) return Json(403, Error(refusal));
            var stored = chat.Post(room, new StoredMessage { Id = "", RoomId = room.Id, Timestamp = default, SenderId = user.Id, SenderUsername = user.Username, Text = text });
            await request.HttpContext.RequestServices.GetRequiredService<SampleChatEvents>().MessageSavedAsync(room, stored); // sendMessage (OUT-10)
            return Json(200, new JsonObject { ["success"] = true, ["message"] = stored.ToJson() });
        });
    }

    private static JsonObject Error(string code) => new() { ["success"] = false, ["error"] = code };

    private static IResult Json(int status, JsonObject body) =>
        Results.Text(body.ToJsonString(), "application/json; charset=utf-8", System.Text.Encoding.UTF8, status);

    internal static string? ListeningAddress(IServiceProvider services)
    {
        var addresses = services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses;
        return addresses?.FirstOrDefault(a => a.StartsWith("http://", StringComparison.Ordinal)) ?? addresses?.FirstOrDefault();
    }
}

/// <summary>The demo webhook created at start (filled in by <see cref="DemoWebhookSeeder"/>).</summary>
public sealed class DemoWebhook
{
    /// <summary>Gets the integration id, once created.</summary>
    public string? Id { get; internal set; }

    /// <summary>Gets the token, once created.</summary>
    public string? Token { get; internal set; }

    /// <summary>Gets the path <c>/hooks/{id}/{token}</c>.</summary>
    public string Path => $"/hooks/{Id}/{Token}";
}

/// <summary>Creates the demo incoming webhook through <see cref="IntegrationEngine.CreateAsync"/> and prints how to
/// use it once the server listens.</summary>
internal sealed class DemoWebhookSeeder(IntegrationEngine engine, DemoWebhook demo, IHostApplicationLifetime lifetime, IServiceProvider services, Microsoft.Extensions.Options.IOptions<SampleOptions> options) : IHostedService
{
    private const string DemoName = "Demo webhook";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.CreateDemoWebhook) return;
        var admin = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "admin")], "sample"));

        // With the durable store the demo webhook survives restarts: reuse it, so its URL stays the same.
        var existing = await engine.ListAsync(admin, new IntegrationQuery { Type = IntegrationType.Incoming, Name = DemoName, Count = 1 }, cancellationToken);
        if (existing.Success && existing.Body["integrations"] is JsonArray { Count: > 0 } found)
        {
            var id = found[0]!["_id"]!.GetValue<string>();
            var full = await engine.GetAsync(admin, id, cancellationToken);
            if (full.Success)
            {
                demo.Id = id;
                demo.Token = full.Body["integration"]!["token"]!.GetValue<string>();
                Announce();
                return;
            }
        }

        var result = await engine.CreateAsync(admin, new JsonObject
        {
            ["type"] = "webhook-incoming",
            ["name"] = DemoName,
            ["enabled"] = true,
            ["channel"] = "#general",
            ["username"] = "rocket.cat",
            ["overrideDestinationChannelEnabled"] = true, // the seed examples post to #notifications
        }, cancellationToken);
        if (!result.Success) throw new InvalidOperationException("Could not create the demo webhook: " + result.Body.ToJsonString());
        demo.Id = result.Body["integration"]!["_id"]!.GetValue<string>();
        demo.Token = result.Body["integration"]!["token"]!.GetValue<string>();
        Announce();
    }

    private void Announce()
    {
        lifetime.ApplicationStarted.Register(() =>
        {
            // Printed to the console for the person running the demo, never written to a log (SEC-4).
            var address = (SampleHost.ListeningAddress(services) ?? SampleHost.DefaultUrl).TrimEnd('/');
            var url = address + demo.Path;
            Console.WriteLine();
            var allowList = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ChatIntegrationsOptions>>().Value.Ssrf.AllowList;
            if (allowList.Count > 0)
            {
                // SEC-11: the library denies loopback and private targets by default; this local demo opens them.
                Console.WriteLine($"WARNING: this demo allows outgoing webhook and script calls to {string.Join(", ", allowList)} (ChatIntegrations:Ssrf:AllowList).");
                Console.WriteLine("         Remove that setting outside a local demo.");
            }

            Console.WriteLine("Demo incoming webhook (posts to #general as rocket.cat):");
            Console.WriteLine("  " + url);
            Console.WriteLine("Try:");
            Console.WriteLine($"  curl -X POST -H 'Content-Type: application/json' --data '{{\"text\":\"Hello from curl :wave:\"}}' {url}");
            Console.WriteLine($"  curl {address}/api/rooms/general/messages");
            Console.WriteLine();
        });
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
