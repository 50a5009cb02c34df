using Microsoft.Extensions.DependencyInjection;

namespace NewsBot.Storage.Sqlite;

internal static class SqliteStorageExtensions
{
    /// <summary>The embedded engine: one SQLite file (NewsBot:Database), every contract served from it.</summary>
    public static IServiceCollection AddSqliteStorage(this IServiceCollection services)
    {
        services.AddSingleton<SqliteConnectionFactory>();
        services.AddSingleton<IStorageMaintenance, SqliteDatabase>();
        services.AddSingleton<SqliteArticleStore>();
        services.AddSingleton<IArticleStore>(sp => sp.GetRequiredService<SqliteArticleStore>());
        services.AddSingleton<ISearchIndex, SqliteSearchIndex>();
        services.AddSingleton<ISourceStore, SqliteSourceStore>();
        services.AddSingleton<IChannelStore, SqliteChannelStore>();
        services.AddSingleton<ISubscriptionStore, SqliteSubscriptionStore>();
        services.AddSingleton<IDeliveryStore, SqliteDeliveryStore>();
        services.AddSingleton<IPlatformStateStore, SqlitePlatformStateStore>();
        services.AddSingleton<ITopicStore, SqliteTopicStore>();
        services.AddSingleton<ISimilarityIndex, SqliteSimilarityIndex>();
        services.AddSingleton<IDatabaseExport, SqliteDatabaseExport>();
        return services;
    }
}
