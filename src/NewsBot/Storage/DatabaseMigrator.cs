using Microsoft.Extensions.Hosting;

namespace NewsBot.Storage;

/// <summary>Brings the database to the schema this build knows, at start-up, before anything else touches it.</summary>
public sealed class DatabaseMigrator(IStorageMaintenance database) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => MigrateAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task MigrateAsync(CancellationToken cancellationToken) => database.MigrateAsync(cancellationToken);
}
