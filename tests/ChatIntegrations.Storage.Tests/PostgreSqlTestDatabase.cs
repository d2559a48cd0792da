using Npgsql;

namespace ChatIntegrations.Storage.Tests;

/// <summary>Reaches the test PostgreSQL server named by <c>CHATINTEGRATIONS_PG</c> and hands out throwaway schemas.</summary>
internal static class PostgreSqlTestDatabase
{
    public const string Variable = "CHATINTEGRATIONS_PG";

    /// <summary>Gets the connection string, or ends the test: ignored normally, failed when
    /// <c>CHATINTEGRATIONS_REQUIRE_ALL=1</c> (CI).</summary>
    public static string ConnectionString()
    {
        var value = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrWhiteSpace(value)) return value;
        const string how = "set CHATINTEGRATIONS_PG to a connection string such as Host=127.0.0.1;Port=5433;Username=ciuser;Database=chat_integrations_tests (`source tests/pg-dev.sh` starts a throwaway server and sets it)";
        if (Environment.GetEnvironmentVariable("CHATINTEGRATIONS_REQUIRE_ALL") == "1")
        {
            Assert.Fail("needs PostgreSQL and CHATINTEGRATIONS_REQUIRE_ALL=1 forbids skipping: " + how);
        }

        Assert.Ignore("needs PostgreSQL: " + how);
        return "";
    }

    /// <summary>A fresh random schema name; the store creates it.</summary>
    public static string NewSchemaName() => "cit_" + Guid.NewGuid().ToString("N")[..16];

    public static async Task DropSchemaAsync(string connectionString, string schema)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE;", connection);
        await cmd.ExecuteNonQueryAsync();
    }

    public static async Task<List<int>> SchemaVersionsAsync(string connectionString, string schema)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand($"SELECT version FROM \"{schema}\".schema_version ORDER BY version;", connection);
        await using var reader = await cmd.ExecuteReaderAsync();
        var versions = new List<int>();
        while (await reader.ReadAsync()) versions.Add(reader.GetInt32(0));
        return versions;
    }
}
