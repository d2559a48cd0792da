using System.Text;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using ChatIntegrations.Scripting.Jint;
using ChatIntegrations.Scripting.Jint.Compilation;
using ChatIntegrations.Scripting.Jint.Runtime;
using Jint;
using Jint.Native;
using Jint.Native.Object;
using Microsoft.Extensions.DependencyInjection;

namespace ChatIntegrations.Benchmarks;

/// <summary>The bundled script host: warm hook calls (arguments in, result out), compilation and instantiation.
/// Targets (scripts-on-Jint-4 issue): warm call ≤ 2 µs at 60 B and ≤ 8 µs at 850 B including the hand-off to the script
/// thread; modern class script ≤ 4 µs / 15 µs; validation of a 200-line script ≤ 1.5 ms; cold instance ≤ 50 µs; async
/// hook ≤ 1.5× the same sync hook.</summary>
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

    internal static readonly JsonObject SmallPayload = (JsonObject)JsonNode.Parse("""{"request":{"content":{"text":"Build 42 passed"}}}""")!;
    internal static readonly JsonObject LargePayload = (JsonObject)JsonNode.Parse("""
        {"request":{"content":{"text":"deploy of run 42 failed","username":"CI",
          "attachments":[{"color":"danger","title":"api","title_link":"https://ci.example/r/42","text":"see logs",
            "fields":[{"title":"Duration","value":"93 s","short":true},{"title":"Commit","value":"a1b2c3d","short":true},
                      {"title":"Branch","value":"main","short":true},{"title":"Author","value":"alice","short":true}]},
                      {"color":"good","title":"web","title_link":"https://ci.example/r/43","text":"ok",
            "fields":[{"title":"Duration","value":"41 s","short":true},{"title":"Commit","value":"e4f5a6b","short":true}]}]},
          "headers":{"content-type":"application/json","user-agent":"ci/1.0","x-request-id":"8c1f0e2a-6f0b-4f6e-9d59-3b3f5f1c2a10"},
          "url":{"hash":"","search":"","query":{},"pathname":"/hooks/abc/def","path":"/hooks/abc/def"}}}
        """)!;

    // The same hook, synchronous and async awaiting an already-resolved value (issue target: async ≤ 2× sync).
    private const string SyncHook = """
        class Script {
          process_incoming_request({ request }) {
            const c = request.content;
            return { content: { text: c.text } };
          }
        }
        """;

    /// <summary>A small modern class script: destructuring defaults, template literal, regex match, flatMap, object
    /// spread.</summary>
    internal const string ModernHook = """
        class Script {
          process_incoming_request({ request: { content: { text = '', attachments = [], ...rest } } }) {
            const build = text.match(/(\d+)/)?.[1] ?? 'none';
            const titles = attachments.flatMap(({ title, fields = [] }) => [title, ...fields.map(f => f.title)]);
            return { content: { ...rest, text: `build ${build}: ${text}`, titles } };
          }
        }
        """;

    private const string AsyncHook = """
        class Script {
          async process_incoming_request({ request }) {
            const c = await request.content;
            return { content: { text: c.text } };
          }
        }
        """;

    private ServiceProvider _provider = null!;
    private IScriptHost _host = null!;
    private ScriptDescriptor _script;
    private ScriptDescriptor _syncHook;
    private ScriptDescriptor _asyncHook;
    private ScriptDescriptor _modernHook;
    private string _longSource = string.Empty;
    private long _edits;
    private int _id;

    [GlobalSetup]
    public void Setup()
    {
        // The bundled host exactly as AddChatIntegrations() registers it (front end + sandboxed Jint).
        _provider = new ServiceCollection().AddChatIntegrations().Services.BuildServiceProvider();
        _host = _provider.GetRequiredService<IScriptHost>();
        _script = new ScriptDescriptor("bench", 1, Transform, IntegrationType.Incoming);
        _host.InvokeAsync(_script, "process_incoming_request", SmallPayload).AsTask().GetAwaiter().GetResult();
        _syncHook = new ScriptDescriptor("bench-sync", 1, SyncHook, IntegrationType.Incoming);
        _asyncHook = new ScriptDescriptor("bench-async", 1, AsyncHook, IntegrationType.Incoming);
        _modernHook = new ScriptDescriptor("bench-modern", 1, ModernHook, IntegrationType.Incoming);
        if (_host.InvokeAsync(_modernHook, "process_incoming_request", LargePayload).AsTask().GetAwaiter().GetResult().Outcome != ScriptOutcome.Completed)
        {
            throw new InvalidOperationException("modern benchmark hook failed");
        }

        foreach (var warm in new[] { _syncHook, _asyncHook })
        {
            var r = _host.InvokeAsync(warm, "process_incoming_request", SmallPayload).AsTask().GetAwaiter().GetResult();
            if (r.Outcome != ScriptOutcome.Completed || r.Value?["content"]?["text"]?.GetValue<string>() != "Build 42 passed")
            {
                throw new InvalidOperationException("benchmark hook failed: " + r.Outcome + " " + r.ErrorDetail);
            }
        }

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

    /// <summary>A class-syntax synchronous hook, the reference for <see cref="WarmAsyncCall60Bytes"/>.</summary>
    [Benchmark]
    public ValueTask<ScriptCallResult> WarmSyncCall60Bytes() => _host.InvokeAsync(_syncHook, "process_incoming_request", SmallPayload);

    /// <summary>The same hook, <c>async</c>, awaiting one already-resolved value (job loop: hook, drain, settled).</summary>
    [Benchmark]
    public ValueTask<ScriptCallResult> WarmAsyncCall60Bytes() => _host.InvokeAsync(_asyncHook, "process_incoming_request", SmallPayload);

    [Benchmark]
    public ValueTask<ScriptCallResult> WarmCall850Bytes() => _host.InvokeAsync(_script, "process_incoming_request", LargePayload);

    [Benchmark]
    public ValueTask<ScriptCallResult> WarmModernCall60Bytes() => _host.InvokeAsync(_modernHook, "process_incoming_request", SmallPayload);

    [Benchmark]
    public ValueTask<ScriptCallResult> WarmModernCall850Bytes() => _host.InvokeAsync(_modernHook, "process_incoming_request", LargePayload);

    /// <summary>Parse, check, prepare and dry-run a 200-line script; each time a new source (a numbered comment), as
    /// an edit is, since an unchanged source finds its prepared form shared (SCR-34).</summary>
    [Benchmark]
    public ValueTask<ScriptValidationResult> Validate200Lines() =>
        _host.ValidateAsync("// edit " + (++_edits).ToString(System.Globalization.CultureInfo.InvariantCulture) + "\n" + _longSource, IntegrationType.Incoming);

    /// <summary>Re-saving an unchanged 200-line script: the prepared form is shared, only the dry run repeats.</summary>
    [Benchmark]
    public ValueTask<ScriptValidationResult> Revalidate200LinesUnchanged() => _host.ValidateAsync(_longSource, IntegrationType.Incoming);

    /// <summary>First call of a new integration (a new id every time, so no instance is reused; beyond
    /// MaxCachedInstances the least recently used one is evicted) whose script is already prepared (cached per id, version and source
    /// hash, shared by equal sources): new realm, top level, constructor, hook.</summary>
    [Benchmark]
    public ValueTask<ScriptCallResult> ColdInstance() =>
        _host.InvokeAsync(new ScriptDescriptor("cold-" + _id++, 1, Transform, IntegrationType.Incoming), "process_incoming_request", SmallPayload);
}

