using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ChatIntegrations.PostgreSql;

/// <summary>Checks <see cref="PostgreSqlStoreOptions"/> at startup and reports every problem in one message.</summary>
internal sealed partial class PostgreSqlStoreOptionsValidator : IValidateOptions<PostgreSqlStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, PostgreSqlStoreOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            errors.Add("PostgreSqlStoreOptions:ConnectionString must be set.");
        }
        else
        {
            try
            {
                _ = new NpgsqlConnectionStringBuilder(options.ConnectionString);
            }
            catch (ArgumentException e)
            {
                errors.Add($"PostgreSqlStoreOptions:ConnectionString is invalid: {e.Message}");
            }
        }

        if (options.Schema is null || !SchemaName().IsMatch(options.Schema))
        {
            errors.Add("PostgreSqlStoreOptions:Schema must be 1 to 63 lowercase letters, digits or underscores, starting with a letter or underscore.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(string.Join(" ", errors));
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex SchemaName();
}
