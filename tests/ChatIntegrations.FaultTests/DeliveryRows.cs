using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace ChatIntegrations.FaultTests;

/// <summary>One row of the deliveries table, read straight from the database (not through the engine).</summary>
internal sealed record DeliveryRow(string Id, string State, int Attempts, string? LeaseOwner, long? NextAttemptAt);

internal static class DeliveryRows
{
    private const string Select = "SELECT id, state, attempts, lease_owner, next_attempt_at FROM {0}deliveries";

    public static async Task<List<DeliveryRow>> SqliteAsync(string file, CancellationToken cancellationToken)
    {
        await using var c = new SqliteConnection($"Data Source={file};Pooling=False;Default Timeout=5");
        await c.OpenAsync(cancellationToken);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = string.Format(System.Globalization.CultureInfo.InvariantCulture, Select, "");
        return await ReadAsync(cmd, cancellationToken);
    }

    public static async Task<long> SqliteCountAsync(string file, string sql, CancellationToken cancellationToken)
    {
        await using var c = new SqliteConnection($"Data Source={file};Pooling=False;Default Timeout=5");
        await c.OpenAsync(cancellationToken);
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    public static async Task<List<DeliveryRow>> PostgresAsync(string connectionString, string schema, CancellationToken cancellationToken)
    {
        await using var c = new NpgsqlConnection(connectionString);
        await c.OpenAsync(cancellationToken);
        await using var cmd = new NpgsqlCommand(string.Format(System.Globalization.CultureInfo.InvariantCulture, Select, $"\"{schema}\"."), c);
        return await ReadAsync(cmd, cancellationToken);
    }

    private static async Task<List<DeliveryRow>> ReadAsync(DbCommand cmd, CancellationToken cancellationToken)
    {
        var rows = new List<DeliveryRow>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            rows.Add(new DeliveryRow(r.GetString(0), r.GetString(1), Convert.ToInt32(r.GetValue(2), System.Globalization.CultureInfo.InvariantCulture),
                r.IsDBNull(3) ? null : r.GetString(3), r.IsDBNull(4) ? null : Convert.ToInt64(r.GetValue(4), System.Globalization.CultureInfo.InvariantCulture)));
        }

        return rows;
    }
}
