using System.Text.Json.Nodes;

namespace ChatIntegrations.Incoming;

/// <summary>Builds the exact <c>request</c> object of SCR-4.</summary>
internal static class ScriptRequestFactory
{
    public static JsonObject Create(IncomingWebhookRequest request, IncomingRoute route, ParsedBody body, ChatUser sender)
    {
        var search = request.QueryString.Length > 1 ? (request.QueryString[0] == '?' ? request.QueryString : "?" + request.QueryString) : "";
        var query = new JsonObject();
        if (search.Length > 1)
        {
            foreach (var (k, v) in BodyParser.ParseUrlEncoded(search[1..]))
            {
                if (query.TryGetPropertyValue(k, out var existing))
                {
                    if (existing is JsonArray arr) arr.Add(v);
                    else query[k] = new JsonArray(existing?.DeepClone(), v);
                }
                else
                {
                    query[k] = v;
                }
            }
        }

        var urlParams = new JsonObject { ["integrationId"] = route.IntegrationId };
        if (route.UserId is not null) urlParams["userId"] = route.UserId;
        urlParams["token"] = route.Token;

        var headers = new JsonObject();
        foreach (var (k, v) in request.Headers) headers[k.ToLowerInvariant()] = v;

        // IN-17: content is the object, or {} for every other result.
        var content = body.Object is not null ? (JsonObject)body.Object.DeepClone() : new JsonObject();
        return new JsonObject
        {
            ["url"] = new JsonObject
            {
                ["hash"] = "",
                ["search"] = search,
                ["query"] = query,
                ["pathname"] = request.Path,
                ["path"] = request.Path + search,
            },
            ["url_raw"] = request.Path + search,
            ["url_params"] = urlParams,
            ["headers"] = headers,
            ["content"] = content,
            ["content_raw"] = body.RawText,
            ["body"] = content.DeepClone(),
            ["user"] = new JsonObject { ["_id"] = sender.Id, ["name"] = sender.Name, ["username"] = sender.Username },
        };
    }
}
