using System.Text.Json.Nodes;
using ChatIntegrations.Scripting.Jint;
using ChatIntegrations.Scripting.Jint.Http;

namespace ChatIntegrations.Scripting.Tests.Support;

/// <summary>Builds hosts and descriptors for tests.</summary>
internal static class TestHost
{
    public static JintScriptHost Create(Action<ScriptOptions>? configure = null, IScriptHttpClient? http = null, TimeProvider? time = null)
    {
        var options = new ScriptOptions { ScriptThreads = 2 };
        configure?.Invoke(options);
        return new JintScriptHost(options, http ?? new StubScriptHttpClient(), time);
    }

    private static int _ids;

    public static ScriptDescriptor Script(string source, string? id = null, long version = 1, IntegrationType type = IntegrationType.Incoming) =>
        new(id ?? "int-" + Interlocked.Increment(ref _ids), version, source, type);

    /// <summary>An ES5 script whose <c>process_incoming_request</c> has <paramref name="body"/>.</summary>
    public static string Incoming(string body, string topLevel = "") =>
        topLevel + "\nfunction Script() {}\nScript.prototype.process_incoming_request = function (arg) {\n" + body + "\n};\n";

    public static JsonObject Arg(string json = "{\"request\":{}}") => JsonNode.Parse(json)!.AsObject();

    public static Task<ScriptCallResult> RunAsync(this JintScriptHost host, string body, JsonObject? arg = null, string topLevel = "") =>
        host.InvokeAsync(Script(Incoming(body, topLevel)), "process_incoming_request", arg ?? Arg()).AsTask();
}

/// <summary>A hand-written <see cref="IScriptHttpClient"/> double.</summary>
internal sealed class StubScriptHttpClient : IScriptHttpClient
{
    public Func<ScriptHttpRequest, CancellationToken, Task<ScriptHttpResponse>> OnSend { get; set; } =
        (_, _) => Task.FromResult(new ScriptHttpResponse { StatusCode = 200, Body = "ok", MediaType = "text/plain" });

    public List<ScriptHttpRequest> Requests { get; } = [];

    public Task<ScriptHttpResponse> SendAsync(ScriptHttpRequest request, CancellationToken cancellationToken)
    {
        lock (Requests)
        {
            Requests.Add(request);
        }

        return OnSend(request, cancellationToken);
    }
}
