using System.Diagnostics;
using System.Globalization;
using ChatIntegrations;
using ChatIntegrations.FaultHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// FaultHost: one engine node for the fault tests (stdout protocol: INTEGRATION <id>, STARTED, PUBLISHED <n> <ms>,
// PAUSED, RESUMED, STOPPED; "pause", "resume" and "stop" on stdin, and stdin closing stops it gracefully), or the
// throughput harness with --measure.
//
//   FaultHost --store sqlite|pg --db <file|connection string> [--schema s] --node <id> --url <receiver>
//             [--integration <id> | --setup] [--publish N] [--publish-parallel P] [--no-dispatch]
//             [--retry-count n] [--retry-delay powers-of-ten] [--lease s] [--poll-ms ms] [--concurrency n]
//             [--per-endpoint n] [--publish-timeout-ms ms] [--busy-timeout-ms ms] [--log Warning]
//   FaultHost --measure --store sqlite|pg --db <…> [--nodes K] [--events N] [--warmup W] [--tiered-pgo on|off]
//             [--concurrency n]
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
try
{
    if (args.Contains("--measure")) return await Measure.RunAsync(args);
    return await RunNodeAsync(NodeSettings.Parse(args));
}
catch (Exception ex)
{
    Console.WriteLine("FAILED " + ex.GetType().Name + ": " + ex.Message.ReplaceLineEndings(" "));
    Console.Error.WriteLine(ex);
    return 1;
}

static async Task<int> RunNodeAsync(NodeSettings s)
{
    using var host = FaultEngine.Build(s);
    var engine = host.Services.GetRequiredService<IntegrationEngine>();
    if (s.IntegrationId is null && (s.Setup || s.Publish > 0)) s.IntegrationId = await FaultEngine.CreateOutgoingAsync(engine, s);
    Console.WriteLine("INTEGRATION " + (s.IntegrationId ?? "-"));
    if (s.Setup) return 0;

    if (!s.NoDispatch) await host.StartAsync();
    Console.WriteLine("STARTED");
    if (s.Publish > 0)
    {
        var sw = Stopwatch.StartNew();
        var n = await FaultEngine.PublishAsync(engine, s.NodeId, s.Publish, s.PublishParallel);
        Console.WriteLine($"PUBLISHED {n} {sw.ElapsedMilliseconds}");
    }

    if (s.NoDispatch) return 0;
    // stdin: "pause" stops the hosted services (the dispatcher finishes its attempts and claims nothing more) and prints
    // PAUSED; "resume" starts them again and prints RESUMED; "stats" prints STATS; both carry the bytes allocated so far
    // and the gen0, gen1 and gen2 collection counts. "stop" or the end of stdin stops the node.
    var hosted = host.Services.GetServices<IHostedService>().ToList();
    using var sampler = AllocationSampler.StartIfAsked();
    while (await Task.Run(Console.ReadLine) is { } line && line.Trim() != "stop")
    {
        switch (line.Trim())
        {
            case "pause":
                foreach (var h in hosted) await h.StopAsync(CancellationToken.None);
                Console.WriteLine("PAUSED");
                break;
            case "resume":
                foreach (var h in hosted) await h.StartAsync(CancellationToken.None);
                sampler?.Reset();
                Console.WriteLine("RESUMED " + GcStats());
                break;
            case "stats":
                Console.WriteLine("STATS " + GcStats());
                if (sampler is not null) Console.Error.WriteLine("ALLOC " + sampler.Top(40));
                break;
        }
    }

    await host.StopAsync();
    Console.WriteLine("STOPPED");
    return 0;
}

static string GcStats() => string.Join(' ', GC.GetTotalAllocatedBytes(), GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
