using System.Buffers;
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
        // Answers are small (typically {"success":true}). Serialising into a buffer first lets us send a
        // Content-Length, so Kestrel writes headers and body in one go with no chunk framing. Writing unflushed bytes
        // straight into BodyWriter was measured equal but loses the body when middleware (HTTP logging, response
        // compression) swaps the response body feature and never completes the adapted writer.
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            body.WriteTo(writer);
        }

        response.ContentType = ContentType;
        response.ContentLength = buffer.WrittenCount;
        var pending = response.BodyWriter.WriteAsync(buffer.WrittenMemory, response.HttpContext.RequestAborted);
        return pending.IsCompletedSuccessfully ? Task.CompletedTask : pending.AsTask();
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
