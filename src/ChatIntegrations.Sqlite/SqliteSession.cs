using Microsoft.Data.Sqlite;

namespace ChatIntegrations.Sqlite;

/// <summary>One open connection with its cached commands. Microsoft.Data.Sqlite keeps a command's compiled statements
/// while its text is unchanged, so caching the commands keeps the hot statements prepared.</summary>
/// <remarks>Not thread-safe: the store hands a session to one caller at a time.</remarks>
internal sealed class SqliteSession : IDisposable
{
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);
    private readonly int _commandTimeoutSeconds;

    public SqliteSession(string connectionString, TimeSpan busyTimeout)
    {
        _commandTimeoutSeconds = Math.Max(1, (int)Math.Ceiling(busyTimeout.TotalSeconds));
        Connection = new SqliteConnection(connectionString);
        try
        {
            Connection.Open();
            using var pragma = Connection.CreateCommand();
            // busy_timeout: wait for another connection's lock instead of failing at once. synchronous=NORMAL in WAL
            // mode keeps every commit across a process crash (DLV-2); only a power loss may lose the last commits.
            pragma.CommandText = $"PRAGMA busy_timeout = {(long)busyTimeout.TotalMilliseconds}; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = OFF;";
            pragma.CommandTimeout = _commandTimeoutSeconds;
            pragma.ExecuteNonQuery();
        }
        catch
        {
            Connection.Dispose();
            throw;
        }
    }

    public SqliteConnection Connection { get; }

    /// <summary>Gets the cached command for <paramref name="sql"/>, with its parameters cleared.</summary>
    public SqliteCommand Command(string sql, SqliteTransaction? transaction = null)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = Connection.CreateCommand();
            command.CommandText = sql;
            command.CommandTimeout = _commandTimeoutSeconds;
            _commands.Add(sql, command);
        }

        command.Parameters.Clear();
        command.Transaction = transaction;
        return command;
    }

    public void Dispose()
    {
        foreach (var command in _commands.Values) command.Dispose();
        _commands.Clear();
        Connection.Dispose();
    }
}
