using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChatIntegrations.Samples.ConsoleHost;

/// <summary>A small live-chat (omnichannel) simulation. Each step is reported to the engine with
/// <see cref="IntegrationEngine.PublishOmnichannelAsync"/>, so a CRM configured on <c>PUT /api/omnichannel/webhook</c>
/// sees the whole flow (omnichannel.md):</summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>POST /api/livechat/sessions</c> <c>{"name":"Jane Roe","email":"jane@example.org","department":"D1","topic":"billing"}</c>
/// → <c>LivechatSessionStart</c>, then <c>LivechatSessionQueued</c></item>
/// <item><c>POST /api/livechat/sessions/{id}/take</c> <c>{"agent":"agent.smith"}</c> → <c>LivechatSessionTaken</c></item>
/// <item><c>POST /api/livechat/sessions/{id}/messages</c> <c>{"from":"visitor"|"agent","text":"…"}</c> → <c>Message</c>;
/// a visitor message containing an e-mail address also gives <c>LeadCapture</c></item>
/// <item><c>POST /api/livechat/sessions/{id}/close</c> <c>{"by":"agent"|"visitor","comment":"Thanks, bye"}</c> → <c>LivechatSession</c></item>
/// <item><c>POST /api/livechat/offline</c> <c>{"name":"…","email":"…","message":"…"}</c> → <c>LivechatOfflineMessage</c></item>
/// </list>
/// Try it against a local receiver: <c>curl -X PUT localhost:5080/api/omnichannel/webhook -d '{"url":"http://127.0.0.1:9000/crm",
/// "secretToken":"s3cret","onStart":true,"onTaken":true,"onClose":true,"onVisitorMessage":true,"onAgentMessage":true}'</c>
/// (the sample's <c>appsettings.json</c> allow-lists loopback in <c>ChatIntegrations:Ssrf:AllowList</c>).
/// </remarks>
internal static partial class LiveChatApi
{
    private static readonly ConcurrentDictionary<string, Session> Sessions = new(StringComparer.Ordinal);

    /// <summary>Maps the routes.</summary>
    public static void Map(WebApplication app)
    {
        app.MapPost("/api/livechat/sessions", async (HttpRequest request, IntegrationEngine engine, TimeProvider time) =>
        {
            var o = await ReadBodyAsync(request);
            if (o is null) return Json(400, Error("error-invalid-body"));
            var now = time.GetUtcNow();
            var name = Str(o, "name") ?? "Guest";
            var number = Interlocked.Increment(ref _guests);
            var session = new Session(NewId("LR"), now)
            {
                Visitor = new OmnichannelVisitor(NewId("V"))
                {
                    Token = NewId("vt-"),
                    Name = name,
                    Username = $"guest-{number}",
                    Department = Str(o, "department"),
                    Ip = request.HttpContext.Connection.RemoteIpAddress?.ToString(),
                    UserAgent = request.Headers.UserAgent.ToString() is { Length: > 0 } ua ? ua : null,
                    Emails = Str(o, "email") is { } email ? [email] : null,
                },
                Topic = Str(o, "topic"),
                Department = Str(o, "department"),
            };
            Sessions[session.Id] = session;
            await engine.PublishOmnichannelAsync(session.Event(OmnichannelEventType.SessionStart), request.HttpContext.RequestAborted);
            await engine.PublishOmnichannelAsync(session.Event(OmnichannelEventType.SessionQueued), request.HttpContext.RequestAborted);
            return Json(200, new JsonObject { ["success"] = true, ["session"] = session.ToJson() });
        });

        app.MapPost("/api/livechat/sessions/{id}/take", async (string id, HttpRequest request, IntegrationEngine engine, TimeProvider time) =>
        {
            if (!Sessions.TryGetValue(id, out var session)) return Json(404, Error("error-not-found"));
            var o = await ReadBodyAsync(request) ?? new JsonObject();
            var username = Str(o, "agent") ?? "agent.smith";
            lock (session)
            {
                if (session.ClosedAt is not null) return Json(400, Error("error-session-closed"));
                session.Agent = new OmnichannelAgent("agent-" + username, username) { Name = username, Emails = [$"{username}@example.com"] };
                session.ServedBy = new OmnichannelServedBy(session.Agent.Id, username, time.GetUtcNow());
            }

            await engine.PublishOmnichannelAsync(session.Event(OmnichannelEventType.SessionTaken), request.HttpContext.RequestAborted);
            return Json(200, new JsonObject { ["success"] = true, ["session"] = session.ToJson() });
        });

        app.MapPost("/api/livechat/sessions/{id}/messages", async (string id, HttpRequest request, IntegrationEngine engine, TimeProvider time) =>
        {
            if (!Sessions.TryGetValue(id, out var session)) return Json(404, Error("error-not-found"));
            var o = await ReadBodyAsync(request);
            var text = o is null ? null : Str(o, "text");
            if (o is null || string.IsNullOrEmpty(text)) return Json(400, Error("error-invalid-body"));
            var fromVisitor = (Str(o, "from") ?? "visitor") == "visitor";
            OmnichannelMessage message;
            lock (session)
            {
                if (session.ClosedAt is not null) return Json(400, Error("error-session-closed"));
                if (!fromVisitor && session.Agent is null) return Json(400, Error("error-no-agent"));
                var now = time.GetUtcNow();
                message = fromVisitor
                    ? new OmnichannelMessage(NewId("M"), new OmnichannelUserReference(session.Visitor.Id, session.Visitor.Username!), now) { Text = text, VisitorToken = session.Visitor.Token }
                    : new OmnichannelMessage(NewId("M"), new OmnichannelUserReference(session.Agent!.Id, session.Agent.Username), now) { Text = text };
                session.Messages.Add(message);
                session.LastMessageAt = now;
            }

            var ct = request.HttpContext.RequestAborted;
            await engine.PublishOmnichannelAsync(session.Event(OmnichannelEventType.Message) with { Messages = [message] }, ct);
            if (fromVisitor && EmailPattern().Match(text) is { Success: true } found)
            {
                // Lead capture: an e-mail address in a visitor message updates the visitor (OMNI-25).
                lock (session)
                {
                    var emails = session.Visitor.Emails ?? [];
                    if (!emails.Contains(found.Value, StringComparer.OrdinalIgnoreCase)) session.Visitor = session.Visitor with { Emails = [.. emails, found.Value] };
                }

                await engine.PublishOmnichannelAsync(session.Event(OmnichannelEventType.LeadCapture), ct);
            }

            return Json(200, new JsonObject { ["success"] = true, ["messageId"] = message.Id });
        });

        app.MapPost("/api/livechat/sessions/{id}/close", async (string id, HttpRequest request, IntegrationEngine engine, TimeProvider time) =>
        {
            if (!Sessions.TryGetValue(id, out var session)) return Json(404, Error("error-not-found"));
            var o = await ReadBodyAsync(request) ?? new JsonObject();
            var byVisitor = Str(o, "by") == "visitor";
            lock (session)
            {
                if (session.ClosedAt is not null) return Json(400, Error("error-session-closed"));
                var now = time.GetUtcNow();
                var closer = byVisitor || session.Agent is null
                    ? new OmnichannelUserReference(session.Visitor.Id, session.Visitor.Username!)
                    : new OmnichannelUserReference(session.Agent.Id, session.Agent.Username);
                session.Messages.Add(new OmnichannelMessage(NewId("M"), closer, now)
                {
                    Text = Str(o, "comment") ?? "Chat closed",
                    ClosingMessage = true,
                    VisitorToken = byVisitor ? session.Visitor.Token : null,
                });
                session.ClosedAt = now;
                session.ClosedBy = closer;
                session.Closer = byVisitor ? "visitor" : "user";
            }

            await engine.PublishOmnichannelAsync(session.Event(OmnichannelEventType.SessionClosed), request.HttpContext.RequestAborted);
            return Json(200, new JsonObject { ["success"] = true, ["session"] = session.ToJson() });
        });

        app.MapPost("/api/livechat/offline", async (HttpRequest request, IntegrationEngine engine, TimeProvider time) =>
        {
            var o = await ReadBodyAsync(request);
            if (o is null || Str(o, "name") is not { } name || Str(o, "email") is not { } email || Str(o, "message") is not { } message)
            {
                return Json(400, Error("error-invalid-body"));
            }

            await engine.PublishOmnichannelAsync(new OmnichannelEvent
            {
                Type = OmnichannelEventType.OfflineMessage,
                OfflineMessage = new OmnichannelOfflineMessage(name, email, message) { SentAt = time.GetUtcNow() },
            }, request.HttpContext.RequestAborted);
            return Json(200, new JsonObject { ["success"] = true });
        });
    }

