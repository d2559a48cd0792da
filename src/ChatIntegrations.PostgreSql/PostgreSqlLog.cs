using Microsoft.Extensions.Logging;

namespace ChatIntegrations.PostgreSql;

/// <summary>Log messages of the PostgreSQL store (event ids 6101–6199, listed in the README).</summary>
internal static partial class PostgreSqlLog
{
    [LoggerMessage(6101, LogLevel.Information, "PostgreSQL store ready in schema {Schema} (schema version {Version})")]
    public static partial void Opened(ILogger logger, string schema, int version);

    [LoggerMessage(6102, LogLevel.Information, "PostgreSQL store applied migration {Version} in schema {Schema}: {Description}")]
    public static partial void MigrationApplied(ILogger logger, string schema, int version, string description);

    [LoggerMessage(6103, LogLevel.Warning, "PostgreSQL store unavailable ({SqlState}): {Message}")]
    public static partial void Unavailable(ILogger logger, string? sqlState, string message);

    [LoggerMessage(6104, LogLevel.Warning, "PostgreSQL schema {Schema} has version {Found}, newer than this library knows ({Known})")]
    public static partial void SchemaNewer(ILogger logger, string schema, int found, int known);
}
