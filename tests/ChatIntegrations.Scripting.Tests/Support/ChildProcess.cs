using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace ChatIntegrations.Scripting.Tests.Support;

/// <summary>Runs a program (Node.js, npm) to completion for the differential tests.</summary>
internal static class ChildProcess
{
    /// <summary>Runs <paramref name="file"/> with <paramref name="args"/>; a program that cannot start or does not
    /// finish within <paramref name="timeout"/> (then killed) answers exit code -1 with the reason as its stderr.</summary>
    public static (int Exit, string Stdout, string Stderr) Run(string file, IEnumerable<string> args, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, StandardOutputEncoding = Encoding.UTF8 };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        try
        {
            using var p = Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(timeout))
            {
                p.Kill(entireProcessTree: true);
                return (-1, "", $"{file} did not finish in {timeout.TotalSeconds:F0} s");
            }

            p.WaitForExit();
            return (p.ExitCode, stdout.Result, stderr.Result);
        }
        catch (Win32Exception ex)
        {
            return (-1, "", $"{file}: {ex.Message}");
        }
    }
}
