using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using NewsBot.Runtime;
using NewsBot.Storage.Postgres;
using NewsBot.Storage.Sqlite;

namespace NewsBot.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// The stores behind their contracts, from the engine NewsBot:Database:Provider names. Registers the migrator first
    /// among hosted services so it runs before any reader. A bad provider or connection string stops here, before
    /// anything opens, as one configuration error that names the setting (never the password).
    /// </summary>
    public static IServiceCollection AddStorage(this IServiceCollection services, IConfiguration configuration)
    {
        var database = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ITopicNormalizer, SimpleTopicNormalizer>();
        services.AddMetrics();
        services.AddSingleton<NewsBotMetrics>();
        services.AddSingleton<DeliverySignal>();
        services.TryAddSingleton<ProcessIdentity>();
        services.AddOptions<ClusterOptions>().BindConfiguration(ClusterOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<ClusterOptions>, ClusterOptionsValidator>();
        // Before the engine's own hosted services (PostgreSQL's term count folding), which need the migrated schema.
        services.AddSingleton<DatabaseMigrator>();
        services.AddHostedService(sp => sp.GetRequiredService<DatabaseMigrator>());
        var cluster = ClusterOptions.IsEnabled(configuration);
        var postgres = false;
        switch (database.Provider.Trim().ToLowerInvariant())
        {
            case "" or "sqlite":
                if (cluster)
                {
                    throw Invalid(
                        $"{ClusterOptions.EnabledSetting} is true, but several processes can share only a PostgreSQL database: " +
                        $"set {DatabaseOptions.ProviderSetting} = postgres (and {DatabaseOptions.ConnectionStringSetting}), or turn cluster mode off.");
                }

                services.AddSqliteStorage();
                break;
            case "postgres" or "postgresql":
                if (PostgresStorageExtensions.Validate(database.ConnectionString) is { } error)
                {
                    throw Invalid(error);
                }

                services.AddPostgresStorage(database.ConnectionString!);
                postgres = true;
                break;
            default:
                throw Invalid($"{DatabaseOptions.ProviderSetting} is '{database.Provider}'; use sqlite (the default, one file at NewsBot:Database) or postgres.");
        }

        if (cluster)
        {
            services.AddSingleton<IClusterMembership, PostgresClusterMembership>();
            services.AddSingleton<IPollLeaseStore, PostgresPollLeaseStore>();
        }
        else
        {
            services.TryAddSingleton<IClusterMembership, SoleProcessMembership>();
            services.AddSingleton<IPollLeaseStore, SoleProcessPollLeases>();
        }

        if (postgres)
        {
            // On PostgreSQL every process heartbeats, in cluster mode or not, so `newsbot status` can show the running bot.
            services.AddHostedService<ClusterHeartbeatService>();
        }

        if (cluster)
        {
            // Another process's new deliveries wake this one's dispatcher (alone, the ingest wakes it directly).
            services.AddHostedService<PostgresOutboxListener>();
        }

        return services;
    }

    private static OptionsValidationException Invalid(string message) => new(DatabaseOptions.Section, typeof(DatabaseOptions), [message]);
}

/// <summary>Case- and width-insensitive topic keys; the Knowledge area registers a smarter one (plurals, punctuation).</summary>
internal sealed class SimpleTopicNormalizer : ITopicNormalizer
{
    public TopicName Normalize(string name)
    {
        var display = string.Join(' ', name.Normalize(System.Text.NormalizationForm.FormKC).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return new TopicName(display.ToLowerInvariant(), display);
    }
}
