namespace ChatIntegrations.Sqlite;

/// <summary>Options of the SQLite integration store, chosen with <c>UseSqliteStore(...)</c> and validated at startup.</summary>
/// <remarks>Set exactly one of <see cref="DataSource"/> and <see cref="ConnectionString"/>. The store switches the
/// database to WAL mode, creates and migrates its tables on first use, and serialises its own writes; several processes
/// may open the same file, but one node per file is the intended use (use the PostgreSQL store for several nodes).</remarks>
public sealed class SqliteStoreOptions
{
    /// <summary>Gets or sets the path of the database file. It is created when missing; its folder must exist.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public string? DataSource { get; set; }

    /// <summary>Gets or sets a full Microsoft.Data.Sqlite connection string, as an alternative to
    /// <see cref="DataSource"/>.</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public string? ConnectionString { get; set; }

    /// <summary>Gets or sets how long a statement waits for a lock held by another connection before the store reports
    /// itself unavailable (<see cref="IntegrationStoreUnavailableException"/>, GEN-14).</summary>
    /// <value>The default is 5 seconds. Allowed: 10 ms to 5 minutes.</value>
    public TimeSpan BusyTimeout { get; set; } = SqliteStoreDefaults.BusyTimeout;

    /// <summary>Gets or sets the number of read connections kept open (WAL lets them read while one connection
    /// writes).</summary>
    /// <value>The default is 4. Allowed: 1 to 64.</value>
    public int ReadConnections { get; set; } = SqliteStoreDefaults.ReadConnections;
}

/// <summary>The defaults of <see cref="SqliteStoreOptions"/>, in one place.</summary>
internal static class SqliteStoreDefaults
{
    public static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(5);
    public const int ReadConnections = 4;
}
