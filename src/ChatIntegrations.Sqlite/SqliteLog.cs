using Microsoft.Extensions.Logging;

namespace ChatIntegrations.Sqlite;

/// <summary>Log messages of the SQLite store (event ids 6001–6099, listed in the README).</summary>
internal static partial class SqliteLog
{
    [LoggerMessage(6001, LogLevel.Information, "SQLite store opened {DataSource} (schema version {Version})")]
    public static partial void Opened(ILogger logger, string dataSource, int version);

    [LoggerMessage(6002, LogLevel.Information, "SQLite store applied migration {Version}: {Description}")]
    public static partial void MigrationApplied(ILogger logger, int version, string description);

    [LoggerMessage(6003, LogLevel.Warning, "SQLite store unavailable ({ErrorCode}): {Message}")]
    public static partial void Unavailable(ILogger logger, int errorCode, string message);

    [LoggerMessage(6004, LogLevel.Warning, "SQLite database {DataSource} has schema version {Found}, newer than this library knows ({Known})")]
    public static partial void SchemaNewer(ILogger logger, string dataSource, int found, int known);
}
