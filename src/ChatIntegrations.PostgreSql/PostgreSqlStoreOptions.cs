namespace ChatIntegrations.PostgreSql;

/// <summary>Options of the PostgreSQL integration store, chosen with <c>UsePostgreSqlStore(...)</c> and validated at
/// startup.</summary>
/// <remarks>Several nodes may share one database and schema: claims use <c>FOR UPDATE SKIP LOCKED</c> (DLV-31) and every
/// later change is conditioned on the lease token (DLV-33). The store creates and migrates its schema on first use.</remarks>
public sealed class PostgreSqlStoreOptions
{
    /// <summary>Gets or sets the Npgsql connection string, for example
    /// <c>Host=db;Database=chat;Username=chat;Password=…</c>.</summary>
    /// <value>The default is <see langword="null"/>; it must be set.</value>
    /// <remarks>The store opens its own pool from it. Unless the string sets <c>Max Auto Prepare</c>, the store prepares
    /// up to 32 statements per connection; it always sets <c>No Reset On Close</c>, since its connections keep no
    /// session state.</remarks>
    public string? ConnectionString { get; set; }

    /// <summary>Gets or sets the schema that holds the store's tables; it is created when missing.</summary>
    /// <value>The default is <c>chat_integrations</c>. Allowed: lowercase letters, digits and underscores, starting with
    /// a letter or underscore, at most 63 characters.</value>
    public string Schema { get; set; } = PostgreSqlStoreDefaults.Schema;

    /// <summary>Gets or sets a value indicating whether the incoming rate-limit windows (IN-60) are counted in the
    /// database for all the nodes that share it, so that N nodes do not allow N times an integration's limit (IN-64).</summary>
    /// <value>The default is <see langword="false"/>: each node counts its own windows, with no database round trip.
    /// When <see langword="true"/>, each rate-limited incoming request updates one row of the schema's
    /// <c>rate_windows</c> table.</value>
    public bool SharedRateLimits { get; set; }
}

/// <summary>The defaults of <see cref="PostgreSqlStoreOptions"/>, in one place.</summary>
internal static class PostgreSqlStoreDefaults
{
    public const string Schema = "chat_integrations";

    /// <summary>Statements prepared automatically per connection, so the hot statements skip parsing and planning.</summary>
    public const int MaxAutoPrepare = 32;
}
