using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Jint;
using Microsoft.Extensions.DependencyInjection;

namespace ChatIntegrations.Benchmarks;

/// <summary>
/// Measures warm script calls the way a host makes them: <c>await host.InvokeAsync(...)</c> in a loop through the
/// public <see cref="IScriptHost"/> registered by <c>AddChatIntegrations()</c>, after a warm-up, reporting the mean
/// time and allocation per call for each script and payload (command: <c>dotnet run -c Release -- --host-loop [N]</c>).
/// </summary>
internal static class HostLoop
{
    private const string Transform = """
        function Script() {}
        Script.prototype.process_incoming_request = function (arg) {
          var c = arg.request.content;
          return { content: { text: c.text, attachments: c.attachments || [] } };
        };
        """;

    private const string SyncHook = "class Script { process_incoming_request({ request }) { const c = request.content; return { content: { text: c.text } }; } }";
    private const string AsyncHook = "class Script { async process_incoming_request({ request }) { const c = await request.content; return { content: { text: c.text } }; } }";

    public static async Task RunAsync(int calls, int? only = null)
    {
        await using var provider = new ServiceCollection().AddChatIntegrations().Services.BuildServiceProvider();
        var host = provider.GetRequiredService<IScriptHost>();
        var cases = new (string Name, string Source, JsonObject Payload)[]
        {
            ("ES5 Transform, 60 B", Transform, ScriptHostBenchmarks.SmallPayload),
            ("ES5 Transform, 850 B", Transform, ScriptHostBenchmarks.LargePayload),
            ("modern class, 60 B", ScriptHostBenchmarks.ModernHook, ScriptHostBenchmarks.SmallPayload),
            ("modern class, 850 B", ScriptHostBenchmarks.ModernHook, ScriptHostBenchmarks.LargePayload),
            ("sync class hook, 60 B", SyncHook, ScriptHostBenchmarks.SmallPayload),
            ("async class hook, 60 B", AsyncHook, ScriptHostBenchmarks.SmallPayload),
        };
        var scripts = cases.Select((x, i) => new ScriptDescriptor("loop-" + i, 1, x.Source, IntegrationType.Incoming)).ToArray();
        if (only is { } single)
        {
            // One case, for a profiler: warm-up, then ten timed rounds, nothing else.
            cases = [cases[single]];
            scripts = [scripts[single]];
        }

        // Steady state: every case is warmed up before any is timed, so the first one does not pay for the JIT's
        // tiering (a fresh process runs its first ~100,000 calls largely on unoptimised or instrumented code).
        for (int round = 0; round < 2; round++)
        {
            for (int k = 0; k < cases.Length; k++)
            {
                for (int i = 0; i < calls / 2; i++)
                {
                    var warm = await host.InvokeAsync(scripts[k], "process_incoming_request", cases[k].Payload);
                    if (warm.Outcome != ScriptOutcome.Completed)
                    {
                        throw new InvalidOperationException($"{cases[k].Name}: {warm.Outcome} {warm.Reason} {warm.ErrorDetail}");
                    }
                }
            }
        }

        for (int k = 0; k < cases.Length * (only is null ? 1 : 10); k++)
        {
            var (name, _, payload) = cases[k % cases.Length];
            var script = scripts[k % cases.Length];

            long allocated = GC.GetTotalAllocatedBytes(precise: true);
            var watch = Stopwatch.StartNew();
            for (int i = 0; i < calls; i++)
            {
                await host.InvokeAsync(script, "process_incoming_request", payload);
            }

            watch.Stop();
            long bytes = GC.GetTotalAllocatedBytes(precise: true) - allocated;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name,-24} {watch.Elapsed.TotalMicroseconds / calls,8:F2} µs/call {bytes / (double)calls / 1024,8:F1} KB/call"));
        }

        if (only is not null)
        {
            return;
        }

