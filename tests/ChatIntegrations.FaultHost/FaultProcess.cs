using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;

namespace ChatIntegrations.FaultHost;

/// <summary>A FaultHost child process: its stdout lines (the protocol) and the tail of its stderr (logs).</summary>
public sealed class FaultProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly ConcurrentQueue<string> _log = new();
    private readonly List<string> _seen = [];

    private FaultProcess(Process process, string name)
    {
        _process = process;
        Name = name;
    }

    public string Name { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public TimeSpan CpuTime
    {
        get
        {
            try
            {
                _process.Refresh();
                return _process.TotalProcessorTime;
            }
            catch (InvalidOperationException)
            {
                return TimeSpan.Zero;
            }
        }
    }

    /// <summary>Starts <c>dotnet ChatIntegrations.FaultHost.dll args</c> (or the given host path), with
    /// <paramref name="environment"/> added to the inherited environment.</summary>
    public static FaultProcess Start(string name, IEnumerable<string> args, string? hostDll = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        hostDll ??= typeof(FaultProcess).Assembly.Location;
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(hostDll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["DOTNET_gcServer"] = "0";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) psi.Environment[key] = value;
        var p = new Process { StartInfo = psi, EnableRaisingEvents = true };
        var f = new FaultProcess(p, name);
        p.OutputDataReceived += (sender, e) =>
        {
            if (e.Data is null) f._lines.Writer.TryComplete();
            else f._lines.Writer.TryWrite(e.Data);
        };
        p.ErrorDataReceived += (sender, e) =>
        {
            if (e.Data is null) return;
            f._log.Enqueue(e.Data);
            while (f._log.Count > 200) f._log.TryDequeue(out _);
        };
        p.Start();
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return f;
    }

    /// <summary>Waits for a stdout line starting with <paramref name="prefix"/>; returns it.</summary>
    public async Task<string> WaitForLineAsync(string prefix, CancellationToken cancellationToken)
    {
        lock (_seen)
        {
            var earlier = _seen.FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
            if (earlier is not null) return earlier;
        }

        try
        {
            await foreach (var line in _lines.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                lock (_seen) _seen.Add(line);
                if (line.StartsWith(prefix, StringComparison.Ordinal)) return line;
                if (line.StartsWith("FAILED", StringComparison.Ordinal)) throw new InvalidOperationException($"{Name}: {line}\n{Log}");
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{Name}: no '{prefix}' line before cancellation.\n{Log}");
        }

        throw new InvalidOperationException($"{Name} exited (code {(_process.HasExited ? _process.ExitCode : -1)}) before printing '{prefix}'.\n{Log}");
    }

    /// <summary>Gets the tail of the process's log (stderr).</summary>
    public string Log => string.Join('\n', _log);

    /// <summary>SIGKILL (Process.Kill sends SIGKILL on Linux): no shutdown code runs.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync().ConfigureAwait(false);
    }

    /// <summary>Writes one command line to the process's stdin (see Program.cs for the commands).</summary>
    public async Task SendAsync(string command, CancellationToken cancellationToken)
    {
        await _process.StandardInput.WriteLineAsync(command.AsMemory(), cancellationToken).ConfigureAwait(false);
        await _process.StandardInput.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Asks for a graceful stop (DLV-30) and waits for the exit.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_process.HasExited) return;
        try
        {
            await _process.StandardInput.WriteLineAsync("stop".AsMemory(), cancellationToken).ConfigureAwait(false);
            await _process.StandardInput.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // already gone
        }

        await _process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await StopAsync(cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                await KillAsync().ConfigureAwait(false);
            }
        }

        _process.Dispose();
    }
}
