using System.Security.Cryptography;
using System.Text.Json;
using NewsBot.Discord.Wire;

namespace NewsBot.Discord.Rest;

/// <summary>
/// A stable fingerprint of a command set, so start-up can skip the bulk PUT when nothing changed (each PUT
/// of new commands counts toward 200 creates/day/guild). Command order does not matter to Discord, so commands are
/// sorted; option and choice order is what users see, so it stays significant. Server-assigned ids are ignored.
/// </summary>
public static class CommandSetHash
{
    public static string Compute(IReadOnlyList<ApplicationCommand> commands)
    {
        var canonical = commands
            .Select(c => c with { Id = null })
            .OrderBy(c => c.Type ?? 1)
            .ThenBy(c => c.Name, StringComparer.Ordinal)
            .ToList();
        var bytes = JsonSerializer.SerializeToUtf8Bytes<IReadOnlyList<ApplicationCommand>>(canonical,
            DiscordJsonContext.Default.IReadOnlyListApplicationCommand);
        return Convert.ToHexStringLower(SHA256.HashData(bytes));
    }
}
