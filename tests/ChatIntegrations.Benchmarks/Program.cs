using BenchmarkDotNet.Running;
using ChatIntegrations.Benchmarks;

if (args.Length > 0 && args[0] == "--host-loop")
{
    // The way a host calls the script host: a plain async loop through the public IScriptHost.
    // An optional third argument runs only that case (0-5), for a profiler.
    await HostLoop.RunAsync(
        args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 200_000,
        args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : null);
    return;
}

if (args.Length > 0 && args[0] == "--validate-breakdown")
{
    ColdBreakdown.RunValidation();
    return;
}

if (args.Length > 0 && args[0] == "--cold-breakdown")
{
    ColdBreakdown.Run();
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
