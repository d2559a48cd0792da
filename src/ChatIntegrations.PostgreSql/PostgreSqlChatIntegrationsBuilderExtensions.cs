using ChatIntegrations;
using ChatIntegrations.PostgreSql;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Chooses the PostgreSQL integration store.</summary>
public static class PostgreSqlChatIntegrationsBuilderExtensions
{
    /// <summary>Stores integrations, deliveries, history and <c>crmData</c> in PostgreSQL, in the schema
    /// <c>chat_integrations</c> (replacing the in-memory default). Several nodes may share the database (DLV-31).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="connectionString">The Npgsql connection string.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="connectionString"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is empty.</exception>
    public static IChatIntegrationsBuilder UsePostgreSqlStore(this IChatIntegrationsBuilder builder, string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return builder.UsePostgreSqlStore(o => o.ConnectionString = connectionString);
    }

    /// <summary>Stores integrations, deliveries, history and <c>crmData</c> in PostgreSQL, configured by
    /// <paramref name="configure"/> (replacing the in-memory default). The options are validated at startup.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Configures the options; <see cref="PostgreSqlStoreOptions.ConnectionString"/> is
    /// required.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="configure"/> is <see langword="null"/>.</exception>
    public static IChatIntegrationsBuilder UsePostgreSqlStore(this IChatIntegrationsBuilder builder, Action<PostgreSqlStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddOptions<PostgreSqlStoreOptions>().Configure(configure).ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PostgreSqlStoreOptions>, PostgreSqlStoreOptionsValidator>());
        builder.Services.TryAddSingleton<PostgreSqlIntegrationStore>();
        builder.Services.Replace(ServiceDescriptor.Singleton<IIntegrationStore>(sp => sp.GetRequiredService<PostgreSqlIntegrationStore>()));
        return builder;
    }
}
