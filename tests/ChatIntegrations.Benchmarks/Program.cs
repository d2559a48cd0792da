using BenchmarkDotNet.Running;
using ChatIntegrations.Benchmarks;

if (args.Length > 0 && args[0] == "--host-loop")
{
    // The way a host calls the script host: a plain async loop through the public IScriptHost.
    await HostLoop.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 200_000);
    return;
}

if (args.Length > 0 && args[0] == "--cold-breakdown")
{
    ColdBreakdown.Run();
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
