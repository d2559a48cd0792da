using System.Text;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;

namespace ChatIntegrations.Benchmarks;

/// <summary>The bundled script host: warm hook calls (arguments in, result out), compilation and instantiation.
/// Targets: 60-byte payload ≤ 10 µs, 850-byte ≤ 25 µs, 200-line compile ≤ 5 ms, ≤ 1 MiB per loaded instance.</summary>
[MemoryDiagnoser]
public class ScriptHostBenchmarks
{
    private const string Transform = """
        function Script() {}
        Script.prototype.process_incoming_request = function (arg) {
          var c = arg.request.content;
          return { content: { text: c.text, attachments: c.attachments || [] } };
        };
        """;

    private static readonly JsonObject SmallPayload = (JsonObject)JsonNode.Parse("""{"request":{"content":{"text":"Build 42 passed"}}}""")!;
    private static readonly JsonObject LargePayload = (JsonObject)JsonNode.Parse("""
        {"request":{"content":{"text":"deploy of run 42 failed","username":"CI",
          "attachments":[{"color":"danger","title":"api","title_link":"https://ci.example/r/42","text":"see logs",
            "fields":[{"title":"Duration","value":"93 s","short":true},{"title":"Commit","value":"a1b2c3d","short":true},
                      {"title":"Branch","value":"main","short":true},{"title":"Author","value":"alice","short":true}]},
                      {"color":"good","title":"web","title_link":"https://ci.example/r/43","text":"ok",
            "fields":[{"title":"Duration","value":"41 s","short":true},{"title":"Commit","value":"e4f5a6b","short":true}]}]},
          "headers":{"content-type":"application/json","user-agent":"ci/1.0","x-request-id":"8c1f0e2a-6f0b-4f6e-9d59-3b3f5f1c2a10"},
          "url":{"hash":"","search":"","query":{},"pathname":"/hooks/abc/def","path":"/hooks/abc/def"}}}
        """)!;

    private ServiceProvider _provider = null!;
    private IScriptHost _host = null!;
    private ScriptDescriptor _script;
    private string _longSource = string.Empty;
    private int _id;

    [GlobalSetup]
    public void Setup()
    {
        // The bundled host exactly as AddChatIntegrations() registers it (front end + sandboxed Jint).
        _provider = new ServiceCollection().AddChatIntegrations().Services.BuildServiceProvider();
        _host = _provider.GetRequiredService<IScriptHost>();
        _script = new ScriptDescriptor("bench", 1, Transform, IntegrationType.Incoming);
        _host.InvokeAsync(_script, "process_incoming_request", SmallPayload).AsTask().GetAwaiter().GetResult();
        var source = new StringBuilder(Transform);
        for (int i = 0; i < 190; i++)
        {
            source.Append("Script.prototype.helper").Append(i).Append(" = function (x) { if (x > ").Append(i).Append(") { return x * 2; } return [x, 'h").Append(i).Append("'].join('-'); };\n");
        }

        _longSource = source.ToString();
    }

    [GlobalCleanup]
    public void Cleanup() => _provider.Dispose();

    [Benchmark(Baseline = true)]
    public ValueTask<ScriptCallResult> WarmCall60Bytes() => _host.InvokeAsync(_script, "process_incoming_request", SmallPayload);

    [Benchmark]
    public ValueTask<ScriptCallResult> WarmCall850Bytes() => _host.InvokeAsync(_script, "process_incoming_request", LargePayload);

    /// <summary>Compile (parse, instrument) and dry-run a 200-line script.</summary>
    [Benchmark]
    public ValueTask<ScriptValidationResult> Validate200Lines() => _host.ValidateAsync(_longSource, IntegrationType.Incoming);

    /// <summary>First call of a new integration: compile, new realm, top level, constructor, hook.</summary>
    [Benchmark]
    public ValueTask<ScriptCallResult> ColdInstance() =>
        _host.InvokeAsync(new ScriptDescriptor("cold-" + (_id++ % 400), 1, Transform, IntegrationType.Incoming), "process_incoming_request", SmallPayload);
}
