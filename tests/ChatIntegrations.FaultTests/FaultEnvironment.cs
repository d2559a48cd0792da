using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace ChatIntegrations.FaultTests;

/// <summary>What the fault tests need from the machine: PostgreSQL (CHATINTEGRATIONS_PG, and the server binaries for a
/// private cluster), and the CI rule that a missing tool fails instead of skipping (CHATINTEGRATIONS_REQUIRE_ALL=1).</summary>
internal static class FaultEnvironment
{
    public static string? SharedPostgres => Environment.GetEnvironmentVariable("CHATINTEGRATIONS_PG") is { Length: > 0 } s ? s : null;

    public static bool RequireAll => Environment.GetEnvironmentVariable("CHATINTEGRATIONS_REQUIRE_ALL") == "1";

    /// <summary>Fails (CI) or ignores (dev machine) a test that needs something missing.</summary>
    public static void Missing(string what)
    {
        if (RequireAll) Assert.Fail($"needs {what} (CHATINTEGRATIONS_REQUIRE_ALL=1)");
        Assert.Ignore($"needs {what}: source tests/pg-dev.sh");
    }

    public static string RequireSharedPostgres()
    {
        if (SharedPostgres is null) Missing("PostgreSQL (CHATINTEGRATIONS_PG)");
        return SharedPostgres!;
    }

    /// <summary>The folder with initdb and pg_ctl: CHATINTEGRATIONS_PG_BIN, else the newest /usr/lib/postgresql/*/bin.</summary>
    public static string? PostgresBin()
    {
        if (Environment.GetEnvironmentVariable("CHATINTEGRATIONS_PG_BIN") is { Length: > 0 } bin && File.Exists(Path.Combine(bin, "pg_ctl"))) return bin;
        if (!Directory.Exists("/usr/lib/postgresql")) return null;
        return Directory.GetDirectories("/usr/lib/postgresql")
            .Select(d => Path.Combine(d, "bin"))
            .Where(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")))
            .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
            .FirstOrDefault();
    }

    public static string NewSchema() => "fault_" + Guid.NewGuid().ToString("N")[..12];

    public static async Task DropSchemaAsync(string connectionString, string schema)
    {
        try
        {
            await using var c = new NpgsqlConnection(connectionString);
            await c.OpenAsync();
            await using var cmd = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE", c);
            await cmd.ExecuteNonQueryAsync();
        }
        catch (NpgsqlException)
        {
            // best effort
        }
    }

    /// <summary>Polls <paramref name="condition"/> every <paramref name="everyMs"/> ms until it holds (bounded by the
    /// test's [CancelAfter] token).</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, CancellationToken cancellationToken, int everyMs = 50)
    {
        while (!await condition()) await Task.Delay(everyMs, cancellationToken);
    }

    public static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}

/// <summary>A throwaway PostgreSQL cluster of this test alone, so that stopping it does not disturb the shared cluster
/// other test projects use at the same time (dotnet test runs projects in parallel).</summary>
internal sealed class PrivatePostgres : IAsyncDisposable
{
    private readonly string _bin;
    private readonly string _dir;
    private readonly string? _runAs;
    private readonly int _port;

    private PrivatePostgres(string bin, string dir, string? runAs, int port)
    {
        _bin = bin;
        _dir = dir;
        _runAs = runAs;
        _port = port;
    }

    public string ConnectionString => $"Host=127.0.0.1;Port={_port};Username=ciuser;Database=postgres;Timeout=3;Command Timeout=10";

    public static async Task<PrivatePostgres?> StartAsync(CancellationToken cancellationToken)
    {
        var bin = FaultEnvironment.PostgresBin();
        if (bin is null) return null;
        string? runAs = null;
        if (Environment.UserName == "root")
        {
            // PostgreSQL refuses root: tests/pg-dev.sh and .ci/run run it as ciuser (CHATINTEGRATIONS_PG_USER).
            runAs = Environment.GetEnvironmentVariable("CHATINTEGRATIONS_PG_USER") is { Length: > 0 } u ? u : "ciuser";
            if (await RunAsync("id", ["-u", runAs], null, cancellationToken) != 0) return null;
        }

        var dir = Directory.CreateTempSubdirectory("fault-pg.").FullName;
        if (runAs is not null) await RunAsync("chown", [runAs, dir], null, cancellationToken);
        var pg = new PrivatePostgres(bin, dir, runAs, FaultEnvironment.FreePort());
        var rc = await pg.AsUserAsync("initdb", ["-D", Path.Combine(dir, "data"), "-U", "ciuser", "--auth=trust", "-E", "UTF8", "--no-locale"], cancellationToken);
        if (rc != 0) throw new InvalidOperationException("initdb failed");
        await pg.StartServerAsync(cancellationToken);
        return pg;
    }

    public async Task StartServerAsync(CancellationToken cancellationToken)
    {
        var rc = await AsUserAsync("pg_ctl", ["-D", Path.Combine(_dir, "data"), "-l", Path.Combine(_dir, "server.log"), "-w", "-t", "60",
            "-o", $"-p {_port} -k {_dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off", "start"], cancellationToken);
        if (rc != 0) throw new InvalidOperationException("pg_ctl start failed: " + await File.ReadAllTextAsync(Path.Combine(_dir, "server.log"), cancellationToken));
    }

    /// <summary>A fast shutdown: sessions are disconnected, the server stops listening.</summary>
    public async Task StopServerAsync(CancellationToken cancellationToken)
    {
        var rc = await AsUserAsync("pg_ctl", ["-D", Path.Combine(_dir, "data"), "-m", "fast", "-w", "stop"], cancellationToken);
        if (rc != 0) throw new InvalidOperationException("pg_ctl stop failed");
    }

    private Task<int> AsUserAsync(string tool, string[] args, CancellationToken cancellationToken) =>
        _runAs is null
            ? RunAsync(Path.Combine(_bin, tool), args, null, cancellationToken)
            : RunAsync("runuser", ["-u", _runAs, "--", Path.Combine(_bin, tool), .. args], null, cancellationToken);

    private static async Task<int> RunAsync(string file, string[] args, string? workingDirectory, CancellationToken cancellationToken)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (workingDirectory is not null) psi.WorkingDirectory = workingDirectory;
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = p.StandardError.ReadToEndAsync(cancellationToken);
        await p.WaitForExitAsync(cancellationToken);
        await Task.WhenAll(output, error);
        if (p.ExitCode != 0) TestContext.Progress.WriteLine($"{Path.GetFileName(file)} {string.Join(' ', args)} → {p.ExitCode}: {await error}");
        return p.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await AsUserAsync("pg_ctl", ["-D", Path.Combine(_dir, "data"), "-m", "immediate", "-w", "stop"], cts.Token);
        }
        catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException or System.ComponentModel.Win32Exception)
        {
            // best effort
        }

        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