/// <summary>Where a warm call's time goes: the hop to a script thread alone, one engine entry (limit set-up), copy-in,
/// the Jint call alone, copy-out, and the whole call on the calling thread without the hop.</summary>
[MemoryDiagnoser]
public class ScriptHostBreakdownBenchmarks
{
    private const string Transform = """
        function Script() {}
        Script.prototype.process_incoming_request = function (arg) {
          var c = arg.request.content;
          return { content: { text: c.text, attachments: c.attachments || [] } };
        };
        """;

    private ScriptThreadPool _pool = null!;
    private ScriptLimits _limits = null!;
    private ScriptHelpers _helpers = null!;
    private ScriptRealm _realm = null!;
    private ObjectInstance _instance = null!;
    private JsValue _hook = null!;
    private JsValue _smallInput = null!;
    private JsValue _largeInput = null!;
    private JsValue _smallResult = null!;
    private JsValue _largeResult = null!;
    private Func<int> _noop = null!;

    [GlobalSetup]
    public void Setup()
    {
        var options = new ScriptOptions();
        _limits = new ScriptLimits(options);
        _pool = new ScriptThreadPool(options.ScriptThreads, options.ThreadStackBytes);
        _noop = static () => 0;
        _helpers = new ScriptHelpers(_limits.TimeLimit);
        _ = _helpers.Underscore; // parsed once per host, not per realm
        _ = _helpers.UnderscoreString;
        var (compiled, _) = ScriptCompiler.Compile(Transform, _limits);
        var context = NewContext(_limits.InstantiateTimeLimit);
        _realm = new ScriptRealm(_limits, TimeProvider.System, null, null, _helpers);
        _instance = _realm.Enter(context, () =>
        {
            _realm.Execute(compiled!.Prepared, compiled.FreeAssignments);
            return _realm.Engine.Construct(_realm.Engine.Evaluate("Script"), []);
        });
        _hook = _instance.Get("process_incoming_request");
        var c = NewContext(_limits.TimeLimit);
        (_smallInput, _largeInput) = _realm.Enter(c, () => (_realm.Json.FromNode(ScriptHostBenchmarks.SmallPayload), _realm.Json.FromNode(ScriptHostBenchmarks.LargePayload)));
        (_smallResult, _largeResult) = _realm.Enter(c, () => (_hook.Call(_instance, [_smallInput]), _hook.Call(_instance, [_largeInput])));
    }

