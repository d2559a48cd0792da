using ChatIntegrations;
using ChatIntegrations.Sqlite;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Chooses the SQLite integration store.</summary>
public static class SqliteChatIntegrationsBuilderExtensions
{
    /// <summary>Stores integrations, deliveries, history and <c>crmData</c> in the SQLite file at
    /// <paramref name="path"/> (replacing the in-memory default). Durable on one node (DLV-2).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="path">The database file; it is created when missing, its folder must exist.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="path"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    public static IChatIntegrationsBuilder UseSqliteStore(this IChatIntegrationsBuilder builder, string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return builder.UseSqliteStore(o => o.DataSource = path);
    }

    /// <summary>Stores integrations, deliveries, history and <c>crmData</c> in SQLite, configured by
    /// <paramref name="configure"/> (replacing the in-memory default). The options are validated at startup.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Configures the options; set <see cref="SqliteStoreOptions.DataSource"/> or
    /// <see cref="SqliteStoreOptions.ConnectionString"/>.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="configure"/> is <see langword="null"/>.</exception>
    public static IChatIntegrationsBuilder UseSqliteStore(this IChatIntegrationsBuilder builder, Action<SqliteStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddOptions<SqliteStoreOptions>().Configure(configure).ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SqliteStoreOptions>, SqliteStoreOptionsValidator>());
        builder.Services.TryAddSingleton<SqliteIntegrationStore>();
        builder.Services.Replace(ServiceDescriptor.Singleton<IIntegrationStore>(sp => sp.GetRequiredService<SqliteIntegrationStore>()));
        return builder;
    }
}