        // Calibration, same process and hour: plain Jint 4 on the calling thread with its default options, the
        // payload in by its JSON.parse and the result out by its JSON.stringify. No sandbox, no limits, no thread
        // hand-off: the floor this machine gives the same work today.
        for (int k = 0; k < 4; k++)
        {
            var (name, source, payload) = cases[k];
            var (copied, bare) = PlainJint(source, payload.ToJsonString(), calls);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"plain Jint: " + name,-36} {copied,8:F2} µs/call with JSON in and out, {bare,6:F2} µs the call alone"));
        }

        // Validation of a 200-line script and a cold instance of a prepared script, in the same loop style.
        var longSource = new System.Text.StringBuilder(Transform);
        for (int i = 0; i < 190; i++)
        {
            longSource.Append("Script.prototype.helper").Append(i).Append(" = function (x) { if (x > ").Append(i).Append(") { return x * 2; } return [x, 'h").Append(i).Append("'].join('-'); };\n");
        }

        // Each validation gets a source of its own (a numbered comment), as an admin's edits do: an unchanged source
        // would find its prepared form already shared (SCR-34) and time only the dry run.
        var text = longSource.ToString();
        for (int i = 0; i < 50; i++)
        {
            await host.ValidateAsync("// warm " + i + "\n" + text, IntegrationType.Incoming);
        }

        const int Validations = 500;
        var sources = Enumerable.Range(0, Validations).Select(i => "// edit " + i + "\n" + text).ToArray();
        var v = Stopwatch.StartNew();
        for (int i = 0; i < Validations; i++)
        {
            await host.ValidateAsync(sources[i], IntegrationType.Incoming);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"validate 200-line script",-24} {v.Elapsed.TotalMilliseconds / Validations,8:F3} ms"));

        const int Cold = 2000;
        for (int i = 0; i < 200; i++)
        {
            await host.InvokeAsync(new ScriptDescriptor("cold-warm-" + i, 1, Transform, IntegrationType.Incoming), "process_incoming_request", ScriptHostBenchmarks.SmallPayload);
        }

        var c = Stopwatch.StartNew();
        for (int i = 0; i < Cold; i++)
        {
            await host.InvokeAsync(new ScriptDescriptor("cold-" + i, 1, Transform, IntegrationType.Incoming), "process_incoming_request", ScriptHostBenchmarks.SmallPayload);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"cold instance + call",-24} {c.Elapsed.TotalMicroseconds / Cold,8:F2} µs"));
    }

    private static (double Copied, double Bare) PlainJint(string source, string payload, int calls)
    {
        var engine = new Jint.Engine(o => o.Strict = false);
        engine.Execute(source);
        var instance = engine.Construct(engine.Evaluate("Script"), []);
        var hook = instance.Get("process_incoming_request");
        var parse = engine.Evaluate("JSON.parse");
        var stringify = engine.Evaluate("JSON.stringify");
        var text = new Jint.Native.JsString(payload);
        for (int round = 0; round < 2; round++)
        {
            for (int i = 0; i < calls; i++)
            {
                stringify.Call(Jint.Native.JsValue.Undefined, [hook.Call(instance, [parse.Call(Jint.Native.JsValue.Undefined, [text])])]);
            }
        }

        var watch = Stopwatch.StartNew();
        for (int i = 0; i < calls; i++)
        {
            stringify.Call(Jint.Native.JsValue.Undefined, [hook.Call(instance, [parse.Call(Jint.Native.JsValue.Undefined, [text])])]);
        }

        double copied = watch.Elapsed.TotalMicroseconds / calls;

        // The call alone: one argument object reused, the result not serialised.
        var argument = parse.Call(Jint.Native.JsValue.Undefined, [text]);
        for (int i = 0; i < calls; i++)
        {
            hook.Call(instance, [argument]);
        }

        watch.Restart();
        for (int i = 0; i < calls; i++)
        {
            hook.Call(instance, [argument]);
        }

        return (copied, watch.Elapsed.TotalMicroseconds / calls);
    }
}