    private static int _guests;

    private static string NewId(string prefix) => prefix + Guid.NewGuid().ToString("N")[..12];

    private static async Task<JsonObject?> ReadBodyAsync(HttpRequest request)
    {
        if (request.ContentLength is 0) return null;
        try
        {
            return await JsonNode.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Str(JsonObject o, string key) =>
        o[key] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    private static JsonObject Error(string code) => new() { ["success"] = false, ["error"] = code };

    private static IResult Json(int status, JsonObject body) => Results.Text(body.ToJsonString(), "application/json; charset=utf-8", statusCode: status);

    [System.Text.RegularExpressions.GeneratedRegex(@"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")]
    private static partial System.Text.RegularExpressions.Regex EmailPattern();

    /// <summary>One simulated live-chat session: the host's own state, snapshotted into each event.</summary>
    private sealed class Session(string id, DateTimeOffset createdAt)
    {
        public string Id { get; } = id;

        public required OmnichannelVisitor Visitor { get; set; }

        public OmnichannelAgent? Agent { get; set; }

        public OmnichannelServedBy? ServedBy { get; set; }

        public string? Topic { get; init; }

        public string? Department { get; init; }

        public DateTimeOffset? LastMessageAt { get; set; }

        public DateTimeOffset? ClosedAt { get; set; }

        public OmnichannelUserReference? ClosedBy { get; set; }

        public string? Closer { get; set; }

        public List<OmnichannelMessage> Messages { get; } = [];

        public OmnichannelEvent Event(OmnichannelEventType type)
        {
            lock (this)
            {
                return new OmnichannelEvent
                {
                    Type = type,
                    Room = new OmnichannelRoom(Id)
                    {
                        Label = Visitor.Name,
                        Topic = Topic,
                        CreatedAt = createdAt,
                        LastMessageAt = LastMessageAt,
                        Tags = [],
                        DepartmentId = Department,
                        ServedBy = ServedBy,
                        ClosedAt = ClosedAt,
                        ClosedBy = ClosedBy,
                        Closer = Closer,
                    },
                    Visitor = Visitor,
                    Agent = Agent,
                    Messages = [.. Messages],
                };
            }
        }

        public JsonObject ToJson()
        {
            lock (this)
            {
                return new JsonObject
                {
                    ["_id"] = Id,
                    ["visitor"] = new JsonObject { ["_id"] = Visitor.Id, ["username"] = Visitor.Username, ["name"] = Visitor.Name },
                    ["agent"] = Agent?.Username,
                    ["open"] = ClosedAt is null,
                    ["messages"] = Messages.Count,
                };
            }
        }
    }
}