    [GlobalCleanup]
    public void Cleanup() => _pool.Dispose();

    /// <summary>A new realm (the reference for <see cref="NewRealmAndFirstUnderscore"/>).</summary>
    [Benchmark]
    public object NewRealm() => new ScriptRealm(_limits, TimeProvider.System, null, null, _helpers);

    /// <summary>A new realm and the first use of <c>_</c> in it (SCR-50; target: ≤ 20 ms and 2 MiB over
    /// <see cref="NewRealm"/>).</summary>
    [Benchmark]
    public JsValue NewRealmAndFirstUnderscore()
    {
        var realm = new ScriptRealm(_limits, TimeProvider.System, null, null, _helpers);
        return realm.Enter(NewContext(_limits.TimeLimit), () => realm.Engine.Global.Get("_"));
    }

    private CallContext NewContext(TimeSpan limit) =>
        new(_limits, limit, TimeProvider.System.GetTimestamp() + 30 * TimeProvider.System.TimestampFrequency, TimeProvider.System);

    /// <summary>The hop to a script thread and back with no work.</summary>
    [Benchmark]
    public Task<int> HopOnly() => _pool.RunAsync(_noop);

    /// <summary>A new call context and one empty engine entry (limit resets, allocation/time probes).</summary>
    [Benchmark]
    public int EnterOnly() => _realm.Enter(NewContext(_limits.TimeLimit), _noop);

    [Benchmark]
    public JsValue CopyIn60() => _realm.Enter(NewContext(_limits.TimeLimit), () => _realm.Json.FromNode(ScriptHostBenchmarks.SmallPayload));

    [Benchmark]
    public JsValue CopyIn850() => _realm.Enter(NewContext(_limits.TimeLimit), () => _realm.Json.FromNode(ScriptHostBenchmarks.LargePayload));

    [Benchmark]
    public JsValue Invoke60() => _realm.Enter(NewContext(_limits.TimeLimit), () => _hook.Call(_instance, [_smallInput]));

    [Benchmark]
    public JsValue Invoke850() => _realm.Enter(NewContext(_limits.TimeLimit), () => _hook.Call(_instance, [_largeInput]));

    [Benchmark]
    public JsonNode? CopyOut60() => _realm.Enter(NewContext(_limits.TimeLimit), () => _realm.Json.ToNode(_smallResult));

    [Benchmark]
    public JsonNode? CopyOut850() => _realm.Enter(NewContext(_limits.TimeLimit), () => _realm.Json.ToNode(_largeResult));

    /// <summary>Copy-in, hook and copy-out in one entry on the calling thread: the call without the hop.</summary>
    [Benchmark]
    public JsonNode? InlineCall850() => _realm.Enter(NewContext(_limits.TimeLimit), () =>
        _realm.Json.ToNode(_hook.Call(_instance, [_realm.Json.FromNode(ScriptHostBenchmarks.LargePayload)])));
}
