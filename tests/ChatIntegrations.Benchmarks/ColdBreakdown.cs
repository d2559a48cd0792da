using System.Diagnostics;
using System.Globalization;
using ChatIntegrations.Scripting.Jint.Compilation;
using Microsoft.Extensions.DependencyInjection;
using ChatIntegrations.Scripting.Jint.Runtime;
using Jint;

namespace ChatIntegrations.Benchmarks;

/// <summary>Where a cold instance's time goes: a new realm, running the prepared top level, constructing
/// <c>Script</c> (command: <c>dotnet run -c Release -- --cold-breakdown</c>).</summary>
internal static class ColdBreakdown
{
    private static readonly Prepared<Acornima.Ast.Script> ScriptName = Engine.PrepareScript("Script");

    /// <summary>Where validation's time goes: Jint's preparation alone, our checks on top of it, and the whole
    /// validation with its dry run (command: <c>dotnet run -c Release -- --validate-breakdown</c>).</summary>
    public static void RunValidation()
    {
        var longSource = new System.Text.StringBuilder("function Script() {}\nScript.prototype.process_incoming_request = function (arg) { return arg; };\n");
        for (int i = 0; i < 198; i++)
        {
            longSource.Append("Script.prototype.helper").Append(i).Append(" = function (x) { if (x > ").Append(i).Append(") { return x * 2; } return [x, 'h").Append(i).Append("'].join('-'); };\n");
        }

        var text = longSource.ToString();
        var limits = new ScriptLimits(new ScriptOptions());
        using var provider = new ServiceCollection().AddChatIntegrations().Services.BuildServiceProvider();
        var host = provider.GetRequiredService<IScriptHost>();
        var thread = new Thread(() =>
        {
            for (int round = 0; round < 4; round++)
            {
                const int N = 200;
                long prepare = 0, compile = 0, validate = 0;
                for (int i = 0; i < N; i++)
                {
                    long t0 = Stopwatch.GetTimestamp();
                    Engine.PrepareScript(text, options: ScriptCompiler.PreparationOptions(limits.TimeLimit));
                    long t1 = Stopwatch.GetTimestamp();
                    ScriptCompiler.Compile(text, limits);
                    long t2 = Stopwatch.GetTimestamp();
                    host.ValidateAsync(text, IntegrationType.Incoming).AsTask().GetAwaiter().GetResult();
                    long t3 = Stopwatch.GetTimestamp();
                    prepare += t1 - t0;
                    compile += t2 - t1;
                    validate += t3 - t2;
                }

                double ms(long ticks) => ticks * 1e3 / Stopwatch.Frequency / N;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {round}: Jint preparation {ms(prepare):F3} ms, + our checks (Compile) {ms(compile):F3} ms, whole validation incl. dry run {ms(validate):F3} ms"));
            }
        }, 16 * 1024 * 1024);
        thread.Start();
        thread.Join();
    }

    public static void Run()
    {
        var limits = new ScriptLimits(new ScriptOptions());
        var helpers = new ScriptHelpers(limits.TimeLimit);
        var (compiled, _) = ScriptCompiler.Compile("function Script() {}\nScript.prototype.process_incoming_request = function (arg) { return arg; };", limits);
        var thread = new Thread(() =>
        {
            for (int round = 0; round < 5; round++)
            {
                const int N = 300;
                long realm = 0, execute = 0, construct = 0, bare = 0, allocRealm = 0, allocTop = 0;
                var keep = new List<object>();
                for (int i = 0; i < N; i++)
                {
                    var context = new CallContext(limits, limits.TimeLimit, TimeProvider.System.GetTimestamp() + (30 * TimeProvider.System.TimestampFrequency), TimeProvider.System);
                    long b0 = Stopwatch.GetTimestamp();
                    keep.Add(new Engine(o => o.Strict = false));
                    bare += Stopwatch.GetTimestamp() - b0;
                    long a0 = GC.GetAllocatedBytesForCurrentThread();
                    long t0 = Stopwatch.GetTimestamp();
                    var r = new ScriptRealm(limits, TimeProvider.System, null, null, helpers);
                    long t1 = Stopwatch.GetTimestamp();
                    long a1 = GC.GetAllocatedBytesForCurrentThread();
                    allocRealm += a1 - a0;
                    var script = r.Enter(context, () =>
                    {
                        r.Execute(compiled!.Prepared, compiled.FreeAssignments);
                        return r.Engine.Evaluate(in ScriptName);
                    });
                    long t2 = Stopwatch.GetTimestamp();
                    long a2 = GC.GetAllocatedBytesForCurrentThread();
                    allocTop += a2 - a1;
                    keep.Add(r.Enter(context, () => r.Engine.Construct(script, [])));
                    long t3 = Stopwatch.GetTimestamp();
                    realm += t1 - t0;
                    execute += t2 - t1;
                    construct += t3 - t2;
                }

                double us(long ticks) => ticks * 1e6 / Stopwatch.Frequency / N;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {round}: bare engine {us(bare):F1} µs, new realm {us(realm):F1} µs, top level {us(execute):F1} µs, construct {us(construct):F1} µs; allocated: realm {allocRealm / N / 1024} KB, top level {allocTop / N / 1024} KB"));
                GC.KeepAlive(keep);
            }
        }, 16 * 1024 * 1024);
        thread.Start();
        thread.Join();
    }
}
