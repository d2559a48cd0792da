using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ChatIntegrations.Samples.ConsoleHost.Chat;

namespace ChatIntegrations.Samples.ConsoleHost;

/// <summary>The chat API routes that change rooms and users. Each change is reported to the engine as a chat event
/// (OUT-10), so outgoing integrations on <c>roomCreated</c>, <c>roomJoined</c>, <c>roomLeft</c>, <c>roomArchived</c>
/// and <c>userCreated</c> fire:</summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>POST /api/users</c> <c>{"username":"carol","name":"Carol"}</c> → <c>userCreated</c></item>
/// <item><c>POST /api/rooms</c> <c>{"name":"dev","type":"c"|"p","user":"alice"}</c> → <c>roomCreated</c> (the user owns it)</item>
/// <item><c>POST /api/rooms/{name}/join</c> and <c>/leave</c> <c>{"user":"bob"}</c> → <c>roomJoined</c>, <c>roomLeft</c></item>
/// <item><c>POST /api/rooms/{name}/archive</c> <c>{"user":"admin"}</c> (the user defaults to admin) → <c>roomArchived</c></item>
/// </list>
/// Posted messages fire <c>sendMessage</c> from <c>POST /api/rooms/{name}/messages</c> and from the message sink.
/// </remarks>
internal static partial class ChatEventsApi
{
    /// <summary>Maps the routes.</summary>
    public static void Map(WebApplication app)
    {
        app.MapPost("/api/users", async (HttpRequest request, SampleChat chat, SampleChatEvents events, TimeProvider time) =>
        {
            var (o, error) = await ReadBodyAsync(request);
            if (o is null) return error!;
            var username = Str(o, "username");
            if (username is null || !NamePattern().IsMatch(username)) return Json(400, Error("error-invalid-username"));
            var name = Str(o, "name") ?? username;
            var user = chat.TryCreateUser(username, name);
            if (user is null) return Json(400, Error("error-username-taken"));
            await events.UserCreatedAsync(user, time.GetUtcNow());
            return Json(200, new JsonObject { ["success"] = true, ["user"] = new JsonObject { ["_id"] = user.Id, ["username"] = user.Username, ["name"] = user.Name } });
        });

        app.MapPost("/api/rooms", async (HttpRequest request, SampleChat chat, SampleChatEvents events) =>
        {
            var (o, error) = await ReadBodyAsync(request);
            if (o is null) return error!;
            var name = Str(o, "name");
            if (name is null || !NamePattern().IsMatch(name)) return Json(400, Error("error-invalid-room-name"));
            var type = Str(o, "type") ?? "c";
            if (type is not ("c" or "p")) return Json(400, Error("error-invalid-room-type"));
            var owner = Str(o, "user") is { } u ? chat.FindUser(u) : null;
            if (owner is null) return Json(400, Error("error-invalid-user"));
            var room = chat.TryCreateRoom(name, type, owner);
            if (room is null) return Json(400, Error("error-duplicate-channel-name"));
            await events.RoomCreatedAsync(room, owner);
            return Json(200, new JsonObject { ["success"] = true, ["room"] = RoomJson(room) });
        });

        app.MapPost("/api/rooms/{name}/join", (string name, HttpRequest request, SampleChat chat, SampleChatEvents events) =>
            MembershipAsync(name, request, chat, async (room, user) =>
            {
                if (room.Archived) return Json(400, Error("room_is_archived"));
                if (!room.TryJoin(user.Id)) return Json(200, new JsonObject { ["success"] = true, ["changed"] = false });
                await events.RoomJoinedAsync(room, user);
                return Json(200, new JsonObject { ["success"] = true, ["changed"] = true });
            }));

        app.MapPost("/api/rooms/{name}/leave", (string name, HttpRequest request, SampleChat chat, SampleChatEvents events) =>
            MembershipAsync(name, request, chat, async (room, user) =>
            {
                if (!room.Leave(user.Id)) return Json(400, Error("error-user-not-in-room"));
                await events.RoomLeftAsync(room, user);
                return Json(200, new JsonObject { ["success"] = true, ["changed"] = true });
            }));

        app.MapPost("/api/rooms/{name}/archive", async (string name, HttpRequest request, SampleChat chat, SampleChatEvents events) =>
        {
            JsonObject o = [];
            if (request.ContentLength is null or > 0)
            {
                var (body, error) = await ReadBodyAsync(request, allowEmpty: true);
                if (body is null) return error!;
                o = body;
            }

            var user = chat.FindUser(Str(o, "user") ?? "admin");
            if (user is null) return Json(400, Error("error-invalid-user"));
            var room = chat.FindRoom(name);
            if (room is null) return Json(404, Error("error-room-not-found"));
            if (room.Type == "d") return Json(400, Error("error-invalid-room-type"));
            lock (room)
            {
                if (room.Archived) return Json(400, Error("error-room-archived"));
                room.Archived = true;
            }

            await events.RoomArchivedAsync(room, user);
            return Json(200, new JsonObject { ["success"] = true, ["room"] = RoomJson(room) });
        });
    }

    private static async Task<IResult> MembershipAsync(string name, HttpRequest request, SampleChat chat, Func<SampleRoom, SampleUser, Task<IResult>> change)
    {
        var (o, error) = await ReadBodyAsync(request);
        if (o is null) return error!;
        var user = Str(o, "user") is { } u ? chat.FindUser(u) : null;
        if (user is null) return Json(400, Error("error-invalid-user"));
        var room = chat.FindRoom(name);
        if (room is null) return Json(404, Error("error-room-not-found"));
        if (room.Type == "d") return Json(400, Error("error-invalid-room-type"));
        return await change(room, user);
    }

    private static JsonObject RoomJson(SampleRoom room) =>
        new() { ["_id"] = room.Id, ["name"] = room.Name, ["t"] = room.Type, ["archived"] = room.Archived, ["members"] = room.Members.Count };

    private static async Task<(JsonObject? Body, IResult? Error)> ReadBodyAsync(HttpRequest request, bool allowEmpty = false)
    {
        JsonNode? node;
        try
        {
            node = await JsonNode.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
        }
        catch (JsonException) when (allowEmpty && request.ContentLength is null)
        {
            return ([], null); // chunked and empty
        }
        catch (JsonException)
        {
            return (null, Json(400, Error("error-invalid-json")));
        }

        return node is JsonObject o ? (o, null) : (null, Json(400, Error("error-invalid-body")));
    }

    private static string? Str(JsonObject o, string key) =>
        o[key] is JsonValue v && v.TryGetValue(out string? s) && !string.IsNullOrWhiteSpace(s) ? s.Trim() : null;

    private static JsonObject Error(string code) => new() { ["success"] = false, ["error"] = code };

    private static IResult Json(int status, JsonObject body) =>
        Results.Text(body.ToJsonString(), "application/json; charset=utf-8", System.Text.Encoding.UTF8, status);

    /// <summary>Room names and usernames: Rocket.Chat's default <c>UTF8_Names_Validation</c>.</summary>
    [GeneratedRegex("^[0-9a-zA-Z-_.]{1,64}$")]
    private static partial Regex NamePattern();
}
