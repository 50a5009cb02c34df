using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NewsBot.Runtime;
using NewsBot.Storage.Sqlite;

namespace NewsBot.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>The stores behind their contracts. Registers the migrator first among hosted services so it runs before any reader.</summary>
    public static IServiceCollection AddStorage(this IServiceCollection services)
    {
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ITopicNormalizer, SimpleTopicNormalizer>();
        services.AddMetrics();
        services.AddSingleton<NewsBotMetrics>();
        services.AddSingleton<DeliverySignal>();
        services.AddSqliteStorage();
        services.AddSingleton<DatabaseMigrator>();
        services.AddHostedService(sp => sp.GetRequiredService<DatabaseMigrator>());
        return services;
    }
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
