using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NewsBot.Hosting;
using NewsBot.Storage;

namespace NewsBot.Cli;

/// <summary>
/// What <c>newsbot [verb] args…</c> does: a verb, the help, or the bot. Every expected failure (an unknown verb, a
/// bad setting, an unusable database) is one line on stderr and an <see cref="ExitCodes"/> code, never a stack trace.
/// </summary>
public static class NewsBotCommandLine
{
    /// <summary>Host settings the command line may give besides configuration keys (<c>--environment Production</c>).</summary>
    private static readonly string[] HostKeys = ["environment", "contentRoot", "applicationName"];

    /// <param name="configure">Runs before the areas are added (tests: configuration, content root services).</param>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, Action<HostApplicationBuilder>? configure = null, string? contentRoot = null)
    {
        IConfiguration? configuration = null;
        IStorageMaintenance? database = null;
        try
        {
            var builder = NewsBotHost.CreateBuilder(args, contentRoot, b =>
            {
                configuration = b.Configuration;
                configure?.Invoke(b);
            });
            builder.Services.AddCli();
            using var host = builder.Build();
            database = host.Services.GetRequiredService<IStorageMaintenance>();
            var verbs = host.Services.GetServices<ICliVerb>().ToList();
            if (CliRunner.IsHelp(args))
            {
                CliRunner.WriteHelp(host, output);
                return ExitCodes.Ok;
            }

            if (args.Length > 0 && verbs.FirstOrDefault(v => v.Name == args[0]) is { } verb)
            {
                return await verb.RunAsync(args[1..], output, CancellationToken.None);
            }

            if (UnknownArgument(args) is { } unknown)
            {
                await error.WriteLineAsync(UnknownMessage(unknown, verbs.Select(v => v.Name)));
                return ExitCodes.Usage;
            }

            ConfigurationErrors.ValidateAll(host.Services);
            // Opened (and migrated) before anything starts, so an unusable file is one line, not a failed start-up.
            await host.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(CancellationToken.None);
            await host.RunAsync();
            return ExitCodes.Ok;
        }
        catch (Exception ex) when (ConfigurationErrors.Describe(ex, configuration) is { } line)
        {
            await error.WriteLineAsync("Configuration error: " + line);
            return ExitCodes.Configuration;
        }
        catch (Exception ex) when (database?.FailureReason(ex) is { } reason)
        {
            await error.WriteLineAsync($"Database error: {database.Setting} = {database.Location}: {reason}.");
            return ExitCodes.Database;
        }
    }

    /// <summary>The first argument that is neither a configuration override (<c>Key=value</c>, <c>--Key value</c>) nor a host setting.</summary>
    private static string? UnknownArgument(string[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            var key = args[i].TrimStart('-', '/');
            if (key.Contains('=', StringComparison.Ordinal))
            {
                continue;
            }

            var isKey = args[i].StartsWith("--", StringComparison.Ordinal) && (key.Contains(':', StringComparison.Ordinal) || HostKeys.Contains(key, StringComparer.OrdinalIgnoreCase));
            if (!isKey || i + 1 >= args.Length)
            {
                return args[i];
            }

            i++;
        }

        return null;
    }

    private static string UnknownMessage(string argument, IEnumerable<string> verbs)
    {
        var isOption = argument.StartsWith('-');
        List<string> candidates = isOption ? ["--help"] : [.. verbs, "help"];
        var closest = candidates.Select(c => (Name: c, Distance: EditDistance(argument, c))).MinBy(c => c.Distance);
        var what = $"Unknown {(isOption ? "option" : "command")} '{argument}'";
        return closest.Distance <= 2 && closest.Distance * 2 < closest.Name.Length
            ? $"{what} — did you mean '{closest.Name}'?"
            : $"{what}. newsbot --help lists the commands.";
    }

    /// <summary>Levenshtein distance, ignoring case.</summary>
    private static int EditDistance(string a, string b)
    {
        a = a.ToLowerInvariant();
        b = b.ToLowerInvariant();
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }
}
