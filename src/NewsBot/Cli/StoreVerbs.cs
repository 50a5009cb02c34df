using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using NewsBot.Commands;
using NewsBot.Storage;

namespace NewsBot.Cli;

/// <summary><c>newsbot search "query" [--count N]</c>: the best matches in the configured database, one JSON line each.</summary>
public sealed class SearchVerb(IStorageMaintenance database, DatabaseMigrator migrator, ArticleSearch search, ISourceStore sources) : ICliVerb
{
    public string Name => "search";

    public string Help => "search \"QUERY\" [--count N]   search the configured database; one JSON line per article";

    public async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, CancellationToken cancellationToken)
    {
        var (inputs, options) = CliArgs.Split(args, "--count");
        var count = 10;
        if (inputs.Count == 0 || (options.TryGetValue("--count", out var given) && !int.TryParse(given, NumberStyles.Integer, CultureInfo.InvariantCulture, out count)))
        {
            await Console.Error.WriteLineAsync("usage: newsbot search \"QUERY\" [--count N]");
            return ExitCodes.Usage;
        }

        if (await MissingDatabase.ReportAsync(database))
        {
            return ExitCodes.Database;
        }

        await migrator.MigrateAsync(cancellationToken);
        var names = (await sources.ListAsync(cancellationToken)).ToDictionary(s => s.Id, s => s.DisplayName);
        foreach (var article in await search.SearchAsync(string.Join(' ', inputs), Math.Clamp(count, 1, 100), cancellationToken))
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(new
            {
                id = article.ShortId,
                title = article.Title,
                url = article.Url,
                source = names.GetValueOrDefault(article.SourceId),
                published = article.PublishedAt?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                summary = article.Summary ?? article.Teaser,
            }, CliJson.Options));
        }

        return 0;
    }
}

/// <summary><c>newsbot sources</c>: every source with its health, one JSON line each.</summary>
public sealed class SourcesVerb(IStorageMaintenance database, DatabaseMigrator migrator, ISourceStore sources) : ICliVerb
{
    public string Name => "sources";

    public string Help => "sources                  list the sources with their state, one JSON line each";

    public async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, CancellationToken cancellationToken)
    {
        if (await MissingDatabase.ReportAsync(database))
        {
            return ExitCodes.Database;
        }

        await migrator.MigrateAsync(cancellationToken);
        foreach (var s in await sources.ListAsync(cancellationToken))
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(new
            {
                id = s.Id,
                url = s.Url,
                name = s.DisplayName,
                state = s.Paused ? "paused" : s.DisabledReason is not null ? "disabled" : s.LastError is not null ? "failing" : "ok",
                error = s.DisabledReason ?? s.LastError,
                last_polled = s.LastPolledAt?.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
                next_poll = s.NextPollAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
            }, CliJson.Options));
        }

        return 0;
    }
}

/// <summary><c>newsbot db info|migrate|backup PATH|copy --to CONNECTION</c>: the database, for operators.</summary>
public sealed class DbVerb(IStorageMaintenance database, DbCopyVerb copy) : ICliVerb
{
    public string Name => "db";

    public string Help => $"db info|migrate|backup PATH   show, migrate or back up (online, consistent) the database; {DbCopyVerb.Usage}: move it to PostgreSQL";

    public async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, CancellationToken cancellationToken)
    {
        if (args is ["copy", ..])
        {
            return await copy.RunAsync(args, output, cancellationToken);
        }

        if (args is not (["migrate"] or ["info"] or ["backup", _]))
        {
            await Console.Error.WriteLineAsync($"usage: newsbot db info | db migrate | db backup PATH | {DbCopyVerb.Usage}");
            return ExitCodes.Usage;
        }

        if (args[0] != "migrate" && await MissingDatabase.ReportAsync(database))
        {
            return ExitCodes.Database;
        }

        await database.MigrateAsync(cancellationToken);
        switch (args)
        {
            case ["migrate"]:
                await output.WriteLineAsync($"{database.Location}: schema version {database.SchemaVersion}");
                return ExitCodes.Ok;
            case ["info"]:
                var info = new Dictionary<string, object?> { ["path"] = database.Location, ["schema"] = database.SchemaVersion };
                foreach (var (name, value) in await database.DescribeAsync(cancellationToken))
                {
                    info[name] = value;
                }

                await output.WriteLineAsync(JsonSerializer.Serialize(info, CliJson.Options));
                return ExitCodes.Ok;
            default:
                var target = Path.GetFullPath(args[1]);
                try
                {
                    await database.BackupAsync(target, cancellationToken);
                }
                catch (Exception ex) when (database.FailureReason(ex) is { } reason)
                {
                    await Console.Error.WriteLineAsync($"Backup error: cannot write {target}: {reason}.");
                    return ExitCodes.Database;
                }

                await output.WriteLineAsync($"Backed up {database.Location} to {target}");
                return ExitCodes.Ok;
        }
    }
}

/// <summary>Verbs that read the database refuse a missing file: a mistyped path must not leave a new empty database behind.</summary>
internal static class MissingDatabase
{
    /// <summary>True (and one line on stderr) when the configured database file does not exist.</summary>
    public static async Task<bool> ReportAsync(IStorageMaintenance database)
    {
        if (database.Exists)
        {
            return false;
        }

        await Console.Error.WriteLineAsync($"Database error: {database.Setting} = {database.Location}: there is no such file (nothing was created; newsbot db migrate creates it).");
        return true;
    }
}

internal static class CliJson
{
    public static JsonSerializerOptions Options { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
