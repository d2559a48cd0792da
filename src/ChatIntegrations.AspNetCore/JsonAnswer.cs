using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace ChatIntegrations.AspNetCore;

/// <summary>Writes JSON answers straight into the response pipe, without an intermediate string or array.</summary>
internal static class JsonAnswer
{
    internal const string ContentType = "application/json; charset=utf-8";

    public static Task WriteAsync(HttpResponse response, JsonObject body)
    {
        response.ContentType = ContentType;
        using (var writer = new Utf8JsonWriter(response.BodyWriter))
        {
            body.WriteTo(writer);
            writer.Flush(); // advances the pipe only
        }

        // No explicit network flush: Kestrel sends headers, body and end of response in one write when the
        // request delegate completes, which matters at 25k requests per second.
        return Task.CompletedTask;
    }

    public static Task WriteErrorAsync(HttpResponse response, int statusCode, string error, string? field = null, string? message = null)
    {
        // GEN-12 envelope for errors the adapter itself detects (bad JSON, bad query values).
        var body = new JsonObject { ["success"] = false, ["error"] = error };
        if (field is not null) body["field"] = field;
        if (message is not null) body["message"] = message;
        response.StatusCode = statusCode;
        return WriteAsync(response, body);
    }
}
