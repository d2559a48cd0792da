using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace ChatIntegrations.Sqlite;

/// <summary>Checks <see cref="SqliteStoreOptions"/> at startup and reports every problem in one message.</summary>
internal sealed class SqliteStoreOptionsValidator : IValidateOptions<SqliteStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, SqliteStoreOptions options)
    {
        var errors = new List<string>();
        var hasPath = !string.IsNullOrWhiteSpace(options.DataSource);
        var hasConnectionString = !string.IsNullOrWhiteSpace(options.ConnectionString);
        if (hasPath == hasConnectionString)
        {
            errors.Add("SqliteStoreOptions: set exactly one of DataSource (a file path) and ConnectionString.");
        }
        else if (hasConnectionString)
        {
            try
            {
                var builder = new SqliteConnectionStringBuilder(options.ConnectionString);
                if (string.IsNullOrWhiteSpace(builder.DataSource) || builder.DataSource == ":memory:" || builder.Mode == SqliteOpenMode.Memory)
                {
                    errors.Add("SqliteStoreOptions:ConnectionString must name a database file (in-memory databases are not durable; use the in-memory store instead).");
                }
            }
            catch (ArgumentException e)
            {
                errors.Add($"SqliteStoreOptions:ConnectionString is invalid: {e.Message}");
            }
        }
        else if (options.DataSource == ":memory:")
        {
            errors.Add("SqliteStoreOptions:DataSource must be a file path (in-memory databases are not durable; use the in-memory store instead).");
        }

        if (options.BusyTimeout < TimeSpan.FromMilliseconds(10) || options.BusyTimeout > TimeSpan.FromMinutes(5))
        {
            errors.Add("SqliteStoreOptions:BusyTimeout must be between 00:00:00.010 and 00:05:00.");
        }

        if (options.ReadConnections is < 1 or > 64) errors.Add("SqliteStoreOptions:ReadConnections must be between 1 and 64.");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(string.Join(" ", errors));
    }
}
