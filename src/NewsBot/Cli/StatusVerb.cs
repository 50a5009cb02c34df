using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using NewsBot.Runtime;
using NewsBot.Storage;

namespace NewsBot.Cli;

/// <summary>
/// <c>newsbot status</c>: the running processes of the bot and what each holds, one JSON line each, from the processes
/// table every process heartbeats into on PostgreSQL. A SQLite bot is one process and keeps no such table.
/// </summary>
public sealed class StatusVerb(DatabaseMigrator migrator, IEnumerable<IProcessStore> processStores, IOptions<ClusterOptions> cluster, TimeProvider time) : ICliVerb
{
    public string Name => "status";

    public string Help => "status                   the running processes (PostgreSQL) and what each holds, one JSON line each";

    public async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, CancellationToken cancellationToken)
    {
        if (args.Count > 0)
        {
            await Console.Error.WriteLineAsync("usage: newsbot status");
            return ExitCodes.Usage;
        }

        if (processStores.SingleOrDefault() is not { } processes)
        {
            await output.WriteLineAsync("The bot runs as one process on SQLite and records no processes; newsbot sources lists its sources.");
            return ExitCodes.Ok;
        }

        await migrator.MigrateAsync(cancellationToken);
        foreach (var process in await processes.ListAliveAsync(time.GetUtcNow() - cluster.Value.DeadAfter, cancellationToken))
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(new
            {
                id = process.Id,
                host = process.Host,
                version = process.Version,
                started = Utc(process.StartedAt),
                heartbeat = Utc(process.HeartbeatAt),
                holds = process.Holds,
            }, CliJson.Options));
        }

        return ExitCodes.Ok;
    }

    private static string Utc(DateTimeOffset time) => time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
}
