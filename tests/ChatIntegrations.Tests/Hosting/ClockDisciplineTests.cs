using System.Text.RegularExpressions;

namespace ChatIntegrations.Tests.Hosting;

/// <summary>GEN-4: the library reads the time and waits only through the injected <see cref="TimeProvider"/>, so tests
/// drive back-off, windows and retention with a manual clock. A source scan keeps it so.</summary>
/// <remarks>The one exception is the script sandbox (<c>Scripting/Jint</c>): a script's CPU-time budget and the
/// script threads' spin waits measure the real time a running script takes (SCR-40), which no manual clock can stand
/// in for.</remarks>
public sealed partial class ClockDisciplineTests
{
    private static readonly string SandboxFolder = Path.Combine("Scripting", "Jint") + Path.DirectorySeparatorChar;

    private static string SourceRoot()
    {
        var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Integrations.sln"))) dir = dir.Parent;
        dir.Should().NotBeNull("the tests run inside the repository");
        return Path.Combine(dir!.FullName, "src");
    }

    private static IEnumerable<(string File, int Line, string Text)> SourceLines()
    {
        var root = SourceRoot();
        foreach (var file in Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(root, file);
            if (relative.Split(Path.DirectorySeparatorChar).Any(p => p is "bin" or "obj")) continue;
            var n = 0;
            foreach (var line in File.ReadLines(file))
            {
                n++;
                var code = line.TrimStart();
                if (code.StartsWith("//", StringComparison.Ordinal)) continue;
                yield return (relative, n, line);
            }
        }
    }

    [GeneratedRegex(@"\bDateTime(Offset)?\.(UtcNow|Now|Today)\b|\bEnvironment\.TickCount|\bThread\.Sleep\(|\bnew (System\.Threading\.)?Timer\(|\bnew PeriodicTimer\(")]
    private static partial Regex SystemClock();

    [GeneratedRegex(@"\bStopwatch\b|\.CancelAfter\(|new CancellationTokenSource\([^)]")]
    private static partial Regex RealTimeMeasure();

    [GeneratedRegex(@"\bTask\.Delay\(")]
    private static partial Regex Delay();

    [GeneratedRegex(@"\bTimeProvider\.System\b")]
    private static partial Regex SystemProvider();

    [Test]
    public void Source_ReadsOrWaitsOnTheSystemClock_NowhereInTheLibrary_GEN4()
    {
        var offenders = SourceLines().Where(l => SystemClock().IsMatch(l.Text)).Select(l => $"{l.File}:{l.Line}: {l.Text.Trim()}").ToList();

        offenders.Should().BeEmpty("time is read through the injected TimeProvider");
    }

    [Test]
    public void Source_MeasuresRealTime_OnlyInTheScriptSandbox_GEN4_SCR40()
    {
        var offenders = SourceLines()
            .Where(l => RealTimeMeasure().IsMatch(l.Text) && !l.File.Contains(SandboxFolder, StringComparison.Ordinal))
            .Select(l => $"{l.File}:{l.Line}: {l.Text.Trim()}").ToList();

        offenders.Should().BeEmpty("outside the sandbox, durations come from TimeProvider.GetTimestamp and timeouts from its timers");
    }

    [Test]
    public void Source_EveryDelay_WaitsOnTheInjectedClockOrForever_GEN4()
    {
        var offenders = SourceLines()
            .Where(l => Delay().IsMatch(l.Text) && !l.Text.Contains("_time", StringComparison.Ordinal) && !l.Text.Contains("Timeout.InfiniteTimeSpan", StringComparison.Ordinal))
            .Select(l => $"{l.File}:{l.Line}: {l.Text.Trim()}").ToList();

        offenders.Should().BeEmpty("Task.Delay takes the injected TimeProvider");
    }

    [Test]
    public void Source_SystemTimeProvider_OnlyAsTheDefaultWhenNoneIsInjected_GEN4()
    {
        var offenders = SourceLines()
            .Where(l => SystemProvider().IsMatch(l.Text)
                && !l.Text.Contains("?? TimeProvider.System", StringComparison.Ordinal)
                && !l.Text.Contains("TryAddSingleton(TimeProvider.System)", StringComparison.Ordinal)
                && !l.Text.TrimStart().StartsWith("///", StringComparison.Ordinal))
            .Select(l => $"{l.File}:{l.Line}: {l.Text.Trim()}").ToList();

        offenders.Should().BeEmpty();
    }

    [Test]
    public void SourceLines_ScanTheLibrary_FindTheKnownCalls_GEN4()
    {
        // The scan itself must see the source: the sandbox's own real-time budget is there to be found.
        var lines = SourceLines().ToList();

        lines.Should().Contain(l => l.File.StartsWith("ChatIntegrations" + Path.DirectorySeparatorChar, StringComparison.Ordinal) && l.File.EndsWith("DeliveryDispatcher.cs", StringComparison.Ordinal));
        lines.Should().Contain(l => l.File.Contains(SandboxFolder, StringComparison.Ordinal) && RealTimeMeasure().IsMatch(l.Text));
        lines.Should().Contain(l => Delay().IsMatch(l.Text) && l.Text.Contains("_time", StringComparison.Ordinal));
    }
}
