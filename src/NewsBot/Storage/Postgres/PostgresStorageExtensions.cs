using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;

namespace NewsBot.Storage.Postgres;

internal static class PostgresStorageExtensions
{
    /// <summary>
    /// The server engine: one NpgsqlDataSource (NewsBot:Database:ConnectionString, <see cref="PgConnections"/>), every
    /// contract served from it, and the folding of term count changes (<see cref="TermCountFoldService"/>).
    /// </summary>
    public static IServiceCollection AddPostgresStorage(this IServiceCollection services, string connectionString)
    {
        services.AddSingleton(sp => new PgConnections(connectionString, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IStorageMaintenance, PostgresDatabase>();
        services.AddSingleton<PgOutboxNotifier>();
        services.AddSingleton<PostgresArticleStore>();
        services.AddSingleton<IArticleStore>(sp => sp.GetRequiredService<PostgresArticleStore>());
        services.AddSingleton<ISearchIndex, PostgresSearchIndex>();
        services.AddSingleton<ISourceStore, PostgresSourceStore>();
        services.AddSingleton<IChannelStore, PostgresChannelStore>();
        services.AddSingleton<ISubscriptionStore, PostgresSubscriptionStore>();
        services.AddSingleton<IDeliveryStore, PostgresDeliveryStore>();
        services.AddSingleton<IPlatformStateStore, PostgresPlatformStateStore>();
        services.AddSingleton<ITopicStore, PostgresTopicStore>();
        services.AddSingleton<ISimilarityIndex, PostgresSimilarityIndex>();
        services.AddSingleton<PgTermCountFolder>();
        services.AddHostedService<TermCountFoldService>();
        // Tried: a test may wrap these to cut one process off from the others, as if it died.
        services.TryAddSingleton<IProcessStore, PostgresProcessStore>();
        services.TryAddSingleton<ILeaseStore, PostgresLeaseStore>();
        services.TryAddSingleton<IQuotaStore, PostgresQuotaStore>();
        return services;
    }

    /// <summary>
    /// Why <paramref name="connectionString"/> cannot be used, naming the setting but never the value (it may hold a
    /// password); null when it parses.
    /// </summary>
    public static string? Validate(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return $"{DatabaseOptions.ConnectionStringSetting} is empty; with {DatabaseOptions.ProviderSetting} = postgres it names the server, e.g. Host=localhost;Database=newsbot;Username=newsbot (the password may come from PGPASSWORD).";
        }

        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            return string.IsNullOrEmpty(builder.Host)
                ? $"{DatabaseOptions.ConnectionStringSetting} names no Host; write e.g. Host=localhost;Database=newsbot;Username=newsbot."
                : null;
        }
        catch (ArgumentException ex)
        {
            // The driver's message names the key it could not take (never the value).
            return $"{DatabaseOptions.ConnectionStringSetting} is not a valid PostgreSQL connection string ({ex.Message.Split('\n', 2)[0].TrimEnd('.')}); write e.g. Host=localhost;Database=newsbot;Username=newsbot.";
        }
    }
}
