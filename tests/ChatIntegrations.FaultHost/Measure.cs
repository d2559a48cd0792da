using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;

namespace ChatIntegrations.FaultHost;

/// <summary>The durable-delivery throughput harness: publishes N events into the store with the dispatcher stopped,
/// then starts K node processes and times the deliveries reaching a loopback receiver that answers 200.</summary>
/// <remarks>With <c>--warmup W</c> the nodes first deliver W events of their own, untimed, and pause (their dispatchers
/// stop); the N events are then published and the clock starts when the nodes resume. That measures nodes past their
/// JIT warm-up, as a long-running host is; without it the run includes the start of two fresh processes.
/// <c>--tiered-pgo off</c> starts the nodes with dynamic PGO off (<c>DOTNET_TieredPGO=0</c>), which shortens that
/// warm-up a lot.</remarks>
internal static class Measure
{
    public static async Task<int> RunAsync(string[] args)
    {
        var nodes = 1;
        var events = 20_000;
        var warmup = 0;
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        var rest = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--measure": break;
                case "--nodes": nodes = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--events": events = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--warmup": warmup = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--tiered-pgo": environment["DOTNET_TieredPGO"] = args[++i] is "off" or "0" ? "0" : "1"; break;
                default: rest.Add(args[i]); break;
            }
        }

        var s = NodeSettings.Parse(rest);
        await using var receiver = await LoopbackReceiver.StartAsync();
        s.Url = receiver.Url;

        using var host = FaultEngine.Build(s);
        var engine = host.Services.GetRequiredService<IntegrationEngine>();
        s.IntegrationId = await FaultEngine.CreateOutgoingAsync(engine, s);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        var procs = new List<FaultProcess>();

        // 0. Optional warm-up: the nodes deliver W events, untimed, then pause.
        if (warmup > 0)
        {
            await FaultEngine.PublishAsync(engine, "warmup", warmup, s.PublishParallel);
            StartNodes(s, nodes, procs, environment);
            foreach (var p in procs) await p.WaitForLineAsync("STARTED", timeout.Token);
            while (receiver.Delivered.Count < warmup) await Task.Delay(50, timeout.Token);
            foreach (var p in procs) await p.SendAsync("pause", timeout.Token);
            foreach (var p in procs) await p.WaitForLineAsync("PAUSED", timeout.Token);
            Console.WriteLine($"warm-up: {warmup} deliveries by {nodes} node(s), untimed; nodes paused");
        }

        // 1. Enqueue (PublishAsync, DLV-2) with no dispatcher running.
        var publish = Stopwatch.StartNew();
        await FaultEngine.PublishAsync(engine, "measure", events, s.PublishParallel);
        publish.Stop();
        Console.WriteLine($"publish: {events} events in {publish.Elapsed.TotalSeconds:F2} s = {events / publish.Elapsed.TotalSeconds:F0} enqueues/s (parallel {s.PublishParallel})");

        // 2. Deliver with K node processes.
        var cpuWarm = procs.Select(p => p.CpuTime).ToList();
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var machineBefore = MachineBusy();
        var wall = Stopwatch.StartNew();
        var gcAtResume = new List<long[]>();
        if (warmup > 0)
        {
            foreach (var p in procs) await p.SendAsync("resume", timeout.Token);
            foreach (var p in procs) gcAtResume.Add(Numbers(await p.WaitForLineAsync("RESUMED", timeout.Token)));
        }
        else
        {
            StartNodes(s, nodes, procs, environment);
            foreach (var p in procs) await p.WaitForLineAsync("STARTED", timeout.Token);
        }

        var started = wall.Elapsed;
        var lastReport = wall.Elapsed;
        var lastCount = 0;
        TimeSpan? half = null; // steady state: from half to 95 % of the deliveries, past the JIT warm-up
        TimeSpan? most = null;
        int Delivered() => receiver.Delivered.Count - warmup;
        while (Delivered() < events && !timeout.IsCancellationRequested)
        {
            await Task.Delay(100, timeout.Token);
            var count = Delivered();
            if (half is null && count >= events / 2) half = wall.Elapsed;
            if (most is null && count >= events * 95L / 100) most = wall.Elapsed;
            if (wall.Elapsed - lastReport >= TimeSpan.FromSeconds(2))
            {
                var c = Delivered();
                Console.WriteLine($"  {wall.Elapsed.TotalSeconds,6:F1} s: {c} delivered ({(c - lastCount) / (wall.Elapsed - lastReport).TotalSeconds:F0}/s)");
                lastReport = wall.Elapsed;
                lastCount = c;
            }
        }

        wall.Stop();
        var cpu = procs.Select((p, i) => p.CpuTime - (warmup > 0 ? cpuWarm[i] : TimeSpan.Zero)).ToList();
        var gc = new long[4];
        foreach (var (p, i) in procs.Select((p, i) => (p, i)))
        {
            await p.SendAsync("stats", timeout.Token);
            var now = Numbers(await p.WaitForLineAsync("STATS", timeout.Token));
            for (var k = 0; k < 4; k++) gc[k] += now[k] - (warmup > 0 ? gcAtResume[i][k] : 0);
        }

        if (Environment.GetEnvironmentVariable("CHATINTEGRATIONS_ALLOC_SAMPLES") is { Length: > 0 })
        {
            await Task.Delay(500, timeout.Token); // the samples come on stderr
            foreach (var p in procs) Console.WriteLine(p.Name + ": " + p.Log.Split('\n').LastOrDefault(l => l.StartsWith("ALLOC", StringComparison.Ordinal)));
        }
        var receiverCpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        var machine = MachineBusy() - machineBefore;
        foreach (var p in procs)
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await p.StopAsync(stop.Token);
            await p.DisposeAsync();
        }

        var delivered = Delivered();
        var duplicates = receiver.Delivered.Values.Sum(v => v - 1);
        var deliverTime = wall.Elapsed - started;
        var window = warmup > 0 ? "" : $"; first-to-last 200: {receiver.OkWindow.TotalSeconds:F2} s = {delivered / Math.Max(0.001, receiver.OkWindow.TotalSeconds):F0}/s";
        Console.WriteLine($"deliver: {delivered}/{events} with {nodes} node(s) ({s.Store}){(warmup > 0 ? " warm" : "")} in {deliverTime.TotalSeconds:F2} s after {(warmup > 0 ? "resume" : "start")} = {delivered / deliverTime.TotalSeconds:F0} deliveries/s{window}; duplicates {duplicates}; requests {receiver.Requests - warmup}");
        if (half is { } h && most is { } m && m > h)
        {
            Console.WriteLine($"steady: 50 % to 95 % of the deliveries in {(m - h).TotalSeconds:F2} s = {events * 0.45 / (m - h).TotalSeconds:F0} deliveries/s");
        }

        Console.WriteLine($"memory: nodes allocated {gc[0] / 1024.0 / Math.Max(1, delivered):F1} KB per delivery; collections gen0 {gc[1]}, gen1 {gc[2]}, gen2 {gc[3]}");
        Console.WriteLine($"cpu: nodes {string.Join(", ", cpu.Select(c => c.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture) + " s"))}; harness+receiver {receiverCpu.TotalSeconds:F1} s; wall {wall.Elapsed.TotalSeconds:F1} s; cores {Environment.ProcessorCount}");
        if (machine > TimeSpan.Zero)
        {
            // Everything else busy on the machine meanwhile: the PostgreSQL server, and any other load.
            var other = machine - receiverCpu - cpu.Aggregate(TimeSpan.Zero, (a, b) => a + b);
            var perDelivery = delivered > 0 ? machine.TotalMilliseconds * 1000 / delivered : 0;
            Console.WriteLine($"cpu: machine busy {machine.TotalSeconds:F1} s of {wall.Elapsed.TotalSeconds * Environment.ProcessorCount:F1} s; other processes (database server, other load) {other.TotalSeconds:F1} s; {perDelivery:F0} us of CPU per delivery in all");
        }
        return delivered == events ? 0 : 2;
    }

    private static long[] Numbers(string line) =>
        line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();

    private static void StartNodes(NodeSettings s, int nodes, List<FaultProcess> procs, IReadOnlyDictionary<string, string> environment)
    {
        for (var k = 1; k <= nodes; k++)
        {
            var n = s.Clone();
            n.NodeId = "measure-" + k.ToString(CultureInfo.InvariantCulture);
            n.Publish = 0;
            procs.Add(FaultProcess.Start(n.NodeId, n.ToArgs(), environment: environment));
        }
    }

    /// <summary>The machine's busy CPU time so far (Linux /proc/stat: all but idle and iowait), or zero elsewhere.</summary>
    private static TimeSpan MachineBusy()
    {
        try
        {
            var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var ticks = cpu.Skip(1).Take(8).Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            var busy = ticks.Sum() - ticks[3] - ticks[4]; // idle, iowait
            return TimeSpan.FromSeconds(busy / 100.0); // USER_HZ
        }
        catch (IOException)
        {
            return TimeSpan.Zero;
        }
        catch (UnauthorizedAccessException)
        {
            return TimeSpan.Zero;
        }
    }
}
